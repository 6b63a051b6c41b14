// Per-minutia reliability from the local ridge contrast of the enhanced image: the mean |Gabor response| in a window
// of ± one ridge period around the minutia, relative to the median block mean over the foreground (50 = as clear as
// the print's median block). Minutiae detected in smudged, dotted or low-contrast ridges, where the skeleton breaks
// into false endings, get low values. After the local-quality weighting of minutiae in Chen, Tian & Yang
// ("Fingerprint quality indices for predicting authentication performance", AVBPA 2005) and Maltoni et al.,
// "Handbook of Fingerprint Recognition", §3.8 (minutiae reliability).
import type { EnhancedImage } from './enhancement.js';
import type { Minutia } from './minutiae.js';
import type { ForegroundMask } from './segmentation.js';

/** Reliability 1–100 of each minutia (same order). */
export function ridgeContrastReliability(enh: EnhancedImage, fg: ForegroundMask, minutiae: readonly Minutia[], period: number): Uint8Array {
  const { width: W, height: H, response } = enh;
  const B = fg.blockSize, bw = fg.bw;
  const means: number[] = [];
  for (let by = 0; by < fg.bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      if (!fg.mask[by * bw + bx]) continue;
      let s = 0, n = 0;
      const y1 = Math.min(H, (by + 1) * B), x1 = Math.min(W, (bx + 1) * B);
      for (let y = by * B; y < y1; y++) for (let x = bx * B; x < x1; x++) { s += Math.abs(response[y * W + x]!); n++; }
      if (n) means.push(s / n);
    }
  }
  means.sort((p, q) => p - q);
  const median = means.length ? means[means.length >> 1]! : 0;
  const r = Math.max(3, Math.round(period));
  const out = new Uint8Array(minutiae.length);
  minutiae.forEach((m, k) => {
    const cx = Math.round(m.x), cy = Math.round(m.y);
    let s = 0, n = 0;
    for (let y = Math.max(0, cy - r); y <= Math.min(H - 1, cy + r); y++) {
      for (let x = Math.max(0, cx - r); x <= Math.min(W - 1, cx + r); x++) { s += Math.abs(response[y * W + x]!); n++; }
    }
    out[k] = median > 0 && n ? Math.max(1, Math.min(100, Math.round((50 * (s / n)) / median))) : 1;
  });
  return out;
}
