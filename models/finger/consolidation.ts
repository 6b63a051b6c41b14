// Global consolidation of a local (MCC LSS-R) match: one rigid transform is estimated from the locally matched pairs
// (each pair is a hypothesis; the one most pairs agree with is refined by least squares over its inliers), every
// minutia of A is mapped into B and paired one-to-one with a B minutia of similar position and direction, and the
// pairs are counted against the minutiae that lie in the overlap of the two impressions (each minutia set's convex
// hull, the other one mapped across). After the global minutiae-pairing stage of Cappelli, Ferrara & Maltoni
// ("Minutia Cylinder-Code", 2010, §6 "consolidation") and Jain, Hong & Bolle's alignment-based matching (1997).
import type { FingerTemplate } from './template.js';

export interface ConsolidationParams {
  hypothesisTol: number;
  pairTol: number;
  pairTolGrowth: number;
  maxDTheta: number;
  overlapMargin: number;
  weight: number;
  minOverlap: number;
  reliabilityScale: number;
}

export const CONSOLIDATION: ConsolidationParams = {
  /** A pair agrees with a hypothesis when its mapped position is within this (px) and its direction within maxDTheta. */
  hypothesisTol: 12,
  /** Pairing tolerance: base (px) plus a share of the distance from the alignment centre (elastic distortion). */
  pairTol: 8,
  pairTolGrowth: 0.03,
  maxDTheta: Math.PI / 6,
  /** Hull margin (px) for counting minutiae in the overlap. */
  overlapMargin: 8,
  /** Weight of the consolidation term m² / (max(nA∩, k) · max(nB∩, k)) added to the LSS-R similarity. */
  weight: 0.4,
  /** The overlap counts are floored at this, so that a tiny overlap cannot give a full share. */
  minOverlap: 12,
  /**
   * Between two version-2 templates (quality byte = ridge-contrast reliability, 50 = the print's median clarity) each
   * minutia counts min(1, reliability / this) in the paired and overlap counts; 0 turns the weighting off.
   */
  reliabilityScale: 45,
};

export interface Consolidation {
  /** Minutiae paired one-to-one under the global transform (reliability-weighted between version-2 templates). */
  matched: number;
  /** Minutiae of A inside B's region, and of B inside A's region (both after the transform). */
  overlapA: number;
  overlapB: number;
  /** Pairs of the local stage consistent with the transform. */
  inliers: number;
  /** The rigid transform A → B: x_B = c·x_A − s·y_A + tx, y_B = s·x_A + c·y_A + ty (identity when none was found). */
  c: number;
  s: number;
  tx: number;
  ty: number;
}

let cand = new Float64Array(0);
let candI = new Int32Array(0);
let candK = new Float64Array(0);
let mx = new Float64Array(0), my = new Float64Array(0), mc = new Float64Array(0), ms = new Float64Array(0);
let usedB = new Uint8Array(0);
const inl = new Int32Array(64);

/** A minutia's weight in the counts: min(1, reliability / scale); 1 when unweighted (k = 0). */
function weightOf(q: number, k: number): number {
  return k === 0 ? 1 : Math.min(1, q * k);
}

/** Inside the convex region given as edge lines (nx, ny, d), allowing `margin` px outside. */
function insideHull(h: Float32Array, x: number, y: number, margin: number): boolean {
  if (h.length < 9) return false;
  for (let i = 0; i < h.length; i += 3) if (h[i]! * x + h[i + 1]! * y - h[i + 2]! > margin) return false;
  return true;
}

/**
 * Consolidates the `k` local pairs (pa[i], pb[i]) of A and B. Returns zeros when fewer than two pairs agree on a
 * transform.
 */
export function consolidate(A: FingerTemplate, B: FingerTemplate, pa: ArrayLike<number>, pb: ArrayLike<number>, k: number, out: Consolidation, C: ConsolidationParams = CONSOLIDATION): Consolidation {
  out.matched = 0; out.overlapA = 0; out.overlapB = 0; out.inliers = 0; out.c = 1; out.s = 0; out.tx = 0; out.ty = 0;
  if (k < 2) return out;
  const cosTol = Math.cos(C.maxDTheta);
  const tol2 = C.hypothesisTol * C.hypothesisTol;
  // 1. Best hypothesis among the local pairs.
  let best = -1, bestCount = 0;
  for (let h = 0; h < k; h++) {
    const ah = pa[h]!, bh = pb[h]!;
    const c = A.cos[ah]! * B.cos[bh]! + A.sin[ah]! * B.sin[bh]!; // cos(θB − θA)
    const s = A.cos[ah]! * B.sin[bh]! - A.sin[ah]! * B.cos[bh]!; // sin(θB − θA)
    const tx = B.x[bh]! - (c * A.x[ah]! - s * A.y[ah]!), ty = B.y[bh]! - (s * A.x[ah]! + c * A.y[ah]!);
    let count = 0;
    for (let i = 0; i < k; i++) {
      const a = pa[i]!, b = pb[i]!;
      const dx = c * A.x[a]! - s * A.y[a]! + tx - B.x[b]!, dy = s * A.x[a]! + c * A.y[a]! + ty - B.y[b]!;
      if (dx * dx + dy * dy > tol2) continue;
      // Direction of a mapped to B vs b.
      const ca = c * A.cos[a]! - s * A.sin[a]!, sa = s * A.cos[a]! + c * A.sin[a]!;
      if (ca * B.cos[b]! + sa * B.sin[b]! < cosTol) continue;
      count++;
    }
    if (count > bestCount) { bestCount = count; best = h; }
  }
  if (bestCount < 2) return out;
  // 2. Least-squares rigid transform over the inliers of the best hypothesis.
  {
    const ah = pa[best]!, bh = pb[best]!;
    const c = A.cos[ah]! * B.cos[bh]! + A.sin[ah]! * B.sin[bh]!;
    const s = A.cos[ah]! * B.sin[bh]! - A.sin[ah]! * B.cos[bh]!;
    const tx = B.x[bh]! - (c * A.x[ah]! - s * A.y[ah]!), ty = B.y[bh]! - (s * A.x[ah]! + c * A.y[ah]!);
    let n = 0;
    for (let i = 0; i < k && n < inl.length; i++) {
      const a = pa[i]!, b = pb[i]!;
      const dx = c * A.x[a]! - s * A.y[a]! + tx - B.x[b]!, dy = s * A.x[a]! + c * A.y[a]! + ty - B.y[b]!;
      if (dx * dx + dy * dy > tol2) continue;
      const ca = c * A.cos[a]! - s * A.sin[a]!, sa = s * A.cos[a]! + c * A.sin[a]!;
      if (ca * B.cos[b]! + sa * B.sin[b]! < cosTol) continue;
      inl[n++] = i;
    }
    out.inliers = n;
  }
  const n = out.inliers;
  let ax = 0, ay = 0, bx = 0, by = 0;
  for (let q = 0; q < n; q++) {
    const i = inl[q]!;
    ax += A.x[pa[i]!]!; ay += A.y[pa[i]!]!; bx += B.x[pb[i]!]!; by += B.y[pb[i]!]!;
  }
  ax /= n; ay /= n; bx /= n; by /= n;
  // Rotation: Procrustes on centred positions plus the minutia directions (both vote).
  let sc = 0, ss = 0;
  for (let q = 0; q < n; q++) {
    const i = inl[q]!, a = pa[i]!, b = pb[i]!;
    const ux = A.x[a]! - ax, uy = A.y[a]! - ay, vx = B.x[b]! - bx, vy = B.y[b]! - by;
    sc += ux * vx + uy * vy;
    ss += ux * vy - uy * vx;
    const w = 100; // a direction counts like a displacement of 10 px
    sc += w * (A.cos[a]! * B.cos[b]! + A.sin[a]! * B.sin[b]!);
    ss += w * (A.cos[a]! * B.sin[b]! - A.sin[a]! * B.cos[b]!);
  }
  const r = Math.sqrt(sc * sc + ss * ss) || 1;
  const c = sc / r, s = ss / r;
  const tx = bx - (c * ax - s * ay), ty = by - (s * ax + c * ay);
  out.c = c; out.s = s; out.tx = tx; out.ty = ty;
  // 3. Map A, pair greedily by distance.
  const nA = A.count, nB = B.count;
  if (mx.length < nA) { mx = new Float64Array(nA * 2); my = new Float64Array(nA * 2); mc = new Float64Array(nA * 2); ms = new Float64Array(nA * 2); }
  if (usedB.length < nB) usedB = new Uint8Array(nB * 2);
  for (let a = 0; a < nA; a++) {
    mx[a] = c * A.x[a]! - s * A.y[a]! + tx;
    my[a] = s * A.x[a]! + c * A.y[a]! + ty;
    mc[a] = c * A.cos[a]! - s * A.sin[a]!;
    ms[a] = s * A.cos[a]! + c * A.sin[a]!;
  }
  if (cand.length < nA * nB) { cand = new Float64Array(nA * nB * 2); candI = new Int32Array(nA * nB * 2); candK = new Float64Array(nA * nB * 2); }
  let nc = 0;
  for (let a = 0; a < nA; a++) {
    const ex = mx[a]! - bx, ey = my[a]! - by;
    const tol = C.pairTol + C.pairTolGrowth * Math.sqrt(ex * ex + ey * ey);
    const t2 = tol * tol;
    for (let b = 0; b < nB; b++) {
      const dx = mx[a]! - B.x[b]!, dy = my[a]! - B.y[b]!;
      const d2 = dx * dx + dy * dy;
      if (d2 > t2) continue;
      if (mc[a]! * B.cos[b]! + ms[a]! * B.sin[b]! < cosTol) continue;
      cand[nc] = d2 / t2;
      candI[nc] = a * nB + b;
      nc++;
    }
  }
  // Greedy one-to-one by normalised distance: keys sorted by quantised distance (12 bits) above the pair index.
  for (let i = 0; i < nc; i++) candK[i] = ((cand[i]! * 4095) | 0) * 16777216 + candI[i]!;
  const ks = candK.subarray(0, nc).sort();
  const used = usedB.length >= nA + nB ? usedB : (usedB = new Uint8Array((nA + nB) * 2));
  used.fill(0, 0, nA + nB);
  // Reliability weights: only when both quality bytes hold the ridge-contrast reliability (version 2).
  const ks2 = C.reliabilityScale > 0 && A.version === 2 && B.version === 2 ? 1 / C.reliabilityScale : 0;
  const Aq = A.quality, Bq = B.quality;
  let matched = 0;
  for (let i = 0; i < nc; i++) {
    const pi = ks[i]! % 16777216;
    const a = (pi / nB) | 0, b = pi - a * nB;
    if (used[a] || used[nA + b]) continue;
    used[a] = 1; used[nA + b] = 1;
    matched += ks2 === 0 ? 1 : Math.sqrt(weightOf(Aq[a]!, ks2) * weightOf(Bq[b]!, ks2));
  }
  out.matched = matched;
  // 4. Overlap counts.
  let oa = 0;
  for (let a = 0; a < nA; a++) if (insideHull(B.hull, mx[a]!, my[a]!, C.overlapMargin)) oa += weightOf(Aq[a]!, ks2);
  // B into A: inverse transform.
  let ob = 0;
  for (let b = 0; b < nB; b++) {
    const dx = B.x[b]! - tx, dy = B.y[b]! - ty;
    if (insideHull(A.hull, c * dx + s * dy, -s * dx + c * dy, C.overlapMargin)) ob += weightOf(Bq[b]!, ks2);
  }
  out.overlapA = Math.max(oa, matched);
  out.overlapB = Math.max(ob, matched);
  return out;
}

/** The consolidation term of the similarity: the squared share of paired minutiae among those in the overlap. */
export function consolidationTerm(c: Consolidation, minOverlap = CONSOLIDATION.minOverlap): number {
  const k = minOverlap;
  return (c.matched * c.matched) / (Math.max(c.overlapA, k) * Math.max(c.overlapB, k));
}
