// The liveness model's input: one exposure gain for all channels, then a Gaussian band limit that removes pixel noise.
import { describe, expect, it } from 'vitest';
import { centralLuma, LIVENESS_MAX_GAIN, LIVENESS_TARGET_LUMA, livenessTensor } from '../../../models/face/liveness-input.js';

const side = 32;
function crop(f: (x: number, y: number, c: number) => number): Uint8Array {
  const d = new Uint8Array(3 * side * side);
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) for (let c = 0; c < 3; c++) d[3 * (y * side + x) + c] = Math.max(0, Math.min(255, Math.round(f(x, y, c))));
  return d;
}
const plane = (t: Float32Array, c: number) => t.subarray(c * side * side, (c + 1) * side * side);
const std = (v: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < v.length; i++) m += v[i]!;
  m /= v.length;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i]! - m) ** 2;
  return Math.sqrt(s / v.length);
};

describe('liveness input (exposure normalisation + band limit)', () => {
  it('central luma counts only the middle half of the crop', () => {
    const d = crop((x, y) => (x >= 8 && x < 24 && y >= 8 && y < 24 ? 102 : 255));
    expect(centralLuma(d, side)).toBeCloseTo(0.4, 5);
  });

  it('scales a dim and a bright copy of the same face to the same mean, keeping colour ratios', () => {
    const face = (k: number) => crop((x, y, c) => k * (60 + 2 * x + y + 10 * c));
    const dim = livenessTensor(face(0.5), side, LIVENESS_TARGET_LUMA, 0);
    const bright = livenessTensor(face(1), side, LIVENESS_TARGET_LUMA, 0);
    for (let i = 0; i < dim.length; i++) expect(Math.abs(dim[i]! - bright[i]!)).toBeLessThanOrEqual(1.01);
    const t = livenessTensor(face(1), side, LIVENESS_TARGET_LUMA, 0);
    const luma = 0.299 * plane(t, 0)[side * 16 + 16]! + 0.587 * plane(t, 1)[side * 16 + 16]! + 0.114 * plane(t, 2)[side * 16 + 16]!;
    expect(luma / 255).toBeGreaterThan(0.3);
    expect(plane(t, 2)[0]! / plane(t, 0)[0]!).toBeCloseTo(80 / 60, 1);
  });

  it('does not amplify a black crop beyond the gain limit', () => {
    const t = livenessTensor(crop(() => 10), side, LIVENESS_TARGET_LUMA, 0);
    expect(t[0]).toBe(10 * LIVENESS_MAX_GAIN);
  });

  it('the band limit removes most pixel noise but keeps a coarse edge', () => {
    let s = 7;
    const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32 - 0.5) * 2;
    const noisy = crop((x) => (x < 16 ? 90 : 140) + 8 * rnd());
    const t = livenessTensor(noisy, side);
    const row = (y: number) => Array.from({ length: 10 }, (_, i) => plane(t, 0)[y * side + 2 + i]!);
    const raw = Array.from({ length: 10 }, (_, i) => noisy[3 * (8 * side + 2 + i)]!);
    expect(std(row(8))).toBeLessThan(std(raw) / 2);
    expect(plane(t, 0)[8 * side + 28]! - plane(t, 0)[8 * side + 3]!).toBeGreaterThan(30);
  });
});
