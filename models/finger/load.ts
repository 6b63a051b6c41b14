// Reading finger images from files with sharp (any format sharp decodes) into 8-bit grey.
import sharp from 'sharp';
import { FingerImageInvalidError } from './errors.js';
import type { GrayImage } from './image.js';

/** Decodes an image file or buffer to grey. Resolution metadata is ignored unless `ppi` is given (scanner DPI tags are unreliable). */
export async function loadGrayImage(input: string | Uint8Array, ppi?: number): Promise<GrayImage> {
  try {
    const { data, info } = await sharp(input, { limitInputPixels: 40_000_000 }).flatten({ background: '#ffffff' }).grayscale().raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 1) throw new Error(`expected 1 channel, got ${info.channels}`);
    return { width: info.width, height: info.height, pixels: new Uint8Array(data.buffer, data.byteOffset, data.length), ppi: ppi ?? 500 };
  } catch (e) {
    throw new FingerImageInvalidError('Finger image could not be decoded', { source: typeof input === 'string' ? 'file' : 'buffer' }, e);
  }
}
