// R30x UpImage pixel format: 4 bits per pixel, high nibble first; a nibble v expands to v × 17 (0..255).
import { IMAGE_BYTES, IMAGE_HEIGHT, IMAGE_WIDTH } from './packet.js';

export function unpackNibbles(packed: Uint8Array, width = IMAGE_WIDTH, height = IMAGE_HEIGHT): Uint8Array {
  const out = new Uint8Array(width * height);
  const n = Math.min(packed.length, out.length >> 1);
  for (let i = 0; i < n; i++) {
    const b = packed[i]!;
    out[2 * i] = (b >> 4) * 17;
    out[2 * i + 1] = (b & 0x0f) * 17;
  }
  return out;
}

/** 8-bit → 4-bit (rounded), the device side of the same format. */
export function packNibbles(pixels: Uint8Array): Uint8Array {
  const out = new Uint8Array(pixels.length >> 1);
  for (let i = 0; i < out.length; i++) {
    const hi = Math.round(pixels[2 * i]! / 17);
    const lo = Math.round(pixels[2 * i + 1]! / 17);
    out[i] = (hi << 4) | lo;
  }
  return out;
}

export { IMAGE_BYTES };
