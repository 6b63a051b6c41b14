// Gradient-based block orientation field with coherence.
// Kass & Witkin, "Analyzing oriented patterns", CVGIP 1987; Bazen & Gerez, "Systematic methods for the computation of
// the directional fields and singular points of fingerprints", IEEE TPAMI 24(7), 2002 (squared-gradient averaging).
import { blockGrid, integralImage, windowSum, type BlockGrid } from './fields.js';
import type { GrayImage } from './image.js';

export interface OrientationField extends BlockGrid {
  /** Ridge direction per block in [0, π), image coordinates (x right, y down). */
  theta: Float32Array;
  /** Bazen–Gerez coherence (λ1 − λ2)/(λ1 + λ2) in [0, 1]. */
  coherence: Float32Array;
  /** Orientation certainty level 1 − λ2/λ1 (Lim, Yuen & Yan 2002, as used by NFIQ 2). */
  ocl: Float32Array;
  /** Mean squared gradient magnitude per block (contrast/energy). */
  energy: Float32Array;
}

/** Sobel gradients. */
export function sobelGradients(img: GrayImage): { gx: Float32Array; gy: Float32Array } {
  const { width: W, height: H, pixels: p } = img;
  const gx = new Float32Array(W * H);
  const gy = new Float32Array(W * H);
  for (let y = 1; y < H - 1; y++) {
    for (let x = 1; x < W - 1; x++) {
      const i = y * W + x;
      const a = p[i - W - 1]!, b = p[i - W]!, c = p[i - W + 1]!;
      const d = p[i - 1]!, f = p[i + 1]!;
      const g = p[i + W - 1]!, h = p[i + W]!, k = p[i + W + 1]!;
      gx[i] = c + 2 * f + k - a - 2 * d - g;
      gy[i] = g + 2 * h + k - a - 2 * b - c;
    }
  }
  return { gx, gy };
}

/**
 * Squared-gradient orientation per block of `blockSize` px, averaged over a window of `window` px centred on the block,
 * then smoothed as a doubled-angle vector field with a Gaussian of `smoothSigma` blocks.
 */
export function orientationField(img: GrayImage, blockSize = 8, window = 24, smoothSigma = 1): OrientationField {
  const { width: W, height: H } = img;
  const { gx, gy } = sobelGradients(img);
  const n = W * H;
  const xx = new Float32Array(n);
  const yy = new Float32Array(n);
  const xy = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = gx[i]!, b = gy[i]!;
    xx[i] = a * a;
    yy[i] = b * b;
    xy[i] = a * b;
  }
  const sxx = integralImage(xx, W, H);
  const syy = integralImage(yy, W, H);
  const sxy = integralImage(xy, W, H);
  const grid = blockGrid(W, H, blockSize);
  const nb = grid.bw * grid.bh;
  const vx = new Float32Array(nb);
  const vy = new Float32Array(nb);
  const coherence = new Float32Array(nb);
  const ocl = new Float32Array(nb);
  const energy = new Float32Array(nb);
  const half = window / 2;
  for (let by = 0; by < grid.bh; by++) {
    for (let bx = 0; bx < grid.bw; bx++) {
      const cx = bx * blockSize + blockSize / 2;
      const cy = by * blockSize + blockSize / 2;
      const x0 = Math.round(cx - half), y0 = Math.round(cy - half);
      const [a, cnt] = windowSum(sxx, W, H, x0, y0, x0 + window, y0 + window);
      const [b] = windowSum(syy, W, H, x0, y0, x0 + window, y0 + window);
      const [c] = windowSum(sxy, W, H, x0, y0, x0 + window, y0 + window);
      const i = by * grid.bw + bx;
      // Doubled-angle gradient vector: (Gxx − Gyy, 2Gxy).
      vx[i] = a - b;
      vy[i] = 2 * c;
      const root = Math.sqrt((a - b) * (a - b) + 4 * c * c);
      const l1 = (a + b + root) / 2;
      const l2 = (a + b - root) / 2;
      coherence[i] = a + b > 1e-9 ? root / (a + b) : 0;
      ocl[i] = l1 > 1e-9 ? 1 - l2 / l1 : 0;
      energy[i] = cnt > 0 ? (a + b) / cnt : 0;
    }
  }
  const theta = new Float32Array(nb);
  const r = Math.max(1, Math.ceil(2 * smoothSigma));
  const weights: number[] = [];
  for (let d = -r; d <= r; d++) weights.push(Math.exp((-d * d) / (2 * smoothSigma * smoothSigma)));
  for (let by = 0; by < grid.bh; by++) {
    for (let bx = 0; bx < grid.bw; bx++) {
      let sx = 0, sy = 0;
      for (let dy = -r; dy <= r; dy++) {
        const yy2 = by + dy;
        if (yy2 < 0 || yy2 >= grid.bh) continue;
        for (let dx = -r; dx <= r; dx++) {
          const xx2 = bx + dx;
          if (xx2 < 0 || xx2 >= grid.bw) continue;
          const w = weights[dy + r]! * weights[dx + r]!;
          const j = yy2 * grid.bw + xx2;
          sx += w * vx[j]!;
          sy += w * vy[j]!;
        }
      }
      // Gradient direction is atan2(sy, sx)/2; ridges run perpendicular to it.
      let t = 0.5 * Math.atan2(sy, sx) + Math.PI / 2;
      if (t >= Math.PI) t -= Math.PI;
      if (t < 0) t += Math.PI;
      theta[by * grid.bw + bx] = t;
    }
  }
  return { ...grid, theta, coherence, ocl, energy };
}
