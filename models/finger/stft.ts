// STFT-domain contextual enhancement (Chikkerur, Cartwright & Govindaraju, "Fingerprint enhancement using STFT
// analysis", Pattern Recognition 40(1), 2007): the image is cut into overlapping raised-cosine windows, each window's
// spectrum is multiplied by a radial band-pass at the local ridge frequency and an angular raised-cosine filter around
// the local ridge normal, and the inverse transforms are overlap-added. Unlike a spatial Gabor of fixed length, the
// angular filter keeps every spectral component within its bandwidth, so dotted or broken ridges are rebuilt from the
// periodic structure of the whole window. Used here only in the selected (incoherent) blocks, blended with the Gabor
// response (extract.ts); orientation and frequency come from the existing fields, not from the spectrum.
import type { FrequencyField } from './frequency.js';
import type { OrientationField } from './orientation.js';
import type { ForegroundMask } from './segmentation.js';

/** Window side (px, a power of two) and hop (half the window: sin² windows then sum to one). */
const N = 32;
const HOP = N / 2;
const LOG2N = 5;

export interface StftParams {
  /** Blocks whose orientation coherence is below this are enhanced in the STFT domain. */
  below: number;
  /** Half-width of the angular raised-cosine filter, radians (Chikkerur et al.'s φ_BW). */
  angularBandwidth: number;
  /** Radial Butterworth band-pass: bandwidth as a share of the centre frequency, and order. */
  radialBandwidth: number;
  radialOrder: number;
  /** Share of the STFT response in the blend with the Gabor response (1 = replace). */
  blend: number;
}

const BITREV = (() => {
  const r = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    let v = 0;
    for (let b = 0; b < LOG2N; b++) if (i & (1 << b)) v |= 1 << (LOG2N - 1 - b);
    r[i] = v;
  }
  return r;
})();
const COS = Float64Array.from({ length: N / 2 }, (_, k) => Math.cos((2 * Math.PI * k) / N));
const SIN = Float64Array.from({ length: N / 2 }, (_, k) => Math.sin((2 * Math.PI * k) / N));
/**
 * Analysis and synthesis window sin(πt/N) (weighted overlap-add): their product sin² sums to one at hop N/2, and the
 * synthesis taper hides the wrap-around of the circular convolution at the window's edges.
 */
const WIN = Float64Array.from({ length: N }, (_, t) => Math.sin((Math.PI * t) / N));

/** In-place radix-2 FFT of one row/column (stride `step` from `base`); `inverse` without the 1/N scaling. */
function fft1(re: Float64Array, im: Float64Array, base: number, step: number, inverse: boolean): void {
  for (let i = 0; i < N; i++) {
    const j = BITREV[i]!;
    if (j > i) {
      const a = base + i * step, b = base + j * step;
      let t = re[a]!; re[a] = re[b]!; re[b] = t;
      t = im[a]!; im[a] = im[b]!; im[b] = t;
    }
  }
  const sgn = inverse ? 1 : -1;
  for (let size = 2; size <= N; size <<= 1) {
    const half = size >> 1, tw = N / size;
    for (let s = 0; s < N; s += size) {
      for (let k = 0; k < half; k++) {
        const wr = COS[k * tw]!, wi = sgn * SIN[k * tw]!;
        const a = base + (s + k) * step, b = base + (s + k + half) * step;
        const xr = re[b]! * wr - im[b]! * wi, xi = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - xr; im[b] = im[a]! - xi;
        re[a] = re[a]! + xr; im[a] = im[a]! + xi;
      }
    }
  }
}

function fft2(re: Float64Array, im: Float64Array, inverse: boolean): void {
  for (let r = 0; r < N; r++) fft1(re, im, r * N, 1, inverse);
  for (let c = 0; c < N; c++) fft1(re, im, c, N, inverse);
}

/**
 * The product of the radial and angular filters on the N × N frequency grid for a ridge normal at `normal` radians
 * and a ridge period of `period` px (real and even: H(−k) = H(k), so two real windows can share one transform).
 */
export function stftFilter(normal: number, period: number, p: StftParams): Float32Array {
  const h = new Float32Array(N * N);
  const rho0 = N / period;
  const bw = p.radialBandwidth * rho0, n2 = 2 * p.radialOrder;
  for (let v = 0; v < N; v++) {
    const fy = v < N / 2 ? v : v - N;
    for (let u = 0; u < N; u++) {
      const fx = u < N / 2 ? u : u - N;
      const rho = Math.hypot(fx, fy);
      if (rho === 0) continue;
      const a = (rho * bw) ** n2, b = (rho * rho - rho0 * rho0) ** n2;
      const radial = Math.sqrt(a / (a + b));
      // Angle of the frequency vector against the ridge normal, modulo π (the spectrum of a real image is symmetric).
      let d = (Math.atan2(fy, fx) - normal) % Math.PI;
      if (d > Math.PI / 2) d -= Math.PI;
      else if (d < -Math.PI / 2) d += Math.PI;
      const angular = Math.abs(d) < p.angularBandwidth ? Math.cos((Math.PI * d) / (2 * p.angularBandwidth)) ** 2 : 0;
      h[v * N + u] = radial * angular;
    }
  }
  return h;
}

/** Filters per parameter set, then per (orientation, period) key: a pure function of both, built once per process. */
const FILTER_CACHE = new Map<string, Map<number, Float32Array>>();

/**
 * STFT enhancement of the locally normalised image `norm` (normalizeLocal) over the foreground blocks with `select`
 * set; 0 elsewhere. Orientation and period per window: coherence-weighted doubled-angle mean and mean period of the
 * window's foreground blocks.
 */
export function stftEnhance(norm: Float32Array, W: number, H: number, field: OrientationField, freq: FrequencyField, fg: ForegroundMask, select: Uint8Array, p: StftParams): Float32Array {
  const out = new Float32Array(W * H);
  const B = field.blockSize, { bw, bh } = field;
  const nx = Math.ceil(W / HOP) + 1, ny = Math.ceil(H / HOP) + 1;
  // Windows with origin (i·HOP − HOP, j·HOP − HOP) cover every pixel twice per axis; compute those touching a selected block.
  const need = new Uint8Array(nx * ny);
  let any = false;
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      if (!select[by * bw + bx] || !fg.mask[by * bw + bx]) continue;
      any = true;
      const x0 = bx * B, y0 = by * B, x1 = Math.min(W, x0 + B) - 1, y1 = Math.min(H, y0 + B) - 1;
      for (let j = Math.max(0, Math.floor(y0 / HOP) - 0); j <= Math.min(ny - 1, Math.floor(y1 / HOP) + 1); j++) {
        for (let i = Math.max(0, Math.floor(x0 / HOP)); i <= Math.min(nx - 1, Math.floor(x1 / HOP) + 1); i++) need[j * nx + i] = 1;
      }
    }
  }
  if (!any) return out;
  const pkey = `${p.angularBandwidth}:${p.radialBandwidth}:${p.radialOrder}`;
  let filters = FILTER_CACHE.get(pkey);
  if (!filters) FILTER_CACHE.set(pkey, (filters = new Map()));
  const re = new Float64Array(N * N), im = new Float64Array(N * N);
  const pending: { ox: number; oy: number; h: Float32Array }[] = [];
  const flush = () => {
    if (!pending.length) return;
    const A = pending[0]!, Bw = pending[1];
    re.fill(0); im.fill(0);
    for (let t = 0; t < N; t++) {
      for (let s = 0; s < N; s++) {
        const w = WIN[t]! * WIN[s]!;
        let y = A.oy + t, x = A.ox + s;
        if (x >= 0 && y >= 0 && x < W && y < H) re[t * N + s] = w * norm[y * W + x]!;
        if (Bw) {
          y = Bw.oy + t; x = Bw.ox + s;
          if (x >= 0 && y >= 0 && x < W && y < H) im[t * N + s] = w * norm[y * W + x]!;
        }
      }
    }
    fft2(re, im, false);
    if (Bw && Bw.h !== A.h) {
      // Different filters: split the packed spectra (X_A = (Z(k) + Z*(−k)) / 2, X_B = (Z(k) − Z*(−k)) / 2i), filter, repack.
      const r2 = re.slice(), i2 = im.slice();
      for (let v = 0; v < N; v++) {
        for (let u = 0; u < N; u++) {
          const k = v * N + u, m = ((N - v) % N) * N + ((N - u) % N);
          const ar = (r2[k]! + r2[m]!) / 2, ai = (i2[k]! - i2[m]!) / 2;
          const br = (i2[k]! + i2[m]!) / 2, bi = (r2[m]! - r2[k]!) / 2;
          const ha = A.h[k]!, hb = Bw.h[k]!;
          re[k] = ha * ar - hb * bi;
          im[k] = ha * ai + hb * br;
        }
      }
    } else {
      for (let k = 0; k < N * N; k++) { re[k] = re[k]! * A.h[k]!; im[k] = im[k]! * A.h[k]!; }
    }
    fft2(re, im, true);
    const scale = 1 / (N * N);
    for (const [win, part] of [[A, re], [Bw, im]] as const) {
      if (!win) continue;
      for (let t = 0; t < N; t++) {
        const y = win.oy + t;
        if (y < 0 || y >= H) continue;
        for (let s = 0; s < N; s++) {
          const x = win.ox + s;
          if (x >= 0 && x < W) out[y * W + x] = out[y * W + x]! + scale * WIN[t]! * WIN[s]! * part[t * N + s]!;
        }
      }
    }
    pending.length = 0;
  };
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      if (!need[j * nx + i]) continue;
      const ox = i * HOP - HOP, oy = j * HOP - HOP;
      let c2 = 0, s2 = 0, per = 0, n = 0;
      for (let by = Math.max(0, Math.floor(oy / B)); by < Math.min(bh, Math.ceil((oy + N) / B)); by++) {
        for (let bx = Math.max(0, Math.floor(ox / B)); bx < Math.min(bw, Math.ceil((ox + N) / B)); bx++) {
          const bi = by * bw + bx;
          if (!fg.mask[bi]) continue;
          const w = field.coherence[bi]! + 0.05;
          c2 += w * Math.cos(2 * field.theta[bi]!);
          s2 += w * Math.sin(2 * field.theta[bi]!);
          per += freq.period[bi]!;
          n++;
        }
      }
      if (!n) continue;
      const theta = Math.atan2(s2, c2) / 2;
      const oq = Math.round(((theta + Math.PI) / Math.PI) * 32) % 32;
      const pq = Math.round(Math.min(18, Math.max(4, per / n)) * 2);
      const key = oq * 64 + pq;
      let h = filters.get(key);
      if (!h) {
        h = stftFilter((oq * Math.PI) / 32 + Math.PI / 2, pq / 2, p);
        filters.set(key, h);
      }
      pending.push({ ox, oy, h });
      if (pending.length === 2) flush();
    }
  }
  flush();
  return out;
}

/**
 * Gabor response with the STFT response blended in where `select` is set: per pixel weight `blend` × the bilinearly
 * interpolated block selection (no seams at the region's border), the STFT response scaled to the Gabor response's
 * mean magnitude over the selected pixels. Returns a new array; `stft` must cover the selection dilated by one block.
 */
export function blendResponses(gabor: Float32Array, stft: Float32Array, W: number, H: number, grid: { blockSize: number; bw: number; bh: number }, select: Uint8Array, blend: number): Float32Array {
  const { blockSize: B, bw, bh } = grid;
  const weight = new Float32Array(W * H);
  let sg = 0, ss = 0;
  for (let y = 0; y < H; y++) {
    const fy = Math.min(bh - 1, Math.max(0, (y + 0.5) / B - 0.5));
    const y0 = Math.floor(fy), y1 = Math.min(bh - 1, y0 + 1), ay = fy - y0;
    for (let x = 0; x < W; x++) {
      const fx = Math.min(bw - 1, Math.max(0, (x + 0.5) / B - 0.5));
      const x0 = Math.floor(fx), x1 = Math.min(bw - 1, x0 + 1), ax = fx - x0;
      const w = (1 - ay) * ((1 - ax) * select[y0 * bw + x0]! + ax * select[y0 * bw + x1]!) + ay * ((1 - ax) * select[y1 * bw + x0]! + ax * select[y1 * bw + x1]!);
      if (w <= 0) continue;
      const i = y * W + x;
      weight[i] = w;
      sg += w * Math.abs(gabor[i]!);
      ss += w * Math.abs(stft[i]!);
    }
  }
  const k = ss > 0 ? sg / ss : 0;
  const out = gabor.slice();
  for (let i = 0; i < out.length; i++) {
    const w = weight[i]! * blend;
    if (w > 0 && gabor[i] !== 0) out[i] = (1 - w) * gabor[i]! + w * k * stft[i]!;
  }
  return out;
}
