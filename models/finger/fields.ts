// Block-grid containers shared by the pipeline stages, and summed-area tables for fast window sums.

export interface BlockGrid {
  /** Block side in pixels. */
  blockSize: number;
  /** Blocks across and down (last row/column may be partial). */
  bw: number;
  bh: number;
}

export function blockGrid(width: number, height: number, blockSize: number): BlockGrid {
  return { blockSize, bw: Math.ceil(width / blockSize), bh: Math.ceil(height / blockSize) };
}

/** Summed-area table with one extra leading row and column (Crow 1984). */
export function integralImage(values: ArrayLike<number>, width: number, height: number): Float64Array {
  const W = width + 1;
  const s = new Float64Array(W * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += values[y * width + x]!;
      s[(y + 1) * W + x + 1] = s[y * W + x + 1]! + row;
    }
  }
  return s;
}

/** Sum over the clamped window [x0, x1) × [y0, y1); returns [sum, pixelCount]. */
export function windowSum(s: Float64Array, width: number, height: number, x0: number, y0: number, x1: number, y1: number): [number, number] {
  const a = Math.max(0, x0);
  const b = Math.max(0, y0);
  const c = Math.min(width, x1);
  const d = Math.min(height, y1);
  if (c <= a || d <= b) return [0, 0];
  const W = width + 1;
  return [s[d * W + c]! - s[b * W + c]! - s[d * W + a]! + s[b * W + a]!, (c - a) * (d - b)];
}

/** Smallest signed difference of two angles with period `period` (π for orientations, 2π for directions). */
export function angleDiff(a: number, b: number, period = 2 * Math.PI): number {
  let d = (a - b) % period;
  if (d > period / 2) d -= period;
  else if (d < -period / 2) d += period;
  return d;
}
