// Two-stage 1:N search over a GalleryMatrix.
// Stage 1 scores every row cheaply: face cosine (int8 matrix) and, per captured finger position, the matcher's
// prefilter vector dot product; a subject-level z-score sum ranks rows (several weak prefilter hits plus a face
// agree on a true duplicate). Stage 2 runs the full finger matcher on the shortlist (union of the fused top rows,
// the face top rows and each position's prefilter top rows) and fuses LLRs (fusion.ts).
import { FACE_CALIBRATION, faceLlr } from './calibration.js';
import { faceScoresArena, topK } from './face-kernel.js';
import { DECISION_RANK, DEFAULT_CALIBRATION, DEFAULT_THRESHOLDS, fuse, type Calibration, type RawEvidence } from './fusion.js';
import type { GalleryMatrix } from './gallery-matrix.js';
import type { FingerMatcher, TemplateCache } from './matcher.js';
import type { Candidate, Decision, FingerPos, Probe, SearchOptions, SearchResult } from './types.js';

export const DEFAULT_SHORTLIST = 8;
export const DEFAULT_PER_FINGER = 1;
/** Early exit: stop comparing a row's fingers after this many (best prefilter first) without a match and no face support. */
export const EARLY_EXIT_DEPTH = 3;
/** Galleries up to this size are compared in full (no prefilter shortlist). */
export const EXHAUSTIVE_BELOW = 64;
const NO_FINGER = -1e30;

export interface PreparedProbe<T> {
  face: Float32Array | null;
  fingers: { position: FingerPos; loaded: T; index: Int8Array | null }[];
}

export function prepareProbe<T>(probe: Probe, matcher: FingerMatcher<T>): PreparedProbe<T> {
  return {
    face: probe.face,
    fingers: probe.fingers.map((f) => ({ position: f.position, loaded: matcher.load(f.template), index: matcher.prefilter ? matcher.prefilter(f.template) : null })),
  };
}

export const cacheKey = (id: string, pos: FingerPos) => `${id}\u0000${pos}`;

function prefilterScores(g: GalleryMatrix, pos: FingerPos, probe: Int8Array, out: Float32Array): { mean: number; sd: number; count: number } {
  const bit = 1 << (pos - 1);
  const n = g.size;
  // One SIMD scan over this position's vectors of every row (rows without the finger hold zeros and are masked below).
  const dots = g.prefilter.dots(probe, n, pos - 1);
  const mask = g.fingerMask;
  let sum = 0, sum2 = 0, count = 0;
  for (let i = 0; i < n; i++) {
    if ((mask[i]! & bit) === 0) {
      out[i] = NO_FINGER;
      continue;
    }
    const v = dots[i]! / 16129;
    out[i] = v;
    sum += v;
    sum2 += v * v;
    count++;
  }
  const mean = count ? sum / count : 0;
  const sd = count > 1 ? Math.sqrt(Math.max(1e-12, sum2 / count - mean * mean)) : 1;
  return { mean, sd, count };
}

export function searchGallery<T>(
  g: GalleryMatrix,
  probe: PreparedProbe<T>,
  matcher: FingerMatcher<T>,
  cache: TemplateCache<T>,
  opts: SearchOptions = {},
  cal: Calibration = DEFAULT_CALIBRATION,
): SearchResult {
  const t0 = performance.now();
  const thresholds = opts.thresholds ?? DEFAULT_THRESHOLDS;
  const n = g.size;
  const comparisons = { face: 0, fingerPrefilter: 0, fingerFull: 0 };
  const probeMissing: string[] = [];
  if (!probe.face) probeMissing.push('face');
  const probePositions = new Set(probe.fingers.map((f) => f.position));
  for (let p = 1; p <= 10; p++) if (!probePositions.has(p as FingerPos)) probeMissing.push(`finger ${p}`);

  const agg = new Float32Array(n);
  let face: Float32Array | null = null;
  if (probe.face && n > 0) {
    face = new Float32Array(n);
    faceScoresArena(g.face, g.faceScale, n, probe.face, face);
    const { mean, sd } = FACE_CALIBRATION.impostor;
    for (let r = 0; r < n; r++) {
      if (face[r]! > -2) {
        agg[r]! += (face[r]! - mean) / sd;
        comparisons.face++;
      }
    }
  }
  const tFace = performance.now();

  const shortlist = new Set<number>();
  const preByPos = new Map<FingerPos, Float32Array>();
  const exhaustive = n <= EXHAUSTIVE_BELOW || (!face && !matcher.prefilter);
  if (exhaustive) {
    for (let r = 0; r < n; r++) shortlist.add(r);
  } else {
    const k = opts.shortlist ?? DEFAULT_SHORTLIST;
    const perFinger = opts.perFinger ?? DEFAULT_PER_FINGER;
    for (const f of probe.fingers) {
      if (!f.index) continue;
      const pre = new Float32Array(n);
      preByPos.set(f.position, pre);
      const { mean, sd, count } = prefilterScores(g, f.position, f.index, pre);
      comparisons.fingerPrefilter += count;
      for (let r = 0; r < n; r++) if (pre[r]! > NO_FINGER) agg[r]! += (pre[r]! - mean) / sd;
      for (const r of topK(pre, n, perFinger, NO_FINGER / 2)) shortlist.add(r);
    }
    for (const r of topK(agg, n, k)) shortlist.add(r);
    if (face) for (const r of topK(face, n, Math.max(1, k >> 1), -1)) shortlist.add(r);
  }
  const tPre = performance.now();

  const candidates: Candidate[] = [];
  for (const r of shortlist) {
    const id = g.ids[r]!;
    const ev: RawEvidence = { id, source: g.sourceOf(r), face: null, fingers: [], fingerOneSided: [] };
    if (face && face[r]! > -2) ev.face = face[r]!;
    else ev.faceMissing = probe.face ? 'gallery' : 'probe';
    // Best prefilter score first, so that the early exit looks at the most promising fingers.
    const order = [...probe.fingers].sort((a, b) => (preByPos.get(b.position)?.[r] ?? 0) - (preByPos.get(a.position)?.[r] ?? 0));
    const faceSupports = ev.face !== null && faceLlr(ev.face, cal.face) > 0;
    let compared = 0, matched = 0;
    for (const f of order) {
      const tpl = g.template(r, f.position);
      if (!tpl) {
        ev.fingerOneSided.push(f.position);
        continue;
      }
      if (!exhaustive && !faceSupports && matched === 0 && compared >= EARLY_EXIT_DEPTH) {
        (ev.fingerNotCompared ??= []).push(f.position);
        continue;
      }
      const loaded = cache.get(cacheKey(id, f.position), () => matcher.load(tpl));
      const score = matcher.compare(f.loaded, loaded);
      ev.fingers.push({ position: f.position, score });
      compared++;
      if (score >= cal.finger.matchedScore) matched++;
      comparisons.fingerFull++;
    }
    ev.fingers.sort((a, b) => a.position - b.position);
    for (let p = 1; p <= 10; p++) if (!probePositions.has(p as FingerPos) && g.hasFinger(r, p as FingerPos)) ev.fingerOneSided.push(p as FingerPos);
    candidates.push(fuse(ev, thresholds, cal));
  }
  candidates.sort((a, b) => b.llr - a.llr);
  const tEnd = performance.now();
  let decision: Decision = 'no_match';
  for (const c of candidates) if (DECISION_RANK[c.decision] > DECISION_RANK[decision]) decision = c.decision;
  return {
    decision,
    candidates: candidates.slice(0, opts.limit ?? 10),
    searched: n,
    comparisons,
    probeMissing,
    timings: { faceMs: tFace - t0, prefilterMs: tPre - tFace, matchMs: tEnd - tPre, totalMs: tEnd - t0 },
  };
}
