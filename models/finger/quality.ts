// Fingerprint quality on the NFIQ 2 scale (0–100) with actionable feedback (after NFIQ 2's actionable quality
// feedback, ISO/IEC 29794-4): a ridge regression over NFIQ 2-style features, calibrated against NFIQ 2 scores.
import { QUALITY_MODEL } from './calibration/quality-model.js';
import { analyzeFinger, type FingerAnalysis } from './extract.js';
import { toWorkingResolution, type GrayImage } from './image.js';
import { qualityFeatures, type QualityFeatures } from './quality-features.js';

export type QualityFeedback = 'UNIFORM_IMAGE' | 'EMPTY_OR_LOW_CONTRAST' | 'TOO_LITTLE_FOREGROUND' | 'TOO_FEW_MINUTIAE';

/** Thresholds for feedback (500 ppi). NFIQ 2 uses σ < 1 for uniform images, mean > 250 for empty ones, 5 minutiae. */
export const QUALITY_THRESHOLDS = {
  uniformStd: 1,
  emptyMean: 250,
  lowContrast: 12,
  minForegroundPx: 20_000,
  /** Share of foreground showing a periodic ridge pattern; below it the image is not (mostly) a fingerprint. */
  minRidgeShare: 0.15,
  minRidgeAreaPx: 8_000,
  minMinutiae: 8,
} as const;

export interface QualityReport {
  /** 0–100, NFIQ 2 scale; 0 when the image is unusable. */
  score: number;
  feedback: QualityFeedback[];
  minutiaeCount: number;
  foregroundPx: number;
  features: QualityFeatures | undefined;
}

export function predictQuality(features: QualityFeatures): number {
  const m = QUALITY_MODEL;
  let s = m.intercept;
  m.features.forEach((k, j) => { s += m.weights[j]! * ((features[k] - m.mean[j]!) / m.std[j]!); });
  return Math.max(0, Math.min(100, Math.round(s)));
}

/** Global grey statistics that decide the "unusable image" feedback before any feature extraction. */
export function imageStatistics(img: GrayImage): { mean: number; std: number } {
  let s = 0, s2 = 0;
  const p = img.pixels;
  for (let i = 0; i < p.length; i++) { s += p[i]!; s2 += p[i]! * p[i]!; }
  const mean = s / p.length;
  return { mean, std: Math.sqrt(Math.max(0, s2 / p.length - mean * mean)) };
}

/** Quality of an analysed image. */
export function qualityOfAnalysis(a: FingerAnalysis): QualityReport {
  const { mean, std } = imageStatistics(a.image);
  const B = a.foreground.blockSize;
  const foregroundPx = a.foreground.mask.reduce((s, v) => s + v, 0) * B * B;
  const feedback: QualityFeedback[] = [];
  if (std < QUALITY_THRESHOLDS.uniformStd) feedback.push('UNIFORM_IMAGE');
  const fgStds: number[] = [];
  for (let i = 0; i < a.foreground.mask.length; i++) if (a.foreground.mask[i]) fgStds.push(a.foreground.std[i]!);
  const n = fgStds.length;
  // The contrast of the print's clearer part (90th percentile block), not the mean: the faint edge of a pale print is
  // foreground too, and should not make a usable print "low contrast".
  const fgStd = n ? fgStds.sort((x, y) => x - y)[Math.floor(0.9 * (n - 1))]! : 0;
  if (!feedback.length && (mean > QUALITY_THRESHOLDS.emptyMean || fgStd < QUALITY_THRESHOLDS.lowContrast)) feedback.push('EMPTY_OR_LOW_CONTRAST');
  const unusable = feedback.includes('UNIFORM_IMAGE') || feedback.includes('EMPTY_OR_LOW_CONTRAST') || n === 0;
  const features = unusable ? undefined : qualityFeatures(a);
  const ridgeLike = !!features && features.ridgeShare >= QUALITY_THRESHOLDS.minRidgeShare && features.ridgeAreaPx >= QUALITY_THRESHOLDS.minRidgeAreaPx;
  if (foregroundPx < QUALITY_THRESHOLDS.minForegroundPx || !ridgeLike) feedback.push('TOO_LITTLE_FOREGROUND');
  if (a.minutiae.length < QUALITY_THRESHOLDS.minMinutiae) feedback.push('TOO_FEW_MINUTIAE');
  let score = features ? predictQuality(features) : 0;
  // An image without usable area or minutiae cannot be matched whatever its texture looks like.
  if (feedback.includes('TOO_LITTLE_FOREGROUND') || feedback.includes('TOO_FEW_MINUTIAE')) score = 0;
  return { score, feedback, minutiaeCount: a.minutiae.length, foregroundPx, features };
}

/** Quality of a grey finger image; throws FingerImageInvalidError for unusable buffers (wrong size etc.). */
export function assessQuality(img: GrayImage): QualityReport {
  const work = toWorkingResolution(img);
  const { std } = imageStatistics(work);
  if (std < QUALITY_THRESHOLDS.uniformStd) {
    return { score: 0, feedback: ['UNIFORM_IMAGE', 'TOO_LITTLE_FOREGROUND', 'TOO_FEW_MINUTIAE'], minutiaeCount: 0, foregroundPx: 0, features: undefined };
  }
  return qualityOfAnalysis(analyzeFinger(work));
}
