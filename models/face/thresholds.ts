// Default pass/fail thresholds, from ICAO 9303 part 3 portrait guidance, ISO/IEC 19794-5 (39794-5) and the
// measures of ISO/IEC 29794-5. All are configurable per deployment (docs/FACE_QUALITY.md explains each).

export interface QualityThresholds {
  /** Detector score a face needs to count as present (the primary face may fall back lower). */
  faceScore: number;
  /** Other faces count when at least this fraction of the primary face's height. */
  otherFaceMinRelativeHeight: number;
  /** Inter-eye distance, pixels (ISO/IEC 19794-5 / ICAO: ≥ 90, 120 preferred). */
  minInterEyeDistance: number;
  /** Head height (crown to chin, estimated) over frame height. */
  minHeadSize: number;
  maxHeadSize: number;
  /** Distance from the eye midpoint to each frame edge, in inter-eye distances. */
  minCropSide: number;
  minCropAbove: number;
  minCropBelow: number;
  /** |eye-midpoint x / width − 0.5|. */
  maxCentreOffset: number;
  /**
   * Degrees. ICAO asks yaw and pitch ±5°, roll ±8°; fr_pose (HopeNet) errs by several degrees — it reads the frontal
   * studio portrait obama_1 as 8.6° of yaw — so yaw and pitch allow ±10° of *estimated* pose, or no fixture photo
   * and few real subjects would ever pass and auto-capture would never fire.
   */
  maxYaw: number;
  maxPitch: number;
  maxRoll: number;
  /** Minimum open probability of each eye. */
  minEyeOpen: number;
  /** Inner-lip gap over mouth width. */
  maxMouthOpen: number;
  /** Band-energy ratio of the normalised face crop (measures.ts bandRatioSharpness; clean press photos ≈ 0.2–0.35). */
  minSharpness: number;
  /** Face luminance mean, 0..1. */
  minLuminanceMean: number;
  maxLuminanceMean: number;
  /** Face luminance variance (0..1 scale). */
  minLuminanceVariance: number;
  maxUnderExposed: number;
  maxOverExposed: number;
  /** Bits of entropy. */
  minDynamicRange: number;
  /** Histogram intersection of face halves. */
  minIlluminationUniformity: number;
  /** Mean squared background gradient (grey levels²). */
  maxBackgroundGradient: number;
}

export const DEFAULT_THRESHOLDS: QualityThresholds = {
  faceScore: 0.99,
  otherFaceMinRelativeHeight: 0.2,
  minInterEyeDistance: 90,
  minHeadSize: 0.3,
  maxHeadSize: 0.9,
  minCropSide: 1.5,
  minCropAbove: 1.8,
  minCropBelow: 2.2,
  maxCentreOffset: 0.1,
  maxYaw: 10,
  maxPitch: 10,
  maxRoll: 8,
  minEyeOpen: 0.5,
  maxMouthOpen: 0.12,
  minSharpness: 0.19,
  minLuminanceMean: 0.25,
  maxLuminanceMean: 0.8,
  minLuminanceVariance: 0.005,
  maxUnderExposed: 0.1,
  maxOverExposed: 0.05,
  minDynamicRange: 5,
  minIlluminationUniformity: 0.5,
  maxBackgroundGradient: 60,
};

export function resolveThresholds(overrides: Partial<QualityThresholds> | undefined): QualityThresholds {
  const t = { ...DEFAULT_THRESHOLDS };
  if (!overrides) return t;
  for (const [k, v] of Object.entries(overrides)) {
    if (k in t && typeof v === 'number' && Number.isFinite(v)) (t as unknown as Record<string, number>)[k] = v;
  }
  return t;
}
