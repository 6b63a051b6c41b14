// The finger image pipeline: 500 ppi → orientation field → segmentation → ridge frequency → Gabor enhancement →
// binarisation → thinning → minutiae. Every stage is a pure exported function; this file only chains them.
import { gaborEnhance, normalizeLocal, type EnhancedImage, type LowCoherenceSmoothing } from './enhancement.js';
import { ridgeFrequency, type FrequencyField } from './frequency.js';
import { toWorkingResolution, type GrayImage } from './image.js';
import { extractMinutiae, FACING_BROKEN_RIDGE, type BrokenRidgeRule, type Minutia } from './minutiae.js';
import { orientationField, type OrientationField } from './orientation.js';
import { ridgeContrastReliability } from './reliability.js';
import { morph, segmentForeground, type ForegroundMask } from './segmentation.js';
import { blendResponses, stftEnhance, type StftParams } from './stft.js';
import { binarize, zhangSuenThin } from './thinning.js';

export const BLOCK_SIZE = 8;

export interface FingerAnalysis {
  image: GrayImage;
  field: OrientationField;
  foreground: ForegroundMask;
  frequency: FrequencyField;
  enhanced: EnhancedImage;
  skeleton: Uint8Array;
  minutiae: Minutia[];
  /** Per minutia (same order): reliability 1–100 from the local ridge contrast (reliability.ts). */
  reliability: Uint8Array;
  /** Share of image blocks that are foreground, 0–1. */
  foregroundShare: number;
  /** Median ridge period over the foreground (px at 500 ppi); 0 when there is no foreground. */
  medianPeriod: number;
}

/** Tunable extractor parameters (chosen on fcj2020 persons 111–130; see docs/FINGERPRINT.md, ablation). */
export interface ExtractorParams {
  /** Segmentation: a block is foreground from this share of the 90th-percentile block grey deviation. */
  segmentationStdShare: number;
  /**
   * Segmentation: the grey deviation (grey levels) a block needs whatever the print's contrast, so that a blank or flat
   * image has no foreground (8 before issue 15's fourth round: faint prints lost their whole print to it).
   */
  segmentationStdFloor: number;
  /** Segmentation: the orientation coherence a block needs. */
  segmentationMinCoherence: number;
  /**
   * Segmentation: blocks at least this bright (grey mean) are blank background (245 before issue 15's fourth round:
   * the ridges of a pale print sit above it).
   */
  segmentationMaxMean: number;
  /**
   * Segmentation: blocks at most this dark (grey mean) are solid ink (10 before issue 15's fourth round: the thin white
   * valleys of an over-inked or wet print sit below it).
   */
  segmentationMinMean: number;
  /** Gabor enhancement: σ (px) of the Gaussian along the ridge. */
  alongSigma: number;
  /** σ (blocks) of the doubled-angle smoothing of the orientation field. */
  orientationSmoothing: number;
  /** Wider Gabor filters in blocks of low orientation coherence (enhancement.ts); null = the same filter everywhere. */
  lowCoherenceSmoothing: LowCoherenceSmoothing | null;
  /** False-minutia rule for broken ridges (minutiae.ts). */
  brokenRidge: BrokenRidgeRule;
  /** STFT-domain enhancement blended into incoherent blocks (stft.ts); null = Gabor only. */
  stft?: StftParams | null;
}

export const EXTRACTOR_PARAMS: ExtractorParams = { segmentationStdShare: 0.2, segmentationStdFloor: 4, segmentationMinCoherence: 0.15, segmentationMaxMean: 252, segmentationMinMean: 3, alongSigma: 3.5, orientationSmoothing: 2, lowCoherenceSmoothing: { alongBelow: 0.3, along: 4.5, acrossBelow: 0.5, across: 0.55 }, brokenRidge: FACING_BROKEN_RIDGE };

export function analyzeFinger(input: GrayImage, params: ExtractorParams = EXTRACTOR_PARAMS): FingerAnalysis {
  const image = toWorkingResolution(input);
  const { width: W, height: H } = image;
  const field = orientationField(image, BLOCK_SIZE, 24, params.orientationSmoothing);
  const foreground = segmentForeground(image, field, params.segmentationStdShare, params.segmentationStdFloor, params.segmentationMinCoherence, params.segmentationMaxMean, params.segmentationMinMean);
  const frequency = ridgeFrequency(image, field, foreground);
  const periods: number[] = [];
  let fgCount = 0;
  for (let i = 0; i < foreground.mask.length; i++) {
    if (!foreground.mask[i]) continue;
    fgCount++;
    periods.push(frequency.period[i]!);
  }
  periods.sort((a, b) => a - b);
  const medianPeriod = periods.length ? periods[periods.length >> 1]! : 0;
  let enhanced = gaborEnhance(image, field, frequency, foreground, params.alongSigma, params.lowCoherenceSmoothing);
  if (params.stft && fgCount > 0) {
    const select = Uint8Array.from(foreground.mask, (m, i) => (m && field.coherence[i]! < params.stft!.below ? 1 : 0));
    if (select.some((v) => v)) {
      const stft = stftEnhance(normalizeLocal(image, foreground), W, H, field, frequency, foreground, morph(select, field.bw, field.bh, 'dilate', 1), params.stft);
      enhanced = { ...enhanced, response: blendResponses(enhanced.response, stft, W, H, field, select, params.stft.blend) };
    }
  }
  const skeleton = zhangSuenThin(binarize(enhanced), W, H);
  const minutiae = fgCount > 0 ? extractMinutiae(skeleton, W, H, foreground, field, { period: medianPeriod || 9, brokenRidge: params.brokenRidge }) : [];
  const reliability = ridgeContrastReliability(enhanced, foreground, minutiae, medianPeriod || 9);
  return { image, field, foreground, frequency, enhanced, skeleton, minutiae, reliability, foregroundShare: fgCount / foreground.mask.length, medianPeriod };
}
