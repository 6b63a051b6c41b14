import { describe, expect, it } from 'vitest';
import { defaultImpressionSource, resample, ridgeImpression } from '../../../drivers/emulators/impression.js';

describe('impression sources', () => {
  it('the default source is the synthetic generator (drivers/synth) and is deterministic per subject/finger/attempt', async () => {
    const { source, generator } = await defaultImpressionSource('subject-1');
    expect(generator).toBe('synth');
    const a = await source(2, 0);
    const b = await source(2, 0);
    const c = await source(2, 1);
    expect(a.pixels.length).toBe(a.width * a.height);
    expect(Buffer.from(a.pixels).equals(Buffer.from(b.pixels))).toBe(true);
    expect(Buffer.from(a.pixels).equals(Buffer.from(c.pixels))).toBe(false);
  });

  it('resamples to the sensor sizes', () => {
    const img = ridgeImpression('s', 1, 0, 100, 120);
    for (const [w, h] of [
      [256, 288],
      [258, 202],
    ] as const) {
      const r = resample(img, w, h);
      expect(r.pixels.length).toBe(w * h);
      expect(r.width).toBe(w);
    }
    // Constant images stay constant.
    const flat = resample({ width: 3, height: 3, pixels: new Uint8Array(9).fill(77) }, 7, 5);
    expect(new Set(flat.pixels)).toEqual(new Set([77]));
  });
});
