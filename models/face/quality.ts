// Raw values → ISO/IEC 29794-5-style quality components (0–100), pass/fail and instruction keys, and the unified score.
// Component mappings: inter-eye distance uses OFIQ's sigmoid (x0 = 70 px, w = 20); head pose uses 100·max(0, cos θ)²;
// the rest are linear ramps from the pass threshold (component 70) to the ideal (100) and to a hard limit (0).
import type { FaceRegionMeasures } from './measures.js';
import type { QualityThresholds } from './thresholds.js';
import { MEASURE_IDS, type MeasureId, type QualityMeasure } from './types.js';

export interface RawMeasures {
  faceCount: number;
  interEyeDistance: number;
  headSize: number;
  crop: { left: number; right: number; above: number; below: number };
  centreOffset: number;
  pose: { yaw: number; pitch: number; roll: number };
  eyesOpen: [number, number];
  mouthOpen: number;
  region: FaceRegionMeasures;
  backgroundGradient: number;
}

const clamp = (v: number) => Math.max(0, Math.min(100, Math.round(v)));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Higher is better: 0 at `zero`, 70 at `pass`, 100 at `ideal` and beyond. */
function rampUp(x: number, zero: number, pass: number, ideal: number): number {
  if (x >= ideal) return 100;
  if (x >= pass) return clamp(70 + (30 * (x - pass)) / (ideal - pass));
  if (x <= zero) return 0;
  return clamp((70 * (x - zero)) / (pass - zero));
}

/** Lower is better: 100 at `ideal` and below, 70 at `pass`, 0 at `zero`. */
function rampDown(x: number, ideal: number, pass: number, zero: number): number {
  return rampUp(-x, -zero, -pass, -ideal);
}

function measure(raw: number, component: number, pass: boolean, failKey: string): QualityMeasure {
  if (!Number.isFinite(raw)) return { raw: null, component: -1, pass: false, messageKey: failKey };
  return { raw: Math.round(raw * 10000) / 10000, component: clamp(component), pass, messageKey: pass ? null : failKey };
}

const poseComponent = (deg: number) => clamp(100 * Math.max(0, Math.cos((deg * Math.PI) / 180)) ** 2);

export function buildMeasures(r: RawMeasures, t: QualityThresholds): Record<MeasureId, QualityMeasure> {
  const g = r.region;
  const ms: Record<MeasureId, QualityMeasure> = {
    singleFacePresent: measure(r.faceCount, r.faceCount === 1 ? 100 : 0, r.faceCount === 1, r.faceCount === 0 ? 'face.notFound' : 'face.onlyOnePerson'),
    interEyeDistance: measure(r.interEyeDistance, 100 * sigmoid((r.interEyeDistance - 70) / 20), r.interEyeDistance >= t.minInterEyeDistance, 'face.moveCloser'),
    headSize: measure(
      r.headSize,
      r.headSize < t.minHeadSize ? rampUp(r.headSize, 0, t.minHeadSize, t.minHeadSize * 1.5) : rampDown(r.headSize, t.maxHeadSize * 0.85, t.maxHeadSize, 1.2),
      r.headSize >= t.minHeadSize && r.headSize <= t.maxHeadSize,
      r.headSize < t.minHeadSize ? 'face.moveCloser' : 'face.moveBack',
    ),
    leftwardCrop: measure(r.crop.left, rampUp(r.crop.left, 0.5, t.minCropSide, t.minCropSide * 1.4), r.crop.left >= t.minCropSide, 'face.centre'),
    rightwardCrop: measure(r.crop.right, rampUp(r.crop.right, 0.5, t.minCropSide, t.minCropSide * 1.4), r.crop.right >= t.minCropSide, 'face.centre'),
    upwardCrop: measure(r.crop.above, rampUp(r.crop.above, 0.5, t.minCropAbove, t.minCropAbove * 1.4), r.crop.above >= t.minCropAbove, 'face.centre'),
    downwardCrop: measure(r.crop.below, rampUp(r.crop.below, 0.5, t.minCropBelow, t.minCropBelow * 1.4), r.crop.below >= t.minCropBelow, 'face.centre'),
    centring: measure(r.centreOffset, rampDown(r.centreOffset, t.maxCentreOffset / 3, t.maxCentreOffset, 0.5), r.centreOffset <= t.maxCentreOffset, 'face.centre'),
    headPoseYaw: measure(r.pose.yaw, poseComponent(r.pose.yaw), Math.abs(r.pose.yaw) <= t.maxYaw, 'face.lookStraight'),
    headPosePitch: measure(r.pose.pitch, poseComponent(r.pose.pitch), Math.abs(r.pose.pitch) <= t.maxPitch, r.pose.pitch < 0 ? 'face.raiseChin' : 'face.lowerChin'),
    headPoseRoll: measure(r.pose.roll, poseComponent(r.pose.roll), Math.abs(r.pose.roll) <= t.maxRoll, 'face.straightenHead'),
    eyesOpen: measure(Math.min(...r.eyesOpen), 100 * Math.min(...r.eyesOpen), Math.min(...r.eyesOpen) >= t.minEyeOpen, 'face.openEyes'),
    mouthClosed: measure(r.mouthOpen, rampDown(r.mouthOpen, t.maxMouthOpen / 3, t.maxMouthOpen, 0.5), r.mouthOpen <= t.maxMouthOpen, 'face.closeMouth'),
    sharpness: measure(g.sharpness, rampUp(g.sharpness, t.minSharpness / 2, t.minSharpness, t.minSharpness * 1.5), g.sharpness >= t.minSharpness, 'face.holdStill'),
    luminanceMean: measure(
      g.luminanceMean,
      g.luminanceMean < 0.5 ? rampUp(g.luminanceMean, 0.05, t.minLuminanceMean, 0.4) : rampDown(g.luminanceMean, 0.6, t.maxLuminanceMean, 0.97),
      g.luminanceMean >= t.minLuminanceMean && g.luminanceMean <= t.maxLuminanceMean,
      g.luminanceMean < t.minLuminanceMean ? 'face.tooDark' : 'face.tooBright',
    ),
    luminanceVariance: measure(g.luminanceVariance, rampUp(g.luminanceVariance, 0, t.minLuminanceVariance, t.minLuminanceVariance * 3), g.luminanceVariance >= t.minLuminanceVariance, 'face.lowContrast'),
    underExposurePrevention: measure(g.underExposed, rampDown(g.underExposed, 0.01, t.maxUnderExposed, 0.5), g.underExposed <= t.maxUnderExposed, 'face.tooDark'),
    overExposurePrevention: measure(g.overExposed, rampDown(g.overExposed, 0.005, t.maxOverExposed, 0.4), g.overExposed <= t.maxOverExposed, 'face.tooBright'),
    dynamicRange: measure(g.dynamicRange, rampUp(g.dynamicRange, 2, t.minDynamicRange, 7), g.dynamicRange >= t.minDynamicRange, 'face.lowContrast'),
    illuminationUniformity: measure(
      g.illuminationUniformity,
      rampUp(g.illuminationUniformity, 0.1, t.minIlluminationUniformity, 0.85),
      g.illuminationUniformity >= t.minIlluminationUniformity,
      'face.unevenLight',
    ),
    backgroundUniformity: measure(
      r.backgroundGradient,
      rampDown(r.backgroundGradient, t.maxBackgroundGradient / 4, t.maxBackgroundGradient, t.maxBackgroundGradient * 6),
      r.backgroundGradient <= t.maxBackgroundGradient,
      'face.plainBackground',
    ),
  };
  return ms;
}

/** Measures with no face at all: single-face fails, everything else cannot be computed. */
export function noFaceMeasures(): Record<MeasureId, QualityMeasure> {
  const out = {} as Record<MeasureId, QualityMeasure>;
  for (const id of MEASURE_IDS) out[id] = { raw: null, component: -1, pass: false, messageKey: id === 'singleFacePresent' ? 'face.notFound' : null };
  out.singleFacePresent = { raw: 0, component: 0, pass: false, messageKey: 'face.notFound' };
  return out;
}

/** Weights of the unified score: what blocks enrollment most weighs most. */
const WEIGHTS: Record<MeasureId, number> = {
  singleFacePresent: 3,
  interEyeDistance: 3,
  headSize: 1,
  leftwardCrop: 1,
  rightwardCrop: 1,
  upwardCrop: 1,
  downwardCrop: 1,
  centring: 1,
  headPoseYaw: 2,
  headPosePitch: 2,
  headPoseRoll: 1,
  eyesOpen: 3,
  mouthClosed: 1,
  sharpness: 3,
  luminanceMean: 2,
  luminanceVariance: 1,
  underExposurePrevention: 1,
  overExposurePrevention: 1,
  dynamicRange: 1,
  illuminationUniformity: 2,
  backgroundUniformity: 1,
};

/** Order in which instructions are shown: one actionable thing at a time, most fundamental first. */
const PRIORITY: MeasureId[] = [
  'singleFacePresent',
  'interEyeDistance',
  'headSize',
  'leftwardCrop',
  'rightwardCrop',
  'upwardCrop',
  'downwardCrop',
  'centring',
  'headPoseYaw',
  'headPosePitch',
  'headPoseRoll',
  'eyesOpen',
  'mouthClosed',
  'luminanceMean',
  'underExposurePrevention',
  'overExposurePrevention',
  'illuminationUniformity',
  'luminanceVariance',
  'dynamicRange',
  'sharpness',
  'backgroundUniformity',
];

export function summarise(measures: Record<MeasureId, QualityMeasure>, faceFound: boolean): { unifiedScore: number; pass: boolean; messages: string[] } {
  if (!faceFound) return { unifiedScore: 0, pass: false, messages: ['face.notFound'] };
  let s = 0;
  let w = 0;
  for (const id of MEASURE_IDS) {
    const m = measures[id];
    const c = m.component < 0 ? 0 : m.component;
    s += WEIGHTS[id] * c;
    w += WEIGHTS[id];
  }
  const messages: string[] = [];
  for (const id of PRIORITY) {
    const k = measures[id].messageKey;
    if (!measures[id].pass && k && !messages.includes(k)) messages.push(k);
  }
  return { unifiedScore: Math.round(s / w), pass: MEASURE_IDS.every((id) => measures[id].pass), messages };
}
