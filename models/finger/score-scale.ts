// Normalised similarity: score = −10 · log10(FMR(raw)), where FMR(raw) is the impostor survival function measured on
// real prints (calibration/score-model.ts: all impostor pairs of the fcj2020 training half). Score 40 therefore
// means FMR 0.01 %, 30 → 0.1 %, 20 → 1 %. Beyond the measured range the exponential tail fit is extrapolated, so the
// score is not capped: a stronger match keeps a higher score (what fusion and 1:N ranking need).
import { SCORE_MODEL, SCORE_MODEL_MINUTIAE } from './calibration/score-model.js';

export interface ScoreModel {
  points: readonly (readonly [number, number])[];
  tailPerRaw: number;
}

/** The scale of minutiae-only similarities (a template without an orientation grid on either side). */
export const MINUTIAE_SCORE_MODEL: ScoreModel = SCORE_MODEL_MINUTIAE;

/** Decision threshold at FMR 0.01 % on real impostors (fcj2020 training half). */
export const MATCH_THRESHOLD = 40;

/** Maps a raw similarity to the normalised score (strictly increasing, piecewise linear in log-FMR, ≥ 0). */
export function normalizeScore(raw: number, model: ScoreModel = SCORE_MODEL): number {
  const pts = model.points;
  if (!(raw > 0)) return 0;
  if (raw <= pts[0]![0]) return (raw / pts[0]![0]) * pts[0]![1];
  for (let i = 1; i < pts.length; i++) {
    const [r0, s0] = pts[i - 1]!, [r1, s1] = pts[i]!;
    if (raw <= r1) return s0 + ((raw - r0) / (r1 - r0)) * (s1 - s0);
  }
  const [rB, sB] = pts[pts.length - 1]!;
  return sB + (raw - rB) * model.tailPerRaw;
}
