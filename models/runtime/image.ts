// Decoding untrusted image bytes with sharp into packed RGB: size checked from the header before any pixel is decoded.
import sharp, { type Metadata } from 'sharp';
import { ImageInvalidError, ImageTooLargeError } from './errors.js';

/** Packed 8-bit RGB, row-major, 3 bytes per pixel. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** 24 MP: a 6000×4000 still; larger inputs are refused before decoding. */
export const DEFAULT_MAX_PIXELS = 24_000_000;
export const MAX_ENCODED_BYTES = 64 * 1024 * 1024;

export interface DecodeOptions {
  maxPixels?: number;
}

sharp.cache(false);

/**
 * Decodes JPEG/PNG/WebP/… to RGB. Honours EXIF orientation; grey, RGB, RGBA (flattened on white) and CMYK (converted
 * to sRGB) are accepted. Anything else is an ImageInvalidError; a header declaring more than maxPixels is an
 * ImageTooLargeError raised from the metadata alone.
 */
export async function decodeImage(bytes: Uint8Array, options: DecodeOptions = {}): Promise<RgbImage> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (!(bytes instanceof Uint8Array) || bytes.byteLength === 0) throw new ImageInvalidError('Image is empty', { details: { reason: 'empty' } });
  if (bytes.byteLength > MAX_ENCODED_BYTES) {
    throw new ImageTooLargeError(`Encoded image is ${bytes.byteLength} bytes (limit ${MAX_ENCODED_BYTES})`, { bytes: bytes.byteLength });
  }
  const input = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let meta: Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch (cause) {
    throw new ImageInvalidError('Not a decodable image', { cause, details: { reason: 'format' } });
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (!(width > 0 && height > 0)) throw new ImageInvalidError('Image has no pixels', { details: { reason: 'empty', width, height } });
  if (width * height > maxPixels) {
    throw new ImageTooLargeError(`Image is ${width}×${height} (${width * height} pixels; limit ${maxPixels})`, { width, height, maxPixels });
  }
  try {
    const { data, info } = await sharp(input, { limitInputPixels: maxPixels, failOn: 'truncated' })
      .autoOrient()
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new ImageInvalidError(`Unexpected channel count ${info.channels}`, { details: { reason: 'channels', channels: info.channels } });
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
  } catch (cause) {
    if (cause instanceof ImageInvalidError) throw cause;
    throw new ImageInvalidError('Image could not be decoded (truncated or corrupt)', { cause, details: { reason: 'decode', format: meta.format ?? 'unknown' } });
  }
}

/** Packs RGBA (e.g. a canvas frame) into RGB, validating the size. */
export function fromRgba(rgba: Uint8Array, width: number, height: number, maxPixels = DEFAULT_MAX_PIXELS): RgbImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new ImageInvalidError('Frame has no pixels', { details: { reason: 'empty', width, height } });
  }
  if (width * height > maxPixels) throw new ImageTooLargeError(`Frame is ${width}×${height} (limit ${maxPixels} pixels)`, { width, height, maxPixels });
  if (rgba.byteLength !== width * height * 4) {
    throw new ImageInvalidError(`RGBA frame has ${rgba.byteLength} bytes, expected ${width * height * 4}`, { details: { reason: 'size', width, height } });
  }
  const out = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < out.length; i += 3, j += 4) {
    out[i] = rgba[j]!;
    out[i + 1] = rgba[j + 1]!;
    out[i + 2] = rgba[j + 2]!;
  }
  return { data: out, width, height };
}

export async function encodeJpeg(img: RgbImage, quality = 92): Promise<Buffer> {
  return sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength), { raw: { width: img.width, height: img.height, channels: 3 } })
    .jpeg({ quality, chromaSubsampling: '4:4:4' })
    .toBuffer();
}
