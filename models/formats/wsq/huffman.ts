// WSQ Huffman coding. FBI WSQ spec v3.1 §B.6 (DHT segment) and Annex B; the table construction is the JPEG procedure of
// ITU-T T.81 Annex C (canonical codes from BITS/HUFFVAL) and K.2 (code lengths from frequencies, limited to 16 bits, with
// one reserved code point so that no code is all ones).
import { WsqError } from '../errors.js';

export const MAX_HUFFBITS = 16;
export const MAX_HUFFCOUNTS = 256;

export interface HuffmanTable {
  /** bits[i] = number of codes of length i+1 (16 entries). */
  bits: Uint8Array;
  /** Symbols in code order. */
  values: Uint8Array;
}

/** Code length and code per symbol (0 length = unused). */
export interface HuffmanCodes {
  size: Uint8Array;
  code: Uint16Array;
}

export function canonicalCodes(table: HuffmanTable): HuffmanCodes {
  const size = new Uint8Array(256);
  const code = new Uint16Array(256);
  let c = 0;
  let k = 0;
  for (let len = 1; len <= MAX_HUFFBITS; len++) {
    const count = table.bits[len - 1]!;
    for (let i = 0; i < count; i++) {
      if (c >= 1 << len) throw new WsqError('Huffman table is over-subscribed', { details: { length: len } });
      const sym = table.values[k++]!;
      size[sym] = len;
      code[sym] = c++;
    }
    c <<= 1;
  }
  return { size, code };
}

/**
 * 16-bit lookup table: entry = (length << 8) | symbol, 0 = no code. Built once per block; 64 K entries is cheap and makes
 * decoding one table read per symbol.
 */
export function decodeLut(table: HuffmanTable): Uint16Array {
  const lut = new Uint16Array(1 << MAX_HUFFBITS);
  let c = 0;
  let k = 0;
  for (let len = 1; len <= MAX_HUFFBITS; len++) {
    const count = table.bits[len - 1]!;
    for (let i = 0; i < count; i++) {
      if (c >= 1 << len) throw new WsqError('Huffman table is over-subscribed', { details: { length: len } });
      const sym = table.values[k++]!;
      const shift = MAX_HUFFBITS - len;
      lut.fill((len << 8) | sym, c << shift, (c + 1) << shift);
      c++;
    }
    c <<= 1;
  }
  return lut;
}

/** Optimal length-limited table for the given symbol frequencies (T.81 K.2 + K.3 + K.4). */
export function buildTable(freqIn: Uint32Array): HuffmanTable {
  const n = MAX_HUFFCOUNTS + 1;
  const freq = new Float64Array(n);
  let used = 0;
  for (let i = 0; i < MAX_HUFFCOUNTS; i++) {
    freq[i] = freqIn[i] ?? 0;
    if (freq[i]! > 0) used++;
  }
  // A table needs at least one real symbol; an empty block still gets a valid (unused) table.
  if (used === 0) freq[1] = 1;
  freq[MAX_HUFFCOUNTS] = 1; // reserved code point
  const codesize = new Int32Array(n);
  const others = new Int32Array(n).fill(-1);
  for (;;) {
    let v1 = -1;
    let v2 = -1;
    for (let i = 0; i < n; i++) {
      const f = freq[i]!;
      if (f === 0) continue;
      if (v1 < 0 || f <= freq[v1]!) {
        v2 = v1;
        v1 = i;
      } else if (v2 < 0 || f <= freq[v2]!) {
        v2 = i;
      }
    }
    if (v2 < 0) break;
    // T.81 merges the two least frequent (ties: larger index first); v1 is the least, v2 the next.
    freq[v1] = freq[v1]! + freq[v2]!;
    freq[v2] = 0;
    codesize[v1]!++;
    let a = v1;
    while (others[a]! !== -1) {
      a = others[a]!;
      codesize[a]!++;
    }
    others[a] = v2;
    codesize[v2]!++;
    let b = v2;
    while (others[b]! !== -1) {
      b = others[b]!;
      codesize[b]!++;
    }
  }
  const bits = new Int32Array(64);
  for (let i = 0; i < n; i++) if (codesize[i]! > 0) bits[codesize[i]!]!++;
  for (let i = 63; i > MAX_HUFFBITS; i--) {
    while (bits[i]! > 0) {
      let j = i - 2;
      while (bits[j]! === 0) j--;
      bits[i]! -= 2;
      bits[i - 1]!++;
      bits[j + 1]! += 2;
      bits[j]!--;
    }
  }
  let top = MAX_HUFFBITS;
  while (top > 0 && bits[top]! === 0) top--;
  bits[top]!--; // drop the reserved code point from the longest length
  const order: number[] = [];
  for (let len = 1; len < 64; len++) for (let i = 0; i < MAX_HUFFCOUNTS; i++) if (codesize[i] === len) order.push(i);
  const out = new Uint8Array(MAX_HUFFBITS);
  let count = 0;
  for (let len = 1; len <= MAX_HUFFBITS; len++) {
    out[len - 1] = bits[len]!;
    count += bits[len]!;
  }
  return { bits: out, values: Uint8Array.from(order.slice(0, count)) };
}
