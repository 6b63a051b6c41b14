// The internal compact template: minutiae in typed arrays plus precomputed Minutia Cylinder-Code bit vectors
// (Cappelli, Ferrara & Maltoni, "Minutia Cylinder-Code: a new representation and matching technique for
// fingerprint recognition", IEEE TPAMI 32(12), 2010 — MCC bit version) and a global vector for 1:N prefiltering.
import { angleDiff } from './fields.js';
import { FingerTemplateInvalidError } from './errors.js';
import { erf, popcount32 } from './mathutil.js';
import type { Minutia } from './minutiae.js';
import { pairHistogram, INDEX_DIMS } from './index-vector.js';
import { gridVectors, type GridVectors, type OrientationGrid } from './orientation-grid.js';

/**
 * Version 2 (issue 15) adds the coarse orientation field (orientation-grid.ts) after the minutiae; a template without
 * one (ISO 19794-2 imports, synthetic minutiae) is still written as version 1, and version 1 is read as before.
 */
export const TEMPLATE_VERSION = 2;

/** MCC parameters (paper defaults except Ns = 8 for speed; ΔS = 2R/Ns). */
export const MCC = {
  R: 70,
  Ns: 8,
  Nd: 6,
  sigmaS: 28 / 3,
  sigmaD: (2 * Math.PI) / 9,
  muPsi: 0.004,
  /** Hull enlargement Ω (px). */
  omega: 50,
  /** A cylinder is valid with ≥ minVC of its in-radius cells valid and ≥ minM contributing minutiae. */
  minVC: 0.75,
  minM: 2,
} as const;

/** Spatial cells whose centre lies within R: only these are stored (52 of 64 for Ns = 8). */
const SPATIAL: [number, number][] = [];
for (let i = 0; i < MCC.Ns; i++) {
  for (let j = 0; j < MCC.Ns; j++) {
    const dS = (2 * MCC.R) / MCC.Ns;
    if (Math.hypot((i - (MCC.Ns - 1) / 2) * dS, (j - (MCC.Ns - 1) / 2) * dS) <= MCC.R) SPATIAL.push([i, j]);
  }
}
export const CELLS = SPATIAL.length * MCC.Nd;
export const WORDS = Math.ceil(CELLS / 32);

export interface FingerTemplate {
  version: number;
  width: number;
  height: number;
  count: number;
  x: Float32Array;
  y: Float32Array;
  /** Direction in radians [0, 2π), image coordinates. */
  theta: Float32Array;
  /** cos θ and sin θ (for fast direction gating). */
  cos: Float32Array;
  sin: Float32Array;
  /** 1 ending, 2 bifurcation, 0 other. */
  type: Uint8Array;
  quality: Uint8Array;
  /** count × WORDS: cylinder bits. */
  bits: Uint32Array;
  /** count × WORDS: cell validity. */
  valid: Uint32Array;
  /** 1 when the cylinder is valid (enough valid cells and neighbours). */
  cylValid: Uint8Array;
  /** √popcount(bits) per cylinder. */
  norm: Float32Array;
  /** popcount(valid) per cylinder. */
  validCount: Uint16Array;
  /** L2-normalised global vector for prefiltering (INDEX_DIMS). */
  index: Float32Array;
  /** Indices of the valid cylinders sorted by direction, and their directions (the matcher's direction window). */
  dirOrder: Int32Array;
  dirTheta: Float64Array;
  /** Indices of all minutiae sorted by x, and their x (the consolidation's pairing window). */
  xOrder: Int32Array;
  xSorted: Float64Array;
  /**
   * Convex hull of the minutiae (the region the template covers; consolidation's overlap) as edge lines: per edge the
   * outward unit normal and offset (nx, ny, d), a point is inside when nx·x + ny·y − d ≤ 0 for every edge.
   */
  hull: Float32Array;
  /** Coarse orientation field of the impression and its doubled-angle vectors; null when unknown (version 1). */
  orientation: OrientationGrid | null;
  orientationVectors: GridVectors | null;
}

export interface TemplateMinutia {
  x: number;
  y: number;
  direction: number;
  type: 'ending' | 'bifurcation' | 'other';
  quality: number;
}

/** Convex hull (Andrew's monotone chain), counter-clockwise in a y-up sense. */
function convexHull(px: number[], py: number[]): number[] {
  const idx = px.map((_, i) => i).sort((a, b) => px[a]! - px[b]! || py[a]! - py[b]!);
  if (idx.length < 3) return idx;
  const cross = (o: number, a: number, b: number) => (px[a]! - px[o]!) * (py[b]! - py[o]!) - (py[a]! - py[o]!) * (px[b]! - px[o]!);
  const lower: number[] = [];
  for (const i of idx) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, i) <= 0) lower.pop();
    lower.push(i);
  }
  const upper: number[] = [];
  for (let k = idx.length - 1; k >= 0; k--) {
    const i = idx[k]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, i) <= 0) upper.pop();
    upper.push(i);
  }
  return [...lower.slice(0, -1), ...upper.slice(0, -1)];
}

/** Returns a predicate: is (x, y) inside the convex hull of the points enlarged by `omega`. */
function hullTest(px: number[], py: number[], omega: number): (x: number, y: number) => boolean {
  const h = convexHull(px, py);
  if (h.length < 3) {
    return (x, y) => px.some((_, i) => Math.hypot(x - px[i]!, y - py[i]!) <= omega);
  }
  const edges = h.map((a, k) => {
    const b = h[(k + 1) % h.length]!;
    const ex = px[b]! - px[a]!, ey = py[b]! - py[a]!;
    const len = Math.hypot(ex, ey) || 1;
    return { ax: px[a]!, ay: py[a]!, nx: ey / len, ny: -ex / len };
  });
  // Interior is on the side where the signed distance to every edge is ≤ 0 (outward normals).
  return (x, y) => {
    for (const e of edges) if ((x - e.ax) * e.nx + (y - e.ay) * e.ny > omega) return false;
    return true;
  };
}

/** The convex hull as outward edge lines (nx, ny, d); empty for fewer than three distinct points. */
function hullLines(px: number[], py: number[]): Float32Array {
  const h = convexHull(px, py);
  if (h.length < 3) return new Float32Array(0);
  let area = 0;
  for (let k = 0; k < h.length; k++) {
    const a = h[k]!, b = h[(k + 1) % h.length]!;
    area += px[a]! * py[b]! - px[b]! * py[a]!;
  }
  const sgn = area >= 0 ? 1 : -1;
  const out: number[] = [];
  for (let k = 0; k < h.length; k++) {
    const a = h[k]!, b = h[(k + 1) % h.length]!;
    const ex = px[b]! - px[a]!, ey = py[b]! - py[a]!;
    const len = Math.hypot(ex, ey) || 1;
    // For a positive-area (counter-clockwise in these coordinates) polygon the outward normal is (ey, −ex).
    const nx = (sgn * ey) / len, ny = (-sgn * ex) / len;
    out.push(nx, ny, nx * px[a]! + ny * py[a]!);
  }
  return Float32Array.from(out);
}

const gaussNorm = 1 / (MCC.sigmaS * Math.sqrt(2 * Math.PI));

/** Builds the template (cylinders; the index vector lazily) from minutiae. */
export function createTemplate(minutiae: readonly TemplateMinutia[], width: number, height: number, orientation: OrientationGrid | null = null): FingerTemplate {
  const n = minutiae.length;
  if (orientation && (orientation.code.length !== orientation.gw * orientation.gh || orientation.cell < 1 || orientation.gw > 255 || orientation.gh > 255 || orientation.cell > 255 || orientation.code.some((k) => k > 180))) {
    throw new FingerTemplateInvalidError('Orientation grid is malformed', { gw: orientation.gw, gh: orientation.gh, cell: orientation.cell });
  }
  for (const m of minutiae) {
    if (![m.x, m.y, m.direction, m.quality].every(Number.isFinite)) throw new FingerTemplateInvalidError('Minutia has non-finite fields');
  }
  const x = Float32Array.from(minutiae, (m) => m.x);
  const y = Float32Array.from(minutiae, (m) => m.y);
  const theta = Float32Array.from(minutiae, (m) => ((m.direction % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI));
  const type = Uint8Array.from(minutiae, (m) => (m.type === 'ending' ? 1 : m.type === 'bifurcation' ? 2 : 0));
  const quality = Uint8Array.from(minutiae, (m) => Math.max(0, Math.min(100, Math.round(m.quality))));
  const bits = new Uint32Array(n * WORDS);
  const valid = new Uint32Array(n * WORDS);
  const cylValid = new Uint8Array(n);
  const norm = new Float32Array(n);
  const validCount = new Uint16Array(n);
  const px = Array.from(x), py = Array.from(y);
  const inHull = hullTest(px, py, MCC.omega);
  const { R, Ns, Nd, sigmaS, sigmaD, muPsi } = MCC;
  const dS = (2 * R) / Ns;
  const dD = (2 * Math.PI) / Nd;
  const reach = 3 * sigmaS;
  const cellsInRadius = SPATIAL.length;
  const dirContribution = new Float64Array(Nd);
  const nearest2 = (R + reach) * (R + reach);
  const reach2 = reach * reach, twoSigma2 = 2 * sigmaS * sigmaS;
  const erfScale = 1 / (Math.SQRT2 * sigmaD);
  // Per neighbour of the current minutia: position and its Nd directional contributions (they depend only on the
  // neighbour's direction relative to the minutia, not on the cell, so they are computed once per pair).
  const nbX = new Float64Array(n), nbY = new Float64Array(n), nbD = new Float64Array(n * Nd);
  for (let m = 0; m < n; m++) {
    const cx = x[m]!, cy = y[m]!, th = theta[m]!;
    const c = Math.cos(th), s = Math.sin(th);
    const neigh: number[] = [];
    for (let t = 0; t < n; t++) {
      const ex = x[t]! - cx, ey = y[t]! - cy;
      if (t !== m && ex * ex + ey * ey <= nearest2) neigh.push(t);
    }
    const nn = neigh.length;
    for (let q = 0; q < nn; q++) {
      const t = neigh[q]!;
      nbX[q] = x[t]!;
      nbY[q] = y[t]!;
      const dth = angleDiff(theta[t]!, th);
      for (let k = 0; k < Nd; k++) {
        const phi = -Math.PI + (k + 0.5) * dD;
        const diff = angleDiff(phi, dth);
        nbD[q * Nd + k] = 0.5 * (erf((diff + dD / 2) * erfScale) - erf((diff - dD / 2) * erfScale));
      }
    }
    let validCells = 0;
    for (let sc = 0; sc < SPATIAL.length; sc++) {
      {
        const [i, j] = SPATIAL[sc]!;
        const u = (i - (Ns - 1) / 2) * dS, v = (j - (Ns - 1) / 2) * dS;
        const qx = cx + c * u - s * v, qy = cy + s * u + c * v;
        if (!inHull(qx, qy)) continue;
        validCells++;
        dirContribution.fill(0);
        for (let q = 0; q < nn; q++) {
          const ddx = nbX[q]! - qx, ddy = nbY[q]! - qy;
          const d2 = ddx * ddx + ddy * ddy;
          if (d2 > reach2) continue;
          const cs = gaussNorm * Math.exp(-d2 / twoSigma2);
          for (let k = 0; k < Nd; k++) dirContribution[k]! += cs * nbD[q * Nd + k]!;
        }
        for (let k = 0; k < Nd; k++) {
          const cell = k * SPATIAL.length + sc;
          const w = m * WORDS + (cell >>> 5), b = 1 << (cell & 31);
          valid[w]! |= b;
          if (dirContribution[k]! >= muPsi) bits[w]! |= b;
        }
      }
    }
    const within = nn;
    cylValid[m] = validCells >= MCC.minVC * cellsInRadius && within >= MCC.minM ? 1 : 0;
    let pc = 0, vc = 0;
    for (let w = 0; w < WORDS; w++) {
      pc += popcount32(bits[m * WORDS + w]!);
      vc += popcount32(valid[m * WORDS + w]!);
    }
    norm[m] = Math.sqrt(pc);
    validCount[m] = vc;
  }
  const cos = theta.map(Math.cos), sin = theta.map(Math.sin);
  const dirOrder = Int32Array.from(Array.from({ length: n }, (_, i) => i).filter((i) => cylValid[i]).sort((a, b) => theta[a]! - theta[b]! || a - b));
  const dirTheta = Float64Array.from(dirOrder, (i) => theta[i]!);
  // Minutiae by x (insertion sort, stable: equal x keep index order).
  const xOrder = new Int32Array(n), xSorted = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    let j = i - 1;
    while (j >= 0 && xSorted[j]! > v) { xSorted[j + 1] = xSorted[j]!; xOrder[j + 1] = xOrder[j]!; j--; }
    xSorted[j + 1] = v;
    xOrder[j + 1] = i;
  }
  const hull = hullLines(px, py);
  // The index vector (≈ 30 % of a load) is only needed by 1:N prefilters over loaded templates, not by a
  // comparison, so it is computed on first use: a dedup search loads ~50 gallery templates just to compare them.
  let index: Float32Array | undefined;
  return {
    version: orientation ? TEMPLATE_VERSION : 1, width, height, count: n, x, y, theta, cos, sin, type, quality, bits, valid, cylValid, norm, validCount,
    get index(): Float32Array {
      if (!index) {
        index = pairHistogram(x, y, theta);
        if (index.length !== INDEX_DIMS) throw new Error('index size mismatch');
      }
      return index;
    },
    dirOrder, dirTheta, xOrder, xSorted, hull,
    orientation, orientationVectors: orientation ? gridVectors(orientation) : null,
  };
}

export function templateFromMinutiae(minutiae: readonly Minutia[], width: number, height: number, orientation: OrientationGrid | null = null): FingerTemplate {
  return createTemplate(minutiae, width, height, orientation);
}

export function templateMinutiae(t: FingerTemplate): TemplateMinutia[] {
  return Array.from({ length: t.count }, (_, i) => ({
    x: t.x[i]!,
    y: t.y[i]!,
    direction: t.theta[i]!,
    type: t.type[i] === 1 ? 'ending' : t.type[i] === 2 ? 'bifurcation' : 'other',
    quality: t.quality[i]!,
  }));
}

const MAGIC = 0x3154464b; // "KFT1" little-endian

/**
 * Compact binary form: 16-byte header + 8 bytes per minutia; version 2 adds the orientation grid (header bytes 12–14:
 * cells across, down, cell side in px; then one byte per cell). Cylinders are rebuilt on load (deterministic).
 */
export function serializeTemplate(t: FingerTemplate): Uint8Array {
  const g = t.orientation;
  const out = new Uint8Array(16 + t.count * 8 + (g ? g.code.length : 0));
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint16(4, g ? 2 : 1, true);
  if (g) {
    out[12] = g.gw;
    out[13] = g.gh;
    out[14] = g.cell;
    out.set(g.code, 16 + t.count * 8);
  }
  dv.setUint16(6, t.width, true);
  dv.setUint16(8, t.height, true);
  dv.setUint16(10, t.count, true);
  for (let i = 0; i < t.count; i++) {
    const o = 16 + i * 8;
    dv.setUint16(o, Math.round(t.x[i]! * 4), true);
    dv.setUint16(o + 2, Math.round(t.y[i]! * 4), true);
    dv.setUint16(o + 4, Math.round((t.theta[i]! / (2 * Math.PI)) * 65536) & 0xffff, true);
    out[o + 6] = t.type[i]!;
    out[o + 7] = t.quality[i]!;
  }
  return out;
}

export function deserializeTemplate(data: Uint8Array): FingerTemplate {
  if (data.length < 16) throw new FingerTemplateInvalidError('Template is truncated', { length: data.length });
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (dv.getUint32(0, true) !== MAGIC) throw new FingerTemplateInvalidError('Not a kiosk finger template');
  const version = dv.getUint16(4, true);
  if (version !== 1 && version !== 2) throw new FingerTemplateInvalidError('Unsupported template version', { version });
  const width = dv.getUint16(6, true), height = dv.getUint16(8, true), count = dv.getUint16(10, true);
  const gw = version === 2 ? data[12]! : 0, gh = version === 2 ? data[13]! : 0, cell = version === 2 ? data[14]! : 0;
  if (data.length !== 16 + count * 8 + gw * gh) throw new FingerTemplateInvalidError('Template length does not match its minutia count', { length: data.length, count, version });
  const orientation: OrientationGrid | null = version === 2 ? { cell, gw, gh, code: data.slice(16 + count * 8, 16 + count * 8 + gw * gh) } : null;
  const ms: TemplateMinutia[] = [];
  for (let i = 0; i < count; i++) {
    const o = 16 + i * 8;
    const t = data[o + 6]!;
    ms.push({ x: dv.getUint16(o, true) / 4, y: dv.getUint16(o + 2, true) / 4, direction: (dv.getUint16(o + 4, true) / 65536) * 2 * Math.PI, type: t === 1 ? 'ending' : t === 2 ? 'bifurcation' : 'other', quality: data[o + 7]! });
  }
  return createTemplate(ms, width, height, orientation);
}
