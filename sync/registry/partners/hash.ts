// Keyed hashing of national numbers (HMAC-SHA256, RFC 2104) with the per-partner secret. Both sides run exactly
// this function; the domain prefix keeps these hashes distinct from any other HMAC made with the same key.
import { createHmac, randomBytes } from 'node:crypto';
import { PartnerInputError } from './errors.js';
import { canonicalNationalNumber } from './canonical.js';

export const HASH_BYTES = 32;
const DOMAIN = 'kiosk-registry/partner-match/v1\0';

export function partnerHash(secret: Uint8Array, canonical: string): Buffer {
  return createHmac('sha256', secret).update(DOMAIN).update(canonical).digest();
}

/** A fresh per-partner secret (32 random bytes), in the text form both sides store. */
export function newPartnerSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function parsePartnerSecret(text: string): Buffer {
  const t = text.trim();
  const raw = /^[A-Za-z0-9_-]{43}$/.test(t) ? Buffer.from(t, 'base64url') : /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : null;
  if (!raw || raw.length !== 32) throw new PartnerInputError('PARTNER_KEY_INVALID', 'Partner key must be 32 bytes as base64url (43 characters) or hex (64 characters)');
  return raw;
}

export interface HashedList {
  /** Distinct hashes, in first-seen order. */
  hashes: Buffer[];
  /** 1-based data rows that gave no usable national number (no values: they may be personal data). */
  skipped: { row: number; reason: 'empty' | 'invalid' }[];
  duplicates: number;
}

/** Hashes a list of national numbers (row numbers are 1-based data rows, for the report). */
export function hashNationalNumbers(secret: Uint8Array, values: Iterable<string>): HashedList {
  const seen = new Set<string>();
  const hashes: Buffer[] = [];
  const skipped: HashedList['skipped'] = [];
  let duplicates = 0;
  let row = 0;
  for (const v of values) {
    row++;
    if (v.trim() === '') {
      skipped.push({ row, reason: 'empty' });
      continue;
    }
    const c = canonicalNationalNumber(v);
    if (c === null) {
      skipped.push({ row, reason: 'invalid' });
      continue;
    }
    const h = partnerHash(secret, c);
    const k = h.toString('hex');
    if (seen.has(k)) duplicates++;
    else {
      seen.add(k);
      hashes.push(h);
    }
  }
  return { hashes, skipped, duplicates };
}

/** The hash file: one lowercase hex digest per line. */
export function formatHashFile(hashes: Buffer[]): string {
  return hashes.map((h) => h.toString('hex')).join('\n') + (hashes.length ? '\n' : '');
}

export function parseHashFile(text: string): Buffer[] {
  const out: Buffer[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!.trim();
    if (l === '') continue;
    if (!/^[0-9a-f]{64}$/i.test(l)) throw new PartnerInputError('HASH_FILE_INVALID', `Hash file line ${i + 1} is not a 64-character hex digest`, { line: i + 1 });
    out.push(Buffer.from(l, 'hex'));
  }
  return out;
}
