// Capture-related image measures on the face region, after ISO/IEC 29794-5 (the measures OFIQ names
// BackgroundUniformity, IlluminationUniformity, LuminanceMean, LuminanceVariance, UnderExposurePrevention,
// OverExposurePrevention, DynamicRange, Sharpness), computed here with classical operators for live-frame speed:
// sharpness as a band-energy ratio of Gaussian differences on the scale-normalised face (robust to sensor noise, unlike
// the variance of the Laplacian, which noise inflates), dynamic range as histogram entropy, uniformity by histogram intersection (Swain & Ballard 1991).
import type { RgbImage } from '../runtime/image.js';
import { applyAffine, rectToAffine, warpGrey, type Affine } from '../runtime/raster.js';
import { eyeCentres, pt, similarityTransform, type Point } from './geometry.js';

/** The normalised face crop: eyes horizontal, inter-eye distance 64 px, eye midpoint at (96, 96) in 192×240. */
export const NORM = { width: 192, height: 240, ied: 64, mx: 96, my: 96 } as const;

export function normalisingTransform(lm: Float32Array): Affine {
  const { left, right } = eyeCentres(lm);
  const h = NORM.ied / 2;
  return similarityTransform([left, right], [
    [NORM.mx - h, NORM.my],
    [NORM.mx + h, NORM.my],
  ]);
}

/** Face-skin mask in the normalised crop: polygon of the jaw line (0–16) closed over the eyebrows (26…17). */
export function faceMask(lm: Float32Array, m: Affine): Uint8Array {
  const poly: Point[] = [];
  for (let i = 0; i <= 16; i++) poly.push(applyAffine(m, ...pt(lm, i)));
  for (let i = 26; i >= 17; i--) poly.push(applyAffine(m, ...pt(lm, i)));
  const mask = new Uint8Array(NORM.width * NORM.height);
  for (let y = 0; y < NORM.height; y++) {
    const cy = y + 0.5;
    const xs: number[] = [];
    for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
      const [xi, yi] = poly[i]!;
      const [xj, yj] = poly[j]!;
      if (yi > cy !== yj > cy) xs.push(xi + ((cy - yi) * (xj - xi)) / (yj - yi));
    }
    xs.sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const a = Math.max(0, Math.ceil(xs[k]! - 0.5));
      const b = Math.min(NORM.width - 1, Math.floor(xs[k + 1]! - 0.5));
      for (let x = a; x <= b; x++) mask[y * NORM.width + x] = 1;
    }
  }
  return mask;
}

export interface FaceRegionMeasures {
  /** Mean luminance of the face region, 0..1. */
  luminanceMean: number;
  /** Variance of the face-region luminance (0..1 scale, so ≤ 0.25). */
  luminanceVariance: number;
  /** Share of face pixels darker than 25/255. */
  underExposed: number;
  /** Share of face pixels brighter than 247/255. */
  overExposed: number;
  /** Entropy of the face-region luminance histogram, bits (0..8). */
  dynamicRange: number;
  /** Histogram intersection of the left and right face halves (0..1, 1 = identical lighting). */
  illuminationUniformity: number;
  /** Mean luminance ratio darker half / brighter half (0..1). */
  halfMeanRatio: number;
  /** Band-energy ratio E(σ 1–2) / E(σ 2–4) of Gaussian differences inside the eroded face region (bandRatioSharpness). */
  sharpness: number;
  maskPixels: number;
}

export function faceRegionMeasures(img: RgbImage, lm: Float32Array): FaceRegionMeasures {
  const m = normalisingTransform(lm);
  const crop = warpGrey(img, m, NORM.width, NORM.height, 0);
  const mask = faceMask(lm, m);
  const W = NORM.width;
  const H = NORM.height;
  const hist = new Float64Array(256);
  const histL = new Float64Array(32);
  const histR = new Float64Array(32);
  let n = 0;
  let sum = 0;
  let sum2 = 0;
  let under = 0;
  let over = 0;
  let sumL = 0;
  let nL = 0;
  let sumR = 0;
  let nR = 0;
  for (let i = 0; i < W * H; i++) {
    if (!mask[i]) continue;
    const v = crop[i]!;
    n++;
    sum += v;
    sum2 += v * v;
    hist[v]!++;
    if (v < 25) under++;
    if (v > 247) over++;
    if (i % W < NORM.mx) {
      histL[v >> 3]!++;
      sumL += v;
      nL++;
    } else {
      histR[v >> 3]!++;
      sumR += v;
      nR++;
    }
  }
  if (n === 0) {
    return { luminanceMean: NaN, luminanceVariance: NaN, underExposed: NaN, overExposed: NaN, dynamicRange: NaN, illuminationUniformity: NaN, halfMeanRatio: NaN, sharpness: NaN, maskPixels: 0 };
  }
  const mean = sum / n;
  let entropy = 0;
  for (const c of hist) if (c > 0) entropy -= (c / n) * Math.log2(c / n);
  let inter = 0;
  if (nL > 0 && nR > 0) for (let b = 0; b < 32; b++) inter += Math.min(histL[b]! / nL, histR[b]! / nR);
  const mL = nL ? sumL / nL : 0;
  const mR = nR ? sumR / nR : 0;
  const lapVar = bandRatioSharpness(crop, mask, W, H);
  return {
    luminanceMean: mean / 255,
    luminanceVariance: (sum2 / n - mean * mean) / (255 * 255),
    underExposed: under / n,
    overExposed: over / n,
    dynamicRange: entropy,
    illuminationUniformity: inter,
    halfMeanRatio: Math.max(mL, mR) > 0 ? Math.min(mL, mR) / Math.max(mL, mR) : 0,
    sharpness: lapVar,
    maskPixels: n,
  };
}

/**
 * Background uniformity: mean squared luminance gradient (as ISO/IEC 39794-5 D.1.4.2.5 / OFIQ) over the background —
 * the frame outside the head, above the chin line — on a grey copy box-averaged by k = round(IED / 16), so the
 * inter-eye distance is about 16 px whatever the resolution. Lower is more uniform. NaN when no background is visible.
 */
export function backgroundGradient(img: RgbImage, lm: Float32Array, head: { x1: number; y1: number; x2: number; y2: number }): { value: number; pixels: number } {
  const { left, right } = eyeCentres(lm);
  const ied = Math.hypot(right[0] - left[0], right[1] - left[1]);
  const k = Math.max(1, Math.round(ied / 16));
  const small = greyShrink(img, k);
  const w = small.width;
  const h = small.height;
  const g = small.data;
  const hx1 = head.x1 / k;
  const hx2 = head.x2 / k;
  const hy1 = head.y1 / k;
  const chin = head.y2 / k;
  let total = 0;
  let n = 0;
  for (let y = 1; y < Math.min(h - 1, chin); y++) {
    for (let x = 1; x < w - 1; x++) {
      if (x >= hx1 && x <= hx2 && y >= hy1) continue;
      const i = y * w + x;
      const gx = (g[i + 1]! - g[i - 1]!) / 2;
      const gy = (g[i + w]! - g[i - w]!) / 2;
      total += gx * gx + gy * gy;
      n++;
    }
  }
  return { value: n > 0 ? total / n : NaN, pixels: n };
}

/** BT.601 luma averaged over k×k blocks, in one pass over packed RGB. */
export function greyShrink(img: RgbImage, k: number): { data: Float32Array; width: number; height: number } {
  const w = Math.max(1, Math.floor(img.width / k));
  const h = Math.max(1, Math.floor(img.height / k));
  const out = new Float32Array(w * h);
  const d = img.data;
  const scale = 1 / (k * k);
  for (let y = 0; y < h * k; y++) {
    const row = Math.floor(y / k) * w;
    let si = y * img.width * 3;
    for (let x = 0; x < w; x++) {
      let acc = 0;
      for (let dx = 0; dx < k; dx++, si += 3) acc += 0.299 * d[si]! + 0.587 * d[si + 1]! + 0.114 * d[si + 2]!;
      out[row + x]! += acc * scale;
    }
  }
  return { data: out, width: w, height: h };
}

/**
 * Eye visibility for PAD: share of near-black (< 8/255) pixels in a square patch of side 0.6 × inter-eye distance
 * around each eye centre. A covered eye region or one cut off by the picture edge (filled black) gives a large share;
 * real eyes, even dark ones under kiosk lighting, stay well above that grey level.
 */
export function eyeDarkShare(img: RgbImage, lm: Float32Array): [number, number] {
  const { left, right } = eyeCentres(lm);
  const side = Math.max(2, 0.6 * Math.hypot(right[0] - left[0], right[1] - left[1]));
  const out: number[] = [];
  for (const c of [left, right]) {
    const px = warpGrey(img, rectToAffine(c[0] - side / 2, c[1] - side / 2, side, side, 24, 24), 24, 24, 0);
    let dark = 0;
    for (const v of px) if (v < 8) dark++;
    out.push(dark / px.length);
  }
  return [out[0]!, out[1]!];
}

/** Separable Gaussian blur (σ in pixels, kernel ±3σ, edges clamped). */
export function gaussianBlur(src: ArrayLike<number>, w: number, h: number, sigma: number): Float32Array {
  const r = Math.max(1, Math.ceil(3 * sigma));
  const k = new Float32Array(2 * r + 1);
  let ks = 0;
  for (let i = -r; i <= r; i++) ks += k[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i]! /= ks;
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let a = 0;
      for (let i = -r; i <= r; i++) a += k[i + r]! * src[y * w + Math.min(w - 1, Math.max(0, x + i))]!;
      tmp[y * w + x] = a;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let a = 0;
      for (let i = -r; i <= r; i++) a += k[i + r]! * tmp[Math.min(h - 1, Math.max(0, y + i)) * w + x]!;
      out[y * w + x] = a;
    }
  }
  return out;
}

/** Mask eroded by a (2r+1)² square (summed-area table): pixels whose whole neighbourhood is face. */
export function erodeMask(mask: Uint8Array, w: number, h: number, r: number): Uint8Array {
  const sat = new Int32Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) sat[(y + 1) * (w + 1) + x + 1] = mask[y * w + x]! + sat[y * (w + 1) + x + 1]! + sat[(y + 1) * (w + 1) + x]! - sat[y * (w + 1) + x]!;
  const out = new Uint8Array(w * h);
  const full = (2 * r + 1) ** 2;
  for (let y = r; y < h - r; y++) {
    for (let x = r; x < w - r; x++) {
      const s = sat[(y + r + 1) * (w + 1) + x + r + 1]! - sat[(y - r) * (w + 1) + x + r + 1]! - sat[(y + r + 1) * (w + 1) + x - r]! + sat[(y - r) * (w + 1) + x - r]!;
      if (s === full) out[y * w + x] = 1;
    }
  }
  return out;
}

/**
 * Sharpness at the face's scale, robust to sensor noise: on the normalised crop (inter-eye distance 64 px) the energy of
 * the band between Gaussian scales σ = 1 and 2 px over the energy of the band between σ = 2 and 4 px, inside the face
 * region eroded by 4 px. Focus blur or motion removes the upper band first, so the ratio falls; pixel noise lives
 * mostly below σ = 1 and is smoothed away before either band is measured, and a ratio of energies ignores contrast.
 * A band-pass/low-pass energy ratio in the spirit of the spectral focus measures compared by Pertuz et al., "Analysis
 * of focus measure operators for shape-from-focus", Pattern Recognition 46 (2013). NaN when too little face is left.
 */
export function bandRatioSharpness(crop: Uint8Array, mask: Uint8Array, w: number, h: number): number {
  const inner = erodeMask(mask, w, h, 4);
  const b1 = gaussianBlur(crop, w, h, 1);
  const b2 = gaussianBlur(crop, w, h, 2);
  const b4 = gaussianBlur(crop, w, h, 4);
  let hi = 0;
  let lo = 0;
  let n = 0;
  for (let i = 0; i < w * h; i++) {
    if (!inner[i]) continue;
    hi += (b1[i]! - b2[i]!) ** 2;
    lo += (b2[i]! - b4[i]!) ** 2;
    n++;
  }
  return n < 200 || lo <= 0 ? NaN : hi / lo;
}
