// The 1:N benchmark's gallery of distinct pseudo-fingers (models/finger/calibration/pseudo-gallery.ts) and lazily
// built gallery templates.
import { describe, expect, it } from 'vitest';
import { pseudoFinger, pseudoPair, type MasterMinutiae } from '../../../models/finger/calibration/pseudo-gallery.js';
import { mccScore } from '../../../models/finger/mcc.js';
import { ParallelGallery } from '../../../models/finger/parallel-gallery.js';
import { createTemplate } from '../../../models/finger/template.js';

// Small random "masters" stand in for generator output here (the benchmark uses drivers/synth master prints).
function randomMaster(seed: number): MasterMinutiae {
  let s = seed;
  const r = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const n = 60;
  return {
    x: Float32Array.from({ length: n }, () => 20 + 280 * r()),
    y: Float32Array.from({ length: n }, () => 20 + 360 * r()),
    theta: Float32Array.from({ length: n }, () => 2 * Math.PI * r()),
    type: Uint8Array.from({ length: n }, () => (r() < 0.5 ? 1 : 2)),
  };
}

describe('pseudo-finger gallery', () => {
  const masters = Array.from({ length: 12 }, (_, k) => randomMaster(k + 1));

  it('uses every ordered pair of distinct masters once', () => {
    const seen = new Set<string>();
    for (let k = 0; k < 12 * 11; k++) {
      const [i, j] = pseudoPair(12, k);
      expect(i).not.toBe(j);
      seen.add(`${i},${j}`);
    }
    expect(seen.size).toBe(12 * 11);
  });

  it('is deterministic, impression-sized, and its pseudo-fingers do not match each other', () => {
    const a = pseudoFinger(masters, 5), again = pseudoFinger(masters, 5);
    expect(again).toEqual(a);
    expect(a.length).toBeGreaterThan(15);
    for (const m of a) {
      expect(m.x).toBeGreaterThanOrEqual(0);
      expect(m.x).toBeLessThan(288);
      expect(m.y).toBeLessThan(384);
    }
    const ts = Array.from({ length: 8 }, (_, k) => createTemplate(pseudoFinger(masters, k * 13), 288, 384));
    const self = mccScore(ts[0]!, ts[0]!);
    for (let i = 1; i < ts.length; i++) expect(mccScore(ts[0]!, ts[i]!)).toBeLessThan(0.5 * self);
  });

  it('ParallelGallery builds a lazily added template on first use, once', async () => {
    const g = new ParallelGallery(4, 1);
    try {
      let built = 0;
      const t = createTemplate(pseudoFinger(masters, 3), 288, 384);
      g.add('eager', createTemplate(pseudoFinger(masters, 40), 288, 384));
      g.addQuantized('lazy', () => { built++; return t; }, new Int8Array(t.index.length).map((_, k) => Math.round(t.index[k]! * 127)));
      expect(built).toBe(0);
      const hits = await g.search(t, { limit: 1 });
      expect(hits[0]!.id).toBe('lazy');
      await g.search(t, { limit: 1 });
      expect(built).toBe(1);
      expect(g.idAt(1)).toBe('lazy');
    } finally {
      await g.dispose();
    }
  });
});
