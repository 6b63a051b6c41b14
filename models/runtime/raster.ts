// Raster operations on packed RGB / grey typed arrays: affine warps with bilinear sampling (supersampled when
// shrinking, so large frames do not alias), luminance. Pure functions; the only resampler the pipeline uses.
import type { RgbImage } from './image.js';

/** Affine map [a, b, c, d, e, f]: x' = a·x + b·y + c, y' = d·x + e·y + f. */
export type Affine = readonly [number, number, number, number, number, number];

export function invertAffine(m: Affine): Affine {
  const [a, b, c, d, e, f] = m;
  const det = a * e - b * d;
  if (Math.abs(det) < 1e-12) throw new Error('singular affine transform');
  const ia = e / det;
  const ib = -b / det;
  const id = -d / det;
  const ie = a / det;
  return [ia, ib, -(ia * c + ib * f), id, ie, -(id * c + ie * f)];
}

export function applyAffine(m: Affine, x: number, y: number): [number, number] {
  return [m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]];
}

/** Maps the source rectangle (x, y, w, h) onto an outW × outH output (aspect may change). */
export function rectToAffine(x: number, y: number, w: number, h: number, outW: number, outH: number): Affine {
  const sx = outW / w;
  const sy = outH / h;
  return [sx, 0, -x * sx, 0, sy, -y * sy];
}

/** Averages k×k blocks (k ≥ 2): a cheap anti-aliasing pre-shrink before large reductions. */
export function boxShrink(
  src: { data: Uint8Array; width: number; height: number },
  channels: 1 | 3,
  k: number,
  rx = 0,
  ry = 0,
  rw = src.width - rx,
  rh = src.height - ry,
): { data: Uint8Array; width: number; height: number } {
  const w = Math.max(1, Math.floor(rw / k));
  const h = Math.max(1, Math.floor(rh / k));
  const out = new Uint8Array(w * h * channels);
  const rowAcc = new Uint32Array(w * channels);
  const sd = src.data;
  const sw = src.width;
  const area = k * k;
  for (let y = 0; y < h; y++) {
    rowAcc.fill(0);
    for (let dy = 0; dy < k; dy++) {
      const sy = Math.min(src.height - 1, ry + y * k + dy);
      let si = (sy * sw + rx) * channels;
      for (let x = 0; x < w; x++) {
        const o = x * channels;
        for (let dx = 0; dx < k; dx++) {
          if (channels === 3) {
            rowAcc[o]! += sd[si]!;
            rowAcc[o + 1]! += sd[si + 1]!;
            rowAcc[o + 2]! += sd[si + 2]!;
            si += 3;
          } else {
            rowAcc[o]! += sd[si++]!;
          }
        }
      }
    }
    const base = y * w * channels;
    for (let i = 0; i < w * channels; i++) out[base + i] = Math.round(rowAcc[i]! / area);
  }
  return { data: out, width: w, height: h };
}

/**
 * Warps `src` (channels 1 or 3) by `forward` (source → destination coordinates) into width × height with bilinear
 * sampling on pixel centres; pixels outside the source take `fill`, or with `fill = 'mirror'` the source reflected at
 * its border (no flat wedge where a rotated crop reaches past the frame, and no streaks as with a replicated edge). When the map shrinks by 2× or more the source is
 * first box-averaged by that integer factor, so large frames do not alias.
 */
export function warpAffine(
  src: { data: Uint8Array; width: number; height: number },
  channels: 1 | 3,
  forward: Affine,
  width: number,
  height: number,
  fill: number | 'mirror' = 0,
): Uint8Array {
  let inv = invertAffine(forward);
  const scale = Math.sqrt(Math.abs(inv[0] * inv[4] - inv[1] * inv[3]));
  const k = Math.floor(scale);
  if (k >= 2) {
    // Shrink only the part of the source the output can reach (plus a block of margin), never the whole frame.
    let bx0 = Infinity;
    let by0 = Infinity;
    let bx1 = -Infinity;
    let by1 = -Infinity;
    for (const [px, py] of [
      [0, 0],
      [width, 0],
      [0, height],
      [width, height],
    ] as const) {
      const [u, v] = applyAffine(inv, px, py);
      bx0 = Math.min(bx0, u);
      by0 = Math.min(by0, v);
      bx1 = Math.max(bx1, u);
      by1 = Math.max(by1, v);
    }
    const rx0 = Math.max(0, Math.floor(bx0 / k) * k - k);
    const ry0 = Math.max(0, Math.floor(by0 / k) * k - k);
    const rx1 = Math.min(src.width, Math.ceil(bx1) + k);
    const ry1 = Math.min(src.height, Math.ceil(by1) + k);
    if (rx1 - rx0 >= 2 * k && ry1 - ry0 >= 2 * k) {
      src = boxShrink(src, channels, k, rx0, ry0, rx1 - rx0, ry1 - ry0);
      inv = [inv[0] / k, inv[1] / k, (inv[2] - rx0) / k, inv[3] / k, inv[4] / k, (inv[5] - ry0) / k];
    }
  }
  const sw = src.width;
  const sh = src.height;
  const sd = src.data;
  const [a, b, c, d, e, f] = inv;
  // Integer translation only (e.g. an exact 2× reduction after the pre-shrink): copy rows instead of interpolating.
  if (Math.abs(a - 1) < 1e-9 && Math.abs(e - 1) < 1e-9 && Math.abs(b) < 1e-9 && Math.abs(d) < 1e-9) {
    const ox = Math.round(c);
    const oy = Math.round(f);
    if (Math.abs(c - ox) < 1e-9 && Math.abs(f - oy) < 1e-9 && ox >= 0 && oy >= 0 && ox + width <= sw && oy + height <= sh) {
      const out = new Uint8Array(width * height * channels);
      for (let y = 0; y < height; y++) out.set(sd.subarray(((oy + y) * sw + ox) * channels, ((oy + y) * sw + ox + width) * channels), y * width * channels);
      return out;
    }
  }
  const out = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    const dy = y + 0.5;
    let o = y * width * channels;
    for (let x = 0; x < width; x++, o += channels) {
      const dx = x + 0.5;
      let u = a * dx + b * dy + c - 0.5;
      let v = d * dx + e * dy + f - 0.5;
      if (fill === 'mirror') {
        u = Math.min(sw - 1, Math.max(0, u < 0 ? -u : u > sw - 1 ? 2 * (sw - 1) - u : u));
        v = Math.min(sh - 1, Math.max(0, v < 0 ? -v : v > sh - 1 ? 2 * (sh - 1) - v : v));
      } else if (u < -0.5 || v < -0.5 || u > sw - 0.5 || v > sh - 0.5) {
        for (let ch = 0; ch < channels; ch++) out[o + ch] = fill;
        continue;
      }
      let x0 = Math.floor(u);
      let y0 = Math.floor(v);
      let fx = u - x0;
      let fy = v - y0;
      if (x0 < 0) {
        x0 = 0;
        fx = 0;
      } else if (x0 >= sw - 1) {
        x0 = sw - 1;
        fx = 0;
      }
      if (y0 < 0) {
        y0 = 0;
        fy = 0;
      } else if (y0 >= sh - 1) {
        y0 = sh - 1;
        fy = 0;
      }
      const x1 = fx > 0 ? x0 + 1 : x0;
      const y1 = fy > 0 ? y0 + 1 : y0;
      const w00 = (1 - fx) * (1 - fy);
      const w01 = fx * (1 - fy);
      const w10 = (1 - fx) * fy;
      const w11 = fx * fy;
      const i00 = (y0 * sw + x0) * channels;
      const i01 = (y0 * sw + x1) * channels;
      const i10 = (y1 * sw + x0) * channels;
      const i11 = (y1 * sw + x1) * channels;
      if (channels === 3) {
        out[o] = sd[i00]! * w00 + sd[i01]! * w01 + sd[i10]! * w10 + sd[i11]! * w11 + 0.5;
        out[o + 1] = sd[i00 + 1]! * w00 + sd[i01 + 1]! * w01 + sd[i10 + 1]! * w10 + sd[i11 + 1]! * w11 + 0.5;
        out[o + 2] = sd[i00 + 2]! * w00 + sd[i01 + 2]! * w01 + sd[i10 + 2]! * w10 + sd[i11 + 2]! * w11 + 0.5;
      } else {
        out[o] = sd[i00]! * w00 + sd[i01]! * w01 + sd[i10]! * w10 + sd[i11]! * w11 + 0.5;
      }
    }
  }
  return out;
}

/** ITU-R BT.601 luma of packed RGB. */
export function toGrey(img: { data: Uint8Array; width: number; height: number }): Uint8Array {
  const n = img.width * img.height;
  const out = new Uint8Array(n);
  const d = img.data;
  for (let i = 0, j = 0; i < n; i++, j += 3) out[i] = Math.round(0.299 * d[j]! + 0.587 * d[j + 1]! + 0.114 * d[j + 2]!);
  return out;
}

export function cropRgb(img: RgbImage, forward: Affine, width: number, height: number, fill: number | 'mirror' = 0): RgbImage {
  return { data: warpAffine(img, 3, forward, width, height, fill), width, height };
}

/** Planar float tensor [1, 3, H, W] from packed RGB with per-channel (x − mean) / std. */
export function rgbToPlanar(data: Uint8Array, width: number, height: number, mean: readonly number[], std: readonly number[], bgr = false): Float32Array {
  const n = width * height;
  const out = new Float32Array(3 * n);
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    for (let c = 0; c < 3; c++) {
      const src = bgr ? 2 - c : c;
      out[c * n + i] = (data[j + src]! - mean[c]!) / std[c]!;
    }
  }
  return out;
}

/** Warps packed RGB and returns the BT.601 luma of the result (only the crop is converted, never the frame). */
export function warpGrey(src: RgbImage, forward: Affine, width: number, height: number, fill = 0): Uint8Array {
  return toGrey({ data: warpAffine(src, 3, forward, width, height, fill), width, height });
}
