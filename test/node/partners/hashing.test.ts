// Partner-side pieces that run without a registry: canonical national numbers (Arabic-Indic digits, separators),
// HMAC-SHA256 with the domain prefix, the CSV reader, hash files, secrets.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalNationalNumber } from '../../../sync/registry/partners/canonical.js';
import { csvColumn, parseCsv } from '../../../main/platform/csv.js';
import { formatHashFile, hashNationalNumbers, newPartnerSecret, parseHashFile, parsePartnerSecret, partnerHash } from '../../../sync/registry/partners/hash.js';

describe('canonical national numbers', () => {
  it('maps Arabic-Indic, Extended Arabic-Indic and fullwidth digits to ASCII and drops separators', () => {
    expect(canonicalNationalNumber('٢٩٠٠١٠١٠١٢٣٤٥٦')).toBe('29001010123456');
    expect(canonicalNationalNumber('۲۹۰-۰۱۰۱ ۰۱۲۳۴۵۶')).toBe('29001010123456');
    expect(canonicalNationalNumber('２９００１０１０１２３４５６')).toBe('29001010123456');
    expect(canonicalNationalNumber(' 290.0101/0123-456 ')).toBe('29001010123456');
    expect(canonicalNationalNumber('\u200f290 0101 0123456\u200e')).toBe('29001010123456');
    expect(canonicalNationalNumber('ab12')).toBe('AB12');
  });

  it('refuses empty and foreign characters', () => {
    expect(canonicalNationalNumber('  ')).toBeNull();
    expect(canonicalNationalNumber('12#45')).toBeNull();
    expect(canonicalNationalNumber('محمد')).toBeNull();
    expect(canonicalNationalNumber('1'.repeat(33))).toBeNull();
  });
});

describe('partner hashes', () => {
  const secret = parsePartnerSecret(newPartnerSecret());

  it('is HMAC-SHA256 over the domain prefix and the canonical number, same for every way of writing it', () => {
    const want = createHmac('sha256', secret).update('kiosk-registry/partner-match/v1\0').update('29001010123456').digest('hex');
    expect(partnerHash(secret, '29001010123456').toString('hex')).toBe(want);
    const r = hashNationalNumbers(secret, ['٢٩٠٠١٠١٠١٢٣٤٥٦', '29001010123456', '', 'x?', '2900 1010 123457']);
    expect(r.hashes.map((h) => h.toString('hex'))[0]).toBe(want);
    expect(r.hashes).toHaveLength(2);
    expect(r.duplicates).toBe(1);
    expect(r.skipped).toEqual([
      { row: 3, reason: 'empty' },
      { row: 4, reason: 'invalid' },
    ]);
  });

  it('differs per partner secret', () => {
    const other = parsePartnerSecret(newPartnerSecret());
    expect(partnerHash(secret, '1234').equals(partnerHash(other, '1234'))).toBe(false);
  });

  it('round-trips hash files and names the bad line', () => {
    const hs = hashNationalNumbers(secret, ['1', '2', '3']).hashes;
    expect(parseHashFile(formatHashFile(hs)).map((h) => h.toString('hex'))).toEqual(hs.map((h) => h.toString('hex')));
    expect(() => parseHashFile(`${hs[0]!.toString('hex')}\n29001010123456\n`)).toThrowError(expect.objectContaining({ code: 'HASH_FILE_INVALID', details: { line: 2 } }) as Error);
  });

  it('accepts secrets as base64url or hex and refuses anything else', () => {
    const s = newPartnerSecret();
    expect(parsePartnerSecret(s)).toHaveLength(32);
    expect(parsePartnerSecret(parsePartnerSecret(s).toString('hex')).equals(parsePartnerSecret(s))).toBe(true);
    expect(() => parsePartnerSecret('short')).toThrowError(expect.objectContaining({ code: 'PARTNER_KEY_INVALID' }) as Error);
  });
});

describe('CSV', () => {
  it('reads quoted fields, doubled quotes, CRLF and a BOM', () => {
    const rows = parseCsv('\ufeffname,national_number\r\n"Doe, Jane","290 0101"\r\n"He said ""hi""",٢٩٠\n');
    expect(rows).toEqual([
      ['name', 'national_number'],
      ['Doe, Jane', '290 0101'],
      ['He said "hi"', '٢٩٠'],
    ]);
    expect(csvColumn(rows)).toEqual(['290 0101', '٢٩٠']);
    expect(csvColumn(rows, '1')).toEqual(['Doe, Jane', 'He said "hi"']);
  });

  it('gives typed errors for a missing column and an unterminated quote', () => {
    expect(() => csvColumn(parseCsv('a,b\n1,2\n'), 'nid')).toThrowError(expect.objectContaining({ code: 'CSV_COLUMN_NOT_FOUND' }) as Error);
    expect(() => parseCsv('a\n"1\n')).toThrowError(expect.objectContaining({ code: 'CSV_INVALID' }) as Error);
  });
});
