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

/**
 * Scratch buffers of one consolidation caller, grown on demand and reused across calls (no allocation per comparison);
 * whoever owns one must not use it from two calls at once.
 */
export class ConsolidationScratch {
  /** Positions and directions of the local pairs in A (q·a·) and B (q·b·). */
  qax = new Float64Array(64); qay = new Float64Array(64); qac = new Float64Array(64); qas = new Float64Array(64);
  qbx = new Float64Array(64); qby = new Float64Array(64); qbc = new Float64Array(64); qbs = new Float64Array(64);
  inl = new Int32Array(64);
  /** A's minutiae mapped into B: position and direction. */
  mx = new Float64Array(0); my = new Float64Array(0); mc = new Float64Array(0); ms = new Float64Array(0);
  candK = new Float64Array(0);
  used = new Uint8Array(0);
  /** min(1, q · k) for every quality byte, for the k of the last call (recomputed when k changes). */
  weightTable = new Float64Array(256);
  weightTableK = -1;

  /** Room for k local pairs. */
  pairs(k: number): void {
    if (this.qax.length >= k) return;
    this.qax = new Float64Array(k * 2); this.qay = new Float64Array(k * 2); this.qac = new Float64Array(k * 2); this.qas = new Float64Array(k * 2);
    this.qbx = new Float64Array(k * 2); this.qby = new Float64Array(k * 2); this.qbc = new Float64Array(k * 2); this.qbs = new Float64Array(k * 2);
    this.inl = new Int32Array(k * 2);
  }

  /** Room for nA × nB minutiae. */
  minutiae(nA: number, nB: number): void {
    if (this.mx.length < nA) { this.mx = new Float64Array(nA * 2); this.my = new Float64Array(nA * 2); this.mc = new Float64Array(nA * 2); this.ms = new Float64Array(nA * 2); }
    if (this.candK.length < nA * nB) this.candK = new Float64Array(nA * nB * 2);
    if (this.used.length < nA + nB) this.used = new Uint8Array((nA + nB) * 2);
  }

  /** The weight table for scale factor k. */
  weights(k: number): Float64Array {
    if (k !== this.weightTableK) {
      for (let q = 0; q < 256; q++) this.weightTable[q] = weightOf(q, k);
      this.weightTableK = k;
    }
    return this.weightTable;
  }
}

/** A minutia's weight in the counts: min(1, reliability / scale); 1 when unweighted (k = 0). */
function weightOf(q: number, k: number): number {
  return k === 0 ? 1 : Math.min(1, q * k);
}

/** Inside the convex region given as edge lines (nx, ny, d), allowing `margin` px outside. */
function insideHull(h: Float32Array, x: number, y: number, margin: number): boolean {
  const m = h.length;
  if (m < 9) return false;
  for (let i = 0; i < m; i += 3) if (h[i]! * x + h[i + 1]! * y - h[i + 2]! > margin) return false;
  return true;
}

/** Sorts v[0..n) ascending (insertion sort for the usual few dozen keys, the built-in sort beyond). */
function sortKeys(v: Float64Array, n: number): void {
  if (n > 48) {
    v.subarray(0, n).sort();
    return;
  }
  for (let i = 1; i < n; i++) {
    const x = v[i]!;
    let j = i - 1;
    while (j >= 0 && v[j]! > x) { v[j + 1] = v[j]!; j--; }
    v[j + 1] = x;
  }
}

/**
 * Consolidates the `k` local pairs (pa[i], pb[i]) of A and B. Returns zeros when fewer than two pairs agree on a
 * transform. Hot callers pass their own `scratch` (the default allocates one per call).
 */
export function consolidate(A: FingerTemplate, B: FingerTemplate, pa: ArrayLike<number>, pb: ArrayLike<number>, k: number, out: Consolidation, C: ConsolidationParams = CONSOLIDATION, scratch: ConsolidationScratch = new ConsolidationScratch()): Consolidation {
  out.matched = 0; out.overlapA = 0; out.overlapB = 0; out.inliers = 0; out.c = 1; out.s = 0; out.tx = 0; out.ty = 0;
  if (k < 2) return out;
  const cosTol = Math.cos(C.maxDTheta);
  const tol2 = C.hypothesisTol * C.hypothesisTol;
  const Ax = A.x, Ay = A.y, Ac = A.cos, As = A.sin, Bx = B.x, By = B.y, Bc = B.cos, Bs = B.sin;
  // The pairs' positions and directions, gathered once (the same values as the template's, as doubles).
  scratch.pairs(k);
  const { qax, qay, qac, qas, qbx, qby, qbc, qbs, inl } = scratch;
  for (let i = 0; i < k; i++) {
    const a = pa[i]!, b = pb[i]!;
    qax[i] = Ax[a]!; qay[i] = Ay[a]!; qac[i] = Ac[a]!; qas[i] = As[a]!;
    qbx[i] = Bx[b]!; qby[i] = By[b]!; qbc[i] = Bc[b]!; qbs[i] = Bs[b]!;
  }
  // 1. Best hypothesis among the local pairs (the first with the highest count: a hypothesis is only evaluated
  // while it can still beat the best so far).
  let best = -1, bestCount = 0;
  for (let h = 0; h < k && bestCount < k; h++) {
    const c = qac[h]! * qbc[h]! + qas[h]! * qbs[h]!; // cos(θB − θA)
    const s = qac[h]! * qbs[h]! - qas[h]! * qbc[h]!; // sin(θB − θA)
    const tx = qbx[h]! - (c * qax[h]! - s * qay[h]!), ty = qby[h]! - (s * qax[h]! + c * qay[h]!);
    let count = 0;
    for (let i = 0; i < k; i++) {
      if (count + (k - i) <= bestCount) break;
      const xa = qax[i]!, ya = qay[i]!;
      const dx = c * xa - s * ya + tx - qbx[i]!, dy = s * xa + c * ya + ty - qby[i]!;
      if (dx * dx + dy * dy > tol2) continue;
      // Direction of a mapped to B vs b.
      const ca = c * qac[i]! - s * qas[i]!, sa = s * qac[i]! + c * qas[i]!;
      if (ca * qbc[i]! + sa * qbs[i]! < cosTol) continue;
      count++;
    }
    if (count > bestCount) { bestCount = count; best = h; }
  }
  if (bestCount < 2) return out;
  // 2. Least-squares rigid transform over the inliers of the best hypothesis.
  {
    const h = best;
    const c = qac[h]! * qbc[h]! + qas[h]! * qbs[h]!;
    const s = qac[h]! * qbs[h]! - qas[h]! * qbc[h]!;
    const tx = qbx[h]! - (c * qax[h]! - s * qay[h]!), ty = qby[h]! - (s * qax[h]! + c * qay[h]!);
    let n = 0;
    for (let i = 0; i < k && n < 64; i++) {
      const xa = qax[i]!, ya = qay[i]!;
      const dx = c * xa - s * ya + tx - qbx[i]!, dy = s * xa + c * ya + ty - qby[i]!;
      if (dx * dx + dy * dy > tol2) continue;
      const ca = c * qac[i]! - s * qas[i]!, sa = s * qac[i]! + c * qas[i]!;
      if (ca * qbc[i]! + sa * qbs[i]! < cosTol) continue;
      inl[n++] = i;
    }
    out.inliers = n;
  }
  const n = out.inliers;
  let ax = 0, ay = 0, bx = 0, by = 0;
  for (let q = 0; q < n; q++) {
    const i = inl[q]!;
    ax += qax[i]!; ay += qay[i]!; bx += qbx[i]!; by += qby[i]!;
  }
  ax /= n; ay /= n; bx /= n; by /= n;
  // Rotation: Procrustes on centred positions plus the minutia directions (both vote).
  let sc = 0, ss = 0;
  for (let q = 0; q < n; q++) {
    const i = inl[q]!;
    const ux = qax[i]! - ax, uy = qay[i]! - ay, vx = qbx[i]! - bx, vy = qby[i]! - by;
    sc += ux * vx + uy * vy;
    ss += ux * vy - uy * vx;
    const w = 100; // a direction counts like a displacement of 10 px
    sc += w * (qac[i]! * qbc[i]! + qas[i]! * qbs[i]!);
    ss += w * (qac[i]! * qbs[i]! - qas[i]! * qbc[i]!);
  }
  const r = Math.sqrt(sc * sc + ss * ss) || 1;
  const c = sc / r, s = ss / r;
  const tx = bx - (c * ax - s * ay), ty = by - (s * ax + c * ay);
  out.c = c; out.s = s; out.tx = tx; out.ty = ty;
  // 3. Map A, pair greedily by distance.
  const nA = A.count, nB = B.count;
  scratch.minutiae(nA, nB);
  const { mx, my, mc, ms, used } = scratch;
  for (let a = 0; a < nA; a++) {
    mx[a] = c * Ax[a]! - s * Ay[a]! + tx;
    my[a] = s * Ax[a]! + c * Ay[a]! + ty;
    mc[a] = c * Ac[a]! - s * As[a]!;
    ms[a] = s * Ac[a]! + c * As[a]!;
  }
  const K = scratch.candK;
  // B's minutiae sorted by x: for each mapped a only the b with |x_b − x| within the tolerance (plus a relative
  // 1e-6 and 1e-6 px, far above rounding) are tested; the test itself is unchanged, so the candidates are the same.
  const xo = B.xOrder, xs = B.xSorted;
  let nc = 0;
  for (let a = 0; a < nA; a++) {
    const xa = mx[a]!, ya = my[a]!, ca = mc[a]!, sa = ms[a]!;
    const ex = xa - bx, ey = ya - by;
    const tol = C.pairTol + C.pairTolGrowth * Math.sqrt(ex * ex + ey * ey);
    const t2 = tol * tol;
    const w = tol * 1.000001 + 1e-6, lo = xa - w, hi = xa + w;
    let l = 0, u = nB;
    while (l < u) {
      const mid = (l + u) >> 1;
      if (xs[mid]! < lo) l = mid + 1;
      else u = mid;
    }
    const row = a * nB;
    for (let j = l; j < nB && xs[j]! <= hi; j++) {
      const b = xo[j]!;
      const dx = xa - Bx[b]!, dy = ya - By[b]!;
      const d2 = dx * dx + dy * dy;
      if (d2 > t2) continue;
      if (ca * Bc[b]! + sa * Bs[b]! < cosTol) continue;
      // Key: the normalised distance quantised to 12 bits above the pair index (all keys distinct).
      K[nc++] = (((d2 / t2) * 4095) | 0) * 16777216 + (row + b);
    }
  }
  // Greedy one-to-one by normalised distance.
  sortKeys(K, nc);
  used.fill(0, 0, nA + nB);
  // Reliability weights: only when both quality bytes hold the ridge-contrast reliability (version 2).
  const ks2 = C.reliabilityScale > 0 && A.version === 2 && B.version === 2 ? 1 / C.reliabilityScale : 0;
  const W = scratch.weights(ks2);
  const Aq = A.quality, Bq = B.quality;
  let matched = 0;
  for (let i = 0; i < nc; i++) {
    const pi = K[i]! % 16777216;
    const a = (pi / nB) | 0, b = pi - a * nB;
    if (used[a] || used[nA + b]) continue;
    used[a] = 1; used[nA + b] = 1;
    matched += ks2 === 0 ? 1 : Math.sqrt(W[Aq[a]!]! * W[Bq[b]!]!);
  }
  out.matched = matched;
  // 4. Overlap counts.
  const margin = C.overlapMargin;
  let oa = 0;
  const hB = B.hull;
  for (let a = 0; a < nA; a++) if (insideHull(hB, mx[a]!, my[a]!, margin)) oa += W[Aq[a]!]!;
  // B into A: inverse transform.
  let ob = 0;
  const hA = A.hull;
  for (let b = 0; b < nB; b++) {
    const dx = Bx[b]! - tx, dy = By[b]! - ty;
    if (insideHull(hA, c * dx + s * dy, -s * dx + c * dy, margin)) ob += W[Bq[b]!]!;
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
