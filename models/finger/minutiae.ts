// Minutiae from a one-pixel skeleton by the crossing number (Arcelli & Sanniti di Baja 1985; Maltoni et al.,
// "Handbook of Fingerprint Recognition", §3.7), directions by ridge tracing, and false-minutia removal after
// Xiao & Raafat (1991) and Tico & Kuosmanen (2000): border, short ridges, spurs, bridges, broken ridges, clusters.
import { angleDiff } from './fields.js';
import type { OrientationField } from './orientation.js';
import type { ForegroundMask } from './segmentation.js';

export type MinutiaType = 'ending' | 'bifurcation';

export interface Minutia {
  x: number;
  y: number;
  /**
   * Direction in radians [0, 2π), image coordinates (x right, y down, angles clockwise on screen).
   * Ending: along the ridge, into it; bifurcation: bisecting the two branches, away from the fork (the direction of the
   * valley that ends there) — the ISO 19794-2 convention, mirrored to image coordinates (θ_image = −θ_iso).
   */
  direction: number;
  type: MinutiaType;
  /** 0–100. */
  quality: number;
}

const DX = [0, 1, 1, 1, 0, -1, -1, -1];
const DY = [-1, -1, 0, 1, 1, 1, 0, -1];

export function crossingNumber(skel: Uint8Array, W: number, i: number): number {
  let s = 0;
  const off = (k: number) => DY[k & 7]! * W + DX[k & 7]!;
  for (let k = 0; k < 8; k++) s += Math.abs(skel[i + off(k)]! - skel[i + off(k + 1)]!);
  return s / 2;
}

interface Trace { end: number; length: number; hit: number }

/** Follows the skeleton from `start` through `first` for up to `maxLen` steps; `hit` is the minutia pixel reached, or −1. */
function traceRidge(skel: Uint8Array, isMinutia: Uint8Array, W: number, start: number, first: number, maxLen: number, blocked: number[], stamp: Int32Array, gen: number): Trace {
  const visited = { has: (j: number) => stamp[j] === gen, add: (j: number) => { stamp[j] = gen; } };
  for (const b of blocked) visited.add(b);
  visited.add(start);
  let cur = first;
  let length = 1;
  while (length < maxLen) {
    visited.add(cur);
    if (isMinutia[cur]) return { end: cur, length, hit: cur };
    let next = -1;
    let nextIs4 = false;
    for (let k = 0; k < 8; k++) {
      const j = cur + DY[k]! * W + DX[k]!;
      if (!skel[j] || visited.has(j)) continue;
      const is4 = (k & 1) === 0;
      if (next < 0 || (is4 && !nextIs4)) { next = j; nextIs4 = is4; }
    }
    if (next < 0) return { end: cur, length, hit: -1 };
    // Do not step past a neighbouring minutia pixel without registering it.
    cur = next;
    length++;
  }
  return { end: cur, length, hit: isMinutia[cur] ? cur : -1 };
}

/** Pixels adjacent to `i` grouped into runs of set neighbours (one representative per run, 4-connected preferred). */
function branchStarts(skel: Uint8Array, W: number, i: number): number[][] {
  const on = DX.map((_, k) => skel[i + DY[k]! * W + DX[k]!]!);
  const startK = on.findIndex((v) => !v);
  if (startK < 0) return [];
  const runs: number[][] = [];
  let run: number[] = [];
  for (let t = 1; t <= 8; t++) {
    const k = (startK + t) & 7;
    if (on[k]) run.push(k);
    else if (run.length) { runs.push(run); run = []; }
  }
  if (run.length) runs.push(run);
  return runs.map((r) => {
    const ordered = [...r.filter((k) => (k & 1) === 0), ...r.filter((k) => (k & 1) === 1)];
    return ordered.map((k) => i + DY[k]! * W + DX[k]!);
  });
}

export interface MinutiaeOptions {
  /** Local ridge period in px (for distance thresholds); default 9 (≈ 500 ppi). */
  period?: number;
  /** Keep at most this many minutiae (highest quality first). */
  maxCount?: number;
  /** Broken-ridge rule (see `BrokenRidgeRule`); default `FACING_BROKEN_RIDGE`. */
  brokenRidge?: BrokenRidgeRule;
}

/**
 * Two endings facing each other across a short gap in the same ridge are one broken ridge, not two minutiae (Xiao &
 * Raafat 1991; Tico & Kuosmanen 2000). An ending's direction points into its own ridge, so across a gap each ending
 * points away from the other: the gap runs from A against A's direction. `along` bounds the gap along the ridge flow
 * and `lateral` the offset across it (both in ridge periods); the directions must be opposite within `angle` rad.
 * `facing: false` is the rule before issue 15's third round (distance ≤ `along` periods, the gap running along A's
 * direction within 60°, `lateral` unused), which fired on overlapping ends of neighbouring ridges and never on a
 * broken ridge; kept for the ablation (calibration/ablation.ts).
 */
export interface BrokenRidgeRule {
  facing: boolean;
  along: number;
  lateral: number;
  angle: number;
  /** Only where the orientation coherence at the gap's midpoint is below this (dry, dotted regions); 1 = everywhere. */
  maxCoherence?: number;
}

export const LEGACY_BROKEN_RIDGE: BrokenRidgeRule = { facing: false, along: 1.6, lateral: 1.6, angle: Math.PI / 4 };

/**
 * The rule since issue 15's third round (chosen on fcj2020 persons 111–130): gap ≤ 1.5 periods along the flow and
 * ≤ 0.5 across it, directions opposite within 45°, only where the coherence is below 0.3 (the blocks the enhancement
 * already treats as dry or dotted). In coherent regions a ridge break is usually a crease or scar that every
 * impression shows, so its endings are kept.
 */
export const FACING_BROKEN_RIDGE: BrokenRidgeRule = { facing: true, along: 1.5, lateral: 0.5, angle: Math.PI / 4, maxCoherence: 0.3 };

export function extractMinutiae(skel: Uint8Array, W: number, H: number, fg: ForegroundMask, field: OrientationField, opts: MinutiaeOptions = {}): Minutia[] {
  const period = opts.period ?? 9;
  const maxCount = opts.maxCount ?? 100;
  const B = fg.blockSize;
  const inFg = (x: number, y: number) => {
    if (x < 0 || y < 0 || x >= W || y >= H) return false;
    return fg.mask[Math.floor(y / B) * fg.bw + Math.floor(x / B)] === 1;
  };
  const isMin = new Uint8Array(W * H);
  const cand: { i: number; type: MinutiaType }[] = [];
  for (let y = 2; y < H - 2; y++) {
    for (let x = 2; x < W - 2; x++) {
      const i = y * W + x;
      if (!skel[i] || !inFg(x, y)) continue;
      const cn = crossingNumber(skel, W, i);
      if (cn === 1) { cand.push({ i, type: 'ending' }); isMin[i] = 1; }
      else if (cn === 3) { cand.push({ i, type: 'bifurcation' }); isMin[i] = 1; }
    }
  }
  const dirLen = Math.round(1.2 * period);
  const shortLen = Math.round(1.8 * period);
  const spurLen = Math.round(1.3 * period);
  const bridgeLen = Math.round(1.3 * period);
  const typeAt = new Map<number, MinutiaType>(cand.map((c) => [c.i, c.type]));
  const removed = new Set<number>();
  const stamp = new Int32Array(W * H);
  let gen = 0;
  const info = new Map<number, { direction: number; type: MinutiaType }>();
  for (const c of cand) {
    const x = c.i % W, y = (c.i - x) / W;
    const runs = branchStarts(skel, W, c.i);
    const expected = c.type === 'ending' ? 1 : 3;
    if (runs.length !== expected) { removed.add(c.i); continue; }
    const angles: number[] = [];
    for (let r = 0; r < runs.length; r++) {
      const run = runs[r]!;
      const blocked: number[] = [...run.slice(1)];
      runs.forEach((other, o) => { if (o !== r) blocked.push(...other); });
      const t = traceRidge(skel, isMin, W, c.i, run[0]!, Math.max(dirLen, shortLen), blocked, stamp, ++gen);
      if (t.hit >= 0 && t.hit !== c.i) {
        const other = typeAt.get(t.hit);
        const limit = !other ? 0 : c.type === 'ending' && other === 'ending' ? shortLen : c.type === other ? bridgeLen : spurLen;
        if (t.length <= limit) { removed.add(c.i); removed.add(t.hit); }
      }
      // Direction from the pixel reached after at most dirLen steps.
      const d = t.length > dirLen ? traceRidge(skel, isMin, W, c.i, run[0]!, dirLen, blocked, stamp, ++gen) : t;
      const ex = d.end % W, ey = (d.end - ex) / W;
      angles.push(Math.atan2(ey - y, ex - x));
      if (t.length < 3 && t.hit < 0) removed.add(c.i);
    }
    let direction: number;
    if (c.type === 'ending') direction = angles[0]!;
    else {
      const [a0, a1, a2] = angles as [number, number, number];
      const d01 = Math.abs(angleDiff(a0, a1)), d02 = Math.abs(angleDiff(a0, a2)), d12 = Math.abs(angleDiff(a1, a2));
      direction = (d12 <= d01 && d12 <= d02 ? a0 : d02 <= d01 ? a1 : a2) + Math.PI;
    }
    direction = ((direction % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);
    info.set(c.i, { direction, type: c.type });
  }
  // Border: every point on a ring of radius ~1.5 periods must be foreground.
  const ring = Math.max(12, Math.round(1.5 * period));
  for (const c of cand) {
    if (removed.has(c.i)) continue;
    const x = c.i % W, y = (c.i - x) / W;
    for (let k = 0; k < 16; k++) {
      const a = (k * Math.PI) / 8;
      if (!inFg(Math.round(x + ring * Math.cos(a)), Math.round(y + ring * Math.sin(a)))) { removed.add(c.i); break; }
    }
  }
  let alive = cand.filter((c) => !removed.has(c.i) && info.has(c.i));
  // Broken ridges: two endings facing each other across a short gap.
  const br = opts.brokenRidge ?? FACING_BROKEN_RIDGE;
  const gap = (br.facing ? Math.hypot(br.along, br.lateral) : br.along) * period;
  for (let a = 0; a < alive.length; a++) {
    const ca = alive[a]!;
    if (ca.type !== 'ending') continue;
    const ax = ca.i % W, ay = (ca.i - ax) / W;
    for (let b = a + 1; b < alive.length; b++) {
      const cb = alive[b]!;
      if (cb.type !== 'ending') continue;
      const bx = cb.i % W, by = (cb.i - bx) / W;
      const dist = Math.hypot(bx - ax, by - ay);
      if (dist > gap || dist < 1) continue;
      const da = info.get(ca.i)!.direction, db = info.get(cb.i)!.direction;
      if (Math.abs(angleDiff(da, db + Math.PI)) >= br.angle) continue;
      if (!br.facing) {
        if (Math.abs(angleDiff(da, Math.atan2(by - ay, bx - ax))) >= Math.PI / 3) continue;
      } else {
        // Flow direction at the gap: the mean of A's outward direction (da + π) and B's direction.
        const fx = -Math.cos(da) + Math.cos(db), fy = -Math.sin(da) + Math.sin(db);
        const fl = Math.hypot(fx, fy) || 1;
        const u = ((bx - ax) * fx + (by - ay) * fy) / fl, v = ((by - ay) * fx - (bx - ax) * fy) / fl;
        if (u <= 0 || u > br.along * period || Math.abs(v) > br.lateral * period) continue;
        if (br.maxCoherence !== undefined && br.maxCoherence < 1) {
          const mx = Math.min(field.bw - 1, Math.floor((ax + bx) / 2 / B)), my = Math.min(field.bh - 1, Math.floor((ay + by) / 2 / B));
          if (field.coherence[my * field.bw + mx]! >= br.maxCoherence) continue;
        }
      }
      removed.add(ca.i);
      removed.add(cb.i);
    }
  }
  alive = alive.filter((c) => !removed.has(c.i));
  // Clusters: too many minutiae within one ridge period of each other are noise.
  const clusterR = period;
  for (const ca of alive) {
    const ax = ca.i % W, ay = (ca.i - ax) / W;
    let n = 0;
    for (const cb of alive) {
      const bx = cb.i % W, by = (cb.i - bx) / W;
      if (Math.abs(bx - ax) <= clusterR && Math.abs(by - ay) <= clusterR && Math.hypot(bx - ax, by - ay) <= clusterR) n++;
    }
    if (n >= 3) removed.add(ca.i);
  }
  alive = alive.filter((c) => !removed.has(c.i));
  const out: Minutia[] = alive.map((c) => {
    const x = c.i % W, y = (c.i - x) / W;
    const bx = Math.min(field.bw - 1, Math.floor(x / B)), by = Math.min(field.bh - 1, Math.floor(y / B));
    let coh = 0, n = 0;
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
      const xx = bx + dx, yy = by + dy;
      if (xx < 0 || yy < 0 || xx >= field.bw || yy >= field.bh) continue;
      coh += field.coherence[yy * field.bw + xx]!;
      n++;
    }
    const q = Math.round(100 * Math.min(1, Math.max(0, (coh / Math.max(1, n)) * 1.4)));
    return { x, y, direction: info.get(c.i)!.direction, type: c.type, quality: Math.max(1, q) };
  });
  out.sort((a, b) => b.quality - a.quality);
  return out.slice(0, maxCount);
}
