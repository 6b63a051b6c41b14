// Key helpers for packets: X25519 (registry encryption key) and Ed25519 (kiosk signing key), raw 32-byte forms.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

export type KeyInput = KeyObject | Uint8Array | string;

function rawOf(key: KeyObject): Buffer {
  return Buffer.from(key.export({ format: 'jwk' }).x ?? '', 'base64url');
}

/** Accepts a KeyObject, raw 32 bytes, base64 of raw, or PEM (SPKI). */
export function publicKeyOf(key: KeyInput, crv: 'X25519' | 'Ed25519'): KeyObject {
  if (typeof key === 'string' && key.includes('-----BEGIN')) return createPublicKey(key);
  if (typeof key === 'string' || key instanceof Uint8Array) {
    const raw = typeof key === 'string' ? Buffer.from(key, 'base64') : Buffer.from(key);
    if (raw.length !== 32) throw new TypeError(`${crv} public key must be 32 bytes`);
    return createPublicKey({ key: { kty: 'OKP', crv, x: raw.toString('base64url') }, format: 'jwk' });
  }
  return key.type === 'private' ? createPublicKey(key) : key;
}

export function publicKeyRawOf(key: KeyObject): Buffer {
  return rawOf(key.type === 'private' ? createPublicKey(key) : key);
}

export function x25519PrivateKeyFromPem(pem: string): KeyObject {
  return createPrivateKey(pem);
}

export interface RegistryKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicKeyRaw: Buffer;
  privateKeyPem: string;
}

export function generateRegistryKeyPair(): RegistryKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  return { privateKey, publicKey, publicKeyRaw: rawOf(publicKey), privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() };
}

/** SHA-256 of the raw public key, hex, first 32 chars: what config `registry.publicKeyFingerprint` holds. */
export function publicKeyFingerprint(key: KeyObject | Uint8Array): string {
  const raw = key instanceof Uint8Array ? key : publicKeyRawOf(key);
  return createHash('sha256').update(raw).digest('hex').slice(0, 32);
}
