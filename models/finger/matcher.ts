// High-level 1:1 and 1:N matching: template extraction, normalised comparison, and a two-stage gallery search
// (global pair-histogram prefilter, then MCC LSS-R on the best candidates).
import { analyzeFinger } from './extract.js';
import type { GrayImage } from './image.js';
import { mccSimilarity } from './mcc.js';
import { normalizeScore } from './score-scale.js';
import { createTemplate, type FingerTemplate } from './template.js';
import { INDEX_DIMS } from './index-vector.js';

export { MATCH_THRESHOLD, normalizeScore } from './score-scale.js';

export function extractTemplate(img: GrayImage): FingerTemplate {
  const a = analyzeFinger(img);
  return createTemplate(a.minutiae, a.image.width, a.image.height);
}

/** Normalised similarity (≥ MATCH_THRESHOLD ⇔ FMR ≤ 0.01 % on the evaluation set). */
export function compareTemplates(a: FingerTemplate, b: FingerTemplate): number {
  return normalizeScore(mccSimilarity(a, b).raw);
}

/** Quantises an index vector to bytes (values are in [0, 1] after L2 normalisation). */
export function quantizeIndex(v: Float32Array, out = new Uint8Array(INDEX_DIMS)): Uint8Array {
  for (let k = 0; k < INDEX_DIMS; k++) out[k] = Math.min(255, Math.round(v[k]! * 255));
  return out;
}

/** Indices of the `c` largest dot products between `probe` and rows [from, to) of `matrix`; sorted best first. */
export function topByDot(matrix: Uint8Array, from: number, to: number, probe: Uint8Array, c: number): { index: Int32Array; score: Int32Array } {
  const D = INDEX_DIMS;
  const k = Math.max(0, Math.min(c, to - from));
  const heapI = new Int32Array(k), heapS = new Int32Array(k).fill(-1);
  // Min-heap of the best k so far.
  let size = 0;
  const p = new Int32Array(probe);
  for (let r = from; r < to; r++) {
    const o = r * D;
    let s = 0;
    for (let d = 0; d < D; d++) s += p[d]! * matrix[o + d]!;
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
  }
  const order = Array.from({ length: size }, (_, i) => i).sort((a, b) => heapS[b]! - heapS[a]!);
  return { index: Int32Array.from(order, (i) => heapI[i]!), score: Int32Array.from(order, (i) => heapS[i]!) };
}

export interface SearchHit {
  id: string;
  score: number;
}

export interface SearchOptions {
  /** Hits to return (best first). */
  limit?: number;
  /** Candidates kept by the prefilter for full matching; default max(200, 0.2 % of the gallery). */
  candidates?: number;
}

/** An in-memory gallery searched in one thread; see ParallelGallery for worker threads. */
export class FingerGallery {
  private ids: string[] = [];
  private templates: FingerTemplate[] = [];
  private matrix = new Uint8Array(1024 * INDEX_DIMS);

  get size(): number {
    return this.ids.length;
  }

  add(id: string, template: FingerTemplate): void {
    const n = this.ids.length;
    if ((n + 1) * INDEX_DIMS > this.matrix.length) {
      const bigger = new Uint8Array(this.matrix.length * 2);
      bigger.set(this.matrix);
      this.matrix = bigger;
    }
    quantizeIndex(template.index, this.matrix.subarray(n * INDEX_DIMS, (n + 1) * INDEX_DIMS));
    this.ids.push(id);
    this.templates.push(template);
  }

  search(probe: FingerTemplate, opts: SearchOptions = {}): SearchHit[] {
    const n = this.size;
    const c = Math.min(n, opts.candidates ?? Math.max(200, Math.ceil(0.002 * n)));
    const { index } = topByDot(this.matrix, 0, n, quantizeIndex(probe.index), c);
    return rankCandidates(probe, Array.from(index), (i) => this.templates[i]!, (i) => this.ids[i]!, opts.limit ?? 10);
  }
}

export function rankCandidates(probe: FingerTemplate, candidates: number[], template: (i: number) => FingerTemplate, id: (i: number) => string, limit: number): SearchHit[] {
  const hits = candidates.map((i) => ({ id: id(i), score: compareTemplates(probe, template(i)) }));
  hits.sort((a, b) => b.score - a.score);
  return hits.slice(0, limit);
}
