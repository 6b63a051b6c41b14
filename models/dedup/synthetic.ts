// Synthetic populations for tests and the dedup benchmark (not used at run time).
// Faces: identity vectors drawn in a random subspace whose dimension sets the impostor cosine spread (for isotropic
// unit vectors in d dimensions cos ~ N(0, 1/d)); a capture adds isotropic noise of per-capture strength so that genuine
// cosines spread like the measured ones. Fingers: random minutiae sets (a cheap stand-in for timing only) and
// rigidly moved, jittered, partially dropped copies of them.
import { createTemplate, serializeTemplate, type TemplateMinutia } from '../finger/template.js';
import { FACE_DIMS } from './types.js';

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gaussian(rng: () => number): number {
  let u = 0;
  while (u === 0) u = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

export function normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const inv = 1 / Math.sqrt(s);
  for (let i = 0; i < v.length; i++) v[i]! *= inv;
  return v;
}

export interface SyntheticFaceModel {
  /** Dimension of the identity subspace (impostor cosine sd ≈ 1/√dims). */
  identityDims: number;
  /** Per-capture noise-to-signal ratio σ: drawn log-normally around `noise` with spread `noiseSpread`. */
  noise: number;
  noiseSpread: number;
}

/** Tuned so that impostor cos ≈ N(0, 0.077) and genuine cos ≈ N(0.78, 0.11) (the fixture measurements). */
export const FIXTURE_LIKE_FACES: SyntheticFaceModel = { identityDims: 169, noise: 0.5, noiseSpread: 0.45 };

export class SyntheticFaces {
  private readonly basis: Float32Array;
  constructor(private readonly model: SyntheticFaceModel = FIXTURE_LIKE_FACES, seed = 1) {
    const rng = mulberry32(seed);
    // A random (not orthonormalised) basis of identityDims vectors; close enough to orthogonal in 512-d.
    this.basis = new Float32Array(model.identityDims * FACE_DIMS);
    for (let i = 0; i < this.basis.length; i++) this.basis[i] = gaussian(rng) / Math.sqrt(FACE_DIMS);
  }

  identity(subject: number): Float32Array {
    const rng = mulberry32(0x9e3779b1 ^ (subject * 2654435761));
    const v = new Float32Array(FACE_DIMS);
    for (let k = 0; k < this.model.identityDims; k++) {
      const c = gaussian(rng);
      const o = k * FACE_DIMS;
      for (let d = 0; d < FACE_DIMS; d++) v[d]! += c * this.basis[o + d]!;
    }
    return normalize(v);
  }

  capture(subject: number, capture: number): Float32Array {
    const id = this.identity(subject);
    const rng = mulberry32((subject * 7919) ^ (capture * 104729) ^ 0x5bd1e995);
    const sigma = this.model.noise * Math.exp(this.model.noiseSpread * gaussian(rng));
    const v = new Float32Array(FACE_DIMS);
    for (let d = 0; d < FACE_DIMS; d++) v[d] = id[d]! + (sigma * gaussian(rng)) / Math.sqrt(FACE_DIMS);
    return normalize(v);
  }
}

/** A random minutiae set inside a finger-shaped ellipse (for timing and plumbing tests, not for accuracy). */
export function randomMinutiae(rng: () => number, count = 36, width = 288, height = 384): TemplateMinutia[] {
  const out: TemplateMinutia[] = [];
  while (out.length < count) {
    const x = rng() * width, y = rng() * height;
    if (((x - width / 2) / (width * 0.42)) ** 2 + ((y - height / 2) / (height * 0.45)) ** 2 > 1) continue;
    out.push({ x, y, direction: rng() * 2 * Math.PI, type: rng() < 0.5 ? 'ending' : 'bifurcation', quality: 60 + Math.floor(rng() * 40) });
  }
  return out;
}

/** Another "impression" of the same minutiae: rotation, translation, jitter, dropped and spurious minutiae. */
export function perturbMinutiae(ms: TemplateMinutia[], rng: () => number, width = 288, height = 384): TemplateMinutia[] {
  const a = (rng() - 0.5) * 0.35, tx = (rng() - 0.5) * 30, ty = (rng() - 0.5) * 30;
  const c = Math.cos(a), s = Math.sin(a), cx = width / 2, cy = height / 2;
  const out: TemplateMinutia[] = [];
  for (const m of ms) {
    if (rng() < 0.12) continue;
    const dx = m.x - cx, dy = m.y - cy;
    const x = cx + c * dx - s * dy + tx + gaussian(rng) * 2, y = cy + s * dx + c * dy + ty + gaussian(rng) * 2;
    if (x < 0 || y < 0 || x >= width || y >= height) continue;
    out.push({ ...m, x, y, direction: (((m.direction + a + gaussian(rng) * 0.08) % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI) });
  }
  for (const extra of randomMinutiae(rng, Math.floor(rng() * 4) + 1, width, height)) out.push(extra);
  return out;
}

export function templateBytes(ms: TemplateMinutia[], width = 288, height = 384): Uint8Array {
  return serializeTemplate(createTemplate(ms, width, height));
}

/** The compact "KFT1" bytes of a minutiae set without building cylinders (same layout as serializeTemplate). */
export function encodeKft1(ms: TemplateMinutia[], width = 288, height = 384): Uint8Array {
  const out = new Uint8Array(16 + ms.length * 8);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, 0x3154464b, true);
  dv.setUint16(4, 1, true);
  dv.setUint16(6, width, true);
  dv.setUint16(8, height, true);
  dv.setUint16(10, ms.length, true);
  ms.forEach((m, i) => {
    const o = 16 + i * 8;
    dv.setUint16(o, Math.round(m.x * 4), true);
    dv.setUint16(o + 2, Math.round(m.y * 4), true);
    dv.setUint16(o + 4, Math.round((m.direction / (2 * Math.PI)) * 65536) & 0xffff, true);
    out[o + 6] = m.type === 'ending' ? 1 : m.type === 'bifurcation' ? 2 : 0;
    out[o + 7] = m.quality;
  });
  return out;
}

/** A random unit vector (timing populations: impostor cosines ~ N(0, 1/√512)). */
export function randomUnit(rng: () => number, dims = FACE_DIMS): Float32Array {
  const v = new Float32Array(dims);
  for (let i = 0; i < dims; i++) v[i] = gaussian(rng);
  return normalize(v);
}
