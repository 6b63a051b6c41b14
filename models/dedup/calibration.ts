// Score → log-likelihood-ratio models, calibrated on measured genuine/impostor score distributions
// (docs/DEDUP.md, "Calibration"). Natural logarithms throughout.
//
// Face: cosine similarity; genuine and impostor scores each fitted with a normal distribution, LLR = ln(N_g/N_i)
//   (the quadratic discriminant), made monotone and clamped.
// Finger: the matcher's normalised score (−10·log10 FMR on real impostors, not capped). LLR = ln f_g(s) − ln f_i(s)
//   with f_i the density of the measured impostor survival (piecewise log-linear, exponential tail beyond the 90th
//   percentile) and f_g a normal density fitted to real genuine scores; both measured on real prints (fcj2020
//   persons 111–130). Made monotone (held at its maximum above the genuine mean) and clamped per finger.

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
  /** Normal model of genuine scores. */
  genuine: Gaussian;
  clamp: [number, number];
  /** Score at which a finger counts as "matched" in explanations. */
  matchedScore: number;
  source: string;
}

/**
 * Measured 2026-12-04 on ../shared/fixtures/faces/lfw-dev through models/face (the kiosk's embedding): all pairs of
 * the 1,443 photos, 1,824 genuine and 1,038,579 impostor pairs (docs/FACE_QUALITY.md, "Verification threshold"; the
 * kiosk's verification threshold 0.36 sits at FMR 0.05 % on the same set). Was 22 fixture photos (53 / 168 pairs).
 */
export const FACE_CALIBRATION: FaceCalibration = {
  genuine: { mean: 0.6309, sd: 0.1198 },
  impostor: { mean: 0.0081, sd: 0.097 },
  clamp: [-8, 12],
  source: 'faces/lfw-dev via models/face (ArcFace-style 512-d), 1,824 genuine / 1,038,579 impostor pairs (all pairs)',
};
/**
 * Re-measured 2026-12-05 on REAL prints with models/dedup/measure-finger-calibration.ts (issue 15, after the
 * coherence-adaptive Gabor enhancement, the facing broken-ridge rule and the fourth round's segmentation of faint,
 * pale and over-inked prints): every pair of fixtures fingers/fcj2020
 * persons 111–130 through models/finger (MCC LSS-R + global consolidation + orientation-field term, score =
 * −10·log10 FMR fitted on the same impostors, not capped): 112,341 impostor pairs (1.00 % ≥ 20, 0.100 % ≥ 30,
 * 0.0098 % ≥ 40; on the held-out persons 131–150: 1.66 %, 0.18 %, 0.022 %), 1,185 genuine pairs (median 169.1,
 * min 4.6; normal fit mean 161.5, sd 54.5). The
 * constants before issue 15 came from 3,480 synthetic impostor pairs only.
 */
export const FINGER_CALIBRATION: FingerCalibration = {
  impostorSurvival: [
    [2, 0.7943],
    [4, 0.4958],
    [6, 0.2688],
    [8, 0.1792],
    [10, 0.1],
  ],
  tailScale: 4.517,
  impostorMedian: 3.976,
  genuine: { mean: 161.495, sd: 54.489 },
  clamp: [-3, 8],
  matchedScore: 40,
  source: 'fixtures fingers/fcj2020 persons 111-130 through models/finger (segmentation floor 4, blank above grey mean 252, solid ink up to 3, coherence-adaptive Gabor enhancement, facing broken-ridge rule; MCC LSS-R + reliability-weighted consolidation + orientation-field term, real-impostor score scale v3), 1185 genuine / 112341 impostor pairs',
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

/** Density of the finger impostor model at s (−d/ds of the survival). */
export function fingerImpostorDensity(score: number, c: FingerCalibration = FINGER_CALIBRATION): number {
  const pts = c.impostorSurvival;
  const last = pts[pts.length - 1]!;
  if (score >= last[0]) return fingerImpostorSurvival(score, c) / c.tailScale;
  let i = 1;
  while (i < pts.length - 1 && score > pts[i]![0]) i++;
  const [s0, p0] = pts[i - 1]!, [s1, p1] = pts[i]!;
  return Math.max(1e-300, fingerImpostorSurvival(Math.max(score, s0 - 1e-9), c) * ((Math.log(p0) - Math.log(p1)) / (s1 - s0)));
}

function rawFingerLlr(s: number, c: FingerCalibration): number {
  return gaussLogPdf(s, c.genuine) - 0.5 * Math.log(2 * Math.PI) - Math.log(fingerImpostorDensity(s, c));
}

/**
 * Finger LLR of a normalised matcher score: ln f_g(s) − ln f_i(s), clamped per finger. Above the genuine mean the
 * normal's quadratic fall-off would eventually overtake the impostor tail's linear one and turn the ratio down; a
 * stronger match is never weaker evidence, so the LLR is held at its value there.
 */
export function fingerLlr(score: number, c: FingerCalibration = FINGER_CALIBRATION): number {
  const s = Math.max(0, Number.isFinite(score) ? score : 0);
  return clampTo(rawFingerLlr(Math.min(s, c.genuine.mean), c), c.clamp);
}

/** LLR threshold for a target false match rate: P_i(Λ ≥ t) ≤ e^(−t) for a likelihood ratio Λ (Markov), so t = −ln FMR. */
export function llrThreshold(fmr: number): number {
  return -Math.log(fmr);
}

/** The FMR bound of an LLR threshold (inverse of llrThreshold). */
export function fmrOfLlr(llr: number): number {
  return Math.exp(-llr);
}
