// Key helpers for packets: X25519 (registry encryption key) and Ed25519 (kiosk signing key), raw 32-byte forms.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

export type KeyInput = KeyObject | Uint8Array | string;

/** SubjectPublicKeyInfo of an X25519 / Ed25519 key: a fixed 12-byte header (RFC 8410), then the raw 32 bytes. */
const SPKI_LENGTH = 44;

/**
 * The raw 32-byte public key (of a public key, or of a private key's public half), read from the SPKI DER export. Not from the JWK export: Node 20's JWK export of an OKP
 * key holds the key's mutex while it allocates strings, and a garbage collection there that frees the key-generation
 * job of the same key takes that mutex again — the process hangs for good (seen in the registry cluster test).
 */
export function rawPublicKeyOf(key: KeyObject): Buffer {
  const spki = (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'der', type: 'spki' });
  if (spki.length !== SPKI_LENGTH) throw new TypeError(`not an X25519 or Ed25519 public key (SPKI of ${spki.length} bytes)`);
  return Buffer.from(spki.subarray(SPKI_LENGTH - 32));
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
  return { privateKey, publicKey, publicKeyRaw: rawPublicKeyOf(publicKey), privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() };
}

/** SHA-256 of the raw public key, hex, first 32 chars: what config `registry.publicKeyFingerprint` holds. */
export function publicKeyFingerprint(key: KeyObject | Uint8Array): string {
  const raw = key instanceof Uint8Array ? key : rawPublicKeyOf(key);
  return createHash('sha256').update(raw).digest('hex').slice(0, 32);
}
