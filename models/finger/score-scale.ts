// Normalised similarity: score = −10 · log10(FMR(raw)), where FMR(raw) is the impostor survival function measured
// on the evaluation set (calibration/score-model.ts). Score 40 therefore means FMR 0.01 %, 30 → 0.1 %, 20 → 1 %.
import { SCORE_MODEL } from './calibration/score-model.js';

/** Decision threshold at FMR 0.01 % on the evaluation set. */
export const MATCH_THRESHOLD = 40;

/** Maps a raw LSS-R similarity to the normalised score (monotone, piecewise linear in log-FMR, 0–100). */
export function normalizeScore(raw: number): number {
  const pts = SCORE_MODEL.points;
  if (raw <= pts[0]![0]) return Math.max(0, (raw / pts[0]![0]) * pts[0]![1]);
  for (let i = 1; i < pts.length; i++) {
    const [r0, s0] = pts[i - 1]!, [r1, s1] = pts[i]!;
    if (raw <= r1) return s0 + ((raw - r0) / (r1 - r0)) * (s1 - s0);
  }
  const [rA, sA] = pts[pts.length - 2]!, [rB, sB] = pts[pts.length - 1]!;
  return Math.min(100, sB + ((raw - rB) / (rB - rA)) * (sB - sA));
}
