// WSQ encoder. FBI WSQ spec v3.1 §A.1–A.3 (shift/scale, 64-subband 9/7 analysis, adaptive uniform scalar quantisation
// with a dead zone driven by a target bit rate), Annex B (Huffman coding of run/value categories, two tables: one for
// block 1 = subbands 0–18, one shared by blocks 2 = 19–51 and 3 = 52–59), §B.8 NIST_COM comment.
// The bit allocation follows the spec's rate formula as implemented by NIST NBIS (variances on the central 3/4 × 7/16
// window, weights A[52..59], Q' = 10 / (A·ln σ²), iteration dropping subbands with non-positive rate).
import { ByteWriter } from '../bytes.js';
import { WsqError } from '../errors.js';
import { buildTable, canonicalCodes, type HuffmanCodes, type HuffmanTable } from './huffman.js';
import {
  COM, DHT, DQT, DTT, EOI, MAX_DIRECT_COEFF, MIN_DIRECT_COEFF, SOB, SOF, SOI, SYM_COEFF_BIAS, SYM_NEG16, SYM_NEG8, SYM_POS16,
  SYM_POS8, SYM_ZRUN16, SYM_ZRUN8, SYM_ZRUN_MAX, scaled, toScaled,
} from './markers.js';
import { buildQTree, buildWTree, NUM_SUBBANDS, Q_TREE_LEN, START_SUBBAND_2, START_SUBBAND_3, type Rect } from './tree.js';
import { STANDARD_FILTERS, SubbandTransform } from './wavelet.js';

export interface WsqEncodeOptions {
  /** Target bit rate in bits per pixel (default 0.75, the FBI setting for 500 ppi; ~15:1). */
  bitRate?: number;
  /** Scan resolution written to NIST_COM (default 500). */
  ppi?: number;
  /** Extra NIST_COM fields (KEY → value), written after the standard ones. */
  nistcom?: Record<string, string | number>;
  /** Additional free-text COM segments. */
  comments?: string[];
}

export const DEFAULT_BIT_RATE = 0.75;
export const MIN_DIMENSION = 32;
const VARIANCE_THRESHOLD = 1.01;
const BIN_CENTER = 0.44;
const MAX_COEFF = 32767;

const invalid = (message: string, details?: Record<string, unknown>) =>
  new WsqError(message, details ? { code: 'WSQ_INVALID_INPUT', details } : { code: 'WSQ_INVALID_INPUT' });

/** Value as the decoder will read it back from a (scale, u16) field. */
function roundTripU16(v: number): { scale: number; raw: number; value: number } {
  const s = toScaled(v, 65535);
  return { ...s, value: scaled(s.raw, s.scale) };
}

function variances(img: Float32Array, width: number, q: Rect[]): Float64Array {
  const out = new Float64Array(Q_TREE_LEN);
  const varOf = (r: Rect, central: boolean): number => {
    let x = r.x;
    let y = r.y;
    let lx = r.lenx;
    let ly = r.leny;
    if (central) {
      x += Math.floor(r.lenx / 8);
      y += Math.floor((9 * r.leny) / 32);
      lx = Math.floor((3 * r.lenx) / 4);
      ly = Math.floor((7 * r.leny) / 16);
    }
    const n = lx * ly;
    if (n < 2) return 0;
    let sum = 0;
    let ssq = 0;
    for (let row = 0; row < ly; row++) {
      let at = (y + row) * width + x;
      for (let col = 0; col < lx; col++, at++) {
        const v = img[at]!;
        sum += v;
        ssq += v * v;
      }
    }
    return (ssq - (sum * sum) / n) / (n - 1);
  };
  let vsum = 0;
  for (let s = 0; s < 4; s++) {
    out[s] = varOf(q[s]!, true);
    vsum += out[s]!;
  }
  // Low-energy images: use whole subbands (spec §A.3.1 note; NBIS threshold 20000).
  const central = vsum >= 20000;
  for (let s = central ? 4 : 0; s < NUM_SUBBANDS; s++) out[s] = varOf(q[s]!, central);
  return out;
}

/** Bin widths Q and zero-bin widths Z per subband for the target rate (0 = subband discarded). */
function binWidths(variance: Float64Array, rate: number): { q: Float64Array; z: Float64Array } {
  const weight = new Float64Array(NUM_SUBBANDS).fill(1);
  weight.set([1.32, 1.08, 1.42, 1.08, 1.32, 1.42, 1.08, 1.08], START_SUBBAND_3);
  const m = new Float64Array(NUM_SUBBANDS);
  for (let s = 0; s < NUM_SUBBANDS; s++) m[s] = s < 4 ? 1 / 1024 : s < 51 ? 1 / 256 : 1 / 16;
  const qPrime = new Float64Array(Q_TREE_LEN);
  const sigma = new Float64Array(NUM_SUBBANDS);
  const k0: number[] = [];
  for (let s = 0; s < NUM_SUBBANDS; s++) {
    if (variance[s]! < VARIANCE_THRESHOLD) continue;
    qPrime[s] = s < 4 ? 1 : 10 / (weight[s]! * Math.log(variance[s]!));
    sigma[s] = Math.sqrt(variance[s]!);
    k0.push(s);
  }
  let k = k0.slice();
  let qFactor = 1;
  // Each round removes at least one subband, so this ends after at most 60 rounds.
  while (k.length > 0) {
    let sumM = 0;
    let logP = 0;
    for (const s of k) {
      sumM += m[s]!;
      logP += m[s]! * Math.log(sigma[s]! / qPrime[s]!);
    }
    qFactor = 2 ** (rate / sumM - 1) / 2.5 / Math.exp(logP / sumM);
    const next = k.filter((s) => qPrime[s]! / qFactor < 5 * sigma[s]!);
    if (next.length === k.length) break;
    k = next;
  }
  const q = new Float64Array(Q_TREE_LEN);
  const z = new Float64Array(Q_TREE_LEN);
  if (k.length === 0) return { q, z };
  for (const s of k0) {
    q[s] = qPrime[s]! / qFactor;
    z[s] = 1.2 * q[s]!;
  }
  return { q, z };
}

interface BlockSymbols {
  syms: Uint8Array;
  /** Extra bits after a symbol (8 or 16 bits), indexed like syms; -1 = none. */
  extra: Int32Array;
  count: number;
}

function symbolize(coeffs: Int32Array, from: number, to: number): BlockSymbols {
  const cap = (to - from) * 2 + 4;
  const syms = new Uint8Array(cap);
  const extra = new Int32Array(cap);
  let n = 0;
  let run = 0;
  const flushRun = () => {
    while (run > 0) {
      if (run <= SYM_ZRUN_MAX) {
        syms[n] = run;
        extra[n++] = -1;
        run = 0;
      } else if (run <= 0xff) {
        syms[n] = SYM_ZRUN8;
        extra[n++] = run;
        run = 0;
      } else {
        const r = Math.min(run, 0xffff);
        syms[n] = SYM_ZRUN16;
        extra[n++] = r;
        run -= r;
      }
    }
  };
  for (let i = from; i < to; i++) {
    const v = coeffs[i]!;
    if (v === 0) {
      run++;
      continue;
    }
    if (run > 0) flushRun();
    if (v > MAX_DIRECT_COEFF) {
      syms[n] = v > 0xff ? SYM_POS16 : SYM_POS8;
      extra[n++] = v;
    } else if (v < MIN_DIRECT_COEFF) {
      syms[n] = -v > 0xff ? SYM_NEG16 : SYM_NEG8;
      extra[n++] = -v;
    } else {
      syms[n] = v + SYM_COEFF_BIAS;
      extra[n++] = -1;
    }
  }
  flushRun();
  return { syms, extra, count: n };
}

/** Bit packer with JPEG-style 0xFF00 stuffing; pads the final byte with ones. */
class BitWriter {
  private acc = 0;
  private bits = 0;
  constructor(private readonly out: ByteWriter) {}

  put(value: number, size: number): void {
    this.acc = ((this.acc << size) | (value & ((1 << size) - 1))) >>> 0;
    this.bits += size;
    while (this.bits >= 8) {
      this.bits -= 8;
      const byte = (this.acc >>> this.bits) & 0xff;
      this.out.u8(byte);
      if (byte === 0xff) this.out.u8(0);
    }
    this.acc &= (1 << this.bits) - 1;
  }

  flush(): void {
    if (this.bits > 0) this.put((1 << (8 - this.bits)) - 1, 8 - this.bits);
  }
}

function writeBlock(out: ByteWriter, blk: BlockSymbols, codes: HuffmanCodes): void {
  const bw = new BitWriter(out);
  for (let i = 0; i < blk.count; i++) {
    const s = blk.syms[i]!;
    bw.put(codes.code[s]!, codes.size[s]!);
    const e = blk.extra[i]!;
    if (e >= 0) bw.put(e, s === SYM_POS8 || s === SYM_NEG8 || s === SYM_ZRUN8 ? 8 : 16);
  }
  bw.flush();
}

function writeDht(out: ByteWriter, id: number, t: HuffmanTable): void {
  out.u16(DHT).u16(2 + 1 + 16 + t.values.length).u8(id).bytes(t.bits).bytes(t.values);
}

function writeDtt(out: ByteWriter): void {
  const { lo, hi } = STANDARD_FILTERS;
  out.u16(DTT).u16(2 + 2 + 6 * (lo.length + hi.length)).u8(2 * lo.length - 1).u8(2 * hi.length - 1);
  for (const c of [...lo, ...hi]) {
    const { scale, raw } = toScaled(Math.abs(c), 4294967295);
    out.u8(c < 0 ? 1 : 0).u8(scale).u32(raw);
  }
}

function pixelStats(pixels: Uint8Array): { mean: number; lo: number; hi: number } {
  let sum = 0;
  let lo = 255;
  let hi = 0;
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i]!;
    sum += v;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return { mean: sum / pixels.length, lo, hi };
}

function toFloat(pixels: Uint8Array, shift: number, inv: number): Float32Array {
  const img = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) img[i] = (pixels[i]! - shift) * inv;
  return img;
}

/** Dead-zone uniform quantisation (§A.3.1) of the coded subbands, in subband order; block ends after 18, 51, 59. */
function quantizeSubbands(img: Float32Array, width: number, qTree: Rect[], qs: { value: number }[], zs: { value: number }[]): { coeffs: Int32Array; blockEnd: number[] } {
  const blockEnd = [0, 0, 0];
  let total = 0;
  for (let s = 0; s < NUM_SUBBANDS; s++) if (qs[s]!.value > 0) total += qTree[s]!.lenx * qTree[s]!.leny;
  const coeffs = new Int32Array(total);
  let k = 0;
  for (let s = 0; s < NUM_SUBBANDS; s++) {
    const qv = qs[s]!.value;
    if (qv > 0) k = quantizeRect(img, width, qTree[s]!, qv, zs[s]!.value / 2, coeffs, k);
    if (s === START_SUBBAND_2 - 1) blockEnd[0] = k;
    if (s === START_SUBBAND_3 - 1) blockEnd[1] = k;
  }
  blockEnd[2] = k;
  return { coeffs, blockEnd };
}

function quantizeRect(img: Float32Array, width: number, r: Rect, qv: number, zHalf: number, out: Int32Array, start: number): number {
  let k = start;
  for (let row = 0; row < r.leny; row++) {
    let at = (r.y + row) * width + r.x;
    for (let col = 0; col < r.lenx; col++, at++) {
      const v = img[at]!;
      let c = 0;
      if (v > zHalf) c = Math.trunc((v - zHalf) / qv + 1);
      else if (v < -zHalf) c = Math.trunc((v + zHalf) / qv - 1);
      out[k++] = c > MAX_COEFF ? MAX_COEFF : c < -MAX_COEFF ? -MAX_COEFF : c;
    }
  }
  return k;
}

export function nistcomText(fields: [string, string | number][]): string {
  const lines = [`NIST_COM ${fields.length + 1}`, ...fields.map(([k, v]) => `${k} ${v}`)];
  return lines.join('\n');
}

/** Encodes 8-bit grey pixels (row-major) as WSQ. */
export function encodeWsq(pixels: Uint8Array, width: number, height: number, opts: WsqEncodeOptions = {}): Uint8Array {
  const rate = opts.bitRate ?? DEFAULT_BIT_RATE;
  if (!Number.isFinite(rate) || rate <= 0 || rate > 8) throw invalid(`bit rate must be in (0, 8], got ${rate}`);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < MIN_DIMENSION || height < MIN_DIMENSION || width > 65535 || height > 65535)
    throw invalid(`image size ${width}x${height} is outside ${MIN_DIMENSION}..65535`);
  if (pixels.length !== width * height) throw invalid(`expected ${width * height} pixels, got ${pixels.length}`);
  const ppi = opts.ppi ?? 500;

  // Shift to zero mean and scale into ±128 (§A.1); use the values exactly as the header will carry them.
  const { mean, lo, hi } = pixelStats(pixels);
  const shift = roundTripU16(mean);
  const spread = Math.max(shift.value - lo, hi - shift.value) / 128;
  const scale = roundTripU16(spread > 0 ? spread : 1);
  const img = toFloat(pixels, shift.value, 1 / scale.value);

  const wTree = buildWTree(width, height);
  const qTree = buildQTree(wTree);
  new SubbandTransform(STANDARD_FILTERS).decompose(img, width, wTree);

  const { q: qRaw, z: zRaw } = binWidths(variances(img, width, qTree), rate);
  // Quantise with the bin widths as the DQT segment will carry them.
  const qs = new Array<{ scale: number; raw: number; value: number }>(Q_TREE_LEN);
  const zs = new Array<{ scale: number; raw: number; value: number }>(Q_TREE_LEN);
  for (let s = 0; s < Q_TREE_LEN; s++) {
    if (qRaw[s]! > 0 && qRaw[s]! < 65535 && zRaw[s]! < 65535) {
      qs[s] = roundTripU16(qRaw[s]!);
      zs[s] = roundTripU16(zRaw[s]!);
    } else {
      qs[s] = { scale: 0, raw: 0, value: 0 };
      zs[s] = { scale: 0, raw: 0, value: 0 };
    }
  }
  const { coeffs, blockEnd } = quantizeSubbands(img, width, qTree, qs, zs);

  const blocks = [symbolize(coeffs, 0, blockEnd[0]!), symbolize(coeffs, blockEnd[0]!, blockEnd[1]!), symbolize(coeffs, blockEnd[1]!, blockEnd[2]!)];
  const freq0 = new Uint32Array(256);
  const freq1 = new Uint32Array(256);
  for (let b = 0; b < 3; b++) {
    const blk = blocks[b]!;
    const f = b === 0 ? freq0 : freq1;
    for (let i = 0; i < blk.count; i++) f[blk.syms[i]!]!++;
  }
  const t0 = buildTable(freq0);
  const t1 = buildTable(freq1);

  const out = new ByteWriter(Math.max(4096, (pixels.length * rate) / 8 + 2048));
  out.u16(SOI);
  const fields: [string, string | number][] = [
    ['PIX_WIDTH', width],
    ['PIX_HEIGHT', height],
    ['PIX_DEPTH', 8],
    ['PPI', ppi],
    ['LOSSY', 1],
    ['COLORSPACE', 'GRAY'],
    ['COMPRESSION', 'WSQ'],
    ['WSQ_BITRATE', rate.toFixed(6)],
    ...Object.entries(opts.nistcom ?? {}),
  ];
  for (const text of [nistcomText(fields), ...(opts.comments ?? [])]) {
    const bytes = Buffer.from(text, 'latin1');
    if (bytes.length > 65533) throw invalid('comment longer than 65533 bytes');
    out.u16(COM).u16(bytes.length + 2).bytes(bytes);
  }
  writeDtt(out);
  out.u16(DQT).u16(389);
  const c = toScaled(BIN_CENTER, 65535);
  out.u8(c.scale).u16(c.raw);
  for (let s = 0; s < Q_TREE_LEN; s++) out.u8(qs[s]!.scale).u16(qs[s]!.raw).u8(zs[s]!.scale).u16(zs[s]!.raw);
  out.u16(SOF).u16(17).u8(0).u8(255).u16(height).u16(width).u8(shift.scale).u16(shift.raw).u8(scale.scale).u16(scale.raw).u8(2).u16(0);
  writeDht(out, 0, t0);
  out.u16(SOB).u16(3).u8(0);
  writeBlock(out, blocks[0]!, canonicalCodes(t0));
  writeDht(out, 1, t1);
  const codes1 = canonicalCodes(t1);
  out.u16(SOB).u16(3).u8(1);
  writeBlock(out, blocks[1]!, codes1);
  out.u16(SOB).u16(3).u8(1);
  writeBlock(out, blocks[2]!, codes1);
  out.u16(EOI);
  return out.toBytes();
}
