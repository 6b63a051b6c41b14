// AES-256-GCM for fields and blobs. Format: version(1) | nonce(12) | ciphertext | tag(16).
// The AAD binds each ciphertext to its record id, field name and schema version, so a blob moved to another
// row or field fails authentication.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { TamperDetectedError } from '../errors.js';

const FORMAT = 1;
const NONCE = 12;
const TAG = 16;

export function fieldAad(recordId: string, field: string, schemaVersion: number): Buffer {
  return Buffer.from(`kiosk-field/v${FORMAT}|${schemaVersion}|${recordId}|${field}`, 'utf8');
}

export function seal(key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
  const nonce = randomBytes(NONCE);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  const head = Buffer.from([FORMAT]);
  const body = cipher.update(plaintext);
  const final = cipher.final();
  return Buffer.concat([head, nonce, body, final, cipher.getAuthTag()]);
}

/** Returns null when authentication fails (caller decides which typed error to raise). */
export function open(key: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Buffer | null {
  if (sealed.length < 1 + NONCE + TAG || sealed[0] !== FORMAT) return null;
  const buf = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(1, 1 + NONCE));
    decipher.setAAD(aad);
    decipher.setAuthTag(buf.subarray(buf.length - TAG));
    return Buffer.concat([decipher.update(buf.subarray(1 + NONCE, buf.length - TAG)), decipher.final()]);
  } catch {
    return null;
  }
}

/** Encrypts and decrypts the fields of one store under the data key. */
export class FieldCipher {
  constructor(
    private readonly dataKey: Uint8Array,
    readonly schemaVersion: number,
  ) {}

  encrypt(recordId: string, field: string, plaintext: Uint8Array, schemaVersion = this.schemaVersion): Uint8Array {
    return seal(this.dataKey, plaintext, fieldAad(recordId, field, schemaVersion));
  }

  decrypt(recordId: string, field: string, sealed: Uint8Array, schemaVersion = this.schemaVersion): Buffer {
    const out = open(this.dataKey, sealed, fieldAad(recordId, field, schemaVersion));
    if (!out) throw new TamperDetectedError(recordId, field);
    return out;
  }

  encryptJson(recordId: string, field: string, value: unknown, schemaVersion?: number): Uint8Array {
    return this.encrypt(recordId, field, Buffer.from(JSON.stringify(value), 'utf8'), schemaVersion);
  }

  decryptJson<T>(recordId: string, field: string, sealed: Uint8Array, schemaVersion?: number): T {
    const text = this.decrypt(recordId, field, sealed, schemaVersion).toString('utf8');
    try {
      return JSON.parse(text) as T;
    } catch (cause) {
      throw new TamperDetectedError(recordId, field, { cause });
    }
  }
}
