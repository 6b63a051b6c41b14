// Blind indexes for equality lookups on encrypted values: HMAC-SHA-256 under a dedicated index key, domain-separated
// per kind, over a normalised value. Without the key the index reveals nothing (a 14-digit national number has only
// ~10^14 values, so an unkeyed hash would be brute-forced in hours).
import { createHmac } from 'node:crypto';

export type BlindIndexKind = 'national-number' | 'rid';

export function normaliseForIndex(value: string): string {
  return value.normalize('NFKC').replace(/[\s-]/g, '').toUpperCase();
}

export class BlindIndexer {
  constructor(private readonly indexKey: Uint8Array) {}

  index(kind: BlindIndexKind, value: string): Buffer {
    return createHmac('sha256', this.indexKey).update(`${kind}\u0000`).update(normaliseForIndex(value)).digest();
  }

  /** A keyed pepper for other secrets (PIN hashes) so they cannot be attacked offline without the key ring. */
  pepper(label: string, value: string): Buffer {
    return createHmac('sha256', this.indexKey).update(`pepper:${label}\u0000`).update(value).digest();
  }
}
