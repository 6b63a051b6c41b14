// Test-only tools for checking synthetic fingerprints: an alignment-free minutiae pairing score (Hough-style rigid alignment,
// after Ratha et al., "A real-time matching system for large fingerprint databases", IEEE TPAMI 18(8), 1996), a radix-2 FFT
// for the ridge period, and a binariser for re-extracting minutiae from rendered pixels.
import type { GroundTruthMinutia } from '../../../drivers/synth/index.js';

export function angleDiff(a: number, b: number): number {
  let d = Math.abs(a - b) % (2 * Math.PI);
  if (d > Math.PI) d = 2 * Math.PI - d;
  return d;
}

/**
 * Best fraction of minutiae paired one-to-one under a single rigid transform (rotation from a candidate pair's direction
 * difference, translation from its positions): matched / min(|a|, |b|).
 */
export function pairingScore(a: GroundTruthMinutia[], b: GroundTruthMinutia[], distTol = 12, angleTol = (20 * Math.PI) / 180): number {
  if (a.length === 0 || b.length === 0) return 0;
  let best = 0;
  for (const p of a) {
    for (const q of b) {
      if (p.type !== q.type) continue;
      const rot = q.direction - p.direction;
      if (angleDiff(rot, 0) > (25 * Math.PI) / 180) continue; // impressions differ by at most ~±15° (+ distortion)
      const c = Math.cos(rot);
      const s = Math.sin(rot);
      // Directions are counter-clockwise on screen (y down), so a screen rotation by `rot` is (x, y) ↦ (c·x + s·y, −s·x + c·y).
      const tx = q.x - (c * p.x + s * p.y);
      const ty = q.y - (-s * p.x + c * p.y);
      const used = new Uint8Array(b.length);
      let matched = 0;
      for (const m of a) {
        const x = c * m.x + s * m.y + tx;
        const y = -s * m.x + c * m.y + ty;
        let hit = -1;
        let hitD = distTol * distTol;
        for (let j = 0; j < b.length; j++) {
          if (used[j]) continue;
          const n = b[j]!;
          const d = (n.x - x) ** 2 + (n.y - y) ** 2;
          if (d <= hitD && angleDiff(n.direction, m.direction + rot) < angleTol) {
            hit = j;
            hitD = d;
          }
        }
        if (hit >= 0) {
          used[hit] = 1;
          matched++;
        }
      }
      if (matched > best) best = matched;
    }
  }
  return best / Math.min(a.length, b.length);
}

/** In-place radix-2 complex FFT. */
function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < len / 2; k++) {
        const wr = Math.cos(ang * k);
        const wi = Math.sin(ang * k);
        const a = i + k;
        const b = a + len / 2;
        const xr = re[b]! * wr - im[b]! * wi;
        const xi = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a] = re[a]! + xr;
        im[a] = im[a]! + xi;
      }
    }
  }
}

/** Dominant spatial period (px) of an n×n patch (n a power of two) centred at (cx, cy): peak of the radially binned power spectrum. */
export function dominantPeriod(pixels: Uint8Array, width: number, cx: number, cy: number, n = 64): number {
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  let mean = 0;
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) mean += pixels[(cy - n / 2 + y) * width + cx - n / 2 + x]!;
  mean /= n * n;
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const hann = (0.5 - 0.5 * Math.cos((2 * Math.PI * x) / n)) * (0.5 - 0.5 * Math.cos((2 * Math.PI * y) / n));
      re[y * n + x] = (pixels[(cy - n / 2 + y) * width + cx - n / 2 + x]! - mean) * hann;
    }
  }
  const row = { re: new Float64Array(n), im: new Float64Array(n) };
  for (let y = 0; y < n; y++) {
    row.re.set(re.subarray(y * n, y * n + n));
    row.im.set(im.subarray(y * n, y * n + n));
    fft(row.re, row.im);
    re.set(row.re, y * n);
    im.set(row.im, y * n);
  }
  for (let x = 0; x < n; x++) {
    for (let y = 0; y < n; y++) {
      row.re[y] = re[y * n + x]!;
      row.im[y] = im[y * n + x]!;
    }
    fft(row.re, row.im);
    for (let y = 0; y < n; y++) {
      re[y * n + x] = row.re[y]!;
      im[y * n + x] = row.im[y]!;
    }
  }
  const bins = new Float64Array(n / 2);
  for (let v = 0; v < n; v++) {
    for (let u = 0; u < n; u++) {
      const fu = u < n / 2 ? u : u - n;
      const fv = v < n / 2 ? v : v - n;
      const r = Math.round(Math.hypot(fu, fv));
      if (r >= 2 && r < n / 2) bins[r] = bins[r]! + re[v * n + u]! ** 2 + im[v * n + u]! ** 2;
    }
  }
  let peak = 2;
  for (let r = 2; r < n / 2; r++) if (bins[r]! > bins[peak]!) peak = r;
  // Parabolic refinement around the peak bin.
  const l = bins[peak - 1] ?? 0;
  const c = bins[peak]!;
  const rr = bins[peak + 1] ?? 0;
  const denom = l - 2 * c + rr;
  const offset = peak > 2 && peak < n / 2 - 1 && denom !== 0 ? (0.5 * (l - rr)) / denom : 0;
  return n / (peak + offset);
}

/** Binarises a grey image (1 = dark ridge) against its local mean over a (2r+1)² window. */
export function binarise(pixels: Uint8Array, width: number, height: number, r = 7): Uint8Array {
  const integral = new Float64Array((width + 1) * (height + 1));
  for (let y = 0; y < height; y++) {
    let rowSum = 0;
    for (let x = 0; x < width; x++) {
      rowSum += pixels[y * width + x]!;
      integral[(y + 1) * (width + 1) + x + 1] = integral[y * (width + 1) + x + 1]! + rowSum;
    }
  }
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - r);
    const y1 = Math.min(height, y + r + 1);
    for (let x = 0; x < width; x++) {
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(width, x + r + 1);
      const sum = integral[y1 * (width + 1) + x1]! - integral[y0 * (width + 1) + x1]! - integral[y1 * (width + 1) + x0]! + integral[y0 * (width + 1) + x0]!;
      out[y * width + x] = pixels[y * width + x]! < sum / ((x1 - x0) * (y1 - y0)) ? 1 : 0;
    }
  }
  return out;
}
