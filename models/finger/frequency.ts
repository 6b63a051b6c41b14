// Local ridge frequency from the oriented x-signature (Hong, Wan & Jain, "Fingerprint image enhancement: algorithm
// and performance evaluation", IEEE TPAMI 20(8), 1998): mean peak-to-peak distance of the grey profile across ridges,
// invalid blocks interpolated from valid neighbours, then low-pass filtered.
import type { BlockGrid } from './fields.js';
import type { GrayImage } from './image.js';
import type { OrientationField } from './orientation.js';
import type { ForegroundMask } from './segmentation.js';

export interface FrequencyField extends BlockGrid {
  /** Ridge period in pixels per block (0 outside the foreground). */
  period: Float32Array;
}

/** Plausible ridge periods at 500 ppi (Hong et al.: 3–25 px; real fingers 5–15 px). */
export const MIN_PERIOD = 4;
export const MAX_PERIOD = 18;

/**
 * Grey profile across the ridges through (cx, cy): `length` samples along the ridge normal, each the mean of `width`
 * samples along the ridge direction `theta`. Nearest-neighbour sampling; out-of-image samples are skipped.
 */
export function xSignature(img: GrayImage, cx: number, cy: number, theta: number, length = 32, width = 16, out = new Float32Array(length)): Float32Array {
  const { width: W, height: H, pixels } = img;
  const tx = Math.cos(theta), ty = Math.sin(theta);
  const nx = -ty, ny = tx;
  for (let k = 0; k < length; k++) {
    const u = k - (length - 1) / 2;
    let s = 0, c = 0;
    for (let d = 0; d < width; d++) {
      const v = d - (width - 1) / 2;
      const x = Math.round(cx + u * nx + v * tx);
      const y = Math.round(cy + u * ny + v * ty);
      if (x < 0 || y < 0 || x >= W || y >= H) continue;
      s += pixels[y * W + x]!;
      c++;
    }
    out[k] = c > 0 ? s / c : NaN;
  }
  return out;
}

/** Mean distance between consecutive local minima (ridge centres) of a [1 2 1]-smoothed signature; 0 if undetermined. */
export function signaturePeriod(sig: Float32Array): number {
  const n = sig.length;
  const sm = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = sig[Math.max(0, i - 1)]!, b = sig[i]!, c = sig[Math.min(n - 1, i + 1)]!;
    sm[i] = (a + 2 * b + c) / 4;
  }
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = sm[i]!;
    if (Number.isNaN(v)) return 0;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (max - min < 6) return 0;
  const minima: number[] = [];
  for (let i = 1; i < n - 1; i++) {
    const v = sm[i]!;
    if (v < sm[i - 1]! && v <= sm[i + 1]! && v < (min + max) / 2) minima.push(i);
  }
  if (minima.length < 2) return 0;
  return (minima[minima.length - 1]! - minima[0]!) / (minima.length - 1);
}

export function ridgeFrequency(img: GrayImage, field: OrientationField, fg: ForegroundMask): FrequencyField {
  const { bw, bh, blockSize } = field;
  const nb = bw * bh;
  const raw = new Float32Array(nb);
  const sig = new Float32Array(32);
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      const i = by * bw + bx;
      // Every other block (the frequency field is smooth); the rest is filled by interpolation below.
      if (!fg.mask[i] || (bx & 1) !== (by & 1)) continue;
      xSignature(img, bx * blockSize + blockSize / 2, by * blockSize + blockSize / 2, field.theta[i]!, 32, 16, sig);
      const p = signaturePeriod(sig);
      raw[i] = p >= MIN_PERIOD && p <= MAX_PERIOD ? p : 0;
    }
  }
  // Fill invalid foreground blocks from valid neighbours (growing rings), then smooth over the foreground.
  let filled = raw;
  let globalSum = 0, globalN = 0;
  for (let i = 0; i < nb; i++) if (raw[i]! > 0) { globalSum += raw[i]!; globalN++; }
  const fallback = globalN > 0 ? globalSum / globalN : 9;
  for (let pass = 0; pass < 6; pass++) {
    const next = filled.slice();
    let missing = 0;
    for (let by = 0; by < bh; by++) {
      for (let bx = 0; bx < bw; bx++) {
        const i = by * bw + bx;
        if (!fg.mask[i] || filled[i]! > 0) continue;
        let s = 0, c = 0;
        for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
          const x = bx + dx, y = by + dy;
          if (x < 0 || y < 0 || x >= bw || y >= bh) continue;
          const v = filled[y * bw + x]!;
          if (v > 0) { s += v; c++; }
        }
        if (c > 0) next[i] = s / c;
        else missing++;
      }
    }
    filled = next;
    if (missing === 0) break;
  }
  const period = new Float32Array(nb);
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      const i = by * bw + bx;
      if (!fg.mask[i]) continue;
      let s = 0, c = 0;
      for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) {
        const x = bx + dx, y = by + dy;
        if (x < 0 || y < 0 || x >= bw || y >= bh) continue;
        const v = filled[y * bw + x]!;
        if (v > 0) { s += v; c++; }
      }
      period[i] = c > 0 ? s / c : fallback;
    }
  }
  return { bw, bh, blockSize, period };
}
