// Face geometry from the 68-point iBUG 300-W layout (0-based indices) and the similarity transform of
// Umeyama, "Least-squares estimation of transformation parameters between two point patterns", IEEE PAMI 13(4), 1991.
import type { Affine } from '../runtime/raster.js';

export type Point = [number, number];

export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** iBUG 68 indices used here. "Left" and "right" are in the image (the subject's right eye is the image's left). */
export const LM = {
  jaw: [0, 16] as const,
  chin: 8,
  leftEyeOuter: 36,
  leftEyeInner: 39,
  leftEyeRing: [37, 38, 40, 41] as const,
  rightEyeInner: 42,
  rightEyeOuter: 45,
  rightEyeRing: [43, 44, 46, 47] as const,
  noseTip: 30,
  mouthLeft: 48,
  mouthRight: 54,
  innerLipLeft: 60,
  innerLipRight: 64,
  innerLipTop: [61, 62, 63] as const,
  innerLipBottom: [67, 66, 65] as const,
  browsTop: [19, 24] as const,
};

export function pt(lm: Float32Array | number[], i: number): Point {
  return [lm[2 * i]!, lm[2 * i + 1]!];
}

export function mean(points: Point[]): Point {
  let x = 0;
  let y = 0;
  for (const p of points) {
    x += p[0];
    y += p[1];
  }
  return [x / points.length, y / points.length];
}

export function dist(a: Point, b: Point): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

/** Eye centres as the mean of the four eyelid points (image-left eye first). */
export function eyeCentres(lm: Float32Array | number[]): { left: Point; right: Point } {
  return {
    left: mean(LM.leftEyeRing.map((i) => pt(lm, i))),
    right: mean(LM.rightEyeRing.map((i) => pt(lm, i))),
  };
}

/** ArcFace 5 points: eye centres, nose tip, mouth corners (mean of outer and inner lip corners). */
export function fivePoints(lm: Float32Array | number[]): Point[] {
  const { left, right } = eyeCentres(lm);
  return [left, right, pt(lm, LM.noseTip), mean([pt(lm, 48), pt(lm, 60)]), mean([pt(lm, 54), pt(lm, 64)])];
}

/** The ArcFace 112×112 reference points (insightface). */
export const ARCFACE_TEMPLATE: Point[] = [
  [38.2946, 51.6963],
  [73.5318, 51.5014],
  [56.0252, 71.7366],
  [41.5493, 92.3655],
  [70.7299, 92.2041],
];

/** Least-squares similarity transform (rotation, uniform scale, translation) mapping src onto dst (Umeyama 1991). */
export function similarityTransform(src: Point[], dst: Point[]): Affine {
  const n = src.length;
  const ms = mean(src);
  const md = mean(dst);
  let sxx = 0;
  let sxy = 0;
  let syx = 0;
  let syy = 0;
  let varS = 0;
  for (let i = 0; i < n; i++) {
    const ax = src[i]![0] - ms[0];
    const ay = src[i]![1] - ms[1];
    const bx = dst[i]![0] - md[0];
    const by = dst[i]![1] - md[1];
    sxx += bx * ax;
    sxy += bx * ay;
    syx += by * ax;
    syy += by * ay;
    varS += ax * ax + ay * ay;
  }
  // For 2-D the optimal rotation angle follows from the cross-covariance directly.
  const theta = Math.atan2(syx - sxy, sxx + syy);
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const scale = varS > 0 ? ((sxx + syy) * cos + (syx - sxy) * sin) / varS : 1;
  const a = scale * cos;
  const b = -scale * sin;
  const d = scale * sin;
  const e = scale * cos;
  return [a, b, md[0] - (a * ms[0] + b * ms[1]), d, e, md[1] - (d * ms[0] + e * ms[1])];
}

/** Square of side = box height about the box centre (the crop the landmark and pose models were fed upstream). */
export function squareBox(b: Box): Box {
  const side = b.y2 - b.y1;
  const cx = (b.x1 + b.x2) / 2;
  const cy = (b.y1 + b.y2) / 2;
  return { x1: cx - side / 2, y1: cy - side / 2, x2: cx + side / 2, y2: cy + side / 2 };
}

export function boxArea(b: Box): number {
  return Math.max(0, b.x2 - b.x1) * Math.max(0, b.y2 - b.y1);
}

export function iou(a: Box, b: Box): number {
  const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (boxArea(a) + boxArea(b) - inter);
}
