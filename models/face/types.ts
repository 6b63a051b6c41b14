// The face-analysis report shapes (JSON-safe: plain numbers and arrays) shared by the worker, service, CLI and UI.

export const MEASURE_IDS = [
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
  'sharpness',
  'luminanceMean',
  'luminanceVariance',
  'underExposurePrevention',
  'overExposurePrevention',
  'dynamicRange',
  'illuminationUniformity',
  'backgroundUniformity',
] as const;

export type MeasureId = (typeof MEASURE_IDS)[number];

export interface QualityMeasure {
  /** Raw value in the unit documented in docs/FACE_QUALITY.md; null when it could not be computed. */
  raw: number | null;
  /** 0–100, higher is better; −1 when it could not be computed (as ISO/IEC 29794-5). */
  component: number;
  pass: boolean;
  /** i18n key of the instruction to show when the measure fails; null when it passes. */
  messageKey: string | null;
}

export interface FaceBoxReport {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
}

export interface PrimaryFace {
  box: FaceBoxReport;
  /** 68 points (iBUG 300-W), flat [x0, y0, …, x67, y67] in frame pixels. */
  landmarks: number[];
  leftEye: [number, number];
  rightEye: [number, number];
  interEyeDistance: number;
  /** Degrees: yaw and pitch from fr_pose (HopeNet); roll from the eye line. */
  pose: { yaw: number; pitch: number; roll: number; modelRoll: number };
  /** Probability each eye is open (image-left eye first). */
  eyesOpen: [number, number];
  /** Share of near-black pixels around each eye (covered or cut off when large; PAD trusts only visible eyes). */
  eyeDarkShare: [number, number];
}

export interface FaceQualityReport {
  width: number;
  height: number;
  /** All faces the detector kept after NMS, best score first. */
  faces: FaceBoxReport[];
  /** Index into faces of the analysed face, −1 when none. */
  primary: number;
  face: PrimaryFace | null;
  measures: Record<MeasureId, QualityMeasure>;
  /** 0–100 weighted mean of the components (see docs/FACE_QUALITY.md); 0 when no face. */
  unifiedScore: number;
  /** True when every measure passes. */
  pass: boolean;
  /** Message keys of failing measures, most important first, without duplicates. */
  messages: string[];
  timingsMs: Record<string, number>;
}

export interface PadResult {
  /** Probability of a bona fide (live) presentation, 0..1, from fr_liveness (class index 1; docs/MODELS.md). */
  score: number;
  /** The three class probabilities as the model gives them (0 = print, 1 = bona fide, 2 = replay). */
  probabilities: number[];
  threshold: number;
  /** The face is visible: both eye patches show it and the liveness crop is mostly picture, not black fill (not covered or cut off); the passive score is only trusted then. */
  eyesVisible: boolean;
  /** Passive decision: bona fide when score ≥ threshold and the eyes are visible, otherwise not (yet) accepted. */
  decision: 'bona_fide' | 'attack_suspected';
  /** The kiosk asks for the active challenge (blink or head turn) before accepting this presentation. */
  challengeRequired: boolean;
}

export interface CaptureResult {
  report: FaceQualityReport;
  pad: PadResult | null;
  /** 512-d L2-normalised embedding; null when no face. */
  embedding: number[] | null;
  /** ISO/IEC 19794-5 token frontal image, JPEG; null when no face. */
  tokenJpeg: Uint8Array | null;
  token: { width: number; height: number; interEyeDistance: number } | null;
}

/** Every instruction key a report can carry (for the UI's translation files). */
export const FACE_MESSAGE_KEYS = [
  'face.notFound',
  'face.onlyOnePerson',
  'face.moveCloser',
  'face.moveBack',
  'face.centre',
  'face.lookStraight',
  'face.raiseChin',
  'face.lowerChin',
  'face.straightenHead',
  'face.openEyes',
  'face.closeMouth',
  'face.tooDark',
  'face.tooBright',
  'face.lowContrast',
  'face.unevenLight',
  'face.holdStill',
  'face.plainBackground',
] as const;

export type FaceMessageKey = (typeof FACE_MESSAGE_KEYS)[number];
