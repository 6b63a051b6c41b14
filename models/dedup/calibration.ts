// Score → log-likelihood-ratio models, calibrated on measured genuine/impostor score distributions
// (docs/DEDUP.md, "Calibration"). Natural logarithms throughout.
//
// Face: cosine similarity; genuine and impostor scores each fitted with a normal distribution, LLR = ln(N_g/N_i)
//   (the quadratic discriminant), made monotone and clamped.
// Finger: the matcher's normalised score. On synthetic impressions every genuine pair we measured scored 100, so
//   the genuine density is not estimable; we use the two-sided tail likelihood ratio instead:
//   s ≥ m (impostor median): ln(P_g(S ≥ s) / P_i(S ≥ s)); s < m: ln(P_g(S < m) / P_i(S < m)),
//   with P_i the measured impostor survival (exponential tail beyond the 90th percentile) and P_g bounded by the
//   rule of three. Under the impostor hypothesis P_i(LLR ≥ t) ≤ e^(−t) for each finger.

export interface Gaussian {
  mean: number;
  sd: number;
}

export interface FaceCalibration {
  genuine: Gaussian;
  impostor: Gaussian;
  /** LLR clamp [min, max]. */
  clamp: [number, number];
  source: string;
}

export interface FingerCalibration {
  /** Impostor survival P_i(S ≥ s) at increasing scores (piecewise linear in ln P between points). */
  impostorSurvival: [number, number][];
  /** Beyond the last point: P_i(S ≥ s) = P_last · exp(−(s − s_last)/tailScale). */
  tailScale: number;
  impostorMedian: number;
  /** Upper bound of P_g(S ≤ s) below the impostor median (no genuine pair measured there: rule of three). */
  genuineLowerTail: number;
  clamp: [number, number];
  /** Score at which a finger counts as "matched" in explanations. */
  matchedScore: number;
  source: string;
}

/** Measured 2026-11-23: 22 fixture photos (6 identities), 53 genuine and 168 impostor pairs through models/face. */
export const FACE_CALIBRATION: FaceCalibration = {
  genuine: { mean: 0.7848, sd: 0.1111 },
  impostor: { mean: -0.0062, sd: 0.0769 },
  clamp: [-8, 12],
  source: 'fixtures/faces via models/face (ArcFace-style 512-d), 53 genuine / 168 impostor pairs',
};

/**
 * Measured 2026-11-23 (finger score scale of commit 723c1e9+): 30 synthetic subjects × fingers 2 and 7 × 2 impressions
 * (drivers/synth → models/finger MCC): impostors 2.0 % ≥ 20 (nominal 1 %), genuine min 70, 10th percentile 90.
 */
export const FINGER_CALIBRATION: FingerCalibration = {
  impostorSurvival: [
    [2, 0.9885],
    [4, 0.554],
    [6, 0.3333],
    [8, 0.208],
    [10, 0.131],
    [11, 0.1],
  ],
  tailScale: 5.072,
  impostorMedian: 4.32,
  genuineLowerTail: 0.05,
  clamp: [-3, 8],
  matchedScore: 40,
  source: 'drivers/synth impressions through models/finger (MCC LSS-R), 60 genuine / 870 impostor pairs (score scale 723c1e9+)',
};

function gaussLogPdf(x: number, g: Gaussian): number {
  const z = (x - g.mean) / g.sd;
  return -0.5 * z * z - Math.log(g.sd);
}

const clampTo = (v: number, [lo, hi]: [number, number]) => Math.min(hi, Math.max(lo, v));

/** Face LLR of a cosine similarity: monotone (non-decreasing) and clamped. */
export function faceLlr(score: number, c: FaceCalibration = FACE_CALIBRATION): number {
  // The unequal-variance quadratic turns back up far below the impostor mean; hold it at its value there.
  const s = Math.max(score, c.impostor.mean);
  return clampTo(gaussLogPdf(s, c.genuine) - gaussLogPdf(s, c.impostor), c.clamp);
}

/** P_i(S ≥ s) of the finger impostor model. */
export function fingerImpostorSurvival(score: number, c: FingerCalibration = FINGER_CALIBRATION): number {
  const pts = c.impostorSurvival;
  if (score <= pts[0]![0]) return pts[0]![1];
  for (let i = 1; i < pts.length; i++) {
    const [s0, p0] = pts[i - 1]!, [s1, p1] = pts[i]!;
    if (score <= s1) return Math.exp(Math.log(p0) + ((score - s0) / (s1 - s0)) * (Math.log(p1) - Math.log(p0)));
  }
  const [sl, pl] = pts[pts.length - 1]!;
  return pl * Math.exp(-(score - sl) / c.tailScale);
}

/** Finger LLR of a normalised matcher score (two-sided tail likelihood ratio), clamped per finger. */
export function fingerLlr(score: number, c: FingerCalibration = FINGER_CALIBRATION): number {
  if (score >= c.impostorMedian) return clampTo(-Math.log(fingerImpostorSurvival(score, c)), c.clamp);
  // The event "S below the impostor median": P_i = 0.5, P_g ≤ genuineLowerTail.
  return clampTo(Math.log(c.genuineLowerTail / 0.5), c.clamp);
}

/** LLR threshold for a target false match rate: P_i(Λ ≥ t) ≤ e^(−t) for a likelihood ratio Λ (Markov), so t = −ln FMR. */
export function llrThreshold(fmr: number): number {
  return -Math.log(fmr);
}

/** The FMR bound of an LLR threshold (inverse of llrThreshold). */
export function fmrOfLlr(llr: number): number {
  return Math.exp(-llr);
}
