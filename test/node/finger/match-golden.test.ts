// The matcher's raw similarity is bit-for-bit what it was before the speed work of issue 15 (golden scores written by
// models/finger/calibration/match-golden.ts from the code before that change, over real fcj2020 / fvc2000 prints,
// minutiae-only templates and synthetic prints). Templates are stored, so extractor changes do not touch this test.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GOLDEN_FILE, type GoldenGroup } from '../../../models/finger/calibration/match-golden.js';
import { lastPairs, mccScore, mccSimilarity } from '../../../models/finger/mcc.js';
import { compareTemplates, matchSimilarity, normalizeScore } from '../../../models/finger/matcher.js';
import { deserializeTemplate } from '../../../models/finger/template.js';

const golden = JSON.parse(readFileSync(GOLDEN_FILE, 'utf8')) as { groups: GoldenGroup[] };

describe('matcher scores are unchanged (golden pairs)', () => {
  it('covers real, minutiae-only and synthetic groups', () => {
    expect(golden.groups.map((g) => g.name)).toEqual(['fcj2020 111–112', 'fcj2020 131–132', 'fvc2000', 'fvc2000 minutiae-only', 'synthetic']);
  });

  for (const g of golden.groups) {
    it(`${g.name}: every ordered pair scores exactly as before`, () => {
      const ts = g.templates.map((b) => deserializeTemplate(new Uint8Array(Buffer.from(b, 'base64'))));
      expect(g.scores.length).toBe(ts.length * ts.length);
      let differ = 0, positive = 0;
      const firstDiff: string[] = [];
      ts.forEach((a, i) => ts.forEach((b, j) => {
        const want = g.scores[i * ts.length + j]!;
        const got = matchSimilarity(a, b);
        if (got > 0) positive++;
        if (!Object.is(got, want)) {
          differ++;
          if (firstDiff.length < 5) firstDiff.push(`${i}×${j}: ${got} ≠ ${want}`);
        }
      }));
      expect(firstDiff).toEqual([]);
      expect(differ).toBe(0);
      // Not a vacuous check: most pairs score above zero.
      expect(positive).toBeGreaterThan(0.9 * g.scores.length);
    });
  }

  it('the local stage and the normalised score agree with the similarity (same inputs, repeated calls)', () => {
    const g = golden.groups[0]!;
    const ts = g.templates.slice(0, 6).map((b) => deserializeTemplate(new Uint8Array(Buffer.from(b, 'base64'))));
    for (const a of ts) {
      for (const b of ts) {
        const local = mccScore(a, b);
        const p = lastPairs();
        expect(p.take).toBeLessThanOrEqual(p.n);
        const d = mccSimilarity(a, b, true);
        expect(d.raw).toBe(local);
        expect(d.pairs.length).toBe(p.take);
        const s = matchSimilarity(a, b);
        expect(matchSimilarity(a, b)).toBe(s);
        expect(compareTemplates(a, b)).toBe(normalizeScore(s));
      }
    }
  });
});
