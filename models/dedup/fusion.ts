// Score-level fusion by summing log-likelihood ratios over the available modalities and fingers. Under
// conditional independence of the modalities given the hypothesis, the sum is the LLR of the joint evidence, and
// thresholding it is the Bayes-optimal (Neyman–Pearson) test. Per-finger LLRs are clamped so that one finger
// cannot decide alone. A missing modality contributes 0 (no evidence either way) and is reported.
import { FACE_CALIBRATION, FINGER_CALIBRATION, faceLlr, fingerLlr, llrThreshold, type FaceCalibration, type FingerCalibration } from './calibration.js';
import type { Candidate, Decision, DecisionThresholds, EntrySource, FingerEvidence, FingerPos } from './types.js';

export const DEFAULT_THRESHOLDS: DecisionThresholds = { possibleFmr: 1e-4, duplicateFmr: 1e-6 };

export interface Calibration {
  face: FaceCalibration;
  finger: FingerCalibration;
}

export const DEFAULT_CALIBRATION: Calibration = { face: FACE_CALIBRATION, finger: FINGER_CALIBRATION };

export function decide(llr: number, t: DecisionThresholds): Decision {
  if (llr >= llrThreshold(t.duplicateFmr)) return 'duplicate';
  if (llr >= llrThreshold(t.possibleFmr)) return 'possible_duplicate';
  return 'no_match';
}

export const DECISION_RANK: Record<Decision, number> = { no_match: 0, possible_duplicate: 1, duplicate: 2 };

export interface RawEvidence {
  id: string;
  source: EntrySource;
  /** Cosine, or null when either side has no face. */
  face: number | null;
  faceMissing?: 'probe' | 'gallery';
  /** Positions captured on both sides with their matcher scores. */
  fingers: { position: FingerPos; score: number }[];
  /** Positions captured on one side only. */
  fingerOneSided: FingerPos[];
  /** Positions on both sides left uncompared by the search's early exit (clearly no evidence of a match). */
  fingerNotCompared?: FingerPos[];
}

export function fuse(e: RawEvidence, t: DecisionThresholds, cal: Calibration = DEFAULT_CALIBRATION): Candidate {
  const missing: string[] = [];
  let llr = 0;
  let fLlr = 0;
  if (e.face !== null) {
    fLlr = faceLlr(e.face, cal.face);
    llr += fLlr;
  } else {
    missing.push(`face (${e.faceMissing ?? 'absent'})`);
  }
  const fingers: FingerEvidence[] = [];
  for (const f of e.fingers) {
    const l = fingerLlr(f.score, cal.finger);
    llr += l;
    fingers.push({ position: f.position, score: f.score, llr: l, matched: f.score >= cal.finger.matchedScore });
  }
  for (const p of e.fingerOneSided) fingers.push({ position: p, score: null, llr: 0, matched: false });
  for (const p of e.fingerNotCompared ?? []) fingers.push({ position: p, score: null, llr: 0, matched: false });
  if (e.fingerNotCompared?.length) missing.push(`fingers ${e.fingerNotCompared.join(', ')} not compared (early exit: no match on the best-prefiltered fingers)`);
  fingers.sort((a, b) => a.position - b.position);
  if (e.fingers.length === 0) missing.push('fingers (no position captured on both sides)');
  return {
    id: e.id,
    source: e.source,
    decision: decide(llr, t),
    llr,
    face: { score: e.face, llr: fLlr, available: e.face !== null },
    fingers,
    matchedFingers: fingers.filter((f) => f.matched).map((f) => f.position),
    missing,
  };
}
