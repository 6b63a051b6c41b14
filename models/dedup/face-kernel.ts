// Face 1:N: exhaustive cosine similarity against an int8-quantised embedding matrix (symmetric per-row scale,
// as in Jacob et al., "Quantization and Training of Neural Networks for Efficient Integer-Arithmetic-Only
// Inference", CVPR 2018), four rows per pass with the inner loop unrolled by eight.
import type { FaceArena } from './simd-kernel.js';
import { FACE_DIMS } from './types.js';

/** Quantises an L2-normalised embedding into `out` (int8, per-row scale) and returns the scale. */
export function quantizeFace(v: ArrayLike<number>, out: Int8Array): number {
  let max = 0;
  for (let i = 0; i < FACE_DIMS; i++) max = Math.max(max, Math.abs(v[i]!));
  const scale = max > 0 ? max / 127 : 1;
  const inv = 1 / scale;
  for (let i = 0; i < FACE_DIMS; i++) out[i] = Math.round(v[i]! * inv);
  return scale;
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < FACE_DIMS; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * Cosine of `probe` (float) against rows [from, to) of `matrix` (int8, row-major, FACE_DIMS per row) into `out`
 * (indexed by row). Rows with scale 0 (no face) score −2.
 */
export function faceScores(matrix: Int8Array, scales: Float32Array, from: number, to: number, probe: Float32Array, out: Float32Array): void {
  const D = FACE_DIMS;
  let r = from;
  for (; r + 4 <= to; r += 4) {
    const o0 = r * D, o1 = o0 + D, o2 = o1 + D, o3 = o2 + D;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let d = 0; d < D; d += 8) {
      const p0 = probe[d]!, p1 = probe[d + 1]!, p2 = probe[d + 2]!, p3 = probe[d + 3]!;
      const p4 = probe[d + 4]!, p5 = probe[d + 5]!, p6 = probe[d + 6]!, p7 = probe[d + 7]!;
      s0 += p0 * matrix[o0 + d]! + p1 * matrix[o0 + d + 1]! + p2 * matrix[o0 + d + 2]! + p3 * matrix[o0 + d + 3]! + p4 * matrix[o0 + d + 4]! + p5 * matrix[o0 + d + 5]! + p6 * matrix[o0 + d + 6]! + p7 * matrix[o0 + d + 7]!;
      s1 += p0 * matrix[o1 + d]! + p1 * matrix[o1 + d + 1]! + p2 * matrix[o1 + d + 2]! + p3 * matrix[o1 + d + 3]! + p4 * matrix[o1 + d + 4]! + p5 * matrix[o1 + d + 5]! + p6 * matrix[o1 + d + 6]! + p7 * matrix[o1 + d + 7]!;
      s2 += p0 * matrix[o2 + d]! + p1 * matrix[o2 + d + 1]! + p2 * matrix[o2 + d + 2]! + p3 * matrix[o2 + d + 3]! + p4 * matrix[o2 + d + 4]! + p5 * matrix[o2 + d + 5]! + p6 * matrix[o2 + d + 6]! + p7 * matrix[o2 + d + 7]!;
      s3 += p0 * matrix[o3 + d]! + p1 * matrix[o3 + d + 1]! + p2 * matrix[o3 + d + 2]! + p3 * matrix[o3 + d + 3]! + p4 * matrix[o3 + d + 4]! + p5 * matrix[o3 + d + 5]! + p6 * matrix[o3 + d + 6]! + p7 * matrix[o3 + d + 7]!;
    }
    out[r] = scales[r] ? s0 * scales[r]! : -2;
    out[r + 1] = scales[r + 1] ? s1 * scales[r + 1]! : -2;
    out[r + 2] = scales[r + 2] ? s2 * scales[r + 2]! : -2;
    out[r + 3] = scales[r + 3] ? s3 * scales[r + 3]! : -2;
  }
  for (; r < to; r++) {
    const o = r * D;
    let s = 0;
    for (let d = 0; d < D; d++) s += probe[d]! * matrix[o + d]!;
    out[r] = scales[r] ? s * scales[r]! : -2;
  }
}

/** Indices of the k largest values of scores[0, n), best first (partial selection with a min-heap). */
export function topK(scores: Float32Array, n: number, k: number, min = -Infinity): number[] {
  const heapI: number[] = [];
  const heapS: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = scores[i]!;
    if (s < min) continue;
    if (heapI.length < k) {
      heapI.push(i);
      heapS.push(s);
      let c = heapI.length - 1;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (heapS[p]! <= heapS[c]!) break;
        swap(heapI, heapS, p, c);
        c = p;
      }
    } else if (k > 0 && s > heapS[0]!) {
      heapI[0] = i;
      heapS[0] = s;
      let c = 0;
      for (;;) {
        const l = 2 * c + 1, r = l + 1;
        let m = c;
        if (l < k && heapS[l]! < heapS[m]!) m = l;
        if (r < k && heapS[r]! < heapS[m]!) m = r;
        if (m === c) break;
        swap(heapI, heapS, m, c);
        c = m;
      }
    }
  }
  return heapI.map((i, j) => [i, heapS[j]!] as const).sort((a, b) => b[1] - a[1]).map((x) => x[0]);
}

function swap(a: number[], b: number[], i: number, j: number): void {
  const ta = a[i]!, tb = b[i]!;
  a[i] = a[j]!;
  b[i] = b[j]!;
  a[j] = ta;
  b[j] = tb;
}

/**
 * Cosine of `probe` (float, L2-normalised) against rows [0, n) of a FaceArena into `out`: the probe is quantised to
 * int8 too, the integer dot products come from the SIMD kernel, and each is rescaled by both scales. Rows with scale
 * 0 (no face) score −2.
 */
export function faceScoresArena(arena: FaceArena, scales: Float32Array, n: number, probe: Float32Array, out: Float32Array): void {
  if (n === 0) return;
  const q = new Int8Array(FACE_DIMS);
  const ps = quantizeFace(probe, q);
  const dots = arena.dots(q, n);
  for (let r = 0; r < n; r++) {
    const s = scales[r]!;
    out[r] = s ? dots[r]! * ps * s : -2;
  }
}
