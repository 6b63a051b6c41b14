// Face detection post-processing for the Ultra-Light-Fast-Generic-Face-Detector (RFB-320) whose boxes are already
// decoded to corner form: score threshold, greedy non-maximum suppression (IoU 0.3), choice of the primary face.
import { boxArea, iou, type Box } from './geometry.js';

export interface DetectedFace extends Box {
  score: number;
}

export const DETECTOR_WIDTH = 320;
export const DETECTOR_HEIGHT = 240;

export interface DetectOptions {
  minScore: number;
  nmsIou: number;
  maxFaces: number;
}

export const DEFAULT_DETECT: DetectOptions = { minScore: 0.7, nmsIou: 0.3, maxFaces: 20 };

/** scores [N,2] (background, face) and boxes [N,4] relative corners → faces in frame pixels, best first. */
export function decodeDetections(scores: Float32Array, boxes: Float32Array, width: number, height: number, opts: DetectOptions = DEFAULT_DETECT): DetectedFace[] {
  const n = Math.floor(scores.length / 2);
  const candidates: DetectedFace[] = [];
  for (let i = 0; i < n; i++) {
    const s = scores[2 * i + 1]!;
    if (!(s >= opts.minScore)) continue;
    const x1 = boxes[4 * i]! * width;
    const y1 = boxes[4 * i + 1]! * height;
    const x2 = boxes[4 * i + 2]! * width;
    const y2 = boxes[4 * i + 3]! * height;
    if (!(x2 > x1 && y2 > y1)) continue;
    candidates.push({ x1, y1, x2, y2, score: s });
  }
  candidates.sort((a, b) => b.score - a.score);
  return nms(candidates, opts.nmsIou).slice(0, opts.maxFaces);
}

export function nms<T extends Box & { score: number }>(sorted: T[], threshold: number): T[] {
  const kept: T[] = [];
  for (const c of sorted) if (kept.every((k) => iou(k, c) <= threshold)) kept.push(c);
  return kept;
}

/**
 * The face to analyse: the largest box scoring at least `high` (0.99); when none does, the largest above the
 * detector threshold. (A large low-score box can be blurred background, so a confident face wins over size.)
 */
export function selectPrimary(faces: DetectedFace[], high = 0.99): number {
  const pick = (min: number) => {
    let best = -1;
    for (let i = 0; i < faces.length; i++) if (faces[i]!.score >= min && (best < 0 || boxArea(faces[i]!) > boxArea(faces[best]!))) best = i;
    return best;
  };
  const i = pick(high);
  return i >= 0 ? i : pick(-Infinity);
}
