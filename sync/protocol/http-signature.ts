// HTTP Message Signatures (RFC 9421) with ed25519, and Content-Digest (RFC 9530, sha-256).
// Covered components: "@method" "@target-uri" "content-digest"; parameters created, nonce, keyid, alg.
import { createHash, randomBytes, sign, verify, type KeyObject } from 'node:crypto';

export const SIGNATURE_LABEL = 'sig1';
export const COVERED = ['@method', '@target-uri', 'content-digest'] as const;

export function contentDigest(body: Uint8Array): string {
  return `sha-256=:${createHash('sha256').update(body).digest('base64')}:`;
}

export interface SignatureParams {
  created: number;
  nonce: string;
  keyid: string;
  alg: 'ed25519';
}

function serializeParams(p: SignatureParams): string {
  return `(${COVERED.map((c) => `"${c}"`).join(' ')});created=${p.created};nonce="${p.nonce}";keyid="${p.keyid}";alg="${p.alg}"`;
}

/** The RFC 9421 §2.5 signature base. */
export function signatureBase(method: string, targetUri: string, digest: string, params: SignatureParams): string {
  return [`"@method": ${method.toUpperCase()}`, `"@target-uri": ${targetUri}`, `"content-digest": ${digest}`, `"@signature-params": ${serializeParams(params)}`].join('\n');
}

export interface SignedHeaders {
  'content-digest': string;
  'signature-input': string;
  signature: string;
}

export function signRequest(input: { method: string; targetUri: string; body: Uint8Array; keyid: string; privateKey: KeyObject; now?: number; nonce?: string }): SignedHeaders & { nonce: string } {
  const params: SignatureParams = { created: Math.floor((input.now ?? Date.now()) / 1000), nonce: input.nonce ?? randomBytes(16).toString('base64url'), keyid: input.keyid, alg: 'ed25519' };
  const digest = contentDigest(input.body);
  const sig = sign(null, Buffer.from(signatureBase(input.method, input.targetUri, digest, params)), input.privateKey);
  return {
    'content-digest': digest,
    'signature-input': `${SIGNATURE_LABEL}=${serializeParams(params)}`,
    signature: `${SIGNATURE_LABEL}=:${sig.toString('base64')}:`,
    nonce: params.nonce,
  };
}

export type ParsedSignature = { ok: true; params: SignatureParams; signature: Buffer } | { ok: false; reason: string };

const INPUT_RE = /^sig1=\("@method" "@target-uri" "content-digest"\);created=(\d{1,12});nonce="([A-Za-z0-9_\-+/=]{8,128})";keyid="([A-Za-z0-9_.:\-]{1,128})";alg="ed25519"$/;
const SIG_RE = /^sig1=:([A-Za-z0-9+/]+={0,2}):$/;

/** Strict parse of the only profile we accept (exact component list and parameter order). */
export function parseSignature(signatureInput: string | undefined, signature: string | undefined): ParsedSignature {
  if (!signatureInput || !signature) return { ok: false, reason: 'Signature-Input and Signature headers required' };
  const m = INPUT_RE.exec(signatureInput.trim());
  if (!m) return { ok: false, reason: 'Signature-Input does not match the required profile' };
  const s = SIG_RE.exec(signature.trim());
  if (!s) return { ok: false, reason: 'Signature header malformed' };
  const sig = Buffer.from(s[1]!, 'base64');
  if (sig.length !== 64) return { ok: false, reason: 'signature must be 64 bytes' };
  return { ok: true, params: { created: Number(m[1]), nonce: m[2]!, keyid: m[3]!, alg: 'ed25519' }, signature: sig };
}

export function verifyRequestSignature(input: { method: string; targetUri: string; digest: string; params: SignatureParams; signature: Buffer; publicKey: KeyObject }): boolean {
  try {
    return verify(null, Buffer.from(signatureBase(input.method, input.targetUri, input.digest, input.params)), input.publicKey, input.signature);
  } catch {
    return false;
  }
}
