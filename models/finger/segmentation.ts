// Foreground segmentation on a block grid from local grey-level variance and orientation coherence
// (Bazen & Gerez, "Segmentation of fingerprint images", ProRISC 2001: mean, variance and coherence per block),
// followed by morphological clean-up: the largest connected region with holes filled.
import { blockGrid, integralImage, windowSum, type BlockGrid } from './fields.js';
import type { GrayImage } from './image.js';
import type { OrientationField } from './orientation.js';

export interface ForegroundMask extends BlockGrid {
  /** 1 = fingerprint foreground. */
  mask: Uint8Array;
  /** Grey mean and standard deviation per block (window of 2 blocks). */
  mean: Float32Array;
  std: Float32Array;
}

export function blockStatistics(img: GrayImage, blockSize: number): { grid: BlockGrid; mean: Float32Array; std: Float32Array } {
  const { width: W, height: H, pixels } = img;
  const sq = new Float32Array(W * H);
  for (let i = 0; i < W * H; i++) sq[i] = pixels[i]! * pixels[i]!;
  const s1 = integralImage(pixels, W, H);
  const s2 = integralImage(sq, W, H);
  const grid = blockGrid(W, H, blockSize);
  const nb = grid.bw * grid.bh;
  const mean = new Float32Array(nb);
  const std = new Float32Array(nb);
  for (let by = 0; by < grid.bh; by++) {
    for (let bx = 0; bx < grid.bw; bx++) {
      const x0 = bx * blockSize - blockSize / 2, y0 = by * blockSize - blockSize / 2;
      const [a, n] = windowSum(s1, W, H, x0, y0, x0 + 2 * blockSize, y0 + 2 * blockSize);
      const [b] = windowSum(s2, W, H, x0, y0, x0 + 2 * blockSize, y0 + 2 * blockSize);
      const m = n > 0 ? a / n : 0;
      mean[by * grid.bw + bx] = m;
      std[by * grid.bw + bx] = n > 0 ? Math.sqrt(Math.max(0, b / n - m * m)) : 0;
    }
  }
  return { grid, mean, std };
}

/** Keeps the largest 4-connected component of `mask` and fills its holes; in place. */
export function largestComponentFilled(mask: Uint8Array, bw: number, bh: number): void {
  const label = new Int32Array(bw * bh).fill(-1);
  const stack: number[] = [];
  let best = -1, bestSize = 0, next = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i] || label[i]! >= 0) continue;
    let size = 0;
    label[i] = next;
    stack.push(i);
    while (stack.length) {
      const j = stack.pop()!;
      size++;
      const x = j % bw, y = (j - x) / bw;
      const nbs = [x > 0 ? j - 1 : -1, x < bw - 1 ? j + 1 : -1, y > 0 ? j - bw : -1, y < bh - 1 ? j + bw : -1];
      for (const k of nbs) if (k >= 0 && mask[k] && label[k]! < 0) { label[k] = next; stack.push(k); }
    }
    if (size > bestSize) { bestSize = size; best = next; }
    next++;
  }
  if (best < 0) {
    // No foreground block at all (unlabelled cells are −1 too: without this they would all become foreground).
    mask.fill(0);
    return;
  }
  // Background reachable from the border stays background; everything else inside becomes foreground.
  const outside = new Uint8Array(bw * bh);
  for (let i = 0; i < mask.length; i++) mask[i] = label[i] === best ? 1 : 0;
  for (let i = 0; i < mask.length; i++) {
    const x = i % bw, y = (i - x) / bw;
    if ((x === 0 || y === 0 || x === bw - 1 || y === bh - 1) && !mask[i] && !outside[i]) {
      outside[i] = 1;
      stack.push(i);
      while (stack.length) {
        const j = stack.pop()!;
        const jx = j % bw, jy = (j - jx) / bw;
        const nbs = [jx > 0 ? j - 1 : -1, jx < bw - 1 ? j + 1 : -1, jy > 0 ? j - bw : -1, jy < bh - 1 ? j + bw : -1];
        for (const k of nbs) if (k >= 0 && !mask[k] && !outside[k]) { outside[k] = 1; stack.push(k); }
      }
    }
  }
  for (let i = 0; i < mask.length; i++) if (!outside[i]) mask[i] = 1;
}

/** Morphological erosion or dilation of a block mask with a 3×3 square, `times` times. */
export function morph(mask: Uint8Array, bw: number, bh: number, op: 'erode' | 'dilate', times = 1): Uint8Array {
  let cur: Uint8Array = mask;
  for (let t = 0; t < times; t++) {
    const out = new Uint8Array(cur.length);
    for (let y = 0; y < bh; y++) {
      for (let x = 0; x < bw; x++) {
        let v = op === 'erode' ? 1 : 0;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx, yy = y + dy;
            const m = xx < 0 || yy < 0 || xx >= bw || yy >= bh ? 0 : cur[yy * bw + xx]!;
            if (op === 'erode' && !m) v = 0;
            if (op === 'dilate' && m) v = 1;
          }
        }
        out[y * bw + x] = v;
      }
    }
    cur = out;
  }
  return cur;
}

/**
 * Foreground blocks: enough grey-level variation, not saturated, and coherent or energetic orientation.
 * Thresholds are in absolute grey levels so that an empty or flat image yields an empty mask.
 */
export function segmentForeground(img: GrayImage, field: OrientationField, stdShare = 0.2, stdFloor = 4, minCoherence = 0.15, maxMean = 252, minMean = 3): ForegroundMask {
  const { grid, mean, std } = blockStatistics(img, field.blockSize);
  const nb = grid.bw * grid.bh;
  const sorted = Array.from(std).sort((a, b) => a - b);
  const p90 = sorted[Math.floor(0.9 * (sorted.length - 1))] ?? 0;
  // A block is foreground when its grey deviation reaches stdShare of the 90th percentile block (0.3 before issue 15:
  // too strict for faint and dry prints, whose ridges fade towards the edge of the contact area).
  const stdThreshold = Math.max(stdFloor, stdShare * p90);
  let mask: Uint8Array = new Uint8Array(nb);
  for (let i = 0; i < nb; i++) {
    const ok = std[i]! >= stdThreshold && mean[i]! < maxMean && mean[i]! > minMean && field.coherence[i]! > minCoherence;
    mask[i] = ok ? 1 : 0;
  }
  // Closing then opening removes speckle and bridges gaps between ridge blocks.
  mask = morph(morph(mask, grid.bw, grid.bh, 'dilate', 1), grid.bw, grid.bh, 'erode', 1);
  mask = morph(morph(mask, grid.bw, grid.bh, 'erode', 1), grid.bw, grid.bh, 'dilate', 1);
  largestComponentFilled(mask, grid.bw, grid.bh);
  return { ...grid, mask, mean, std };
}
