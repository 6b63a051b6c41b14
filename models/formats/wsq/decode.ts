// WSQ decoder. FBI "WSQ Gray-scale Fingerprint Image Compression Specification" v3.1 (IAFIS-IC-0110, 2010):
// §B.2 markers, §B.3 SOF, §B.4 DTT, §B.5 DQT, §B.6 DHT, §B.7 SOB, §B.8 COM (NIST_COM), §A.4 decoding procedure
// (Huffman decoding → dequantisation §A.3.2 → 64-subband synthesis §A.2 → shift/scale to 8-bit).
import { ByteReader } from '../bytes.js';
import { WsqError } from '../errors.js';
import { decodeTable, lookup, type DecodeTable, type HuffmanTable } from './huffman.js';
import {
  COM, DHT, DQT, DRT, DTT, EOI, RST0, RST7, SOB, SOF, SOI, MARKER_NAMES, SYM_COEFF_BIAS, SYM_NEG8, SYM_POS16,
  SYM_POS8, SYM_ZRUN16, SYM_ZRUN8, SYM_ZRUN_MAX, scaled,
} from './markers.js';
import { buildQTree, buildWTree, Q_TREE_LEN, type Rect } from './tree.js';
import { SubbandTransform, type FilterBank } from './wavelet.js';

export interface WsqFrameHeader {
  black: number;
  white: number;
  width: number;
  height: number;
  mShift: number;
  rScale: number;
  encoder: number;
  software: number;
}

export interface WsqQuantization {
  binCenter: number;
  q: Float64Array;
  z: Float64Array;
}

export interface WsqSegment {
  marker: string;
  offset: number;
  length: number;
}

export interface WsqInfo {
  frame: WsqFrameHeader;
  /** Marker segments in stream order (entropy-coded data not listed). */
  segments: WsqSegment[];
  comments: string[];
  /** Fields of the first NIST_COM comment, if any. */
  nistcom: Record<string, string> | undefined;
  ppi: number | undefined;
  filters: FilterBank;
  quantization: WsqQuantization;
  restartInterval: number;
}

export interface WsqImage extends WsqInfo {
  width: number;
  height: number;
  /** 8-bit grey, row-major. */
  pixels: Uint8Array;
}

export interface WsqDecodeOptions {
  /** Refuse images with more pixels than this before allocating (default 16 Mpixel, a 8"×8" card at 500 ppi). */
  maxPixels?: number;
}

export const DEFAULT_MAX_PIXELS = 4096 * 4096;

const corrupt = (message: string, details?: Record<string, unknown>) => new WsqError(message, details ? { details } : undefined);

export function parseNistcom(text: string): Record<string, string> | undefined {
  if (!text.startsWith('NIST_COM')) return undefined;
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const clean = line.replace(/\0+$/, '').trim();
    if (!clean) continue;
    const sp = clean.indexOf(' ');
    const key = sp < 0 ? clean : clean.slice(0, sp);
    if (!(key in out)) out[key] = sp < 0 ? '' : clean.slice(sp + 1).trim();
  }
  return out;
}

interface Tables {
  filters: FilterBank | undefined;
  quant: WsqQuantization | undefined;
  huff: (HuffmanTable | undefined)[];
  comments: string[];
  restartInterval: number;
  segments: WsqSegment[];
}

function segmentLength(r: ByteReader, what: string, min: number): { start: number; end: number } {
  const start = r.pos;
  const len = r.u16(`${what} length`);
  if (len < min) throw corrupt(`${what} segment length ${len} is too short`);
  r.need(len - 2, what);
  return { start, end: start + len };
}

function readTable(r: ByteReader, marker: number, t: Tables): void {
  const name = MARKER_NAMES[marker] ?? 'segment';
  const { start, end } = segmentLength(r, name, 2);
  t.segments.push({ marker: name, offset: start - 2, length: end - start });
  const seg = new ByteReader(r.bytes, (m) => corrupt(m), r.pos, end);
  switch (marker) {
    case DTT: {
      const loLen = seg.u8('DTT');
      const hiLen = seg.u8('DTT');
      if (loLen % 2 === 0 || hiLen % 2 === 0)
        throw new WsqError('even-length (asymmetric) WSQ filter banks are not supported', { code: 'WSQ_UNSUPPORTED', details: { loLen, hiLen } });
      const readHalf = (len: number) => {
        const half = new Float64Array((len + 1) / 2);
        for (let i = 0; i < half.length; i++) {
          const sign = seg.u8('DTT coefficient');
          const scale = seg.u8('DTT coefficient');
          const raw = seg.u32('DTT coefficient');
          half[i] = (sign ? -1 : 1) * scaled(raw, scale);
        }
        return half;
      };
      const lo = readHalf(loLen);
      const hi = readHalf(hiLen);
      t.filters = { lo, hi };
      break;
    }
    case DQT: {
      const cScale = seg.u8('DQT');
      const binCenter = scaled(seg.u16('DQT'), cScale);
      const q = new Float64Array(Q_TREE_LEN);
      const z = new Float64Array(Q_TREE_LEN);
      for (let i = 0; i < Q_TREE_LEN; i++) {
        const qs = seg.u8('DQT');
        q[i] = scaled(seg.u16('DQT'), qs);
        const zs = seg.u8('DQT');
        z[i] = scaled(seg.u16('DQT'), zs);
      }
      t.quant = { binCenter, q, z };
      break;
    }
    case DHT: {
      // Several tables may share one DHT segment.
      do {
        const id = seg.u8('DHT table id');
        if (id >= 8) throw corrupt(`Huffman table id ${id} out of range`);
        const bits = seg.take(16, 'DHT counts').slice();
        let count = 0;
        for (const b of bits) count += b;
        if (count > 256) throw corrupt(`Huffman table ${id} declares ${count} codes`);
        const values = seg.take(count, 'DHT values').slice();
        t.huff[id] = { bits, values };
      } while (seg.remaining > 0);
      break;
    }
    case DRT:
      t.restartInterval = seg.u16('DRT');
      break;
    case COM: {
      const text = seg.take(end - seg.pos, 'COM');
      t.comments.push(Buffer.from(text).toString('latin1'));
      break;
    }
    default:
      throw corrupt(`unexpected marker 0x${marker.toString(16)}`);
  }
  r.pos = end;
}

function readFrame(r: ByteReader, t: Tables): WsqFrameHeader {
  const { start, end } = segmentLength(r, 'SOF', 17);
  t.segments.push({ marker: 'SOF', offset: start - 2, length: end - start });
  const black = r.u8();
  const white = r.u8();
  const height = r.u16();
  const width = r.u16();
  const ms = r.u8();
  const mShift = scaled(r.u16(), ms);
  const rs = r.u8();
  const rScale = scaled(r.u16(), rs);
  const encoder = r.u8();
  const software = r.u16();
  r.pos = end;
  if (width < 1 || height < 1) throw corrupt(`invalid image size ${width}x${height}`);
  return { black, white, width, height, mShift, rScale, encoder, software };
}

function isTableMarker(m: number): boolean {
  return m === DTT || m === DQT || m === DHT || m === DRT || m === COM;
}

/**
 * Reads one entropy-coded segment: removes 0xFF00 stuffing and stops at the next marker other than RSTn. Returns the
 * unstuffed bytes and the byte offsets (in that buffer) where a restart forces byte alignment.
 */
function readEntropySegment(r: ByteReader, scratch: Uint8Array): { length: number; restarts: number[] } {
  const b = r.bytes;
  let p = r.pos;
  let n = 0;
  const restarts: number[] = [];
  for (;;) {
    if (p >= r.end) throw corrupt('entropy-coded data runs past the end of the stream (no EOI)');
    const v = b[p]!;
    if (v !== 0xff) {
      scratch[n++] = v;
      p++;
      continue;
    }
    if (p + 1 >= r.end) throw corrupt('truncated marker in entropy-coded data');
    const nx = b[p + 1]!;
    if (nx === 0x00) {
      scratch[n++] = 0xff;
      p += 2;
    } else if (nx >= (RST0 & 0xff) && nx <= (RST7 & 0xff)) {
      restarts.push(n);
      p += 2;
    } else {
      r.pos = p;
      return { length: n, restarts };
    }
  }
}

/** Up to 16 bits from bit offset `at` of buf[0..to), zero-filled past the end. */
function bitsAt(buf: Uint8Array, to: number, at: number, count: number): number {
  const byte = at >>> 3;
  const word = ((byte < to ? buf[byte]! : 0) << 16) | ((byte + 1 < to ? buf[byte + 1]! : 0) << 8) | (byte + 2 < to ? buf[byte + 2]! : 0);
  return (word >>> (24 - (at & 7) - count)) & ((1 << count) - 1);
}

/** Coefficient buffer that grows with the decoded data, so a forged frame size cannot force a huge allocation. */
interface Coeffs {
  q: Int32Array;
}

function grow(c: Coeffs, need: number, max: number): Int32Array {
  const next = new Int32Array(Math.min(max, Math.max(need, c.q.length * 2, 4096)));
  next.set(c.q);
  c.q = next;
  return next;
}

/** Huffman-decodes one block into coefficients [ipc..]; returns the new coefficient count. */
function decodeBlock(buf: Uint8Array, from: number, to: number, lut: DecodeTable, coeffs: Coeffs, ipcIn: number, max: number): number {
  let ipc = ipcIn;
  let q = coeffs.q;
  const totalBits = to * 8;
  let pos = from * 8;
  while (pos < totalBits) {
    const left = totalBits - pos;
    if (left < 8) {
      // Trailing fill bits are ones (T.81 F.1.2.3); a code is never all ones, so they end the block.
      if (bitsAt(buf, to, pos, left) === (1 << left) - 1) break;
    }
    const e = lookup(lut, bitsAt(buf, to, pos, 16));
    const len = e >>> 8;
    if (len === 0 || len > left) throw corrupt('invalid Huffman code in entropy-coded data', { bitOffset: pos });
    pos += len;
    const sym = e & 0xff;
    if (sym >= 1 && sym <= SYM_ZRUN_MAX) {
      if (ipc + sym > max) throw corrupt('decoded data extends past the image');
      ipc += sym; // zeros: the buffer is zero-filled
    } else if (sym > SYM_ZRUN16 && sym < 0xff) {
      if (ipc >= max) throw corrupt('decoded data extends past the image');
      if (ipc >= q.length) q = grow(coeffs, ipc + 1, max);
      q[ipc++] = sym - SYM_COEFF_BIAS;
    } else if (sym >= SYM_POS8 && sym <= SYM_ZRUN16) {
      const nbits = sym === SYM_POS8 || sym === SYM_NEG8 || sym === SYM_ZRUN8 ? 8 : 16;
      if (totalBits - pos < nbits) throw corrupt('truncated value in entropy-coded data');
      const v = bitsAt(buf, to, pos, nbits);
      pos += nbits;
      if (sym === SYM_ZRUN8 || sym === SYM_ZRUN16) {
        if (ipc + v > max) throw corrupt('decoded data extends past the image');
        ipc += v;
      } else {
        if (ipc >= max) throw corrupt('decoded data extends past the image');
        if (ipc >= q.length) q = grow(coeffs, ipc + 1, max);
        q[ipc++] = sym === SYM_POS8 || sym === SYM_POS16 ? v : -v;
      }
    } else {
      throw corrupt(`invalid Huffman category ${sym}`);
    }
  }
  return ipc;
}

function subbandArea(q: Rect[], qbin: Float64Array): number {
  let n = 0;
  for (let i = 0; i < Q_TREE_LEN; i++) if (qbin[i] !== 0) n += q[i]!.lenx * q[i]!.leny;
  return n;
}

function validateTrees(width: number, height: number, rects: Rect[]): void {
  for (const r of rects) {
    if (r.lenx < 0 || r.leny < 0 || r.x < 0 || r.y < 0 || r.x + r.lenx > width || r.y + r.leny > height)
      throw new WsqError(`image size ${width}x${height} is too small for the WSQ decomposition`, { code: 'WSQ_UNSUPPORTED' });
  }
}

/** Dequantisation (§A.3.2): bins are centred at C within the step Q, outside the dead zone Z. */
function dequantize(img: Float32Array, width: number, qTree: Rect[], quant: WsqQuantization, cq: Int32Array): void {
  const { q, z, binCenter: c } = quant;
  let k = 0;
  for (let s = 0; s < Q_TREE_LEN; s++) {
    const qs = q[s]!;
    if (qs === 0) continue;
    k = dequantizeRect(img, width, qTree[s]!, qs, z[s]! / 2, c, cq, k);
  }
}

function dequantizeRect(img: Float32Array, width: number, rect: Rect, qs: number, half: number, c: number, cq: Int32Array, start: number): number {
  let k = start;
  for (let row = 0; row < rect.leny; row++) {
    let at = (rect.y + row) * width + rect.x;
    for (let col = 0; col < rect.lenx; col++, at++) {
      const v = cq[k++]!;
      if (v > 0) img[at] = qs * (v - c) + half;
      else if (v < 0) img[at] = qs * (v + c) - half;
    }
  }
  return k;
}

/** Undo the shift and scale (§A.4) with round-half-up and clamping to 0..255. */
function toBytes(img: Float32Array, rScale: number, mShift: number): Uint8Array {
  const pixels = new Uint8Array(img.length);
  const m = mShift + 0.5;
  for (let i = 0; i < pixels.length; i++) {
    const v = img[i]! * rScale + m;
    pixels[i] = v < 0 ? 0 : v > 255 ? 255 : v | 0;
  }
  return pixels;
}

function parseStream(bytes: Uint8Array, opts: WsqDecodeOptions, decodePixels: boolean): WsqImage | WsqInfo {
  const r = new ByteReader(bytes, (m) => corrupt(m));
  if (r.u16('SOI') !== SOI) throw corrupt('missing SOI marker (not a WSQ file)');
  const t: Tables = { filters: undefined, quant: undefined, huff: [], comments: [], restartInterval: 0, segments: [{ marker: 'SOI', offset: 0, length: 0 }] };
  let marker = r.u16('marker');
  while (marker !== SOF) {
    if (!isTableMarker(marker)) throw corrupt(`expected a table or SOF marker, found 0x${marker.toString(16)}`);
    readTable(r, marker, t);
    marker = r.u16('marker');
  }
  const frame = readFrame(r, t);
  const { width, height } = frame;
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (width * height > maxPixels)
    throw new WsqError(`image ${width}x${height} exceeds the ${maxPixels}-pixel limit`, { code: 'WSQ_UNSUPPORTED', details: { width, height, maxPixels } });
  const wTree = buildWTree(width, height);
  const qTree = buildQTree(wTree);
  validateTrees(width, height, [...wTree, ...qTree]);

  let coeffs: Coeffs | undefined;
  let expected = 0;
  let ipc = 0;
  const scratch = new Uint8Array(bytes.length);
  marker = r.u16('marker');
  let blocks = 0;
  while (marker !== EOI) {
    if (isTableMarker(marker)) {
      readTable(r, marker, t);
    } else if (marker === SOB) {
      const { start, end } = segmentLength(r, 'SOB', 3);
      t.segments.push({ marker: 'SOB', offset: start - 2, length: end - start });
      const id = r.u8('SOB table id');
      r.pos = end;
      blocks++;
      const table = t.huff[id];
      if (!table) throw corrupt(`block uses undefined Huffman table ${id}`);
      if (!t.quant) throw corrupt('block before the quantisation table (DQT)');
      if (!coeffs) {
        expected = subbandArea(qTree, t.quant.q);
        // Sized from the stream length (typical WSQ is 10–20 coefficients per byte), never from the header alone.
        coeffs = { q: new Int32Array(decodePixels ? Math.min(expected, bytes.length * 32) : 0) };
      }
      const seg = readEntropySegment(r, scratch);
      if (decodePixels) {
        const lut = decodeTable(table);
        let from = 0;
        for (const at of [...seg.restarts, seg.length]) {
          ipc = decodeBlock(scratch, from, at, lut, coeffs, ipc, expected);
          from = at;
        }
      }
    } else {
      throw corrupt(`unexpected marker 0x${marker.toString(16)} between blocks`);
    }
    marker = r.u16('marker');
  }
  t.segments.push({ marker: 'EOI', offset: r.pos - 2, length: 0 });
  if (!t.filters) throw corrupt('missing transform table (DTT)');
  if (!t.quant) throw corrupt('missing quantisation table (DQT)');
  if (blocks === 0 && expected > 0) throw corrupt('no data blocks');
  const nistText = t.comments.find((c) => c.startsWith('NIST_COM'));
  const nistcom = nistText === undefined ? undefined : parseNistcom(nistText);
  const ppiNum = nistcom?.PPI === undefined ? NaN : Number(nistcom.PPI);
  const info: WsqInfo = {
    frame,
    segments: t.segments,
    comments: t.comments,
    nistcom,
    ppi: Number.isFinite(ppiNum) && ppiNum > 0 ? ppiNum : undefined,
    filters: t.filters,
    quantization: t.quant,
    restartInterval: t.restartInterval,
  };
  if (!decodePixels) return info;
  if (ipc !== expected) throw corrupt(`decoded ${ipc} coefficients, expected ${expected}`);

  const img = new Float32Array(width * height);
  dequantize(img, width, qTree, t.quant, coeffs ? (coeffs.q.length < expected ? grow(coeffs, expected, expected) : coeffs.q) : new Int32Array(0));
  new SubbandTransform(t.filters).reconstruct(img, width, wTree);
  const pixels = toBytes(img, frame.rScale, frame.mShift);
  return { ...info, width, height, pixels };
}

/** Decodes a WSQ stream to 8-bit grey pixels. Throws WsqError (WSQ_CORRUPT / WSQ_UNSUPPORTED) on bad input. */
export function decodeWsq(bytes: Uint8Array, opts: WsqDecodeOptions = {}): WsqImage {
  return guard(() => parseStream(bytes, opts, true) as WsqImage);
}

/** Parses headers, tables and comments without reconstructing the image. */
export function inspectWsq(bytes: Uint8Array, opts: WsqDecodeOptions = {}): WsqInfo {
  return guard(() => parseStream(bytes, opts, false));
}

function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof WsqError) throw e;
    throw new WsqError('WSQ stream could not be decoded', { cause: e });
  }
}
