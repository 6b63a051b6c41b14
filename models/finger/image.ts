// Grey finger images: validation and resampling to the 500 ppi working resolution (bilinear interpolation).
import { FingerImageInvalidError } from './errors.js';

export interface GrayImage {
  width: number;
  height: number;
  /** 8-bit grey, row-major, dark ridges on a light background. */
  pixels: Uint8Array;
  /** Scan resolution; 500 when unknown. */
  ppi?: number;
}

export const WORKING_PPI = 500;
/** Smallest accepted side after resampling (a plain impression is ≥ ~0.5 inch). */
export const MIN_SIDE = 64;
/** Largest accepted side (a 2-inch slap at 500 ppi is 1000 px; leave room). */
export const MAX_SIDE = 2048;

export function validateGrayImage(img: GrayImage): void {
  const { width, height, pixels } = img;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new FingerImageInvalidError('Finger image has invalid dimensions', { width, height });
  }
  if (!(pixels instanceof Uint8Array) || pixels.length !== width * height) {
    throw new FingerImageInvalidError('Finger image pixel buffer does not match its dimensions', { width, height, length: pixels?.length });
  }
  const ppi = img.ppi ?? WORKING_PPI;
  if (!Number.isFinite(ppi) || ppi < 150 || ppi > 2000) {
    throw new FingerImageInvalidError('Finger image resolution is out of range (150–2000 ppi)', { ppi });
  }
}

/** Bilinear resampling by `scale` (output side = round(side · scale)). */
export function resampleBilinear(img: GrayImage, scale: number): GrayImage {
  const w = Math.max(1, Math.round(img.width * scale));
  const h = Math.max(1, Math.round(img.height * scale));
  const out = new Uint8Array(w * h);
  const sx = img.width / w;
  const sy = img.height / h;
  const src = img.pixels;
  const W = img.width;
  for (let y = 0; y < h; y++) {
    const fy = Math.min(img.height - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(img.height - 1, y0 + 1);
    const ay = fy - y0;
    for (let x = 0; x < w; x++) {
      const fx = Math.min(W - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(W - 1, x0 + 1);
      const ax = fx - x0;
      const top = src[y0 * W + x0]! * (1 - ax) + src[y0 * W + x1]! * ax;
      const bot = src[y1 * W + x0]! * (1 - ax) + src[y1 * W + x1]! * ax;
      out[y * w + x] = Math.round(top * (1 - ay) + bot * ay);
    }
  }
  return { width: w, height: h, pixels: out, ppi: (img.ppi ?? WORKING_PPI) * scale };
}

/** Validates and brings an image to 500 ppi; throws FingerImageInvalidError for unusable input. */
export function toWorkingResolution(img: GrayImage): GrayImage {
  validateGrayImage(img);
  const ppi = img.ppi ?? WORKING_PPI;
  const out = Math.abs(ppi - WORKING_PPI) < 5 ? { ...img, ppi: WORKING_PPI } : { ...resampleBilinear(img, WORKING_PPI / ppi), ppi: WORKING_PPI };
  if (out.width < MIN_SIDE || out.height < MIN_SIDE) {
    throw new FingerImageInvalidError(`Finger image is too small (minimum ${MIN_SIDE} px per side at 500 ppi)`, { width: out.width, height: out.height });
  }
  if (out.width > MAX_SIDE || out.height > MAX_SIDE) {
    throw new FingerImageInvalidError(`Finger image is too large (maximum ${MAX_SIDE} px per side at 500 ppi)`, { width: out.width, height: out.height });
  }
  return out;
}
