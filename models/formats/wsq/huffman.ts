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

export const FAST_BITS = 9;

/**
 * Decoding tables: a 2^9-entry lookup for codes up to 9 bits (entry = (length << 8) | symbol, 0 = longer or no code)
 * and T.81 F.2.2.3 MAXCODE/VALPTR/MINCODE for the rest. Small enough to rebuild for every block of a hostile stream.
 */
export interface DecodeTable {
  fast: Uint16Array;
  maxcode: Int32Array;
  mincode: Int32Array;
  valptr: Int32Array;
  values: Uint8Array;
}

export function decodeTable(table: HuffmanTable): DecodeTable {
  const fast = new Uint16Array(1 << FAST_BITS);
  const maxcode = new Int32Array(MAX_HUFFBITS + 1).fill(-1);
  const mincode = new Int32Array(MAX_HUFFBITS + 1);
  const valptr = new Int32Array(MAX_HUFFBITS + 1);
  let c = 0;
  let k = 0;
  for (let len = 1; len <= MAX_HUFFBITS; len++) {
    const count = table.bits[len - 1]!;
    if (count > 0) {
      valptr[len] = k;
      mincode[len] = c;
    }
    for (let i = 0; i < count; i++) {
      if (c >= 1 << len) throw new WsqError('Huffman table is over-subscribed', { details: { length: len } });
      if (len <= FAST_BITS) {
        const shift = FAST_BITS - len;
        fast.fill((len << 8) | table.values[k]!, c << shift, (c + 1) << shift);
      }
      c++;
      k++;
    }
    if (count > 0) maxcode[len] = c - 1;
    c <<= 1;
  }
  return { fast, maxcode, mincode, valptr, values: table.values };
}

/** Decodes one symbol from the next 16 bits (MSB first); returns (length << 8) | symbol, or 0 for no valid code. */
export function lookup(t: DecodeTable, bits16: number): number {
  const e = t.fast[bits16 >>> (MAX_HUFFBITS - FAST_BITS)]!;
  if (e !== 0) return e;
  for (let len = FAST_BITS + 1; len <= MAX_HUFFBITS; len++) {
    const code = bits16 >>> (MAX_HUFFBITS - len);
    if (code <= t.maxcode[len]!) return (len << 8) | t.values[t.valptr[len]! + code - t.mincode[len]!]!;
  }
  return 0;
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
