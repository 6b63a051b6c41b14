// Purpose keys derived from the key ring's data key (HKDF-SHA256, RFC 5869): other encrypted files of the kiosk
// (the dedup gallery) are bound to the key ring, so crypto-erasing the key ring makes them unreadable too.
import { hkdfSync } from 'node:crypto';
import { KioskError } from '../../contract/errors.js';

const PURPOSES = new Set(['dedup-gallery']);

export function deriveStoreKey(dataKey: Uint8Array, purpose: string): Buffer {
  if (!PURPOSES.has(purpose)) throw new KioskError('VALIDATION_FAILED', `Unknown key purpose ${purpose}`, { details: { purpose } });
  if (dataKey.every((b) => b === 0)) throw new KioskError('DISPOSED', 'The store key ring has been closed');
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.from('kiosk-keyring/v1', 'utf8'), Buffer.from(`kiosk-derived/${purpose}/v1`, 'utf8'), 32));
}
