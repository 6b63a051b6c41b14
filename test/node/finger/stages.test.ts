// Each pipeline stage on synthetic patterns with known answers (no fixtures needed).
import { describe, expect, it } from 'vitest';
import { angleDiff } from '../../../models/finger/fields.js';
import { ridgeFrequency } from '../../../models/finger/frequency.js';
import { resampleBilinear, toWorkingResolution, type GrayImage } from '../../../models/finger/image.js';
import { crossingNumber, extractMinutiae, LEGACY_BROKEN_RIDGE, type BrokenRidgeRule } from '../../../models/finger/minutiae.js';
import type { OrientationField } from '../../../models/finger/orientation.js';
import type { ForegroundMask } from '../../../models/finger/segmentation.js';
import { orientationField } from '../../../models/finger/orientation.js';
import { segmentForeground } from '../../../models/finger/segmentation.js';
import { gaborEnhance, normalizeLocal } from '../../../models/finger/enhancement.js';
import { stftEnhance } from '../../../models/finger/stft.js';
import { binarize, zhangSuenThin } from '../../../models/finger/thinning.js';
import { FingerImageInvalidError } from '../../../models/finger/errors.js';

/** Parallel sinusoidal ridges with direction `theta` (image coordinates) and `period` px, inside a centred disc. */
function ridges(W: number, H: number, theta: number, period: number, radius = Infinity): GrayImage {
  const pixels = new Uint8Array(W * H).fill(230);
  const nx = -Math.sin(theta), ny = Math.cos(theta);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    if (Math.hypot(x - W / 2, y - H / 2) > radius) continue;
    pixels[y * W + x] = Math.round(128 + 90 * Math.cos((2 * Math.PI * (x * nx + y * ny)) / period));
  }
  return { width: W, height: H, pixels, ppi: 500 };
}

describe('finger pipeline stages', () => {
  it('orientation field recovers the ridge direction with high coherence (Bazen & Gerez)', () => {
    for (const theta of [0.3, 1.2, 2.5]) {
      const f = orientationField(ridges(128, 128, theta, 9), 8, 24, 1);
      const centre = 8 * f.bw + 8;
      expect(Math.abs(angleDiff(f.theta[centre]!, theta, Math.PI))).toBeLessThan(0.05);
      expect(f.coherence[centre]!).toBeGreaterThan(0.9);
    }
  });

  it('segments the ridge disc from the flat background', () => {
    const img = ridges(160, 160, 0.7, 9, 55);
    const f = orientationField(img, 8, 24, 1);
    const fg = segmentForeground(img, f);
    expect(fg.mask[10 * fg.bw + 10]).toBe(1);
    expect(fg.mask[0]).toBe(0);
    expect(fg.mask[fg.bw * fg.bh - 1]).toBe(0);
  });

  it('ridge frequency (Hong et al.) recovers the period', () => {
    for (const period of [7, 10, 13]) {
      const img = ridges(160, 160, 0.4, period);
      const f = orientationField(img, 8, 24, 1);
      const fg = segmentForeground(img, f);
      const fr = ridgeFrequency(img, f, fg);
      expect(fr.period[10 * fr.bw + 10]!).toBeGreaterThan(period - 1);
      expect(fr.period[10 * fr.bw + 10]!).toBeLessThan(period + 1);
    }
  });

  it('Gabor enhancement, binarisation and Zhang–Suen thinning give one-pixel ridges with no minutiae on parallel lines', () => {
    const img = ridges(160, 160, 1.0, 9);
    const f = orientationField(img, 8, 24, 1);
    const fg = segmentForeground(img, f);
    const enh = gaborEnhance(img, f, ridgeFrequency(img, f, fg), fg);
    const bin = binarize(enh);
    const share = bin.reduce((s, v) => s + v, 0) / bin.length;
    expect(share).toBeGreaterThan(0.3);
    expect(share).toBeLessThan(0.7);
    const skel = zhangSuenThin(bin, 160, 160);
    // No 2×2 block of skeleton pixels anywhere (one pixel thick).
    for (let y = 0; y < 159; y++) for (let x = 0; x < 159; x++) {
      const i = y * 160 + x;
      expect(skel[i]! + skel[i + 1]! + skel[i + 160]! + skel[i + 161]!).toBeLessThan(4);
    }
    const m = extractMinutiae(skel, 160, 160, fg, f, { period: 9 });
    expect(m.length).toBe(0);
  });

  it('crossing number classifies endings and bifurcations', () => {
    const W = 7;
    const skel = new Uint8Array(49);
    // A horizontal line ending at (3,3), and a Y fork at (3,3) on a second image.
    for (let x = 0; x <= 3; x++) skel[3 * W + x] = 1;
    expect(crossingNumber(skel, W, 3 * W + 3)).toBe(1);
    expect(crossingNumber(skel, W, 3 * W + 2)).toBe(2);
    skel[2 * W + 4] = 1;
    skel[4 * W + 4] = 1;
    expect(crossingNumber(skel, W, 3 * W + 3)).toBe(3);
  });

  it('broken ridges: two facing endings across a short gap along the flow are removed, side-by-side endings kept', () => {
    const W = 120, H = 120, B = 8, bw = W / B, bh = H / B;
    const fg: ForegroundMask = { blockSize: B, bw, bh, mask: new Uint8Array(bw * bh).fill(1), mean: new Float32Array(bw * bh), std: new Float32Array(bw * bh) };
    const field = { blockSize: B, bw, bh, theta: new Float32Array(bw * bh), coherence: new Float32Array(bw * bh).fill(1) } as unknown as OrientationField;
    const facing = { facing: true, along: 1.5, lateral: 0.5, angle: Math.PI / 4 };
    const run = (segments: [number, number, number][], rule: BrokenRidgeRule = facing) => {
      const skel = new Uint8Array(W * H);
      for (const [y, x0, x1] of segments) for (let x = x0; x < x1; x++) skel[y * W + x] = 1;
      return extractMinutiae(skel, W, H, fg, field, { period: 9, brokenRidge: rule }).length;
    };
    // One ridge at y = 60 broken by a one-period gap (the far ends lie outside the border ring and are dropped anyway).
    const broken: [number, number, number][] = [[60, 5, 56], [60, 65, 115]];
    expect(run(broken)).toBe(0);
    // The rule before issue 15's third round never fired here: an ending's direction points into its own ridge.
    expect(run(broken, LEGACY_BROKEN_RIDGE)).toBe(2);
    // A gap of 3 periods is a real pair of endings.
    expect(run([[60, 5, 46], [60, 73, 115]])).toBe(2);
    // Two neighbouring ridges whose ends overlap side by side (what the old rule removed) keep both endings.
    const sideBySide: [number, number, number][] = [[56, 5, 60], [65, 50, 115]];
    expect(run(sideBySide)).toBe(2);
    expect(run(sideBySide, LEGACY_BROKEN_RIDGE)).toBe(0);
  });

  it('STFT enhancement (Chikkerur et al.): overlap-add reconstructs the image with an all-pass filter and removes noise with the ridge filter', () => {
    const W = 128, H = 128;
    const clean = ridges(W, H, 0.7, 9);
    // Salt-and-pepper "dry print" dots: every 7th pixel flipped to the opposite grey.
    const noisy = { ...clean, pixels: clean.pixels.map((v, i) => (i % 7 === 0 ? 255 - v : v)) };
    const f = orientationField(clean, 8, 24, 1);
    const fg = segmentForeground(clean, f);
    const fr = ridgeFrequency(clean, f, fg);
    const all = new Uint8Array(f.bw * f.bh).fill(1);
    const norm = normalizeLocal(noisy, fg), ref = normalizeLocal(clean, fg);
    const allPass = stftEnhance(norm, W, H, f, fr, fg, all, { below: 2, angularBandwidth: 10, radialBandwidth: 1e6, radialOrder: 1, blend: 1 });
    const filtered = stftEnhance(norm, W, H, f, fr, fg, all, { below: 2, angularBandwidth: Math.PI / 6, radialBandwidth: 0.6, radialOrder: 2, blend: 1 });
    const corr = (a: Float32Array, b: Float32Array) => {
      let ab = 0, aa = 0, bb = 0;
      for (let y = 16; y < H - 16; y++) for (let x = 16; x < W - 16; x++) { const i = y * W + x; ab += a[i]! * b[i]!; aa += a[i]! ** 2; bb += b[i]! ** 2; }
      return ab / Math.sqrt(aa * bb);
    };
    expect(corr(allPass, norm)).toBeGreaterThan(0.99);
    expect(corr(filtered, ref)).toBeGreaterThan(corr(norm, ref) + 0.1);
    expect(corr(filtered, ref)).toBeGreaterThan(0.9);
  });

  it('resamples to 500 ppi and rejects unusable buffers with FINGER_IMAGE_INVALID', () => {
    const img = ridges(300, 200, 0.5, 9);
    const r = toWorkingResolution({ ...img, ppi: 1000 });
    expect([r.width, r.height, r.ppi]).toEqual([150, 100, 500]);
    expect(resampleBilinear(img, 0.5).width).toBe(150);
    expect(() => toWorkingResolution({ width: 10, height: 10, pixels: new Uint8Array(100) })).toThrow(FingerImageInvalidError);
    expect(() => toWorkingResolution({ width: 10, height: 10, pixels: new Uint8Array(5) })).toThrow(FingerImageInvalidError);
    expect(() => toWorkingResolution({ ...img, ppi: 20 })).toThrow(FingerImageInvalidError);
  });
});
