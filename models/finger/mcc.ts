// Minutia Cylinder-Code matching with Local Similarity Sort and Relaxation (LSS-R).
// Cappelli, Ferrara & Maltoni, "Minutia Cylinder-Code", IEEE TPAMI 32(12), 2010, §4–5; relaxation after
// Feng, "Combining minutiae descriptors for fingerprint matching", Pattern Recognition 41, 2008.
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
  maxNR: 20,
  /** Below this many minutiae in the smaller template the score is shrunk quadratically. */
  minEvidence: 12,
  muRho1: 5,
  tauRho1: -8 / 5,
  muRho2: Math.PI / 8,
  tauRho2: -30,
  muRho3: Math.PI / 8,
  tauRho3: -30,
  /** Directions of matched minutiae may differ by at most this (δθ; the paper uses π/2, π/4 halves the work). */
  deltaTheta: Math.PI / 4,
  /** Minimum share of commonly valid cells for a matchable pair (minME). */
  minME: 0.6,
} as const;

/** Wraps an angle difference in (−3π, 3π) to [−π, π] without a float modulo. */
function wrapPi(d: number): number {
  if (d > Math.PI) d -= 2 * Math.PI;
  if (d > Math.PI) d -= 2 * Math.PI;
  if (d < -Math.PI) d += 2 * Math.PI;
  if (d < -Math.PI) d += 2 * Math.PI;
  return d;
}

const COS_DELTA = Math.cos(LSSR.deltaTheta);
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
  if (nm < LSSR.minME * Math.min(A.validCount[a]!, B.validCount[b]!)) return 0;
  const den = Math.sqrt(na) + Math.sqrt(nb);
  return den > 0 ? 1 - Math.sqrt(nxor) / den : 0;
}


export interface MatchDetail {
  /** Raw LSS-R similarity in [0, 1]. */
  raw: number;
  /** Matched minutia index pairs (A, B). */
  pairs: [number, number][];
}

// Scratch buffers reused across calls (one matcher per isolate; no re-entrancy).
let keys = new Int32Array(0);
let sorted = new Int32Array(0);
const bucket = new Int32Array(128);
let usedA = new Uint8Array(0);
let usedB = new Uint8Array(0);
const pa = new Int32Array(LSSR.maxNR), pb = new Int32Array(LSSR.maxNR);
const l0 = new Float32Array(LSSR.maxNR);
const rho = new Float32Array(LSSR.maxNR * LSSR.maxNR);
let lamA = new Float32Array(LSSR.maxNR), lamB = new Float32Array(LSSR.maxNR);
const order = new Int32Array(LSSR.maxNR);

/** Global score between two templates (raw MCC LSS-R similarity, 0–1). */
export function mccSimilarity(A: FingerTemplate, B: FingerTemplate, detail = false): MatchDetail {
  const nA = A.count, nB = B.count;
  if (nA < 2 || nB < 2) return { raw: 0, pairs: [] };
  if (nB > 16383 || nA * nB > 1 << 24) return { raw: 0, pairs: [] };
  if (keys.length < nA * nB) keys = new Int32Array(nA * nB * 2);
  if (usedA.length < nA) usedA = new Uint8Array(nA * 2);
  if (usedB.length < nB) usedB = new Uint8Array(nB * 2);
  // Stage 1: approximate λ (no validity mask) for every direction-compatible pair of valid cylinders, packed with the
  // pair index into one sortable integer (λ quantised to 1/127).
  let nc = 0;
  bucket.fill(0);
  const Ab = A.bits, Bb = B.bits;
  for (let a = 0; a < nA; a++) {
    if (!A.cylValid[a]) continue;
    const oa = a * WORDS;
    const na = A.norm[a]!;
    const ca = A.cos[a]!, sa = A.sin[a]!;
    for (let b = 0; b < nB; b++) {
      // |Δθ| ≤ δθ ⇔ cos Δθ ≥ cos δθ.
      if (!B.cylValid[b] || ca * B.cos[b]! + sa * B.sin[b]! < COS_DELTA) continue;
      const den = na + B.norm[b]!;
      if (den === 0) continue;
      const ob = b * WORDS;
      let x = 0;
      for (let w = 0; w < WORDS; w++) x += popcount32(Ab[oa + w]! ^ Bb[ob + w]!);
      const q = Math.round(127 * (1 - Math.sqrt(x) / den));
      if (q > 25) {
        keys[nc++] = (q << 24) | (a * nB + b);
        bucket[q]!++;
      }
    }
  }
  if (nc === 0) return { raw: 0, pairs: [] };
  // Counting sort by quantised λ, best first.
  for (let q = 127, acc = 0; q >= 0; q--) {
    const c = bucket[q]!;
    bucket[q] = acc;
    acc += c;
  }
  if (sorted.length < nc) sorted = new Int32Array(nc * 2);
  for (let i = 0; i < nc; i++) sorted[bucket[keys[i]! >>> 24]!++] = keys[i]!;
  // Stage 2: one-to-one selection of the top nR pairs, exact λ with the validity mask.
  const nR = Math.min(LSSR.maxNR, nA, nB);
  usedA.fill(0, 0, nA);
  usedB.fill(0, 0, nB);
  let n = 0;
  for (let i = 0; i < nc && n < nR; i++) {
    const k = sorted[i]! & 0xffffff;
    const a = (k / nB) | 0, b = k - a * nB;
    if (usedA[a] || usedB[b]) continue;
    const s = cylinderSimilarity(A, a, B, b);
    if (s <= 0) continue;
    usedA[a] = 1;
    usedB[b] = 1;
    pa[n] = a;
    pb[n] = b;
    l0[n] = s;
    n++;
  }
  if (n < 2) return { raw: 0, pairs: [] };
  // Stage 3: relaxation with geometric compatibility ρ between pairs.
  rho.fill(0, 0, n * n);
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
      const d2 = Math.abs(wrapPi(wrapPi(tha - A.theta[ak]!) - wrapPi(thb - B.theta[bk]!)));
      const r2 = z2(d2);
      if (r2 < 1e-3) continue;
      const d3 = Math.abs(wrapPi(wrapPi(tha - fastAtan2(dya, dxa)) - wrapPi(thb - fastAtan2(dyb, dxb))));
      const r = r1 * r2 * z3(d3);
      rho[t * n + k] = r;
      rho[k * n + t] = r;
    }
  }
  let lam = lamA, next = lamB;
  lam.set(l0.subarray(0, n));
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
  lamA = lam;
  lamB = next;
  // Pairs with the best efficiency λ(nRel)/λ(0) contribute the mean of their relaxed λ.
  const minN = Math.min(nA, nB);
  const nP = (LSSR.minNP + Math.round(logistic(minN, LSSR.muP, LSSR.tauP) * (LSSR.maxNP - LSSR.minNP)));
  // Partial selection sort of the nP best efficiencies (n ≤ 30).
  for (let i = 0; i < n; i++) order[i] = i;
  let sum = 0;
  // Fewer consistent pairs than nP count as zeros, so that tiny templates cannot score high.
  const take = Math.min(n, nP);
  for (let i = 0; i < take; i++) {
    let best = i;
    for (let j = i + 1; j < n; j++) if (lam[order[j]!]! / l0[order[j]!]! > lam[order[best]!]! / l0[order[best]!]!) best = j;
    const tmp = order[i]!;
    order[i] = order[best]!;
    order[best] = tmp;
    sum += lam[order[i]!]!;
  }
  // Templates with very few minutiae carry little evidence: shrink their scores.
  const evidence = Math.min(1, minN / LSSR.minEvidence);
  const raw = (sum / nP) * evidence * evidence;
  return { raw, pairs: detail ? Array.from(order.subarray(0, take), (i) => [pa[i]!, pb[i]!] as [number, number]) : [] };
}
