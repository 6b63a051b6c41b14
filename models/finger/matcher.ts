// High-level 1:1 and 1:N matching: template extraction, normalised comparison, and a two-stage gallery search
// (global pair-histogram prefilter, then MCC LSS-R on the best candidates).
import { analyzeFinger, type FingerAnalysis } from './extract.js';
import type { GrayImage } from './image.js';
import { consolidate, CONSOLIDATION, ConsolidationScratch, consolidationTerm, type Consolidation } from './consolidation.js';
import { lastPairs, mccScore } from './mcc.js';
import { orientationAgreement, orientationGrid, type Agreement } from './orientation-grid.js';
import { MINUTIAE_SCORE_MODEL, normalizeScore } from './score-scale.js';
import { createTemplate, type FingerTemplate } from './template.js';
import { INDEX_DIMS } from './index-vector.js';
import { quantizeIndex, topByDot } from './prefilter.js';

export { quantizeIndex, topByDot } from './prefilter.js';

export { MATCH_THRESHOLD, normalizeScore } from './score-scale.js';

/**
 * The template of an analysed impression: its minutiae with their reliability and its coarse orientation field
 * (template version 2).
 */
export function templateFromAnalysis(a: FingerAnalysis): FingerTemplate {
  // Version 2: the minutia quality byte holds the ridge-contrast reliability (the orientation coherence in version 1).
  const ms = a.minutiae.map((m, k) => ({ ...m, quality: a.reliability[k]! }));
  return createTemplate(ms, a.image.width, a.image.height, orientationGrid(a.field, a.foreground));
}

export function extractTemplate(img: GrayImage): FingerTemplate {
  return templateFromAnalysis(analyzeFinger(img));
}

/** Non-minutia term (chosen on fcj2020 persons 111–130): weight × mean orientation agreement over ≥ minCells cells. */
export const ORIENTATION_TERM = { weight: 0.4, minCells: 10 } as const;

const cons: Consolidation = { matched: 0, overlapA: 0, overlapB: 0, inliers: 0, c: 1, s: 0, tx: 0, ty: 0 };
const agree: Agreement = { overlap: 0, mean: 0 };
// This thread's matcher state (like mcc.ts's buffers: one matcher per thread, not re-entrant).
const consScratch = new ConsolidationScratch();

/**
 * Raw similarity: MCC LSS-R (local) plus the global consolidation term (pairs under one rigid transform, normalised
 * by the minutiae in the overlap) plus, when both templates carry their orientation field, the agreement of the two
 * fields over the overlap under that transform. Allocation-free; not re-entrant (one matcher per thread).
 */
export function matchSimilarity(a: FingerTemplate, b: FingerTemplate): number {
  const local = mccScore(a, b);
  if (local <= 0) return 0;
  const p = lastPairs();
  consolidate(a, b, p.a, p.b, p.n, cons, CONSOLIDATION, consScratch);
  let s = local + CONSOLIDATION.weight * consolidationTerm(cons);
  if (cons.inliers >= 2 && a.orientation && b.orientation) {
    orientationAgreement(a.orientation, a.orientationVectors!, b.orientation, b.orientationVectors!, cons.c, cons.s, cons.tx, cons.ty, agree);
    if (agree.overlap >= ORIENTATION_TERM.minCells) s += ORIENTATION_TERM.weight * agree.mean;
  }
  return s;
}

/**
 * Normalised score −10·log10 FMR (≥ MATCH_THRESHOLD ⇔ FMR ≤ 0.01 % on real impostors; not capped). A pair where a
 * template has no orientation grid (version 1, ISO import) is read on the minutiae-only scale.
 */
export function compareTemplates(a: FingerTemplate, b: FingerTemplate): number {
  return a.orientation && b.orientation ? normalizeScore(matchSimilarity(a, b)) : normalizeScore(matchSimilarity(a, b), MINUTIAE_SCORE_MODEL);
}

export interface SearchHit {
  id: string;
  score: number;
}

export interface SearchOptions {
  /** Hits to return (best first). */
  limit?: number;
  /** Candidates kept by the prefilter for full matching; default max(200, 0.5 % of the gallery). */
  candidates?: number;
}

/** An in-memory gallery searched in one thread; see ParallelGallery for worker threads. */
export class FingerGallery {
  private ids: string[] = [];
  private templates: FingerTemplate[] = [];
  private matrix = new Int8Array(1024 * INDEX_DIMS);

  get size(): number {
    return this.ids.length;
  }

  add(id: string, template: FingerTemplate): void {
    const n = this.ids.length;
    if ((n + 1) * INDEX_DIMS > this.matrix.length) {
      const bigger = new Int8Array(this.matrix.length * 2);
      bigger.set(this.matrix);
      this.matrix = bigger;
    }
    quantizeIndex(template.index, this.matrix.subarray(n * INDEX_DIMS, (n + 1) * INDEX_DIMS));
    this.ids.push(id);
    this.templates.push(template);
  }

  search(probe: FingerTemplate, opts: SearchOptions = {}): SearchHit[] {
    const n = this.size;
    const c = Math.min(n, opts.candidates ?? Math.max(200, Math.ceil(0.005 * n)));
    const { index } = topByDot(this.matrix, 0, n, quantizeIndex(probe.index), c);
    return rankCandidates(probe, Array.from(index), (i) => this.templates[i]!, (i) => this.ids[i]!, opts.limit ?? 10);
  }
}

export function rankCandidates(probe: FingerTemplate, candidates: number[], template: (i: number) => FingerTemplate, id: (i: number) => string, limit: number): SearchHit[] {
  const hits = candidates.map((i) => ({ id: id(i), score: compareTemplates(probe, template(i)) }));
  hits.sort((a, b) => b.score - a.score);
  return hits.slice(0, limit);
}
