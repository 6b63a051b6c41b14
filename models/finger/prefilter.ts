// Coarse first stage of 1:N search: signed-byte-quantised, centred pair-histogram vectors (index-vector.ts) compared by dot product,
// keeping the best candidates in a bounded min-heap. Pure and allocation-light so that worker threads can run it on
// shards of a shared matrix.
import { INDEX_DIMS } from './index-vector.js';

/** Quantises an index vector to signed bytes (values are in [−1, 1] after L2 normalisation). */
export function quantizeIndex(v: Float32Array, out = new Int8Array(INDEX_DIMS)): Int8Array {
  for (let k = 0; k < INDEX_DIMS; k++) out[k] = Math.max(-127, Math.min(127, Math.round(v[k]! * 127)));
  return out;
}

/** Indices of the `c` largest dot products between `probe` and rows [from, to) of `matrix`; sorted best first. */
export function topByDot(matrix: Int8Array, from: number, to: number, probe: Int8Array, c: number): { index: Int32Array; score: Int32Array } {
  const D = INDEX_DIMS;
  const k = Math.max(0, Math.min(c, to - from));
  const heapI = new Int32Array(k), heapS = new Int32Array(k).fill(-2147483648);
  // Min-heap of the best k so far.
  let size = 0;
  const p = new Int32Array(probe);
  const push = (s: number, r: number): void => {
    if (size < k) {
      let i = size++;
      heapS[i] = s; heapI[i] = r;
      while (i > 0) {
        const par = (i - 1) >> 1;
        if (heapS[par]! <= heapS[i]!) break;
        [heapS[par], heapS[i]] = [heapS[i]!, heapS[par]!];
        [heapI[par], heapI[i]] = [heapI[i]!, heapI[par]!];
        i = par;
      }
    } else if (k > 0 && s > heapS[0]!) {
      heapS[0] = s; heapI[0] = r;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, rr = l + 1;
        let m = i;
        if (l < k && heapS[l]! < heapS[m]!) m = l;
        if (rr < k && heapS[rr]! < heapS[m]!) m = rr;
        if (m === i) break;
        [heapS[m], heapS[i]] = [heapS[i]!, heapS[m]!];
        [heapI[m], heapI[i]] = [heapI[i]!, heapI[m]!];
        i = m;
      }
    }
  };
  // Four rows per pass: each probe value is loaded once for four dot products.
  let r = from;
  for (; r + 4 <= to; r += 4) {
    const o0 = r * D, o1 = o0 + D, o2 = o1 + D, o3 = o2 + D;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let d = 0; d < D; d++) {
      const v = p[d]!;
      s0 += v * matrix[o0 + d]!;
      s1 += v * matrix[o1 + d]!;
      s2 += v * matrix[o2 + d]!;
      s3 += v * matrix[o3 + d]!;
    }
    if (size < k || s0 > heapS[0]!) push(s0, r);
    if (size < k || s1 > heapS[0]!) push(s1, r + 1);
    if (size < k || s2 > heapS[0]!) push(s2, r + 2);
    if (size < k || s3 > heapS[0]!) push(s3, r + 3);
  }
  for (; r < to; r++) {
    const o = r * D;
    let s = 0;
    for (let d = 0; d < D; d++) s += p[d]! * matrix[o + d]!;
    push(s, r);
  }
  const order = Array.from({ length: size }, (_, i) => i).sort((a, b) => heapS[b]! - heapS[a]!);
  return { index: Int32Array.from(order, (i) => heapI[i]!), score: Int32Array.from(order, (i) => heapS[i]!) };
}

