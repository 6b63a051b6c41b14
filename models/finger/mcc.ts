// Minutia Cylinder-Code matching with Local Similarity Sort and Relaxation (LSS-R).
// Cappelli, Ferrara & Maltoni, "Minutia Cylinder-Code", IEEE TPAMI 32(12), 2010, §4–5; relaxation after
// Feng, "Combining minutiae descriptors for fingerprint matching", Pattern Recognition 41, 2008.
import { angleDiff } from './fields.js';
import { fastAtan2, logistic, logisticTable, popcount32 } from './mathutil.js';
import { WORDS, type FingerTemplate } from './template.js';

/** LSS-R parameters (paper values; μρ1 grows slightly with distance to tolerate elastic distortion). */
export const LSSR = {
  minNP: 4,
  maxNP: 12,
  muP: 20,
  tauP: 2 / 5,
  nRel: 5,
  wR: 0.5,
  maxNR: 30,
  muRho1: 5,
  tauRho1: -8 / 5,
  muRho2: Math.PI / 8,
  tauRho2: -30,
  muRho3: Math.PI / 8,
  tauRho3: -30,
  /** Directions of matched minutiae may differ by at most this (δθ). */
  deltaTheta: Math.PI / 2,
  /** Minimum share of commonly valid cells for a matchable pair (minME). */
  minME: 0.6,
} as const;

const z2 = logisticTable(LSSR.muRho2, LSSR.tauRho2, Math.PI, 3142);
const z3 = z2;

/** Exact MCC bit similarity λ of cylinders a (in A) and b (in B), restricted to commonly valid cells. */
export function cylinderSimilarity(A: FingerTemplate, a: number, B: FingerTemplate, b: number): number {
  let nxor = 0, na = 0, nb = 0, nm = 0;
  const oa = a * WORDS, ob = b * WORDS;
  for (let w = 0; w < WORDS; w++) {
    const m = A.valid[oa + w]! & B.valid[ob + w]!;
    const ca = A.bits[oa + w]! & m, cb = B.bits[ob + w]! & m;
    nxor += popcount32(ca ^ cb);
    na += popcount32(ca);
    nb += popcount32(cb);
    nm += popcount32(m);
  }
  if (nm < LSSR.minME * Math.min(popcountRange(A.valid, oa), popcountRange(B.valid, ob))) return 0;
  const den = Math.sqrt(na) + Math.sqrt(nb);
  return den > 0 ? 1 - Math.sqrt(nxor) / den : 0;
}

function popcountRange(v: Uint32Array, o: number): number {
  let s = 0;
  for (let w = 0; w < WORDS; w++) s += popcount32(v[o + w]!);
  return s;
}

export interface MatchDetail {
  /** Raw LSS-R similarity in [0, 1]. */
  raw: number;
  /** Matched minutia index pairs (A, B). */
  pairs: [number, number][];
}

// Scratch buffers reused across calls (single-threaded per isolate).
let scratchL = new Float32Array(0);

/** Global score between two templates (raw MCC LSS-R similarity, 0–1). */
export function mccSimilarity(A: FingerTemplate, B: FingerTemplate, detail = false): MatchDetail {
  const nA = A.count, nB = B.count;
  if (nA < 2 || nB < 2) return { raw: 0, pairs: [] };
  const size = nA * nB;
  if (scratchL.length < size) scratchL = new Float32Array(size * 2);
  const L = scratchL;
  // Stage 1: approximate λ (no validity mask) for every direction-compatible pair of valid cylinders.
  const cand: number[] = [];
  const dT = LSSR.deltaTheta;
  for (let a = 0; a < nA; a++) {
    const oa = a * WORDS;
    const va = A.cylValid[a]!;
    const na = A.norm[a]!;
    const ta = A.theta[a]!;
    for (let b = 0; b < nB; b++) {
      const k = a * nB + b;
      L[k] = 0;
      if (!va || !B.cylValid[b]) continue;
      if (Math.abs(angleDiff(ta, B.theta[b]!)) > dT) continue;
      const den = na + B.norm[b]!;
      if (den === 0) continue;
      const ob = b * WORDS;
      let x = 0;
      for (let w = 0; w < WORDS; w++) x += popcount32(A.bits[oa + w]! ^ B.bits[ob + w]!);
      const s = 1 - Math.sqrt(x) / den;
      if (s > 0.2) {
        L[k] = s;
        cand.push(k);
      }
    }
  }
  if (cand.length === 0) return { raw: 0, pairs: [] };
  cand.sort((p, q) => L[q]! - L[p]!);
  // Stage 2: one-to-one selection of the top nR pairs, exact λ with the validity mask.
  const nR = Math.min(LSSR.maxNR, nA, nB);
  const usedA = new Uint8Array(nA), usedB = new Uint8Array(nB);
  const pa: number[] = [], pb: number[] = [], l0: number[] = [];
  for (const k of cand) {
    const a = (k / nB) | 0, b = k - a * nB;
    if (usedA[a] || usedB[b]) continue;
    const s = cylinderSimilarity(A, a, B, b);
    if (s <= 0) continue;
    usedA[a] = 1;
    usedB[b] = 1;
    pa.push(a);
    pb.push(b);
    l0.push(s);
    if (pa.length >= nR) break;
  }
  const n = pa.length;
  if (n < 2) return { raw: 0, pairs: [] };
  // Stage 3: relaxation with geometric compatibility ρ between pairs.
  const rho = new Float32Array(n * n);
  for (let t = 0; t < n; t++) {
    const at = pa[t]!, bt = pb[t]!;
    const xa = A.x[at]!, ya = A.y[at]!, tha = A.theta[at]!;
    const xb = B.x[bt]!, yb = B.y[bt]!, thb = B.theta[bt]!;
    for (let k = t + 1; k < n; k++) {
      const ak = pa[k]!, bk = pb[k]!;
      const dxa = A.x[ak]! - xa, dya = A.y[ak]! - ya;
      const dxb = B.x[bk]! - xb, dyb = B.y[bk]! - yb;
      const da = Math.sqrt(dxa * dxa + dya * dya), db = Math.sqrt(dxb * dxb + dyb * dyb);
      const d1 = Math.abs(da - db) - LSSR.muRho1 - 0.1 * (da + db) * 0.5;
      const r1 = d1 < -10 ? 1 : d1 > 8 ? 0 : logistic(d1, 0, LSSR.tauRho1);
      if (r1 < 1e-3) continue;
      const d2 = Math.abs(angleDiff(angleDiff(tha, A.theta[ak]!), angleDiff(thb, B.theta[bk]!)));
      const r2 = z2(d2);
      if (r2 < 1e-3) continue;
      const d3 = Math.abs(angleDiff(angleDiff(tha, fastAtan2(dya, dxa)), angleDiff(thb, fastAtan2(dyb, dxb))));
      const r = r1 * r2 * z3(d3);
      rho[t * n + k] = r;
      rho[k * n + t] = r;
    }
  }
  let lam = Float32Array.from(l0);
  let next = new Float32Array(n);
  const wR = LSSR.wR;
  for (let it = 0; it < LSSR.nRel; it++) {
    for (let t = 0; t < n; t++) {
      let s = 0;
      const o = t * n;
      for (let k = 0; k < n; k++) s += rho[o + k]! * lam[k]!;
      next[t] = wR * lam[t]! + ((1 - wR) * s) / (n - 1);
    }
    const tmp = lam;
    lam = next;
    next = tmp;
  }
  // Pairs with the best efficiency λ(nRel)/λ(0) contribute the mean of their relaxed λ.
  const minN = Math.min(nA, nB);
  const nP = Math.min(n, LSSR.minNP + Math.round(logistic(minN, LSSR.muP, LSSR.tauP) * (LSSR.maxNP - LSSR.minNP)));
  const order = Array.from({ length: n }, (_, i) => i).sort((p, q) => lam[q]! / l0[q]! - lam[p]! / l0[p]!);
  let sum = 0;
  for (let i = 0; i < nP; i++) sum += lam[order[i]!]!;
  const raw = sum / nP;
  return { raw, pairs: detail ? order.slice(0, nP).map((i) => [pa[i]!, pb[i]!] as [number, number]) : [] };
}
