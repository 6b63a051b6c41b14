// A large gallery of distinct pseudo-fingers for 1:N benchmarks, where rendering and extracting a million synthetic
// impressions is out of reach (≈ 0.2 s per master print, 30 ms per extraction).
//
// How: M distinct synthetic master prints (drivers/synth, subjects `gallery-<k>`, none shared with the evaluation
// fingers `s<f>`) give ground-truth minutiae. Pseudo-finger k is a chimera of two different masters (i, j): the
// minutiae of i on one side of a random line through the centre and those of j on the other side, then an impression-
// like view: random rotation (±20°) and shift (±20 px), an elliptic footprint (a plain impression's contact area),
// 15 % of the minutiae dropped, positions jittered (σ 1.5 px), directions jittered (σ 0.08 rad) and a few spurious
// minutiae added — what the extractor does to a real impression. Every ordered pair (i, j) with i ≠ j is used at most
// once, so M masters give M·(M − 1) distinct pseudo-fingers (1,000 masters → 999,000). Pseudo-finger k is a pure
// function of (masters, k), so templates can be rebuilt on demand instead of held in memory.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { synthesizeMasterPrint } from '../../../drivers/synth/index.js';
import { INDEX_DIMS, pairHistogram } from '../index-vector.js';
import { quantizeIndex } from '../prefilter.js';
import type { TemplateMinutia } from '../template.js';

export interface MasterMinutiae {
  x: Float32Array;
  y: Float32Array;
  /** Internal convention: radians, clockwise on screen (image coordinates). */
  theta: Float32Array;
  type: Uint8Array;
}

const MASTER_W = 320, MASTER_H = 400;
const OUT_W = 288, OUT_H = 384;

/** Ground-truth minutiae of `count` distinct master prints, cached in one file under `cacheDir`. */
export function galleryMasters(count: number, cacheDir = process.env.FINGER_SYNTH_CACHE ?? path.join(os.tmpdir(), 'kiosk-finger-synth-v1')): MasterMinutiae[] {
  const file = path.join(cacheDir, `gallery-masters-${count}.json`);
  let raw: number[][][];
  if (existsSync(file)) {
    raw = JSON.parse(readFileSync(file, 'utf8')) as number[][][];
  } else {
    raw = [];
    for (let k = 0; k < count; k++) {
      const m = synthesizeMasterPrint({ subject: `gallery-${k}`, finger: ((k % 10) + 1) as 1 });
      raw.push(m.minutiae.map((q) => [q.x, q.y, (2 * Math.PI - q.direction) % (2 * Math.PI), q.type === 'ending' ? 1 : 2]));
    }
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(file, JSON.stringify(raw));
  }
  return raw.map((ms) => ({
    x: Float32Array.from(ms, (m) => m[0]!),
    y: Float32Array.from(ms, (m) => m[1]!),
    theta: Float32Array.from(ms, (m) => m[2]!),
    type: Uint8Array.from(ms, (m) => m[3]!),
  }));
}

/** mulberry32: a small deterministic PRNG (per pseudo-finger seed). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/** The two masters of pseudo-finger k (distinct ordered pair, i ≠ j). */
export function pseudoPair(masterCount: number, k: number): [number, number] {
  const i = k % masterCount;
  const j = (i + 1 + (Math.floor(k / masterCount) % (masterCount - 1))) % masterCount;
  return [i, j];
}

/** Minutiae of pseudo-finger k (deterministic). */
export function pseudoFinger(masters: readonly MasterMinutiae[], k: number): TemplateMinutia[] {
  const [i, j] = pseudoPair(masters.length, k);
  const r = rng(0x9e3779b9 ^ Math.imul(k + 1, 0x85ebca6b));
  const cx = MASTER_W / 2, cy = MASTER_H / 2;
  const split = r() * 2 * Math.PI, sc = Math.cos(split), ss = Math.sin(split);
  const rot = ((r() - 0.5) * 40 * Math.PI) / 180, rc = Math.cos(rot), rs = Math.sin(rot);
  const tx = (r() - 0.5) * 40, ty = (r() - 0.5) * 40;
  // Elliptic footprint in the output frame.
  const ex = OUT_W / 2 + (r() - 0.5) * 20, ey = OUT_H / 2 + (r() - 0.5) * 30;
  const ax = 115 + r() * 25, ay = 150 + r() * 30;
  const out: TemplateMinutia[] = [];
  const take = (m: MasterMinutiae, side: number) => {
    for (let q = 0; q < m.x.length; q++) {
      const dx = m.x[q]! - cx, dy = m.y[q]! - cy;
      if ((dx * sc + dy * ss) * side < 0) continue;
      if (r() < 0.15) continue;
      const x = OUT_W / 2 + tx + dx * rc - dy * rs + 1.5 * normal(r);
      const y = OUT_H / 2 + ty + dx * rs + dy * rc + 1.5 * normal(r);
      const u = (x - ex) / ax, v = (y - ey) / ay;
      if (u * u + v * v > 1 || x < 8 || y < 8 || x >= OUT_W - 8 || y >= OUT_H - 8) continue;
      const th = m.theta[q]! + rot + 0.08 * normal(r);
      out.push({ x, y, direction: ((th % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI), type: m.type[q] === 1 ? 'ending' : 'bifurcation', quality: 40 + Math.floor(r() * 50) });
    }
  };
  take(masters[i]!, 1);
  take(masters[j]!, -1);
  // A few spurious minutiae inside the footprint.
  const spurious = Math.floor(r() * 4);
  for (let s = 0; s < spurious; s++) {
    const a = r() * 2 * Math.PI, d = Math.sqrt(r()) * 0.9;
    out.push({ x: ex + ax * d * Math.cos(a), y: ey + ay * d * Math.sin(a), direction: r() * 2 * Math.PI, type: r() < 0.5 ? 'ending' : 'bifurcation', quality: 20 + Math.floor(r() * 30) });
  }
  return out;
}

/**
 * Quantised prefilter rows (INDEX_DIMS signed bytes each) of pseudo-fingers 0 … count − 1, cached next to the
 * masters (≈ 150 µs per row to compute, so a million rows are built once and reused).
 */
export function pseudoIndexMatrix(masters: readonly MasterMinutiae[], count: number, cacheDir = process.env.FINGER_SYNTH_CACHE ?? path.join(os.tmpdir(), 'kiosk-finger-synth-v1')): Int8Array {
  const file = path.join(cacheDir, `gallery-index-${masters.length}-${count}-d${INDEX_DIMS}.bin`);
  if (existsSync(file)) {
    const buf = readFileSync(file);
    if (buf.length === count * INDEX_DIMS) return new Int8Array(buf.buffer, buf.byteOffset, buf.length);
  }
  const out = new Int8Array(count * INDEX_DIMS);
  for (let k = 0; k < count; k++) {
    const p = pseudoFinger(masters, k);
    const v = pairHistogram(Float32Array.from(p, (m) => m.x), Float32Array.from(p, (m) => m.y), Float32Array.from(p, (m) => ((m.direction % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI)));
    quantizeIndex(v, out.subarray(k * INDEX_DIMS, (k + 1) * INDEX_DIMS));
  }
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(file, out);
  return out;
}
