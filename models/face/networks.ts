// Pre- and post-processing of each pinned network (layouts in models/manifest.json, findings in docs/MODELS.md).
import { rectToAffine, rgbToPlanar, warpAffine, warpGrey, type Affine } from '../runtime/raster.js';
import type { RgbImage } from '../runtime/image.js';
import type { ModelSession } from '../runtime/session.js';
import { DEFAULT_DETECT, DETECTOR_HEIGHT, DETECTOR_WIDTH, decodeDetections, type DetectOptions, type DetectedFace } from './detect.js';
import { ARCFACE_TEMPLATE, LM, dist, eyeCentres, fivePoints, pt, similarityTransform, squareBox, type Box, type Point } from './geometry.js';
import { blackShare, livenessTensor } from './liveness-input.js';

export type FaceSessions = Record<'detect' | 'landmark' | 'eye' | 'pose' | 'liveness' | 'feature', ModelSession>;

const first = (r: Record<string, Float32Array>, name: string): Float32Array => r[name]!;

export function softmax(logits: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]!);
  const e = Array.from({ length: logits.length }, (_, i) => Math.exp(logits[i]! - max));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** Detector tensor: the frame stretched to 320×240, (x − 127) / 128, planar RGB. Exact k× frames (640×480, 1280×960)
 * are box-averaged straight into the tensor in one pass. */
export function detectorInput(img: RgbImage): Float32Array {
  const k = img.width / DETECTOR_WIDTH;
  if (Number.isInteger(k) && k >= 1 && img.height === k * DETECTOR_HEIGHT) {
    const n = DETECTOR_WIDTH * DETECTOR_HEIGHT;
    const acc = new Float32Array(3 * n);
    const d = img.data;
    for (let y = 0; y < img.height; y++) {
      const row = Math.floor(y / k) * DETECTOR_WIDTH;
      let si = y * img.width * 3;
      for (let x = 0; x < DETECTOR_WIDTH; x++) {
        let r = 0;
        let g = 0;
        let b = 0;
        for (let dx = 0; dx < k; dx++, si += 3) {
          r += d[si]!;
          g += d[si + 1]!;
          b += d[si + 2]!;
        }
        acc[row + x]! += r;
        acc[n + row + x]! += g;
        acc[2 * n + row + x]! += b;
      }
    }
    const area = k * k;
    for (let i = 0; i < acc.length; i++) acc[i] = (Math.round(acc[i]! / area) - 127) / 128;
    return acc;
  }
  const px = warpAffine(img, 3, rectToAffine(0, 0, img.width, img.height, DETECTOR_WIDTH, DETECTOR_HEIGHT), DETECTOR_WIDTH, DETECTOR_HEIGHT);
  return rgbToPlanar(px, DETECTOR_WIDTH, DETECTOR_HEIGHT, [127, 127, 127], [128, 128, 128]);
}

export async function detectFaces(s: FaceSessions, img: RgbImage, opts: DetectOptions = DEFAULT_DETECT): Promise<DetectedFace[]> {
  const out = await s.detect.run(detectorInput(img));
  return decodeDetections(first(out, 'scores'), first(out, 'boxes'), img.width, img.height, opts);
}

/** 68 landmarks in frame pixels, as a flat [x0, y0, x1, y1, …] array. */
export async function landmarks68(s: FaceSessions, img: RgbImage, box: Box): Promise<Float32Array> {
  const sq = squareBox(box);
  const side = sq.x2 - sq.x1;
  const px = warpGrey(img, rectToAffine(sq.x1, sq.y1, side, side, 64, 64), 64, 64);
  const input = new Float32Array(64 * 64);
  for (let i = 0; i < input.length; i++) input[i] = px[i]! / 256;
  const out = first(await s.landmark.run(input), 'output');
  const lm = new Float32Array(136);
  for (let i = 0; i < 68; i++) {
    lm[2 * i] = sq.x1 + out[2 * i]! * side;
    lm[2 * i + 1] = sq.y1 + out[2 * i + 1]! * side;
  }
  return lm;
}

/** Index of the "open" class of fr_eye, found empirically on the fixture photos (docs/MODELS.md). */
export const EYE_OPEN_INDEX = 1;

/** Probability that each eye is open (image-left eye first), from 24×24 grey crops 1.6× the eye width. */
export async function eyeOpenness(s: FaceSessions, img: RgbImage, lm: Float32Array): Promise<[number, number]> {
  const { left, right } = eyeCentres(lm);
  const sides = [dist(pt(lm, LM.leftEyeOuter), pt(lm, LM.leftEyeInner)) * 1.6, dist(pt(lm, LM.rightEyeInner), pt(lm, LM.rightEyeOuter)) * 1.6];
  const res: number[] = [];
  for (const [i, c] of [left, right].entries()) {
    const side = Math.max(2, sides[i]!);
    const px = warpGrey(img, rectToAffine(c[0] - side / 2, c[1] - side / 2, side, side, 24, 24), 24, 24);
    const input = new Float32Array(24 * 24);
    for (let k = 0; k < input.length; k++) input[k] = px[k]! / 255;
    res.push(softmax(first(await s.eye.run(input), 'output'))[EYE_OPEN_INDEX]!);
  }
  return [res[0]!, res[1]!];
}

export interface HeadPose {
  yaw: number;
  pitch: number;
  roll: number;
}

const binExpectation = (logits: Float32Array) => softmax(logits).reduce((acc, p, i) => acc + p * i, 0) * 3 - 99;

/** HopeNet: crop = square box grown by 1/4 of its side on each side, 224×224, ImageNet normalisation. */
export async function headPose(s: FaceSessions, img: RgbImage, box: Box): Promise<HeadPose> {
  const sq = squareBox(box);
  const side = sq.x2 - sq.x1;
  const m = rectToAffine(sq.x1 - side / 4, sq.y1 - side / 4, side * 1.5, side * 1.5, 224, 224);
  const px = warpAffine(img, 3, m, 224, 224);
  const out = await s.pose.run(rgbToPlanar(px, 224, 224, [0.485 * 255, 0.456 * 255, 0.406 * 255], [0.229 * 255, 0.224 * 255, 0.225 * 255]));
  return { yaw: binExpectation(first(out, 'output')), pitch: binExpectation(first(out, '617')), roll: binExpectation(first(out, '618')) };
}

/** Liveness crop: square box scaled 2.7× about its centre, shifted (not clipped) to stay inside the frame. */
export function livenessCrop(img: RgbImage, box: Box): Affine {
  const sq = squareBox(box);
  const side0 = sq.x2 - sq.x1;
  const scale = Math.min((img.height - 1) / side0, (img.width - 1) / side0, 2.7);
  const side = side0 * scale;
  const cx = (sq.x1 + sq.x2) / 2;
  const cy = (sq.y1 + sq.y2) / 2;
  let x = cx - side / 2;
  let y = cy - side / 2;
  x = Math.min(Math.max(0, x), img.width - 1 - side);
  y = Math.min(Math.max(0, y), img.height - 1 - side);
  return rectToAffine(Math.max(0, x), Math.max(0, y), side, side, 128, 128);
}

/**
 * fr_liveness softmax over its three classes, on the exposure-normalised, band-limited crop (liveness-input.ts), and
 * the share of near-black fill in that crop (a picture cut or covered around the face).
 */
export async function livenessProbabilities(s: FaceSessions, img: RgbImage, box: Box): Promise<{ probabilities: number[]; blackShare: number }> {
  const px = warpAffine(img, 3, livenessCrop(img, box), 128, 128);
  const out = await s.liveness.run(livenessTensor(px, 128));
  return { probabilities: softmax(first(out, 'output')), blackShare: blackShare(px, 128 * 128) };
}

export function alignmentTransform(lm: Float32Array): Affine {
  return similarityTransform(fivePoints(lm), ARCFACE_TEMPLATE);
}

/** 512-d embedding of the face aligned to the ArcFace template, L2-normalised. Returns the raw norm too. */
export async function embedding(s: FaceSessions, img: RgbImage, lm: Float32Array): Promise<{ vector: Float32Array; norm: number }> {
  const px = warpAffine(img, 3, alignmentTransform(lm), 112, 112);
  const out = first(await s.feature.run(rgbToPlanar(px, 112, 112, [127.5, 127.5, 127.5], [128, 128, 128])), 'output');
  let n = 0;
  for (let i = 0; i < out.length; i++) n += out[i]! * out[i]!;
  const norm = Math.sqrt(n);
  const vector = new Float32Array(out.length);
  for (let i = 0; i < out.length; i++) vector[i] = norm > 0 ? out[i]! / norm : 0;
  return { vector, norm };
}

export type { Point };
