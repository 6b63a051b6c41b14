// A fixed-length, rotation- and translation-invariant global vector for 1:N prefiltering: a histogram of minutia
// pairs over (distance, direction of the connecting line relative to the first minutia, relative direction) —
// the pair features of Germain, Califano & Colville ("Fingerprint matching using transformation parameter
// clustering", 1997) and of SourceAFIS edge tables — Hellinger-normalised, centred on the population mean (which
// removes what all fingerprints share) and L2-normalised, so that a dot product compares two prints.
import { INDEX_MEAN } from './calibration/index-mean.js';
import { angleDiff } from './fields.js';

const D_BINS = 5;
const A_BINS = 6;
const B_BINS = 6;
const MAX_D = 150;
export const INDEX_DIMS = D_BINS * A_BINS * B_BINS;

/** `centred = false` gives the raw Hellinger vector (used to fit INDEX_MEAN). */
export function pairHistogram(x: Float32Array, y: Float32Array, theta: Float32Array, centred = true): Float32Array {
  const h = new Float32Array(INDEX_DIMS);
  const n = x.length;
  const twoPi = 2 * Math.PI;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const dx = x[j]! - x[i]!, dy = y[j]! - y[i]!;
      const d = Math.hypot(dx, dy);
      if (d > MAX_D || d < 4) continue;
      const a = (angleDiff(Math.atan2(dy, dx), theta[i]!) + twoPi) % twoPi;
      const b = (angleDiff(theta[j]!, theta[i]!) + twoPi) % twoPi;
      const ai = Math.min(A_BINS - 1, Math.floor((a / twoPi) * A_BINS));
      const bi = Math.min(B_BINS - 1, Math.floor((b / twoPi) * B_BINS));
      // Soft vote over the two nearest distance bins.
      const fd = (d / MAX_D) * D_BINS - 0.5;
      const d0 = Math.floor(fd), w1 = fd - d0;
      const base = (ai * B_BINS + bi) * D_BINS;
      if (d0 >= 0) h[base + d0]! += 1 - w1;
      if (d0 + 1 < D_BINS) h[base + d0 + 1]! += w1;
    }
  }
  let s = 0;
  for (let k = 0; k < INDEX_DIMS; k++) {
    h[k] = Math.sqrt(h[k]!);
    s += h[k]! * h[k]!;
  }
  let inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  for (let k = 0; k < INDEX_DIMS; k++) h[k]! *= inv;
  if (!centred || s === 0) return h;
  s = 0;
  for (let k = 0; k < INDEX_DIMS; k++) {
    h[k]! -= INDEX_MEAN[k] ?? 0;
    s += h[k]! * h[k]!;
  }
  inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  for (let k = 0; k < INDEX_DIMS; k++) h[k]! *= inv;
  return h;
}

export function indexSimilarity(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let k = 0; k < INDEX_DIMS; k++) s += a[k]! * b[k]!;
  return s;
}
