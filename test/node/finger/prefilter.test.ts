// The 1:N prefilter: bounded top-k by dot product over signed-byte index rows, and index-vector invariances.
import { describe, expect, it } from 'vitest';
import { INDEX_DIMS, indexSimilarity, pairHistogram } from '../../../models/finger/index-vector.js';
import { quantizeIndex, topByDot } from '../../../models/finger/prefilter.js';

describe('finger prefilter', () => {
  it('topByDot returns the k best rows of a range, best first, matching a brute-force sort', () => {
    const rows = 500;
    let s = 5;
    const r = () => ((s = (s * 1103515245 + 12345) % 2147483648) >> 16) % 255 - 127;
    const m = Int8Array.from({ length: rows * INDEX_DIMS }, r);
    const probe = Int8Array.from({ length: INDEX_DIMS }, r);
    const dots = Array.from({ length: rows }, (_, i) => {
      let d = 0;
      for (let k = 0; k < INDEX_DIMS; k++) d += m[i * INDEX_DIMS + k]! * probe[k]!;
      return { i, d };
    });
    const inRange = dots.filter((x) => x.i >= 100 && x.i < 400).sort((a, b) => b.d - a.d);
    const got = topByDot(m, 100, 400, probe, 25);
    expect(Array.from(got.score)).toEqual(inRange.slice(0, 25).map((x) => x.d));
    expect(Array.from(got.index).every((i) => i >= 100 && i < 400)).toBe(true);
    expect(topByDot(m, 0, 10, probe, 50).index.length).toBe(10);
    expect(topByDot(m, 5, 5, probe, 3).index.length).toBe(0);
  });

  it('pair histograms are invariant to rotation and translation and quantise without losing the ranking', () => {
    let s = 9;
    const r = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
    const n = 40;
    const x = Float32Array.from({ length: n }, () => 20 + 260 * r());
    const y = Float32Array.from({ length: n }, () => 20 + 340 * r());
    const t = Float32Array.from({ length: n }, () => 2 * Math.PI * r());
    const a = 0.9, c = Math.cos(a), sn = Math.sin(a);
    const x2 = x.map((v, i) => c * v - sn * y[i]! + 50), y2 = y.map((v, i) => sn * x[i]! + c * v - 30), t2 = t.map((v) => (v + a) % (2 * Math.PI));
    const h = pairHistogram(x, y, t), h2 = pairHistogram(x2, y2, t2);
    expect(indexSimilarity(h, h)).toBeCloseTo(1, 5);
    expect(indexSimilarity(h, h2)).toBeGreaterThan(0.9);
    const other = pairHistogram(Float32Array.from(x, () => 20 + 260 * r()), Float32Array.from(y, () => 20 + 340 * r()), Float32Array.from(t, () => 2 * Math.PI * r()));
    expect(indexSimilarity(h, other)).toBeLessThan(indexSimilarity(h, h2));
    const q = quantizeIndex(h), q2 = quantizeIndex(h2), qo = quantizeIndex(other);
    const dq = (u: Int8Array, v: Int8Array) => u.reduce((acc, val, k) => acc + val * v[k]!, 0);
    expect(dq(q, q2)).toBeGreaterThan(dq(q, qo));
  });
});
