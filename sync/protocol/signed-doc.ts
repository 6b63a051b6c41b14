// Signed JSON documents (receipts, statuses, downloads, certificates, USB manifests):
// { payload, alg: "ed25519", keyId, signature } with the Ed25519 signature over canonicalJson(payload).
import { sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../packet/canonical-json.js';
import { publicKeyFingerprint } from '../packet/keys.js';

export interface SignedDoc<T = Record<string, unknown>> {
  payload: T;
  alg: 'ed25519';
  keyId: string;
  signature: string;
}

export function signDoc<T extends object>(payload: T, privateKey: KeyObject): SignedDoc<T> {
  return { payload, alg: 'ed25519', keyId: publicKeyFingerprint(privateKey), signature: sign(null, Buffer.from(canonicalJson(payload)), privateKey).toString('base64') };
}

/** True only when the document is well-formed, names the key and its signature verifies with that key. */
export function verifyDoc(doc: unknown, publicKey: KeyObject): doc is SignedDoc {
  if (typeof doc !== 'object' || doc === null) return false;
  const d = doc as Partial<SignedDoc>;
  if (d.alg !== 'ed25519' || typeof d.signature !== 'string' || typeof d.payload !== 'object' || d.payload === null) return false;
  if (d.keyId !== publicKeyFingerprint(publicKey)) return false;
  try {
    return verify(null, Buffer.from(canonicalJson(d.payload)), publicKey, Buffer.from(d.signature, 'base64'));
  } catch {
    return false;
  }
}
