// Canonical form of a national number before keyed hashing, so that the registry and a partner who typed the same
// number differently ("٢٩٠-٠١ 01", "290 0101") get the same HMAC. Digits of every script Unicode classes as
// decimal (Arabic-Indic, Extended Arabic-Indic, fullwidth, …) become ASCII; separators are dropped; letters are
// upper-cased (some schemes carry a check letter).
import { PartnerInputError } from './errors.js';

const SEPARATORS = /[\s\-./_\u00a0\u200e\u200f\u061c]/gu;

function asciiDigit(ch: string): string {
  const cp = ch.codePointAt(0)!;
  if (cp >= 0x660 && cp <= 0x669) return String(cp - 0x660);
  if (cp >= 0x6f0 && cp <= 0x6f9) return String(cp - 0x6f0);
  return ch;
}

/** The canonical national number, or null when nothing usable remains (empty, or characters other than digits/letters). */
export function canonicalNationalNumber(input: string): string | null {
  const s = [...input.normalize('NFKC').replace(SEPARATORS, '')].map(asciiDigit).join('').toUpperCase();
  if (s.length === 0 || s.length > 32 || !/^[0-9A-Z]+$/.test(s)) return null;
  return s;
}

export function requireCanonical(input: string): string {
  const c = canonicalNationalNumber(input);
  if (c === null) throw new PartnerInputError('NATIONAL_NUMBER_INVALID', 'National number is empty or holds characters other than digits and letters');
  return c;
}
