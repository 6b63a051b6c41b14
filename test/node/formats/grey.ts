// Test helper: 8-bit grey pixels from an image file via sharp, and image quality metrics.
import sharp from 'sharp';

export interface Grey {
  width: number;
  height: number;
  pixels: Uint8Array;
}

export async function readGrey(file: string): Promise<Grey> {
  const { data, info } = await sharp(file).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, pixels: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

export function psnr(a: Uint8Array, b: Uint8Array): number {
  let se = 0;
  for (let i = 0; i < a.length; i++) {
    const e = a[i]! - b[i]!;
    se += e * e;
  }
  return se === 0 ? Infinity : 10 * Math.log10((255 * 255) / (se / a.length));
}

/** Deterministic synthetic "fingerprint": curved ridges with a soft elliptical mask on a light background. */
export function syntheticFinger(width: number, height: number, seed = 1): Uint8Array {
  const out = new Uint8Array(width * height);
  const cx = width / 2;
  const cy = height / 2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = (x - cx) / (width * 0.38);
      const dy = (y - cy) / (height * 0.45);
      const r = Math.hypot(x - cx, (y - cy) * 1.2 + seed * 7);
      const inside = Math.max(0, 1 - (dx * dx + dy * dy));
      const ridge = Math.sin(r / 1.6 + Math.sin(x / 37 + seed) * 2);
      out[y * width + x] = Math.round(230 - inside * 150 * (0.5 + 0.5 * ridge));
    }
  }
  return out;
}

/** Byte equality without vitest's element-wise deep diff (slow on large arrays). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}
