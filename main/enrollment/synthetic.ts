// Synthetic capture data for the dev seed, tests and benchmarks: a fast procedural ridge image (concentric/loop-like
// sinusoidal ridges under an elliptical mask), a compact minutiae template, a seeded 512-d embedding.
// Realistic SFinGe-style prints come from drivers/synth (used by `kiosk store dev seed` unless --procedural).
import { createHash } from 'node:crypto';
import type { FaceCapture, FingerCapture, FingerPosition, GreyImage } from './model.js';

/** mulberry32 PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seedOf(...parts: (string | number)[]): number {
  return createHash('sha256').update(parts.join('|')).digest().readUInt32LE(0);
}

export function proceduralFinger(seed: number, width = 288, height = 384): GreyImage {
  const rnd = prng(seed);
  const cx = width * (0.4 + 0.2 * rnd());
  const cy = height * (0.35 + 0.2 * rnd());
  const period = 8.5 + 2 * rnd(); // ~9 px ridge period at 500 ppi
  const skew = 0.4 + 0.6 * rnd();
  const pixels = new Uint8Array(width * height);
  const rx = width * 0.46;
  const ry = height * 0.47;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const ex = (x - width / 2) / rx;
      const ey = (y - height / 2) / ry;
      const i = y * width + x;
      if (ex * ex + ey * ey > 1) {
        pixels[i] = 235 + Math.floor(rnd() * 20);
        continue;
      }
      const dx = x - cx;
      const dy = (y - cy) * (y < cy ? skew : 1);
      const r = Math.sqrt(dx * dx + dy * dy) + 6 * Math.sin(Math.atan2(dy, dx) * 2);
      const v = Math.cos((2 * Math.PI * r) / period);
      pixels[i] = Math.max(0, Math.min(255, Math.round(128 + 100 * v + (rnd() - 0.5) * 30)));
    }
  }
  return { width, height, ppi: 500, pixels };
}

/** A compact ISO/IEC 19794-2-style minutiae record: header + (type|x, y, angle, quality) per minutia. */
export function encodeMinutiaeTemplate(width: number, height: number, minutiae: { x: number; y: number; direction: number; type: 'ending' | 'bifurcation' }[]): Uint8Array {
  const n = Math.min(minutiae.length, 255);
  const out = Buffer.alloc(16 + n * 6);
  out.write('FMR\0 20\0', 0, 'latin1');
  out.writeUInt16BE(width, 8);
  out.writeUInt16BE(height, 10);
  out.writeUInt16BE(197, 12); // 500 ppi = 197 px/cm
  out.writeUInt8(n, 15);
  minutiae.slice(0, n).forEach((m, i) => {
    const o = 16 + i * 6;
    out.writeUInt16BE(((m.type === 'ending' ? 1 : 2) << 14) | (Math.round(m.x) & 0x3fff), o);
    out.writeUInt16BE(Math.round(m.y) & 0x3fff, o + 2);
    out.writeUInt8(Math.round((m.direction / (2 * Math.PI)) * 256) & 0xff, o + 4);
    out.writeUInt8(60, o + 5);
  });
  return new Uint8Array(out);
}

export function syntheticMinutiae(seed: number, width: number, height: number, count = 40) {
  const rnd = prng(seed ^ 0x5bd1e995);
  return Array.from({ length: count }, () => ({
    x: width * (0.15 + 0.7 * rnd()),
    y: height * (0.15 + 0.7 * rnd()),
    direction: rnd() * 2 * Math.PI,
    type: rnd() < 0.5 ? ('ending' as const) : ('bifurcation' as const),
  }));
}

export function proceduralFingerCapture(subject: string, position: FingerPosition, capturedAt: string): FingerCapture {
  const seed = seedOf(subject, position);
  const image = proceduralFinger(seed);
  return {
    position,
    image,
    template: encodeMinutiaeTemplate(image.width, image.height, syntheticMinutiae(seed, image.width, image.height)),
    templateFormat: 'iso-19794-2',
    quality: 40 + (seed % 55),
    attempts: 1 + (seed % 3),
    capturedAt,
  };
}

export function syntheticEmbedding(seed: number): Float32Array {
  const rnd = prng(seed);
  const v = new Float32Array(512);
  let norm = 0;
  for (let i = 0; i < v.length; i++) {
    v[i] = rnd() * 2 - 1;
    norm += v[i]! * v[i]!;
  }
  norm = Math.sqrt(norm);
  for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}

/** A JPEG-framed placeholder (SOI … EOI) for tests that need face bytes but no decoder. */
export function placeholderJpeg(seed: number, bytes = 20_000): Uint8Array {
  const rnd = prng(seed);
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) out[i] = Math.floor(rnd() * 256);
  out.set([0xff, 0xd8, 0xff, 0xe0], 0);
  out.set([0xff, 0xd9], bytes - 2);
  return out;
}

export function syntheticFace(subject: string, capturedAt: string, image?: Uint8Array): FaceCapture {
  const seed = seedOf(subject, 'face');
  return {
    image: image ?? placeholderJpeg(seed),
    quality: { score: 70 + (seed % 25), icao: { singleFace: true, frontal: true, eyesOpen: true } },
    embedding: syntheticEmbedding(seed),
    capturedAt,
  };
}
