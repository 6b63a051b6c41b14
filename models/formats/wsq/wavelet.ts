// WSQ two-channel 2-D subband transform. FBI WSQ spec v3.1 §A.2 (analysis) and §A.4 / Annex A (synthesis):
// odd-length symmetric biorthogonal 9/7 filters with whole-sample symmetric extension at both ends; the low band takes the
// even samples, the high band the odd samples. Synthesis is the exact inverse of that extension (no approximation), so
// any conforming decoder reconstructs the same floats up to rounding.
import type { WNode } from './tree.js';

/** Analysis filters as transmitted in the DTT segment: the centre tap first, then one side (the filters are symmetric). */
export interface FilterBank {
  /** Analysis low-pass half (index 0 = centre), odd full length 2*len-1. */
  lo: Float64Array;
  /** Analysis high-pass half (index 0 = centre). */
  hi: Float64Array;
}

/** The standard WSQ 9/7 analysis filters (CDF 9/7 scaled by √2), spec Table A.1. */
export const STANDARD_FILTERS: FilterBank = {
  lo: Float64Array.of(0.8526986790094034, 0.3774028556126538, -0.1106244044184234, -0.02384946501938, 0.03782845550699546),
  hi: Float64Array.of(0.7884856164056644, -0.4180922732222122, -0.04068941760955844, 0.06453888262893845),
};

function ws(i: number, n: number): number {
  if (n === 1) return 0;
  const per = 2 * n - 2;
  let j = i % per;
  if (j < 0) j += per;
  return j < n ? j : per - j;
}

/** Symmetric kernels are applied as centre + pairs; up to this many groups the inner loops are unrolled. */
const FUSED = 5;

function padHalf(h: Float64Array, len: number): Float64Array {
  const out = new Float64Array(Math.max(len, h.length));
  out.set(h);
  return out;
}

/**
 * Precomputed analysis/synthesis kernels and scratch buffers, reused for every line of an image. Rows are filtered on a
 * padded copy of the line; columns are filtered row-wise (each output row is a weighted sum of input rows) so that
 * every inner loop runs over contiguous memory.
 */
export class SubbandTransform {
  /** Half-kernels (centre first): analysis low/high, synthesis for even/odd output samples. */
  private readonly aLo: Float64Array;
  private readonly aHi: Float64Array;
  private readonly sEven: Float64Array;
  private readonly sOdd: Float64Array;
  private readonly groups: number;
  private readonly pad: number;
  private readonly dcGain: number;
  private ext = new Float64Array(0);
  private region = new Float32Array(0);
  private readonly rows: Int32Array;
  private readonly coefs: Float64Array;

  constructor(f: FilterBank) {
    const lh = f.lo.length - 1;
    const hh = f.hi.length - 1;
    const g = Math.max(lh, hh);
    this.groups = Math.max(g + 1, FUSED);
    this.pad = this.groups + 1;
    this.aLo = padHalf(f.lo, this.groups);
    this.aHi = padHalf(f.hi, this.groups);
    this.sEven = new Float64Array(this.groups);
    this.sOdd = new Float64Array(this.groups);
    for (let m = 0; m <= g; m++) {
      const sign = m % 2 === 0 ? 1 : -1;
      const g0 = m <= hh ? sign * f.hi[m]! : 0; // synthesis low-pass = modulated analysis high-pass
      const g1 = m <= lh ? sign * f.lo[m]! : 0; // synthesis high-pass = modulated analysis low-pass
      // Even outputs take low-band samples at even offsets, odd outputs at odd offsets.
      this.sEven[m] = m % 2 === 0 ? g0 : g1;
      this.sOdd[m] = m % 2 === 1 ? g0 : g1;
    }
    let dc = f.lo[0]!;
    for (let m = 1; m <= lh; m++) dc += 2 * f.lo[m]!;
    this.dcGain = dc === 0 ? 1 : dc;
    this.rows = new Int32Array(2 * this.groups);
    this.coefs = new Float64Array(this.groups);
  }

  private scratch(n: number): Float64Array {
    const need = n + 2 * this.pad;
    if (this.ext.length < need) this.ext = new Float64Array(need);
    return this.ext;
  }

  private extend(ext: Float64Array, n: number): void {
    const p = this.pad;
    for (let i = 1; i <= p; i++) {
      ext[p - i] = ext[p + ws(-i, n)]!;
      ext[p + n - 1 + i] = ext[p + ws(n - 1 + i, n)]!;
    }
  }

  /** Symmetric filter at ext[c]. */
  private tap(e: Float64Array, c: number, h: Float64Array): number {
    if (this.groups === FUSED) {
      return h[0]! * e[c]! + h[1]! * (e[c - 1]! + e[c + 1]!) + h[2]! * (e[c - 2]! + e[c + 2]!) + h[3]! * (e[c - 3]! + e[c + 3]!) + h[4]! * (e[c - 4]! + e[c + 4]!);
    }
    let acc = h[0]! * e[c]!;
    for (let m = 1; m < h.length; m++) acc += h[m]! * (e[c - m]! + e[c + m]!);
    return acc;
  }

  analyzeLine(data: Float32Array, off: number, stride: number, n: number, inv: boolean): void {
    if (n <= 0) return;
    const ext = this.scratch(n);
    const p = this.pad;
    for (let i = 0, s = off; i < n; i++, s += stride) ext[p + i] = data[s]!;
    this.extend(ext, n);
    const llen = (n + 1) >> 1;
    const hlen = n >> 1;
    let lowAt = off + (inv ? hlen : 0) * stride;
    let highAt = off + (inv ? 0 : llen) * stride;
    if (this.groups !== FUSED) {
      for (let k = 0; k < llen; k++, lowAt += stride) data[lowAt] = this.tap(ext, p + 2 * k, this.aLo);
      for (let k = 0; k < hlen; k++, highAt += stride) data[highAt] = this.tap(ext, p + 2 * k + 1, this.aHi);
      return;
    }
    const a = this.aLo;
    const b = this.aHi;
    const a0 = a[0]!, a1 = a[1]!, a2 = a[2]!, a3 = a[3]!, a4 = a[4]!;
    const b0 = b[0]!, b1 = b[1]!, b2 = b[2]!, b3 = b[3]!, b4 = b[4]!;
    for (let k = 0, c = p; k < llen; k++, c += 2, lowAt += stride) {
      data[lowAt] = a0 * ext[c]! + a1 * (ext[c - 1]! + ext[c + 1]!) + a2 * (ext[c - 2]! + ext[c + 2]!) + a3 * (ext[c - 3]! + ext[c + 3]!) + a4 * (ext[c - 4]! + ext[c + 4]!);
    }
    for (let k = 0, c = p + 1; k < hlen; k++, c += 2, highAt += stride) {
      data[highAt] = b0 * ext[c]! + b1 * (ext[c - 1]! + ext[c + 1]!) + b2 * (ext[c - 2]! + ext[c + 2]!) + b3 * (ext[c - 3]! + ext[c + 3]!) + b4 * (ext[c - 4]! + ext[c + 4]!);
    }
  }

  synthesizeLine(data: Float32Array, off: number, stride: number, n: number, inv: boolean): void {
    if (n <= 0) return;
    if (n === 1) {
      // Degenerate one-sample line: analysis produced the low band only, scaled by the DC gain.
      data[off] = data[off]! / this.dcGain;
      return;
    }
    const ext = this.scratch(n);
    const p = this.pad;
    const llen = (n + 1) >> 1;
    const hlen = n >> 1;
    let lowAt = off + (inv ? hlen : 0) * stride;
    let highAt = off + (inv ? 0 : llen) * stride;
    for (let k = 0; k < llen; k++, lowAt += stride) ext[p + 2 * k] = data[lowAt]!;
    for (let k = 0; k < hlen; k++, highAt += stride) ext[p + 2 * k + 1] = data[highAt]!;
    this.extend(ext, n);
    const se = this.sEven;
    const so = this.sOdd;
    if (this.groups !== FUSED) {
      for (let i = 0, d = off; i < n; i++, d += stride) data[d] = this.tap(ext, p + i, (i & 1) === 0 ? se : so);
      return;
    }
    const e0 = se[0]!, e1 = se[1]!, e2 = se[2]!, e3 = se[3]!, e4 = se[4]!;
    const o0 = so[0]!, o1 = so[1]!, o2 = so[2]!, o3 = so[3]!, o4 = so[4]!;
    let d = off;
    for (let i = 0, c = p; i < n; i += 2, c += 2) {
      data[d] = e0 * ext[c]! + e1 * (ext[c - 1]! + ext[c + 1]!) + e2 * (ext[c - 2]! + ext[c + 2]!) + e3 * (ext[c - 3]! + ext[c + 3]!) + e4 * (ext[c - 4]! + ext[c + 4]!);
      d += stride;
      if (i + 1 < n) {
        const o = c + 1;
        data[d] = o0 * ext[o]! + o1 * (ext[o - 1]! + ext[o + 1]!) + o2 * (ext[o - 2]! + ext[o + 2]!) + o3 * (ext[o - 3]! + ext[o + 3]!) + o4 * (ext[o - 4]! + ext[o + 4]!);
        d += stride;
      }
    }
  }

  private copyRegion(img: Float32Array, width: number, node: WNode): Float32Array {
    const size = node.lenx * node.leny;
    if (this.region.length < size) this.region = new Float32Array(size);
    const t = this.region;
    for (let r = 0; r < node.leny; r++) {
      const from = (node.y + r) * width + node.x;
      t.set(img.subarray(from, from + node.lenx), r * node.lenx);
    }
    return t;
  }

  /**
   * img[dst + c] = coefs[0]·src[rows[0]] + Σ_m coefs[m]·(src[rows[2m-1]] + src[rows[2m]]) over one row of the region.
   */
  private combineRows(src: Float32Array, lenx: number, img: Float32Array, dst: number): void {
    const r = this.rows;
    const k = this.coefs;
    if (this.groups === FUSED) {
      const b0 = r[0]! * lenx, b1 = r[1]! * lenx, b2 = r[2]! * lenx, b3 = r[3]! * lenx, b4 = r[4]! * lenx;
      const b5 = r[5]! * lenx, b6 = r[6]! * lenx, b7 = r[7]! * lenx, b8 = r[8]! * lenx;
      const k0 = k[0]!, k1 = k[1]!, k2 = k[2]!, k3 = k[3]!, k4 = k[4]!;
      for (let c = 0; c < lenx; c++) {
        img[dst + c] =
          k0 * src[b0 + c]! + k1 * (src[b1 + c]! + src[b2 + c]!) + k2 * (src[b3 + c]! + src[b4 + c]!) + k3 * (src[b5 + c]! + src[b6 + c]!) + k4 * (src[b7 + c]! + src[b8 + c]!);
      }
      return;
    }
    for (let c = 0; c < lenx; c++) {
      let acc = k[0]! * src[r[0]! * lenx + c]!;
      for (let m = 1; m < this.groups; m++) acc += k[m]! * (src[r[2 * m - 1]! * lenx + c]! + src[r[2 * m]! * lenx + c]!);
      img[dst + c] = acc;
    }
  }

  /** Fills rows/coefs for a symmetric kernel centred at interleaved index `center`; `map` turns an index into a region row. */
  private plan(center: number, n: number, half: Float64Array, map: (s: number) => number): void {
    this.rows[0] = map(ws(center, n));
    this.coefs[0] = half[0]!;
    for (let m = 1; m < this.groups; m++) {
      this.rows[2 * m - 1] = map(ws(center - m, n));
      this.rows[2 * m] = map(ws(center + m, n));
      this.coefs[m] = half[m]!;
    }
  }

  private analyzeColumns(img: Float32Array, width: number, node: WNode): void {
    const n = node.leny;
    if (n <= 1) {
      if (n === 1) for (let c = 0, at = node.y * width + node.x; c < node.lenx; c++) img[at + c] = img[at + c]! * this.dcGain;
      return;
    }
    const src = this.copyRegion(img, width, node);
    const llen = (n + 1) >> 1;
    const hlen = n >> 1;
    const lowAt = node.invCol ? hlen : 0;
    const highAt = node.invCol ? 0 : llen;
    const id = (s: number) => s;
    for (let k = 0; k < llen; k++) {
      this.plan(2 * k, n, this.aLo, id);
      this.combineRows(src, node.lenx, img, (node.y + lowAt + k) * width + node.x);
    }
    for (let k = 0; k < hlen; k++) {
      this.plan(2 * k + 1, n, this.aHi, id);
      this.combineRows(src, node.lenx, img, (node.y + highAt + k) * width + node.x);
    }
  }

  private synthesizeColumns(img: Float32Array, width: number, node: WNode): void {
    const n = node.leny;
    if (n <= 1) {
      if (n === 1) for (let c = 0, at = node.y * width + node.x; c < node.lenx; c++) img[at + c] = img[at + c]! / this.dcGain;
      return;
    }
    const src = this.copyRegion(img, width, node);
    const llen = (n + 1) >> 1;
    const hlen = n >> 1;
    const lowAt = node.invCol ? hlen : 0;
    const highAt = node.invCol ? 0 : llen;
    const map = (s: number) => ((s & 1) === 0 ? lowAt + (s >> 1) : highAt + (s >> 1));
    for (let i = 0; i < n; i++) {
      this.plan(i, n, (i & 1) === 0 ? this.sEven : this.sOdd, map);
      this.combineRows(src, node.lenx, img, (node.y + i) * width + node.x);
    }
  }

  /** In-place forward transform over the decomposition tree (rows then columns per node, nodes in order). */
  decompose(img: Float32Array, width: number, tree: readonly WNode[]): void {
    for (const node of tree) {
      for (let r = 0; r < node.leny; r++) this.analyzeLine(img, (node.y + r) * width + node.x, 1, node.lenx, node.invRow);
      this.analyzeColumns(img, width, node);
    }
  }

  /** In-place inverse transform (nodes in reverse, columns then rows). */
  reconstruct(img: Float32Array, width: number, tree: readonly WNode[]): void {
    for (let t = tree.length - 1; t >= 0; t--) {
      const node = tree[t]!;
      this.synthesizeColumns(img, width, node);
      for (let r = 0; r < node.leny; r++) this.synthesizeLine(img, (node.y + r) * width + node.x, 1, node.lenx, node.invRow);
    }
  }
}
