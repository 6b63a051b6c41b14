// The kiosk's Ed25519 identity: created at first run, private key kept only inside the KEK-wrapped key bundle.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { rawPublicKeyOf } from '../../../sync/packet/keys.js';

export interface KioskIdentity {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function generateIdentity(): KioskIdentity {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey };
}

export function identityFromPkcs8(der: Uint8Array): KioskIdentity {
  const privateKey = createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

export function privateKeyPkcs8(identity: KioskIdentity): Buffer {
  return identity.privateKey.export({ format: 'der', type: 'pkcs8' });
}

/** Raw 32-byte Ed25519 public key. */
export function publicKeyRaw(publicKey: KeyObject): Buffer {
  return rawPublicKeyOf(publicKey);
}

export function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') }, format: 'jwk' });
}

export function publicKeyPem(publicKey: KeyObject): string {
  return publicKey.export({ format: 'pem', type: 'spki' }).toString();
}

/** First 16 bytes of SHA-256 over the raw public key, hex. */
export function keyFingerprint(raw: Uint8Array): string {
  return createHash('sha256').update(raw).digest('hex').slice(0, 32);
}

export function signBytes(identity: KioskIdentity, data: Uint8Array): Buffer {
  return sign(null, data, identity.privateKey);
}

export function verifyBytes(publicKey: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verify(null, data, publicKey, signature);
  } catch {
    return false;
  }
}
