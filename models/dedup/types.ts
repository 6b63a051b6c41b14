// Shared types of the 1:N deduplication kernels (worker side) and the orchestration in main/dedup.
export const FACE_DIMS = 512;
export const FINGER_POSITIONS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
export type FingerPos = (typeof FINGER_POSITIONS)[number];

export type EntrySource = 'local' | 'regional' | 'operator';

/** One enrolled person as the gallery stores it: a face embedding and compact finger templates per ISO position. */
export interface GalleryEntry {
  /** Enrollment id (or operator id in the operator gallery). */
  id: string;
  source: EntrySource;
  /** 512-d L2-normalised embedding, or null when the face is excepted. */
  face: Float32Array | null;
  /** Compact finger templates (models/finger serializeTemplate, "KFT1"), one per captured position. */
  fingers: GalleryFinger[];
}

export interface GalleryFinger {
  position: FingerPos;
  template: Uint8Array;
  /** Quantised prefilter vector (templateIndex, signed bytes); computed on insert when absent, persisted with the entry. */
  index?: Int8Array;
}

export interface Probe {
  face: Float32Array | null;
  fingers: { position: FingerPos; template: Uint8Array }[];
}

export interface FingerEvidence {
  position: FingerPos;
  /** Matcher's normalised score (−10·log10 FMR), or null when the finger is missing on one side. */
  score: number | null;
  llr: number;
  matched: boolean;
}

export interface Candidate {
  id: string;
  source: EntrySource;
  decision: Decision;
  /** Fused log-likelihood ratio (natural log). */
  llr: number;
  face: { score: number | null; llr: number; available: boolean };
  fingers: FingerEvidence[];
  matchedFingers: FingerPos[];
  /** Modalities that contributed no evidence, and why. */
  missing: string[];
}

export type Decision = 'no_match' | 'possible_duplicate' | 'duplicate';

export interface DecisionThresholds {
  /** Target false match rate per comparison for "possible_duplicate" (supervisor adjudicates). */
  possibleFmr: number;
  /** Target false match rate per comparison for "duplicate". */
  duplicateFmr: number;
}

export interface SearchOptions {
  thresholds?: DecisionThresholds;
  /** Candidates to return (best first). */
  limit?: number;
  /** Subjects kept by the stage-1 (prefilter) ranking for full matching. */
  shortlist?: number;
  /** Per-position candidates kept by the finger index prefilter. */
  perFinger?: number;
}

export interface SearchTimings {
  faceMs: number;
  prefilterMs: number;
  matchMs: number;
  totalMs: number;
}

export interface SearchResult {
  decision: Decision;
  candidates: Candidate[];
  searched: number;
  comparisons: { face: number; fingerPrefilter: number; fingerFull: number };
  probeMissing: string[];
  timings: SearchTimings;
}

export interface GalleryStats {
  entries: number;
  local: number;
  regional: number;
  operators: number;
  faces: number;
  fingers: number;
  /** Bytes held by the typed-array structures (face matrix, index vectors, template arena). */
  bytes: number;
  loadMs: number;
}
