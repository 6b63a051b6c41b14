// Minutia Cylinder-Code matching with Local Similarity Sort and Relaxation (LSS-R).
// Cappelli, Ferrara & Maltoni, "Minutia Cylinder-Code", IEEE TPAMI 32(12), 2010, §4–5; relaxation after
// Feng, "Combining minutiae descriptors for fingerprint matching", Pattern Recognition 41, 2008.
import { logistic } from './mathutil.js';
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

/** Sum of the four byte counters of `acc` (each byte holds ≤ 8 per word added, ≤ 248 for WORDS ≤ 31). */
function foldBytes(acc: number): number {
  acc = (acc & 0x00ff00ff) + ((acc >>> 8) & 0x00ff00ff);
  return (acc + (acc >>> 16)) & 0xffff;
}

/** Exact MCC bit similarity λ of cylinders a (in A) and b (in B), restricted to commonly valid cells. */
export function cylinderSimilarity(A: FingerTemplate, a: number, B: FingerTemplate, b: number): number {
  // SWAR popcounts (Hacker's Delight 5-2) accumulated per byte over all words, folded once at the end.
  let sx = 0, sa = 0, sb = 0, sm = 0;
  const oa = a * WORDS, ob = b * WORDS;
  const Av = A.valid, Bv = B.valid, Ab = A.bits, Bb = B.bits;
  for (let w = 0; w < WORDS; w++) {
    const m = Av[oa + w]! & Bv[ob + w]!;
    const ca = Ab[oa + w]! & m, cb = Bb[ob + w]! & m;
    sx += nibbles(ca ^ cb);
    sa += nibbles(ca);
    sb += nibbles(cb);
    sm += nibbles(m);
  }
  const nxor = foldBytes(sx), na = foldBytes(sa), nb = foldBytes(sb), nm = foldBytes(sm);
  if (nm < LSSR.minME * Math.min(A.validCount[a]!, B.validCount[b]!)) return 0;
  const den = SQRT[na]! + SQRT[nb]!;
  return den > 0 ? 1 - SQRT[nxor]! / den : 0;
}

/** Per-byte bit counts of v (each byte ≤ 8). */
function nibbles(v: number): number {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (v + (v >>> 4)) & 0x0f0f0f0f;
}

/** √k for every possible popcount of a cylinder. */
const SQRT = Float64Array.from({ length: WORDS * 32 + 1 }, (_, k) => Math.sqrt(k));
if (WORDS > 31 || WORDS % 2) throw new Error('cylinder too long for byte-accumulated popcounts');

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
const l0 = new Float64Array(LSSR.maxNR);
let lamA = new Float64Array(LSSR.maxNR), lamB = new Float64Array(LSSR.maxNR);
// Non-zero ρ entries per row (index, value): the relaxation only visits these.
const nbrK = new Int32Array(LSSR.maxNR * LSSR.maxNR), nbrR = new Float64Array(LSSR.maxNR * LSSR.maxNR), nbrN = new Int32Array(LSSR.maxNR);
const eff = new Float64Array(LSSR.maxNR);
const order = new Int32Array(LSSR.maxNR);
// Per selected pair: positions and direction cosines in A and B, and cos/sin of the pair's rotation θA − θB.
const pxa = new Float64Array(LSSR.maxNR), pya = new Float64Array(LSSR.maxNR), pca = new Float64Array(LSSR.maxNR), psa = new Float64Array(LSSR.maxNR);
const pxb = new Float64Array(LSSR.maxNR), pyb = new Float64Array(LSSR.maxNR), pcb = new Float64Array(LSSR.maxNR), psb = new Float64Array(LSSR.maxNR);
const pcu = new Float64Array(LSSR.maxNR), psu = new Float64Array(LSSR.maxNR);

/**
 * ρ's angular terms Z(|Δ|; μ, τ) tabulated over cos Δ (no atan2 or angle wrapping in the inner loop: the angle
 * differences of the paper are computed as cosines of rotated vectors).
 */
const COS_STEPS = 4096;
function logisticOverCos(mu: number, tau: number): Float32Array {
  const t = new Float32Array(COS_STEPS + 1);
  for (let i = 0; i <= COS_STEPS; i++) t[i] = logistic(Math.acos(Math.max(-1, Math.min(1, (2 * i) / COS_STEPS - 1))), mu, tau);
  return t;
}
const z2c = logisticOverCos(LSSR.muRho2, LSSR.tauRho2);
const z3c = logisticOverCos(LSSR.muRho3, LSSR.tauRho3);
// ρ's distance term Z(d1; 0, τρ1) over d1 ∈ [−10, 8] in steps of 1/64 (1 below, 0 above).
const D1_LO = -10, D1_HI = 8, D1_SCALE = 64;
const z1t = new Float32Array((D1_HI - D1_LO) * D1_SCALE + 1);
for (let i = 0; i < z1t.length; i++) z1t[i] = logistic(D1_LO + i / D1_SCALE, 0, LSSR.tauRho1);

const NO_PAIRS: [number, number][] = [];

/** Global score between two templates (raw MCC LSS-R similarity, 0–1). */
export function mccSimilarity(A: FingerTemplate, B: FingerTemplate, detail = false): MatchDetail {
  const raw = mccScore(A, B);
  if (!detail) return { raw, pairs: NO_PAIRS.slice() };
  return { raw, pairs: Array.from(order.subarray(0, lastTake), (i) => [pa[i]!, pb[i]!] as [number, number]) };
}

let lastTake = 0;
let lastN = 0;
let lastNc = 0;
let lastNB = 0;

/**
 * The stage-1 candidate pairs of the last mccScore call, best approximate λ first: entry i is (q << 24) | (a·nB + b)
 * with q the λ quantised to 1/127 (no allocation; valid until the next call).
 */
export function lastCandidates(): { count: number; nB: number; keys: Int32Array } {
  return { count: lastNc, nB: lastNB, keys: sorted };
}

/**
 * The pairs of the last mccScore call (no allocation): `n` one-to-one pairs chosen by λ in stage 2, their relaxed λ,
 * and the first `take` entries of `order` — the pairs that entered the score, best efficiency first.
 */
export function lastPairs(): { n: number; take: number; a: Int32Array; b: Int32Array; order: Int32Array } {
  return { n: lastN, take: lastTake, a: pa, b: pb, order };
}

/** Raw MCC LSS-R similarity (0–1) without allocating: the 1:1 and 1:N hot path. */
export function mccScore(A: FingerTemplate, B: FingerTemplate): number {
  lastTake = 0;
  lastN = 0;
  lastNc = 0;
  const nA = A.count, nB = B.count;
  lastNB = nB;
  if (nA < 2 || nB < 2) return 0;
  if (nB > 16383 || nA * nB > 1 << 24) return 0;
  if (keys.length < nA * nB) keys = new Int32Array(nA * nB * 2);
  if (usedA.length < nA) usedA = new Uint8Array(nA * 2);
  if (usedB.length < nB) usedB = new Uint8Array(nB * 2);
  // Stage 1: approximate λ (no validity mask) for every direction-compatible pair of valid cylinders, packed with the
  // pair index into one sortable integer (λ quantised to 1/127; pairs with λ ≤ 25/127 are dropped).
  let nc = 0;
  const K = keys, bk = bucket;
  bk.fill(0);
  const Ab = A.bits, Bb = B.bits, Av = A.cylValid, At = A.theta, An = A.norm, Bn = B.norm;
  // B's valid cylinders sorted by direction: for each a only the window |θb − θa| ≤ δθ is visited.
  const Bo = B.dirOrder, Bt = B.dirTheta, mB = Bo.length;
  const keep = 1 - 25.5 / 127;
  const twoPi = 2 * Math.PI, width = 2 * LSSR.deltaTheta;
  if (mB > 0) {
    for (let a = 0; a < nA; a++) {
      if (!Av[a]) continue;
      const oa = a * WORDS;
      const na = An[a]!;
      let lo = At[a]! - LSSR.deltaTheta;
      if (lo < 0) lo += twoPi;
      // First b in the sorted list with θb ≥ lo (binary search), then walk on circularly.
      let l = 0, h = mB;
      while (l < h) {
        const mid = (l + h) >> 1;
        if (Bt[mid]! < lo) l = mid + 1;
        else h = mid;
      }
      const rowKey = a * nB;
      for (let k = 0, j = l; k < mB; k++, j++) {
        if (j === mB) j = 0;
        let dt = Bt[j]! - lo;
        if (dt < 0) dt += twoPi;
        if (dt > width) break;
        const b = Bo[j]!;
        const nb = Bn[b]!;
        const den = na + nb;
        if (den === 0) continue;
        // Hamming distance ≥ |popcount(a) − popcount(b)|: a cheap bound before the popcount (q > 25 needs
        // √x < den·(1 − 25.5/127)).
        const lim = den * keep, lim2 = lim * lim;
        const dp = na * na - nb * nb;
        if (dp >= lim2 || -dp >= lim2) continue;
        const ob = b * WORDS;
        let acc = 0;
        // Unrolled by two (WORDS is even): independent chains for the CPU's pipelines.
        for (let w = 0; w < WORDS; w += 2) {
          let v = Ab[oa + w]! ^ Bb[ob + w]!;
          let u = Ab[oa + w + 1]! ^ Bb[ob + w + 1]!;
          v -= (v >>> 1) & 0x55555555;
          u -= (u >>> 1) & 0x55555555;
          v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
          u = (u & 0x33333333) + ((u >>> 2) & 0x33333333);
          v += u;
          acc += (v & 0x0f0f0f0f) + ((v >>> 4) & 0x0f0f0f0f);
        }
        acc = (acc & 0x00ff00ff) + ((acc >>> 8) & 0x00ff00ff);
        const x = (acc + (acc >>> 16)) & 0xffff;
        if (x >= lim2) continue;
        const q = (127 * (1 - SQRT[x]! / den) + 0.5) | 0;
        if (q > 25) {
          K[nc++] = (q << 24) | (rowKey + b);
          bk[q]!++;
        }
      }
    }
  }
  if (nc === 0) return 0;
  // Counting sort by quantised λ, best first.
  for (let q = 127, acc = 0; q >= 0; q--) {
    const c = bk[q]!;
    bk[q] = acc;
    acc += c;
  }
  if (sorted.length < nc) sorted = new Int32Array(nc * 2);
  const S = sorted;
  for (let i = 0; i < nc; i++) S[bk[K[i]! >>> 24]!++] = K[i]!;
  lastNc = nc;
  // Stage 2: one-to-one selection of the top nR pairs, exact λ with the validity mask.
  const nR = Math.min(LSSR.maxNR, nA, nB);
  const uA = usedA, uB = usedB;
  uA.fill(0, 0, nA);
  uB.fill(0, 0, nB);
  let n = 0;
  for (let i = 0; i < nc && n < nR; i++) {
    const k = S[i]! & 0xffffff;
    const a = (k / nB) | 0, b = k - a * nB;
    if (uA[a] || uB[b]) continue;
    const s = cylinderSimilarity(A, a, B, b);
    if (s <= 0) continue;
    uA[a] = 1;
    uB[b] = 1;
    pa[n] = a;
    pb[n] = b;
    l0[n] = s;
    n++;
  }
  lastN = n;
  if (n < 2) return 0;
  // Stage 3: relaxation with geometric compatibility ρ between pairs (ρ1 distances, ρ2 relative directions, ρ3 the
  // directions of the connecting segments, each relative to the pair's own minutia — all via rotated vectors).
  const Ax = A.x, Ay = A.y, Bx = B.x, By = B.y, Ac = A.cos, As = A.sin, Bc = B.cos, Bs = B.sin;
  for (let t = 0; t < n; t++) {
    const at = pa[t]!, bt = pb[t]!;
    const ca = Ac[at]!, sa = As[at]!, cb = Bc[bt]!, sb = Bs[bt]!;
    pxa[t] = Ax[at]!; pya[t] = Ay[at]!; pca[t] = ca; psa[t] = sa;
    pxb[t] = Bx[bt]!; pyb[t] = By[bt]!; pcb[t] = cb; psb[t] = sb;
    pcu[t] = ca * cb + sa * sb;
    psu[t] = sa * cb - ca * sb;
  }
  nbrN.fill(0, 0, n);
  const half = COS_STEPS / 2;
  for (let t = 0; t < n; t++) {
    const xa = pxa[t]!, ya = pya[t]!, ca = pca[t]!, sa = psa[t]!;
    const xb = pxb[t]!, yb = pyb[t]!, cb = pcb[t]!, sb = psb[t]!;
    const cu = pcu[t]!, su = psu[t]!;
    for (let k = t + 1; k < n; k++) {
      const dxa = pxa[k]! - xa, dya = pya[k]! - ya;
      const dxb = pxb[k]! - xb, dyb = pyb[k]! - yb;
      const da = Math.sqrt(dxa * dxa + dya * dya), db = Math.sqrt(dxb * dxb + dyb * dyb);
      const d1 = Math.abs(da - db) - LSSR.muRho1 - 0.05 * (da + db);
      if (d1 > D1_HI) continue;
      const r1 = d1 < D1_LO ? 1 : z1t[((d1 - D1_LO) * D1_SCALE + 0.5) | 0]!;
      if (r1 < 1e-3) continue;
      // cos of (θA_t − θA_k) − (θB_t − θB_k) = cos(u_t − u_k), u = θA − θB.
      const r2 = z2c[((cu * pcu[k]! + su * psu[k]! + 1) * half + 0.5) | 0]!;
      if (r2 < 1e-3) continue;
      // The segment t→k seen from minutia t's own frame in A and in B; ρ3 looks at the angle between the two.
      const dd = da * db;
      let c3 = 1;
      if (dd > 0) {
        const ua = dxa * ca + dya * sa, va = dya * ca - dxa * sa;
        const ub = dxb * cb + dyb * sb, vb = dyb * cb - dxb * sb;
        c3 = (ua * ub + va * vb) / dd;
        if (c3 > 1) c3 = 1;
        else if (c3 < -1) c3 = -1;
      }
      const r = r1 * r2 * z3c[((c3 + 1) * half + 0.5) | 0]!;
      const it = t * n + nbrN[t]!++, ik = k * n + nbrN[k]!++;
      nbrK[it] = k; nbrR[it] = r;
      nbrK[ik] = t; nbrR[ik] = r;
    }
  }
  let lam = lamA, next = lamB;
  for (let t = 0; t < n; t++) lam[t] = l0[t]!;
  const wR = LSSR.wR, wN = (1 - wR) / (n - 1);
  for (let it = 0; it < LSSR.nRel; it++) {
    for (let t = 0; t < n; t++) {
      let s = 0;
      const o = t * n, e = o + nbrN[t]!;
      for (let q = o; q < e; q++) s += nbrR[q]! * lam[nbrK[q]!]!;
      next[t] = wR * lam[t]! + wN * s;
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
  for (let i = 0; i < n; i++) {
    order[i] = i;
    eff[i] = lam[i]! / l0[i]!;
  }
  let sum = 0;
  // Fewer consistent pairs than nP count as zeros, so that tiny templates cannot score high.
  const take = Math.min(n, nP);
  for (let i = 0; i < take; i++) {
    let best = i, be = eff[order[i]!]!;
    for (let j = i + 1; j < n; j++) {
      const e = eff[order[j]!]!;
      if (e > be) { best = j; be = e; }
    }
    const tmp = order[i]!;
    order[i] = order[best]!;
    order[best] = tmp;
    sum += lam[order[i]!]!;
  }
  lastTake = take;
  // Templates with very few minutiae carry little evidence: shrink their scores.
  const evidence = Math.min(1, minN / LSSR.minEvidence);
  return (sum / nP) * evidence * evidence;
}
