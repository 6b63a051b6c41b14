// Extraction accuracy on synthetic prints, 1:1 decisions on synthetic and real fixtures, and 1:N search.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { syntheticSample } from '../../../models/finger/calibration/synthetic-set.js';
import { analyzeFinger } from '../../../models/finger/extract.js';
import { angleDiff } from '../../../models/finger/fields.js';
import { loadGrayImage } from '../../../models/finger/load.js';
import { compareTemplates, extractTemplate, FingerGallery, MATCH_THRESHOLD } from '../../../models/finger/matcher.js';
import { ParallelGallery } from '../../../models/finger/parallel-gallery.js';
import { WORDS, type FingerTemplate } from '../../../models/finger/template.js';
import { cylinderSimilarity, LSSR, mccScore, mccSimilarity } from '../../../models/finger/mcc.js';
import { popcount32 } from '../../../models/finger/mathutil.js';
import { fixturePath, hasFixture } from '../../helpers/fixtures.js';

describe('finger matching on synthetic prints (drivers/synth)', () => {
  const FINGERS = 5, IMPRESSIONS = 3;
  const samples = Array.from({ length: FINGERS * IMPRESSIONS }, (_, k) => syntheticSample(Math.floor(k / IMPRESSIONS), k % IMPRESSIONS));
  const analyses = samples.map((s) => analyzeFinger(s.image));
  const templates = analyses.map((a) => extractTemplate(a.image));

  it('extracted minutiae lie near the ground truth (precision and recall at 12 px, direction within 30°)', () => {
    let tp = 0, found = 0, truth = 0, dirOk = 0;
    samples.forEach((s, k) => {
      const ms = analyses[k]!.minutiae;
      const used = new Set<number>();
      for (const g of s.minutiae) {
        let best = -1, bd = 12;
        ms.forEach((m, i) => {
          const d = Math.hypot(m.x - g.x, m.y - g.y);
          if (d < bd && !used.has(i)) { bd = d; best = i; }
        });
        if (best >= 0) {
          used.add(best);
          tp++;
          if (Math.abs(angleDiff(ms[best]!.direction, g.direction)) < Math.PI / 6) dirOk++;
        }
      }
      found += ms.length;
      truth += s.minutiae.length;
    });
    expect(tp / found).toBeGreaterThan(0.65);
    expect(tp / truth).toBeGreaterThan(0.65);
    expect(dirOk / tp).toBeGreaterThan(0.8);
  });

  it('genuine pairs score above the threshold and impostors below', () => {
    const gen: number[] = [], imp: number[] = [];
    for (let a = 0; a < templates.length; a++) {
      for (let b = a + 1; b < templates.length; b++) {
        const s = compareTemplates(templates[a]!, templates[b]!);
        (samples[a]!.finger === samples[b]!.finger ? gen : imp).push(s);
      }
    }
    expect(gen.length).toBe(FINGERS * 3);
    // Evaluation: FNMR at FMR 0.01 % is a few per cent on this set; allow one miss here.
    expect(gen.filter((s) => s >= MATCH_THRESHOLD).length).toBeGreaterThanOrEqual(gen.length - 1);
    // Since issue 15 the threshold is FMR 0.01 % on REAL impostors (fcj2020). Synthetic impostors share ridge flow
    // and minutiae layout far more than real ones and are heavier under the global consolidation: 1.5 % of the
    // 4,950 synthetic FVC-protocol impostor pairs reach 40 (docs/FINGERPRINT.md). The orientation-field term (issue 15)
    // adds to that: synthetic fingers share one ridge-flow model, so their impostors agree in orientation far more than
    // real ones (9 of these 105 reached 40 with it, 3 on the minutiae-only scale; 12 since the coherence-adaptive
    // enhancement, while over all 4,950 synthetic impostor pairs the share at 40 stayed 3.3 %). What must hold is the
    // separation below.
    expect(imp.filter((s) => s >= MATCH_THRESHOLD).length).toBeLessThanOrEqual(14);
    expect(Math.min(...gen)).toBeGreaterThan(Math.max(...imp));
  });

  it('1:N search finds the mate first, in one thread and with worker threads', async () => {
    const gallery = new FingerGallery();
    const parallel = new ParallelGallery(4, 2);
    try {
      samples.forEach((s, k) => {
        if (s.impression !== 0) return;
        gallery.add(`f${s.finger}`, templates[k]!);
        parallel.add(`f${s.finger}`, templates[k]!);
      });
      for (const [k, s] of samples.entries()) {
        if (s.impression === 0) continue;
        expect(gallery.search(templates[k]!, { limit: 1 })[0]!.id).toBe(`f${s.finger}`);
        const hits = await parallel.search(templates[k]!, { limit: 3 });
        expect(hits[0]!.id).toBe(`f${s.finger}`);
        expect(hits[0]!.score).toBeGreaterThanOrEqual(hits[1]!.score);
      }
    } finally {
      await parallel.dispose();
    }
    await expect(parallel.search(templates[0]!)).rejects.toMatchObject({ code: 'DISPOSED' });
  });
});

describe.skipIf(!hasFixture('fingers', 'sourceafis', 'probe.png'))('SourceAFIS fixture images', () => {
  it('probe matches matching and not nonmatching', async () => {
    const t = async (n: string) => extractTemplate(await loadGrayImage(fixturePath('fingers', 'sourceafis', `${n}.png`)));
    const probe = await t('probe');
    const same = compareTemplates(probe, await t('matching'));
    const other = compareTemplates(probe, await t('nonmatching'));
    expect(same).toBeGreaterThanOrEqual(MATCH_THRESHOLD);
    expect(other).toBeLessThan(MATCH_THRESHOLD);
    expect(compareTemplates(probe, probe)).toBeGreaterThanOrEqual(same);
  });
});

describe.skipIf(!hasFixture('fingers', 'fvc2000'))('FVC fixtures (real plain impressions)', () => {
  it('no impostor reaches the threshold; genuine acceptance matches the evaluation (docs/FINGERPRINT.md)', async () => {
    const dir = fixturePath('fingers', 'fvc2000');
    // Fingers 102, 104, 106 and 108 of FVC2000 DB1, first four impressions each.
    const files = readdirSync(dir).filter((f) => /^FVC2000_Db1_10[2468]_[1-4]\.png$/.test(f)).sort();
    const items: { finger: string; t: FingerTemplate }[] = [];
    for (const f of files) items.push({ finger: f.replace(/_\d\.png$/, ''), t: extractTemplate(await loadGrayImage(`${dir}/${f}`)) });
    expect(items.length).toBeGreaterThanOrEqual(12);
    let genOk = 0, genOk1 = 0, gen = 0;
    for (let a = 0; a < items.length; a++) {
      for (let b = a + 1; b < items.length; b++) {
        const s = compareTemplates(items[a]!.t, items[b]!.t);
        if (items[a]!.finger === items[b]!.finger) {
          gen++;
          if (s >= MATCH_THRESHOLD) genOk++;
          if (s >= 20) genOk1++;
        } else {
          expect(s).toBeLessThan(MATCH_THRESHOLD);
        }
      }
    }
    // Real FVC2000 DB1 is much harder than the synthetic set: at FMR 0.01 % about a third of these genuine pairs pass,
    // at score 20 (FMR 1 %) most do.
    expect(genOk / gen).toBeGreaterThan(0.25);
    expect(genOk1 / gen).toBeGreaterThan(0.5);
  });
});

describe('MCC bit arithmetic (the fast paths equal the plain definitions)', () => {
  const samples = [0, 1, 2].flatMap((f) => [0, 1].map((i) => extractTemplate(syntheticSample(f, i).image)));

  it('cylinderSimilarity equals λ computed with a plain popcount over commonly valid cells', () => {
    let checked = 0;
    for (const A of samples.slice(0, 2)) {
      for (const B of samples.slice(1, 4)) {
        for (let a = 0; a < A.count; a += 3) {
          for (let b = 0; b < B.count; b += 3) {
            let nx = 0, na = 0, nb = 0, nm = 0;
            for (let w = 0; w < WORDS; w++) {
              const m = A.valid[a * WORDS + w]! & B.valid[b * WORDS + w]!;
              const ca = A.bits[a * WORDS + w]! & m, cb = B.bits[b * WORDS + w]! & m;
              nx += popcount32(ca ^ cb); na += popcount32(ca); nb += popcount32(cb); nm += popcount32(m);
            }
            const den = Math.sqrt(na) + Math.sqrt(nb);
            const expected = nm < LSSR.minME * Math.min(A.validCount[a]!, B.validCount[b]!) || den === 0 ? 0 : 1 - Math.sqrt(nx) / den;
            expect(cylinderSimilarity(A, a, B, b)).toBeCloseTo(expected, 12);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('mccScore is mccSimilarity without the pair list, symmetric enough, and 1 − ε for a template with itself', () => {
    const [A, B] = [samples[0]!, samples[1]!];
    expect(mccScore(A, B)).toBe(mccSimilarity(A, B).raw);
    expect(mccSimilarity(A, B, true).pairs.length).toBeGreaterThan(3);
    expect(Math.abs(mccScore(A, B) - mccScore(B, A))).toBeLessThan(0.05);
    expect(mccScore(A, A)).toBeGreaterThan(0.9);
  });
});
