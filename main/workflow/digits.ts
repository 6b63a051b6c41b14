// Digit normalisation: Arabic-Indic (U+0660–0669) and Extended Arabic-Indic / Persian (U+06F0–06F9) digits become
// ASCII, so a clerk may type numbers with either keyboard layout. Arabic decimal/thousands separators are dropped
// from digit-only fields by the caller's pattern, not here.

const ARABIC_INDIC_ZERO = 0x0660;
const EXTENDED_ARABIC_INDIC_ZERO = 0x06f0;

export function toAsciiDigits(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= ARABIC_INDIC_ZERO && c <= ARABIC_INDIC_ZERO + 9) out += String.fromCharCode(48 + c - ARABIC_INDIC_ZERO);
    else if (c >= EXTENDED_ARABIC_INDIC_ZERO && c <= EXTENDED_ARABIC_INDIC_ZERO + 9) out += String.fromCharCode(48 + c - EXTENDED_ARABIC_INDIC_ZERO);
    else out += ch;
  }
  return out;
}

/** Digits with spaces, hyphens and bidi marks removed (national numbers and phones are often typed grouped). */
export function normaliseDigitField(s: string): string {
  return toAsciiDigits(s).replace(/[\s\u200e\u200f\u061c-]/gu, '');
}
