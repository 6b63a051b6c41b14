// Kiosk-side registry API client: signs every request (RFC 9421), verifies every signed response, tracks the
// registry clock from the Date header.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { publicKeyOf, rawPublicKeyOf } from '../packet/keys.js';
import { RegistryRequestError, RegistryResponseInvalidError } from '../errors.js';
import { signRequest } from '../protocol/http-signature.js';
import { verifyDoc, type SignedDoc } from '../protocol/signed-doc.js';
import { FINAL_STATUSES, type CertificatePayload, type DownloadKind, type DownloadPayload, type ReceiptPayload, type RegistrationResponse, type StatusPayload } from '../protocol/schemas.js';
import { httpRequest, type HttpResponse } from './http.js';
import type { KioskIdentity, Registration } from './identity.js';

export interface ClientOptions {
  timeoutMs?: number;
  /** Called with the registry-minus-kiosk clock difference (ms) after each response carrying a Date header. */
  onClock?: (skewMs: number) => void;
  signal?: AbortSignal;
  /** The kiosk's clock (tests simulate a wrong one). */
  clock?: () => number;
}

function errorFrom(res: HttpResponse): RegistryRequestError {
  try {
    const b = JSON.parse(res.body.toString('utf8')) as { error?: { code?: string; message?: string; details?: Record<string, unknown> } };
    if (b.error?.code) return new RegistryRequestError(res.status, b.error.code, b.error.message ?? b.error.code, b.error.details);
  } catch {
    // not our JSON (proxy page, truncated body)
  }
  const code = res.headers['error-code'];
  if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,63}$/.test(code)) return new RegistryRequestError(res.status, code, `Registry answered HTTP ${res.status} ${code}`);
  return new RegistryRequestError(res.status, res.status >= 500 ? 'REGISTRY_UNAVAILABLE' : 'REGISTRY_HTTP_ERROR', `Registry answered HTTP ${res.status}`);
}

function json<T>(res: HttpResponse): T {
  try {
    return JSON.parse(res.body.toString('utf8')) as T;
  } catch {
    throw new RegistryResponseInvalidError('body is not JSON');
  }
}

/** One-time registration with an admin-issued token. Checks the certificate names this kiosk and key. */
export async function registerKiosk(registryUrl: string, token: string, identity: KioskIdentity, options: ClientOptions = {}): Promise<Registration> {
  const publicKey = rawPublicKeyOf(identity.privateKey).toString('base64');
  const body = Buffer.from(JSON.stringify({ token, kioskId: identity.kioskId, centreId: identity.centreId, publicKey }));
  const res = await httpRequest(new URL('/v1/kiosks/register', registryUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body, timeoutMs: options.timeoutMs ?? 15_000 });
  if (res.status !== 201) throw errorFrom(res);
  const r = json<RegistrationResponse>(res);
  const signing = publicKeyOf(r.registry.signingPublicKey, 'Ed25519');
  publicKeyOf(r.registry.encryptionPublicKey, 'X25519');
  if (!verifyDoc(r.certificate, signing)) throw new RegistryResponseInvalidError('certificate signature');
  const c = r.certificate.payload as CertificatePayload;
  if (c.type !== 'kiosk-certificate' || c.kioskId !== identity.kioskId || c.centreId !== identity.centreId || c.publicKey !== publicKey) throw new RegistryResponseInvalidError('certificate names another kiosk or key');
  return { registryUrl, kioskId: identity.kioskId, centreId: identity.centreId, encryptionPublicKey: r.registry.encryptionPublicKey, signingPublicKey: r.registry.signingPublicKey, certificate: r.certificate as SignedDoc<CertificatePayload>, registeredAt: new Date().toISOString() };
}

export type CreateUploadResponse = { state: 'complete'; receipt: SignedDoc<ReceiptPayload> } | { state: 'open'; uploadId: string; offset: number; size: number };

export class RegistryClient {
  readonly signingKey: KeyObject;
  /** Registry clock minus kiosk clock, ms (estimated from Date headers). Signatures use the corrected time. */
  clockOffsetMs = 0;
  private readonly timeoutMs: number;

  constructor(
    readonly identity: KioskIdentity,
    readonly registration: Registration,
    private readonly options: ClientOptions = {},
  ) {
    this.signingKey = publicKeyOf(registration.signingPublicKey, 'Ed25519');
    this.timeoutMs = options.timeoutMs ?? 30_000;
    createPublicKey(identity.privateKey);
  }

  /** Base URL requests go to (a test may point it at a proxy). */
  baseUrl(): string {
    return this.registration.registryUrl;
  }

  async request(method: string, path: string, body: Uint8Array = new Uint8Array(0), headers: Record<string, string> = {}): Promise<HttpResponse> {
    const url = new URL(path, this.baseUrl());
    const now = this.options.clock ?? Date.now;
    const t0 = now();
    const sig = signRequest({ method, targetUri: url.toString(), body, keyid: this.identity.kioskId, privateKey: this.identity.privateKey, now: t0 + this.clockOffsetMs });
    const res = await httpRequest(url, {
      method,
      headers: { ...headers, 'content-digest': sig['content-digest'], 'signature-input': sig['signature-input'], signature: sig.signature },
      body,
      timeoutMs: this.timeoutMs,
      ...(this.options.signal ? { signal: this.options.signal } : {}),
    });
    const date = res.headers.date ? Date.parse(res.headers.date) : NaN;
    if (Number.isFinite(date)) {
      // Date has 1 s resolution; only move the estimate when the difference is clearly beyond that.
      const skew = date - (t0 + now()) / 2;
      if (Math.abs(skew - this.clockOffsetMs) > 2000) this.clockOffsetMs = Math.round(skew);
      this.options.onClock?.(skew);
    }
    if (res.status >= 400) throw errorFrom(res);
    return res;
  }

  verifyReceipt(doc: unknown, expect: { packetId: string; sha256: string }): SignedDoc<ReceiptPayload> {
    if (!verifyDoc(doc, this.signingKey)) throw new RegistryResponseInvalidError('receipt signature');
    const p = doc.payload as unknown as ReceiptPayload;
    if (p.type !== 'receipt' || p.packetId !== expect.packetId || p.sha256 !== expect.sha256 || p.kioskId !== this.identity.kioskId) throw new RegistryResponseInvalidError('receipt names another packet');
    return doc as unknown as SignedDoc<ReceiptPayload>;
  }

  verifyStatus(doc: unknown, packetId: string): SignedDoc<StatusPayload> {
    if (!verifyDoc(doc, this.signingKey)) throw new RegistryResponseInvalidError('status signature');
    const p = doc.payload as unknown as StatusPayload;
    if (p.type !== 'packet-status' || p.packetId !== packetId || p.kioskId !== this.identity.kioskId) throw new RegistryResponseInvalidError('status names another packet');
    return doc as unknown as SignedDoc<StatusPayload>;
  }

  async createUpload(packetId: string, sha256: string, size: number): Promise<CreateUploadResponse> {
    const res = await this.request('POST', '/v1/uploads', Buffer.from(JSON.stringify({ packetId, sha256, size })), { 'content-type': 'application/json' });
    const r = json<CreateUploadResponse>(res);
    if (r.state === 'complete') return { state: 'complete', receipt: this.verifyReceipt(r.receipt, { packetId, sha256 }) };
    if (typeof r.uploadId !== 'string' || !Number.isSafeInteger(r.offset)) throw new RegistryResponseInvalidError('upload response');
    return r;
  }

  async uploadOffset(uploadId: string): Promise<number> {
    const res = await this.request('HEAD', `/v1/uploads/${encodeURIComponent(uploadId)}`);
    const off = Number(res.headers['upload-offset']);
    if (!Number.isSafeInteger(off)) throw new RegistryResponseInvalidError('Upload-Offset header');
    return off;
  }

  async uploadChunk(uploadId: string, offset: number, chunk: Uint8Array): Promise<number> {
    const res = await this.request('PATCH', `/v1/uploads/${encodeURIComponent(uploadId)}`, chunk, { 'content-type': 'application/offset+octet-stream', 'upload-offset': String(offset) });
    const off = Number(res.headers['upload-offset']);
    if (!Number.isSafeInteger(off) || off !== offset + chunk.byteLength) throw new RegistryResponseInvalidError('Upload-Offset after chunk');
    return off;
  }

  async finalize(uploadId: string, expect: { packetId: string; sha256: string }): Promise<SignedDoc<ReceiptPayload>> {
    const res = await this.request('POST', `/v1/uploads/${encodeURIComponent(uploadId)}/finalize`);
    return this.verifyReceipt(json<{ receipt: unknown }>(res).receipt, expect);
  }

  /** One-request upload of a whole (small) packet; idempotent like the chunked path. */
  async putPacket(packetId: string, sha256: string, bytes: Uint8Array): Promise<SignedDoc<ReceiptPayload>> {
    const res = await this.request('PUT', `/v1/packets/${encodeURIComponent(packetId)}`, bytes, { 'content-type': 'application/octet-stream', 'packet-sha256': sha256 });
    return this.verifyReceipt(json<{ receipt: unknown }>(res).receipt, { packetId, sha256 });
  }

  async status(packetId: string): Promise<SignedDoc<StatusPayload>> {
    const res = await this.request('GET', `/v1/packets/${encodeURIComponent(packetId)}/status`);
    return this.verifyStatus(json<unknown>(res), packetId);
  }

  /** A signed download; refused unless signed by the registry key, of the requested kind, and not older than `minVersion`. */
  async download(kind: DownloadKind, options: { since?: number; minVersion?: number } = {}): Promise<SignedDoc<DownloadPayload>> {
    const res = await this.request('GET', `/v1/downloads/${kind}${options.since !== undefined ? `?since=${options.since}` : ''}`);
    return verifyDownload(json<unknown>(res), this.signingKey, kind, options.minVersion);
  }
}

export function verifyDownload(doc: unknown, signingKey: KeyObject, kind: DownloadKind, minVersion?: number): SignedDoc<DownloadPayload> {
  if (!verifyDoc(doc, signingKey)) throw new RegistryResponseInvalidError(`${kind} signature`);
  const p = doc.payload as unknown as DownloadPayload;
  if (p.type !== 'download' || p.kind !== kind) throw new RegistryResponseInvalidError(`document is not a ${kind}`);
  if (minVersion !== undefined && !(p.version >= minVersion)) throw new RegistryResponseInvalidError(`${kind} version ${p.version} is older than ${minVersion} (rollback)`);
  return doc as unknown as SignedDoc<DownloadPayload>;
}

export function isFinalStatus(s: StatusPayload['status']): boolean {
  return FINAL_STATUSES.includes(s);
}
