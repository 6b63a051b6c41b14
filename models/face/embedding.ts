// Face comparison: cosine similarity of L2-normalised fr_feature embeddings, and the decision threshold calibrated on
// the fixture identities (docs/FACE_QUALITY.md, "Verification threshold").
import { KioskError } from '../../main/contract/errors.js';

export const EMBEDDING_SIZE = 512;
/**
 * Calibrated on all pairs of the 20 single-person fixture photos: genuine pairs ≥ 0.487, impostor pairs ≤ 0.148;
 * the threshold sits between the two with a margin on both sides.
 */
export const DEFAULT_MATCH_THRESHOLD = 0.32;

export type Embedding = ArrayLike<number>;

/** Cosine similarity in −1..1 (re-normalises, so raw model outputs are accepted too). */
export function compare(a: Embedding, b: Embedding): number {
  if (!a || !b || a.length !== EMBEDDING_SIZE || b.length !== EMBEDDING_SIZE) {
    throw new KioskError('VALIDATION_FAILED', `Embeddings must have ${EMBEDDING_SIZE} values`, { details: { a: a?.length ?? 0, b: b?.length ?? 0 } });
  }
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < EMBEDDING_SIZE; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new KioskError('VALIDATION_FAILED', 'Embedding contains a non-finite value');
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  if (na === 0 || nb === 0) return 0;
  return dot / Math.sqrt(na * nb);
}

export function isMatch(score: number, threshold = DEFAULT_MATCH_THRESHOLD): boolean {
  return score >= threshold;
}
