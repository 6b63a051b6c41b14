// ISO/IEC 19794-5:2005 §8.3 Token Face Image geometry (kept in ISO/IEC 39794-5): a frontal crop fixed by the eye
// centres. With image width W (≥ 240 px): height H = W / 0.75; eyes on the horizontal line y = 0.6·W from the top
// (= 0.45·H, i.e. 0.55·H above the bottom); first eye at x = 0.375·W, second at x = 0.625·W − 1, so the inter-eye
// distance is 0.25·W and the eye midpoint sits at x = 0.5·W. Rotation makes the eye line horizontal.
import type { Affine } from '../runtime/raster.js';
import { similarityTransform, type Point } from './geometry.js';

export const TOKEN_MIN_WIDTH = 240;
export const TOKEN_MAX_WIDTH = 960;

export interface TokenGeometry {
  width: number;
  height: number;
  /** Source → token transform. */
  transform: Affine;
  interEyeDistance: number;
}

/** Picks W = 4 × the source inter-eye distance (no upsampling beyond the 240 px minimum), capped at 960. */
export function tokenGeometry(leftEye: Point, rightEye: Point): TokenGeometry {
  const ied = Math.hypot(rightEye[0] - leftEye[0], rightEye[1] - leftEye[1]);
  let width = Math.round(Math.min(TOKEN_MAX_WIDTH, Math.max(TOKEN_MIN_WIDTH, 4 * ied)));
  width += width % 4 === 0 ? 0 : 4 - (width % 4);
  const height = Math.round(width / 0.75);
  const transform = similarityTransform(
    [leftEye, rightEye],
    [
      [0.375 * width, 0.6 * width],
      [0.625 * width - 1, 0.6 * width],
    ],
  );
  return { width, height, transform, interEyeDistance: 0.25 * width - 1 };
}
