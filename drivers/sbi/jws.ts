// JWS compact serialisation (RFC 7515) with RS256 and an x5c certificate chain, as SBI devices sign device info
// and capture data. Verification walks the chain to a configured trust root with node:crypto X509Certificate.
import { X509Certificate, sign, verify, type KeyObject } from 'node:crypto';
import { DeviceUntrustedError, ProtocolError } from '../errors.js';

/** Upper bounds so hostile input cannot make us allocate without limit. */
const MAX_JWS = 16 * 1024 * 1024;
const MAX_CHAIN = 5;

export const b64url = {
  encode: (data: Uint8Array | string) => Buffer.from(data).toString('base64url'),
  decode: (s: string) => Buffer.from(s, 'base64url'),
};

export function signJws(payload: unknown, key: KeyObject, x5c: string[]): string {
  const header = b64url.encode(JSON.stringify({ alg: 'RS256', typ: 'JWT', x5c }));
  const body = b64url.encode(typeof payload === 'string' ? payload : JSON.stringify(payload));
  const signature = sign('sha256', Buffer.from(`${header}.${body}`), key);
  return `${header}.${body}.${b64url.encode(signature)}`;
}

/** An unsigned JWS ("alg": "none"): what a non-certified (L0 test) device may send. */
export function unsignedJws(payload: unknown): string {
  return `${b64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${b64url.encode(JSON.stringify(payload))}.`;
}

export interface VerifyOptions {
  trustRoots: X509Certificate[];
  /** Development only: accept unsigned or untrusted payloads (reported as trusted: false). */
  allowUntrusted?: boolean;
  now?: Date;
}

export interface VerifiedJws<T = unknown> {
  payload: T;
  trusted: boolean;
  /** Subject of the signing (device) certificate, when signed. */
  signer?: string;
}

const isB64url = (s: string) => /^[A-Za-z0-9_-]*$/.test(s);

function parseJsonPart(part: string, what: string): unknown {
  if (!isB64url(part)) throw new ProtocolError(`JWS ${what} is not base64url`, Buffer.from(part.slice(0, 64)));
  try {
    return JSON.parse(b64url.decode(part).toString('utf8'));
  } catch (error) {
    throw new ProtocolError(`JWS ${what} is not JSON`, b64url.decode(part).subarray(0, 64), { cause: error });
  }
}

export function parseCertificates(x5c: unknown): X509Certificate[] {
  if (!Array.isArray(x5c) || x5c.length === 0 || x5c.length > MAX_CHAIN || !x5c.every((c) => typeof c === 'string')) throw new DeviceUntrustedError('JWS header has no usable x5c certificate chain');
  try {
    return (x5c as string[]).map((c) => new X509Certificate(Buffer.from(c, 'base64')));
  } catch (error) {
    throw new DeviceUntrustedError('JWS x5c holds an invalid certificate', { cause: error });
  }
}

/** True when the chain (leaf first) is valid now and ends at one of the roots. */
export function chainIsTrusted(chain: X509Certificate[], roots: X509Certificate[], now = new Date()): boolean {
  const valid = (c: X509Certificate) => new Date(c.validFrom) <= now && now <= new Date(c.validTo);
  if (!chain.every(valid)) return false;
  for (let i = 0; i + 1 < chain.length; i++) {
    if (!chain[i + 1]!.ca || !chain[i]!.checkIssued(chain[i + 1]!) || !chain[i]!.verify(chain[i + 1]!.publicKey)) return false;
  }
  const top = chain[chain.length - 1]!;
  return roots.some((root) => valid(root) && (top.raw.equals(root.raw) || (root.ca && top.checkIssued(root) && top.verify(root.publicKey))));
}

export function verifyJws<T = unknown>(jws: unknown, options: VerifyOptions): VerifiedJws<T> {
  if (typeof jws !== 'string' || jws.length > MAX_JWS) throw new ProtocolError('JWS must be a string of reasonable size');
  const parts = jws.split('.');
  if (parts.length !== 3) throw new ProtocolError('JWS must have three parts', Buffer.from(jws.slice(0, 64)));
  const [h, p, s] = parts as [string, string, string];
  const header = parseJsonPart(h, 'header') as { alg?: unknown; x5c?: unknown } | null;
  const payload = parseJsonPart(p, 'payload') as T;
  if (header === null || typeof header !== 'object') throw new ProtocolError('JWS header is not an object');
  if (header.alg !== 'RS256' || s.length === 0) {
    if (options.allowUntrusted) return { payload, trusted: false };
    throw new DeviceUntrustedError(`Unsigned or unsupported JWS (alg ${JSON.stringify(header.alg)}); only RS256 is accepted`);
  }
  if (!isB64url(s)) throw new ProtocolError('JWS signature is not base64url');
  const chain = parseCertificates(header.x5c);
  const leaf = chain[0]!;
  let signatureOk = false;
  try {
    signatureOk = leaf.publicKey.asymmetricKeyType === 'rsa' && verify('sha256', Buffer.from(`${h}.${p}`), leaf.publicKey, b64url.decode(s));
  } catch {
    signatureOk = false;
  }
  if (!signatureOk) {
    if (options.allowUntrusted) return { payload, trusted: false, signer: leaf.subject };
    throw new DeviceUntrustedError('JWS signature does not verify with the x5c device certificate');
  }
  const trusted = chainIsTrusted(chain, options.trustRoots, options.now);
  if (!trusted && !options.allowUntrusted) throw new DeviceUntrustedError('Device certificate does not chain to a configured trust root', { details: { signer: leaf.subject.replace(/\n/g, ', ') } });
  return { payload, trusted, signer: leaf.subject };
}
