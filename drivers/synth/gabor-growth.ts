// Ridge pattern by iterated, contextual Gabor filtering from random seeds (SFinGe: Cappelli, Maio & Maltoni, "Synthetic
// fingerprint-image generation", ICPR 2000, and "Synthetic fingerprint generation", ch. 6 of Maltoni, Maio, Jain & Prabhakar,
// Handbook of Fingerprint Recognition, Springer 2009). Each pixel is filtered with a Gabor kernel tuned to the local ridge
// orientation and frequency; the result is clipped (soft binarisation) and fed back. Ridges grow out of the seeds and meet,
// producing minutiae where their phases disagree, exactly as in real fingers.
import type { Rng } from './prng.js';

const ORIENTATION_BINS = 36;
const PERIOD_BINS = 12;
/** Nominal (full-resolution) inter-ridge periods covered by the bank: 7.5 .. 13 px. */
const PERIOD_MIN = 7.5;
const PERIOD_STEP = 0.5;
/** Amplitude of the random start field under the seeds: enough for ridges to nucleate everywhere at once (evenly spread
 * minutiae, no long seams where two grown fronts meet), while the saturated seeds still set the phase around them. */
const NOISE_FLOOR = 0.3;

interface KernelBank {
  scale: number;
  radius: number;
  /** Tap offsets (row-major in the padded image) of the circular support. */
  offsets: Int32Array;
  /** ORIENTATION_BINS × PERIOD_BINS kernels of offsets.length taps. */
  weights: Float32Array;
  paddedWidth: number;
}

const banks = new Map<string, KernelBank>();

/**
 * Kernel bank at resolution 1/scale: for every (orientation, period) bin a zero-mean Gabor kernel on a circular support,
 * normalised to unit gain on its own grating.
 */
function kernelBank(scale: number, paddedWidth: number): KernelBank {
  const key = `${scale}:${paddedWidth}`;
  const cached = banks.get(key);
  if (cached) return cached;
  const radius = Math.ceil(6.5 / scale);
  const taps: Array<[number, number]> = [];
  for (let dy = -radius; dy <= radius; dy++) for (let dx = -radius; dx <= radius; dx++) if (dx * dx + dy * dy <= radius * radius + radius) taps.push([dx, dy]);
  const offsets = Int32Array.from(taps, ([dx, dy]) => dy * paddedWidth + dx);
  const weights = new Float32Array(ORIENTATION_BINS * PERIOD_BINS * taps.length);
  for (let o = 0; o < ORIENTATION_BINS; o++) {
    const theta = (o * Math.PI) / ORIENTATION_BINS;
    const c = Math.cos(theta);
    const s = Math.sin(theta);
    for (let p = 0; p < PERIOD_BINS; p++) {
      const period = (PERIOD_MIN + p * PERIOD_STEP) / scale;
      const sigmaAcross = 0.36 * period;
      const sigmaAlong = 0.42 * period;
      const k = taps.map(([dx, dy]) => {
        const u = dx * c + dy * s; // along the ridge
        const v = -dx * s + dy * c; // across the ridge
        return Math.exp(-(u * u) / (2 * sigmaAlong * sigmaAlong) - (v * v) / (2 * sigmaAcross * sigmaAcross)) * Math.cos((2 * Math.PI * v) / period);
      });
      const mean = k.reduce((a, b) => a + b, 0) / k.length;
      let gain = 0;
      taps.forEach(([dx, dy], i) => {
        k[i]! -= mean;
        gain += k[i]! * Math.cos((2 * Math.PI * (-dx * s + dy * c)) / period);
      });
      const base = (o * PERIOD_BINS + p) * taps.length;
      for (let i = 0; i < taps.length; i++) weights[base + i] = k[i]! / gain;
    }
  }
  const out = { scale, radius, offsets, weights, paddedWidth };
  banks.set(key, out);
  return out;
}

/** Per-sample offset into the kernel bank (orientation and frequency given at growth resolution, frequency in full-resolution cycles/px). */
function kernelIndex(orientation: Float32Array, frequency: Float32Array, tapCount: number): Int32Array {
  const idx = new Int32Array(orientation.length);
  for (let i = 0; i < orientation.length; i++) {
    let t = orientation[i]! % Math.PI;
    if (t < 0) t += Math.PI;
    const o = Math.round((t / Math.PI) * ORIENTATION_BINS) % ORIENTATION_BINS;
    const p = Math.min(PERIOD_BINS - 1, Math.max(0, Math.round((1 / frequency[i]! - PERIOD_MIN) / PERIOD_STEP)));
    idx[i] = (o * PERIOD_BINS + p) * tapCount;
  }
  return idx;
}

/** One pass of contextual filtering: src and dst are padded by the bank radius on every side (padding stays 0). */
function filterPass(src: Float32Array, dst: Float32Array, width: number, height: number, idx: Int32Array, bank: KernelBank, gain: number, clip: boolean): void {
  const { radius, offsets, weights, paddedWidth: pw } = bank;
  const n = offsets.length;
  for (let y = 0; y < height; y++) {
    let center = (y + radius) * pw + radius;
    for (let x = 0; x < width; x++, center++) {
      const ki = idx[y * width + x]!;
      let sum = 0;
      for (let j = 0; j < n; j++) sum += src[center + offsets[j]!]! * weights[ki + j]!;
      let v = sum * gain;
      if (clip) v = v > 1 ? 1 : v < -1 ? -1 : v;
      dst[center] = v;
    }
  }
}

export interface GrowthOptions {
  /** Number of seed patches per 10 000 px² (full resolution). */
  seedDensity: number;
  iterations: number;
  /** Growth runs at 1/scale resolution and the ridge profile is upsampled bilinearly (ridges stay ≥ 4 samples per period). */
  scale: number;
}

/**
 * Grows the ridge pattern. Orientation (radians) and frequency (full-resolution cycles/px) are sampled on the growth grid,
 * ceil(width/scale) × ceil(height/scale). Returns a smooth ridge profile (≈ cosine across ridges, > 0 on ridges) of
 * width×height, from one final unclipped filter pass.
 */
export function growRidges(orientation: Float32Array, frequency: Float32Array, width: number, height: number, rng: Rng, options: GrowthOptions): Float32Array {
  const scale = options.scale;
  const w = Math.ceil(width / scale);
  const h = Math.ceil(height / scale);
  const probe = kernelBank(scale, 0);
  const pw = w + 2 * probe.radius;
  const bank = kernelBank(scale, pw);
  const r = bank.radius;
  if (orientation.length !== w * h || frequency.length !== w * h) throw new RangeError('orientation/frequency must be sampled on the growth grid');
  const idx = kernelIndex(orientation, frequency, bank.offsets.length);
  let a = new Float32Array(pw * (h + 2 * r));
  let b = new Float32Array(a.length);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) a[(y + r) * pw + x + r] = rng.uniform(-NOISE_FLOOR, NOISE_FLOOR);
  const seeds = Math.max(1, Math.round((options.seedDensity * width * height) / 10_000));
  const seedRadius = 3 / scale + 0.5;
  for (let s = 0; s < seeds; s++) {
    const sx = rng.int(w);
    const sy = rng.int(h);
    const t = orientation[sy * w + sx]!;
    const f = frequency[sy * w + sx]! * scale;
    const phase = rng.uniform(0, 2 * Math.PI);
    for (let dy = -Math.ceil(seedRadius); dy <= Math.ceil(seedRadius); dy++) {
      for (let dx = -Math.ceil(seedRadius); dx <= Math.ceil(seedRadius); dx++) {
        const x = sx + dx;
        const y = sy + dy;
        if (x < 0 || y < 0 || x >= w || y >= h || dx * dx + dy * dy > seedRadius * seedRadius) continue;
        const v = -dx * Math.sin(t) + dy * Math.cos(t);
        a[(y + r) * pw + x + r] = Math.cos(2 * Math.PI * f * v + phase);
      }
    }
  }
  for (let it = 0; it < options.iterations; it++) {
    filterPass(a, b, w, h, idx, bank, 1.8, true);
    [a, b] = [b, a];
  }
  filterPass(a, b, w, h, idx, bank, 1.5, true);
  return upsample(b, pw, r, w, h, width, height, scale);
}

/** Bilinear upsampling of the padded low-resolution profile to width×height. */
function upsample(src: Float32Array, pw: number, r: number, w: number, h: number, width: number, height: number, scale: number): Float32Array {
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(h - 1, Math.max(0, (y + 0.5) / scale - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(h - 1, y0 + 1);
    const fy = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = Math.min(w - 1, Math.max(0, (x + 0.5) / scale - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(w - 1, x0 + 1);
      const fx = sx - x0;
      const r0 = (y0 + r) * pw + r;
      const r1 = (y1 + r) * pw + r;
      const top = src[r0 + x0]! * (1 - fx) + src[r0 + x1]! * fx;
      const bottom = src[r1 + x0]! * (1 - fx) + src[r1 + x1]! * fx;
      out[y * width + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}
