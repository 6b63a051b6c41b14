// Registration ID printed on the receipt: <centre>.<kiosk>.<YYYYMMDD>.<sequence, 6 digits>.<check, 2 digits>.
// Check digits: ISO/IEC 7064 MOD 97-10 (as in IBAN) over the alphanumeric characters, letters A–Z as 10–35.
// It catches every single-character substitution and every adjacent transposition.
import { KioskError } from '../contract/errors.js';

const RID_PATTERN = /^([A-Z0-9-]{2,32})\.([A-Z0-9-]{2,32})\.(\d{8})\.(\d{6})\.(\d{2})$/;

function mod97(text: string): number {
  let r = 0;
  for (const c of text) {
    const code = c.charCodeAt(0);
    if (code >= 48 && code <= 57) r = (r * 10 + (code - 48)) % 97;
    else if (code >= 65 && code <= 90) r = (r * 100 + (code - 55)) % 97;
  }
  return r;
}

function payload(centre: string, kiosk: string, day: string, seq: string): string {
  return `${centre}${kiosk}${day}${seq}`.replace(/[^A-Z0-9]/g, '');
}

export function iso7064Mod97CheckDigits(text: string): string {
  return String(98 - ((mod97(text) * 100) % 97)).padStart(2, '0');
}

export function iso7064Mod97Valid(text: string, check: string): boolean {
  return mod97(text + check) === 1;
}

export class RidInvalidError extends KioskError {
  override name = 'RidInvalidError';
  constructor(reason: string) {
    super('RID_INVALID', `Invalid RID: ${reason}`);
  }
}

/** `day` is YYYY-MM-DD or YYYYMMDD; `sequence` 1..999999. */
export function formatRid(centreId: string, kioskId: string, day: string, sequence: number): string {
  const d = day.replace(/-/g, '');
  if (!/^\d{8}$/.test(d)) throw new RidInvalidError('day must be YYYYMMDD');
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > 999_999) throw new RidInvalidError('sequence must be 1..999999');
  const seq = String(sequence).padStart(6, '0');
  return `${centreId}.${kioskId}.${d}.${seq}.${iso7064Mod97CheckDigits(payload(centreId, kioskId, d, seq))}`;
}

export interface ParsedRid {
  centreId: string;
  kioskId: string;
  day: string;
  sequence: number;
}

export function parseRid(rid: string): ParsedRid {
  const m = RID_PATTERN.exec(rid.trim().toUpperCase());
  if (!m) throw new RidInvalidError('format');
  const [, centreId, kioskId, day, seq, check] = m as unknown as [string, string, string, string, string, string];
  if (!iso7064Mod97Valid(payload(centreId, kioskId, day, seq), check)) throw new RidInvalidError('check digits do not match');
  return { centreId, kioskId, day, sequence: Number(seq) };
}

export function isValidRid(rid: string): boolean {
  try {
    parseRid(rid);
    return true;
  } catch {
    return false;
  }
}
