// ULID (https://github.com/ulid/spec): 48-bit millisecond time + 80 random bits, Crockford base32, 26 chars.
// Monotonic within a millisecond: the random part of the previous id is incremented, so ids sort in creation order.
import { randomBytes } from 'node:crypto';
import { KioskError } from '../contract/errors.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_MAX = 2 ** 48 - 1;

export const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

function encodeTime(ms: number): string {
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[ms % 32]! + out;
    ms = Math.floor(ms / 32);
  }
  return out;
}

/** 80 random bits as 16 base32 digits (5 bits each). */
function randomDigits(): number[] {
  const bytes = randomBytes(10);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  const digits: number[] = [];
  for (let i = 15; i >= 0; i--) digits.push(Number((bits >> BigInt(i * 5)) & 31n));
  return digits;
}

export function createUlidGenerator(now: () => number = Date.now): () => string {
  let lastTime = -1;
  let last: number[] = [];
  return () => {
    let t = now();
    if (!Number.isInteger(t) || t < 0 || t > TIME_MAX) throw new KioskError('ULID_TIME_INVALID', 'Clock value out of ULID range');
    if (t <= lastTime) {
      // Same (or backwards) millisecond: keep the last time and increment the random part.
      t = lastTime;
      let i = last.length - 1;
      while (i >= 0 && last[i] === 31) last[i--] = 0;
      if (i < 0) throw new KioskError('ULID_OVERFLOW', 'ULID random component overflowed within one millisecond');
      last[i]! += 1;
    } else {
      lastTime = t;
      last = randomDigits();
    }
    return encodeTime(t) + last.map((d) => ALPHABET[d]).join('');
  };
}

export const ulid = createUlidGenerator();

export function ulidTime(id: string): number {
  let t = 0;
  for (const c of id.slice(0, 10)) t = t * 32 + ALPHABET.indexOf(c);
  return t;
}
