// The registry's service layer (HTTP-independent): registration, request authentication, resumable intake,
// receipts, processing, downloads. Used by the Fastify server and by USB import.
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { KioskError } from '../../main/contract/errors.js';
import { canonicalJson } from '../packet/canonical-json.js';
import { publicKeyOf } from '../packet/keys.js';
import { authError, LeaseLostError, PacketStoreError, SyncError } from '../errors.js';
import { parseSignature, verifyRequestSignature, contentDigest } from '../protocol/http-signature.js';
import { signDoc, type SignedDoc } from '../protocol/signed-doc.js';
import {
  DOWNLOAD_KINDS,
  ID_PATTERN,
  registerRequestSchema,
  type CertificatePayload,
  type CreateUpload,
  type DownloadKind,
  type DownloadPayload,
  type ReceiptPayload,
  type RegistrationResponse,
  type StatusPayload,
} from '../protocol/schemas.js';
import { FilePacketStore, sha256Hex, type PacketStore } from './blobs.js';
import type { RegistryKeys } from './keys.js';
import { processPacket, type BiometricDedup, type PassFence } from './processing.js';
import type { RegistryHouseholds } from './households.js';
import type { ClaimedPacket, KioskRow, PacketRow, RegistryStore, SharedProcessing } from './store/types.js';
import { KeyedLock } from './keyed-lock.js';

export interface RegistryOptions {
  store: RegistryStore;
  keys: RegistryKeys;
  dataDir: string;
  /** Accepted clock difference between kiosk and registry, seconds (default 300). */
  skewSeconds?: number;
  maxPacketBytes?: number;
  /**
   * A packet whose processing throws is quarantined (rejected "PROCESSING_FAILED", audited) after `maxAttempts`
   * failures at least `spacingMs` apart (back-to-back passes count once). Default 3 attempts, 1 s.
   */
  processingRetry?: { maxAttempts: number; spacingMs: number };
  biometricDedup?: BiometricDedup;
  clock?: () => number;
  /**
   * Several processes over one PostgreSQL (store.shared): this process's name in the claim queue (default
   * host:pid:random), the lease of a claimed packet (default 30 s, renewed every third of it while processing)
   * and how often the queue is polled besides LISTEN/NOTIFY (default 1 s; it also picks up expired leases).
   */
  processId?: string;
  leaseMs?: number;
  /** Several processes: packets one process works on at once (default 1; extraction has its own worker pool). */
  processingConcurrency?: number;
  /** Packet bytes (default: FilePacketStore in dataDir, shared by the processes when dataDir is shared). */
  packetStore?: PacketStore;
  pollMs?: number;
}

export type CreateUploadResult = { state: 'complete'; receipt: SignedDoc<ReceiptPayload> } | { state: 'open'; uploadId: string; offset: number; size: number };

/** Passes a packet may fail (a thrown error, not a rejection) before it is quarantined as rejected. */
export const MAX_PROCESSING_ATTEMPTS = 3;

export class Registry {
  readonly store: RegistryStore;
  readonly keys: RegistryKeys;
  readonly blobs: PacketStore;
  private readonly skewMs: number;
  readonly maxPacketBytes: number;
  private readonly clock: () => number;
  private readonly locks = new KeyedLock();
  private processing: Promise<number> | null = null;
  private processAgain = false;
  /** Counts scheduleProcessing() calls: a hand that found no work checks it did not miss a signal meanwhile. */
  private workSignals = 0;
  /** While processClaimed() runs: starts hands again up to the concurrency. */
  private moreHands: (() => void) | null = null;
  private disposed = false;
  /** Failed processing passes per packet (in memory: a restart gives every packet a fresh set of attempts). */
  private readonly processingRetry: { maxAttempts: number; spacingMs: number };
  private readonly attempts = new Map<string, { n: number; last: number }>();
  private readonly quarantinedInvalid = new Set<string>();
  biometricDedup: BiometricDedup | undefined;
  /** Household links and PMT scores (issue 19); set by openRegistry. */
  households: RegistryHouseholds | undefined;
  readonly processId: string;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly concurrency: number;
  /** Packets this process holds a lease on (renewed by the lease timer). */
  private readonly held = new Set<string>();
  private sharedTimers: NodeJS.Timeout[] = [];
  private unlisten: (() => Promise<void>) | null = null;
  private catchUps: Promise<unknown> = Promise.resolve();

  constructor(o: RegistryOptions) {
    this.store = o.store;
    this.keys = o.keys;
    this.blobs = o.packetStore ?? new FilePacketStore(o.dataDir);
    this.skewMs = (o.skewSeconds ?? 300) * 1000;
    this.maxPacketBytes = o.maxPacketBytes ?? 256 * 1024 * 1024;
    this.biometricDedup = o.biometricDedup;
    this.clock = o.clock ?? Date.now;
    this.processingRetry = o.processingRetry ?? { maxAttempts: MAX_PROCESSING_ATTEMPTS, spacingMs: 1000 };
    this.processId = o.processId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.leaseMs = o.leaseMs ?? 30_000;
    this.pollMs = o.pollMs ?? 1000;
    this.concurrency = o.processingConcurrency ?? 1;
  }

  private now(): string {
    return new Date(this.clock()).toISOString();
  }

  /** The registry's clock (ISO), as /v1/health reports it. */
  time(): string {
    return this.now();
  }

  /** Serialises work on one key inside this process. */
  private locked<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.run(key, fn);
  }

  async refuse(error: SyncError, kioskId: string | null, context: Record<string, unknown>): Promise<void> {
    await this.store.audit('request.refused', kioskId, error.code, { ...context, message: error.message }, this.now()).catch(() => undefined);
  }

  // --- registration -------------------------------------------------------------------------------------------

  async issueToken(options: { centreId?: string; ttlHours?: number } = {}): Promise<string> {
    const token = randomBytes(24).toString('base64url');
    const expires = new Date(this.clock() + (options.ttlHours ?? 72) * 3600_000).toISOString();
    await this.store.addToken(hashToken(token), options.centreId ?? null, expires);
    await this.store.audit('token.issued', null, null, { centreId: options.centreId ?? null, expires }, this.now());
    return token;
  }

  async register(body: unknown): Promise<RegistrationResponse> {
    const parsed = registerRequestSchema.safeParse(body);
    if (!parsed.success) throw new SyncError('VALIDATION_FAILED', 'Registration request invalid', 400, { details: { issues: parsed.error.issues.map((i) => i.path.join('.')) } });
    const req = parsed.data;
    try {
      publicKeyOf(req.publicKey, 'Ed25519');
    } catch {
      throw new SyncError('VALIDATION_FAILED', 'publicKey is not an Ed25519 key', 400);
    }
    const existing = await this.store.getKiosk(req.kioskId);
    // A revoked kiosk stays out: registering again (even with a fresh token) must not issue it a new certificate.
    if (existing?.revokedAt) throw new SyncError('KIOSK_REVOKED', `Kiosk ${req.kioskId} is revoked`, 403, { details: { kioskId: req.kioskId, revokedAt: existing.revokedAt } });
    if (existing && existing.publicKey !== req.publicKey) throw new SyncError('KIOSK_CONFLICT', `Kiosk ${req.kioskId} is already registered with another key`, 409, { details: { kioskId: req.kioskId } });
    const token = await this.store.consumeToken(hashToken(req.token), this.now());
    if (!token) {
      // details.reason tells the technician what to do (ask for a new token vs. find who used this one).
      const state = await this.store.tokenState(hashToken(req.token));
      const reason = !state ? 'unknown' : state.usedAt ? 'used' : 'expired';
      throw new SyncError('TOKEN_INVALID', `Enrollment token ${reason === 'unknown' ? 'unknown' : reason === 'used' ? 'already used' : 'expired'}`, 401, { details: { reason, ...(state ? { expiresAt: state.expiresAt } : {}) } });
    }
    if (token.centreId !== null && token.centreId !== req.centreId) throw new SyncError('TOKEN_INVALID', 'Enrollment token was issued for another centre', 401, { details: { reason: 'centre', centreId: req.centreId } });
    const payload: CertificatePayload = { type: 'kiosk-certificate', kioskId: req.kioskId, centreId: req.centreId, publicKey: req.publicKey, serial: randomUUID(), issuedAt: this.now() };
    const certificate = signDoc(payload, this.keys.signingPrivateKey);
    if (!existing) {
      const inserted = await this.store.insertKiosk({ kioskId: req.kioskId, centreId: req.centreId, publicKey: req.publicKey, registeredAt: payload.issuedAt, revokedAt: null, certificate: JSON.stringify(certificate) });
      if (!inserted) throw new SyncError('KIOSK_CONFLICT', `Kiosk ${req.kioskId} registered concurrently`, 409);
    }
    await this.store.audit('kiosk.registered', req.kioskId, null, { centreId: req.centreId }, this.now());
    return { registry: { encryptionPublicKey: this.keys.encryptionPublicKey, signingPublicKey: this.keys.signingPublicKey }, certificate };
  }

  async revokeKiosk(kioskId: string): Promise<boolean> {
    const ok = await this.store.revokeKiosk(kioskId, this.now());
    if (ok) await this.store.audit('kiosk.revoked', kioskId, null, {}, this.now());
    return ok;
  }

  // --- authentication (RFC 9421) ------------------------------------------------------------------------------

  /** Verifies digest, signature, freshness, nonce and kiosk state. Throws a typed 401/403 otherwise. */
  async authenticate(req: { method: string; targetUri: string; headers: Record<string, string | string[] | undefined>; body: Uint8Array }): Promise<KioskRow> {
    const kiosk = await this.authenticateHeaders(req);
    this.checkDigest(req.headers, req.body);
    return kiosk;
  }

  /**
   * The signature check that needs no body (the signature covers the Content-Digest header, not the bytes): run
   * before the body is read, so unauthenticated peers cannot make the registry buffer anything.
   */
  async authenticateHeaders(req: { method: string; targetUri: string; headers: Record<string, string | string[] | undefined> }): Promise<KioskRow> {
    const h = (n: string) => {
      const v = req.headers[n];
      return Array.isArray(v) ? v.join(', ') : v;
    };
    const parsed = parseSignature(h('signature-input'), h('signature'));
    if (!parsed.ok) throw authError(h('signature') ? 'SIGNATURE_INVALID' : 'SIGNATURE_MISSING', `Request signature refused: ${parsed.reason}`);
    const digest = h('content-digest');
    if (!digest) throw authError('CONTENT_DIGEST_MISMATCH', 'Content-Digest missing or does not match the body');
    if (!ID_PATTERN.test(parsed.params.keyid)) throw authError('KIOSK_UNKNOWN', 'Unknown kiosk', { kioskId: null });
    const kiosk = await this.store.getKiosk(parsed.params.keyid);
    if (!kiosk) throw authError('KIOSK_UNKNOWN', `Unknown kiosk ${parsed.params.keyid}`, { kioskId: parsed.params.keyid });
    if (!verifyRequestSignature({ method: req.method, targetUri: req.targetUri, digest, params: parsed.params, signature: parsed.signature, publicKey: publicKeyOf(kiosk.publicKey, 'Ed25519') })) {
      throw authError('SIGNATURE_INVALID', 'Request signature does not verify with the registered kiosk key', { kioskId: kiosk.kioskId });
    }
    if (kiosk.revokedAt) throw new SyncError('KIOSK_REVOKED', `Kiosk ${kiosk.kioskId} is revoked`, 403, { details: { kioskId: kiosk.kioskId, revokedAt: kiosk.revokedAt } });
    const now = this.clock();
    const skew = now - parsed.params.created * 1000;
    if (Math.abs(skew) > this.skewMs) {
      throw authError('SIGNATURE_STALE', 'Request signature is outside the accepted clock window', { kioskId: kiosk.kioskId, skewSeconds: Math.round(skew / 1000), windowSeconds: this.skewMs / 1000, serverTime: new Date(now).toISOString() });
    }
    const fresh = await this.store.rememberNonce(kiosk.kioskId, parsed.params.nonce, parsed.params.created * 1000, now - 2 * this.skewMs);
    if (!fresh) throw authError('NONCE_REPLAYED', 'Request nonce was already used (replay)', { kioskId: kiosk.kioskId });
    return kiosk;
  }

  /** The body received is the one the (already verified) signed Content-Digest names. */
  checkDigest(headers: Record<string, string | string[] | undefined>, body: Uint8Array): void {
    const v = headers['content-digest'];
    const digest = Array.isArray(v) ? v.join(', ') : v;
    if (!digest || digest !== contentDigest(body)) throw authError('CONTENT_DIGEST_MISMATCH', 'Content-Digest missing or does not match the body');
  }

  // --- intake -------------------------------------------------------------------------------------------------

  private async existingReceipt(kiosk: KioskRow, packetId: string, sha256: string): Promise<SignedDoc<ReceiptPayload> | null> {
    const p = await this.store.getPacket(packetId);
    if (!p) return null;
    if (p.kioskId !== kiosk.kioskId || p.sha256 !== sha256) throw new SyncError('PACKET_CONFLICT', `Packet ${packetId} was already received with other content`, 409, { details: { packetId } });
    return JSON.parse(p.receipt) as SignedDoc<ReceiptPayload>;
  }

  async createUpload(kiosk: KioskRow, req: CreateUpload): Promise<CreateUploadResult> {
    if (req.size > this.maxPacketBytes) throw new SyncError('UPLOAD_TOO_LARGE', `Packet exceeds ${this.maxPacketBytes} bytes`, 413, { details: { size: req.size } });
    const receipt = await this.existingReceipt(kiosk, req.packetId, req.sha256);
    if (receipt) return { state: 'complete', receipt };
    const row = await this.store.insertUpload({ uploadId: randomUUID(), kioskId: kiosk.kioskId, packetId: req.packetId, sha256: req.sha256, size: req.size, createdAt: this.now() });
    return { state: 'open', uploadId: row.uploadId, offset: await this.blobs.partOffset(row.uploadId), size: row.size };
  }

  private async ownUpload(kiosk: KioskRow, uploadId: string) {
    const u = /^[0-9a-f-]{36}$/.test(uploadId) ? await this.store.getUpload(uploadId) : undefined;
    if (!u || u.kioskId !== kiosk.kioskId) throw new SyncError('UPLOAD_NOT_FOUND', `Upload ${uploadId} not found`, 404, { details: { uploadId } });
    return u;
  }

  async uploadOffset(kiosk: KioskRow, uploadId: string): Promise<{ offset: number; size: number }> {
    const u = await this.ownUpload(kiosk, uploadId);
    return { offset: await this.blobs.partOffset(uploadId), size: u.size };
  }

  async appendChunk(kiosk: KioskRow, uploadId: string, offset: number, data: Uint8Array): Promise<number> {
    const u = await this.ownUpload(kiosk, uploadId);
    return this.locked(`u:${uploadId}`, async () => {
      if (offset + data.byteLength > u.size) throw new SyncError('UPLOAD_TOO_LARGE', 'Chunk goes past the declared packet size', 413, { details: { offset, length: data.byteLength, size: u.size } });
      const r = await this.blobs.append(uploadId, offset, data);
      if (!r.ok) throw new SyncError('UPLOAD_OFFSET_MISMATCH', `Upload-Offset ${offset} does not match the stored offset ${r.offset}`, 409, { details: { offset: r.offset } });
      return r.offset;
    });
  }

  async finalize(kiosk: KioskRow, uploadId: string): Promise<SignedDoc<ReceiptPayload>> {
    const u = await this.ownUpload(kiosk, uploadId);
    return this.locked(`p:${u.packetId}`, async () => {
      const existing = await this.existingReceipt(kiosk, u.packetId, u.sha256);
      if (existing) return existing;
      const data = await this.blobs.readPart(uploadId);
      if (data.length !== u.size) throw new SyncError('UPLOAD_INCOMPLETE', `Upload has ${data.length} of ${u.size} bytes`, 409, { details: { offset: data.length, size: u.size } });
      if (sha256Hex(data) !== u.sha256) {
        // Start over: the stored bytes are not the declared packet.
        await this.blobs.truncatePart(uploadId, 0);
        throw new SyncError('UPLOAD_HASH_MISMATCH', 'Uploaded bytes do not match the declared SHA-256', 422, { details: { packetId: u.packetId } });
      }
      const receipt = await this.storePacket(kiosk, u.packetId, data, 'online');
      await this.store.deleteUpload(uploadId);
      await this.blobs.removePart(uploadId);
      return receipt;
    });
  }

  /** Whole-packet upload (PUT /v1/packets/:id). */
  async putPacket(kiosk: KioskRow, packetId: string, declaredSha256: string, data: Buffer): Promise<SignedDoc<ReceiptPayload>> {
    if (data.length === 0) throw new SyncError('VALIDATION_FAILED', 'Empty packet', 400);
    if (data.length > this.maxPacketBytes) throw new SyncError('UPLOAD_TOO_LARGE', `Packet exceeds ${this.maxPacketBytes} bytes`, 413);
    if (sha256Hex(data) !== declaredSha256) throw new SyncError('UPLOAD_HASH_MISMATCH', 'Body does not match Packet-Sha256', 422, { details: { packetId } });
    return this.locked(`p:${packetId}`, () => this.storePacket(kiosk, packetId, data, 'online'));
  }

  /** Stores a complete packet exactly once and returns its (first) signed receipt. */
  async storePacket(kiosk: KioskRow, packetId: string, data: Buffer, via: 'online' | 'usb'): Promise<SignedDoc<ReceiptPayload>> {
    if (typeof packetId !== 'string' || !ID_PATTERN.test(packetId)) throw new SyncError('VALIDATION_FAILED', 'Invalid packet id', 400, { details: { kioskId: kiosk.kioskId } });
    const sha256 = sha256Hex(data);
    const existing = await this.existingReceipt(kiosk, packetId, sha256);
    if (existing) return existing;
    await this.blobs.putPacket(kiosk.kioskId, packetId, sha256, data);
    const at = this.now();
    const payload: ReceiptPayload = { type: 'receipt', packetId, kioskId: kiosk.kioskId, sha256, size: data.length, receivedAt: at, via };
    const receipt = signDoc(payload, this.keys.signingPrivateKey);
    const row: PacketRow = { packetId, kioskId: kiosk.kioskId, sha256, size: data.length, receivedAt: at, via, receipt: JSON.stringify(receipt), status: 'received', reason: null, duplicateOf: null, rid: null, updatedAt: at };
    const r = await this.store.insertPacket(row);
    if (!r.inserted) {
      if (r.row.kioskId !== kiosk.kioskId || r.row.sha256 !== sha256) throw new SyncError('PACKET_CONFLICT', `Packet ${packetId} was already received with other content`, 409, { details: { packetId } });
      return JSON.parse(r.row.receipt) as SignedDoc<ReceiptPayload>;
    }
    await this.store.audit('packet.received', kiosk.kioskId, null, { packetId, size: data.length, via }, at);
    this.scheduleProcessing();
    return receipt;
  }

  /** Deletes uploads (row + partial bytes) created before `olderThanMs` ago and never finalized. */
  async gcUploads(olderThanMs: number): Promise<number> {
    const stale = await this.store.listUploadsCreatedBefore(new Date(this.clock() - olderThanMs).toISOString(), 10_000);
    for (const u of stale) {
      await this.locked(`u:${u.uploadId}`, async () => {
        await this.store.deleteUpload(u.uploadId);
        await this.blobs.removePart(u.uploadId);
      });
    }
    if (stale.length) await this.store.audit('uploads.collected', null, null, { count: stale.length }, this.now());
    return stale.length;
  }

  async status(kiosk: KioskRow, packetId: string): Promise<SignedDoc<StatusPayload>> {
    const p = await this.store.getPacket(packetId);
    if (!p || p.kioskId !== kiosk.kioskId) throw new SyncError('NOT_FOUND', `Packet ${packetId} not found`, 404, { details: { packetId } });
    return this.statusDoc(p);
  }

  /** The signed status of a packet; a final one carries the dedup evidence when biometric dedup produced some. */
  async statusDoc(p: PacketRow): Promise<SignedDoc<StatusPayload>> {
    const final = p.status === 'accepted' || p.status === 'duplicate';
    const evidence = final ? await this.store.getEvidence(p.packetId) : undefined;
    const payload: StatusPayload = { type: 'packet-status', packetId: p.packetId, kioskId: p.kioskId, status: p.status, reason: p.reason, duplicateOf: p.duplicateOf, rid: p.rid, updatedAt: p.updatedAt };
    if (evidence) payload.evidence = JSON.parse(evidence) as Record<string, unknown>;
    return signDoc(payload, this.keys.signingPrivateKey);
  }

  // --- processing ---------------------------------------------------------------------------------------------

  scheduleProcessing(): void {
    if (this.disposed) return;
    this.workSignals++;
    if (this.processing) {
      this.processAgain = true;
      // Hands that found the queue empty a moment ago have stopped: take them up again for the new work.
      this.moreHands?.();
      return;
    }
    this.processing = (async () => {
      let total = 0;
      do {
        this.processAgain = false;
        total += this.store.shared ? await this.processClaimed(this.store.shared) : await this.processPending();
      } while (this.processAgain && !this.disposed);
      return total;
    })().finally(() => {
      this.processing = null;
    });
    this.processing.catch(() => undefined);
  }

  /**
   * Processes every packet not yet final (received, or left validated/deduplicated by a crash: every stage is
   * idempotent, so processing restarts from the packet). Returns how many reached a final status.
   */
  async processPending(limit = 200): Promise<number> {
    let n = 0;
    // A packet whose processing throws (a matcher worker died, the store failed) stays where it was and is retried
    // by the next pass; it must not block the packets behind it, nor be retried in a loop within this pass.
    // Every packet is looked at once per pass, whatever happens to it: a row that does not move (an unreadable id, a
    // store that ignores the update) can never make this loop spin. A packet that fails MAX_PROCESSING_ATTEMPTS passes
    // is quarantined (rejected, audited) instead of being retried forever.
    const seen = new Set<string>();
    for (;;) {
      const all = [...(await this.store.listPacketsByStatus('received', limit)), ...(await this.store.listPacketsByStatus('validated', limit)), ...(await this.store.listPacketsByStatus('deduplicated', limit))];
      const batch: typeof all = [];
      for (const p of all) {
        if (typeof p.packetId !== 'string' || !ID_PATTERN.test(p.packetId)) {
          const key = `invalid:${String(p.packetId)}:${p.kioskId}`;
          if (!seen.has(key) && !this.quarantinedInvalid.has(key)) {
            this.quarantinedInvalid.add(key);
            await this.store.audit('packet.quarantined', p.kioskId, 'INVALID_PACKET_ID', { packetId: null }, this.now()).catch(() => undefined);
          }
          seen.add(key);
          continue;
        }
        if (!seen.has(p.packetId)) batch.push(p);
      }
      if (batch.length === 0 || this.disposed) return n;
      for (const p of batch) {
        seen.add(p.packetId);
        if (this.disposed) return n;
        try {
          await this.locked(`p:${p.packetId}`, () => processPacket(this, p));
          this.attempts.delete(p.packetId);
          n++;
        } catch (e) {
          if (this.disposed) return n;
          const code = e instanceof KioskError ? e.code : 'INTERNAL';
          if (e instanceof PacketStoreError && e.retryable) {
            // The packet store not answering says nothing about the packet: retried by the next pass, never counted.
            await this.store.audit('packet.processing-failed', p.kioskId, code, { packetId: p.packetId, attempts: 0 }, this.now()).catch(() => undefined);
            continue;
          }
          const retry = this.processingRetry;
          const prev = this.attempts.get(p.packetId);
          const t = this.clock();
          const attempts = !prev ? 1 : t - prev.last >= retry.spacingMs ? prev.n + 1 : prev.n;
          this.attempts.set(p.packetId, { n: attempts, last: !prev || attempts > prev.n ? t : prev.last });
          await this.store.audit('packet.processing-failed', p.kioskId, code, { packetId: p.packetId, attempts }, this.now()).catch(() => undefined);
          if (attempts >= retry.maxAttempts) {
            this.attempts.delete(p.packetId);
            await this.store.setPacketStatus(p.packetId, 'rejected', { reason: 'PROCESSING_FAILED' }, this.now()).catch(() => undefined);
            await this.store.audit('packet.quarantined', p.kioskId, code, { packetId: p.packetId, attempts }, this.now()).catch(() => undefined);
          }
        }
        // Let timers, sockets and signals run between packets (a long backlog must not starve /v1/health or SIGTERM).
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  }

  /**
   * Several processes: takes packets from the shared claim queue one lease at a time until none is free. A failed
   * pass hands the lease back with a delay (store.shared.fail), so that no process spins on a failing packet; a
   * packet abandoned by dying processes or failing `maxAttempts` passes is quarantined (rejected, audited).
   */
  async processClaimed(shared: SharedProcessing, concurrency = this.concurrency): Promise<number> {
    let n = 0;
    // Up to `concurrency` loops ("hands"), each claiming one packet at a time (a lease is only taken when there is a
    // hand free). A hand that finds the queue empty stops; new work signalled meanwhile (NOTIFY, an upload, the poll)
    // starts hands again up to `concurrency`. Without that, uploads arriving one by one left a single hand working
    // through a whole batch (bench registry-cluster: 1 × 3 at 1.5 packets/s instead of ≈ 5).
    const loop = async () => {
      for (;;) {
        if (this.disposed) return; // leases still held are handed back by dispose()
        const signals = this.workSignals;
        const [c] = await shared.claim(this.processId, this.leaseMs, 1);
        if (!c) {
          if (this.workSignals !== signals) continue; // work arrived while this hand looked
          return;
        }
        this.held.add(c.row.packetId);
        try {
          if (await this.processOneClaimed(shared, c)) n++;
        } finally {
          this.held.delete(c.row.packetId);
        }
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    };
    const hands = new Set<Promise<void>>();
    let failed: { error: unknown } | null = null;
    const more = () => {
      while (hands.size < Math.max(1, concurrency) && !this.disposed && !failed) {
        const hand: Promise<void> = loop()
          .catch((error: unknown) => void (failed ??= { error }))
          .finally(() => hands.delete(hand));
        hands.add(hand);
      }
    };
    this.moreHands = more;
    try {
      more();
      while (hands.size) await Promise.all(hands);
    } finally {
      if (this.moreHands === more) this.moreHands = null;
    }
    if (failed) throw (failed as { error: unknown }).error;
    return n;
  }

  private async processOneClaimed(shared: SharedProcessing, c: ClaimedPacket): Promise<boolean> {
    const p = c.row;
    const retry = this.processingRetry;
    // Writes nested in the commit (the evidence of a re-search under the enrollment lock) already run under this
    // pass's row lock: they go straight through instead of waiting for that lock (a self-deadlock).
    let insideFence = false;
    const fenced = async <T>(fn: () => Promise<T>, finish: boolean): Promise<T> => {
      if (insideFence) return fn();
      insideFence = true;
      try {
        return await shared.fenced(p.packetId, c.fence, fn, { finish });
      } finally {
        insideFence = false;
      }
    };
    const fence: PassFence = { step: (fn) => fenced(fn, false), commit: (fn) => fenced(fn, true) };
    const quarantine = (code: string, attempts: number) =>
      fence.commit(async () => {
        await this.store.setPacketStatus(p.packetId, 'rejected', { reason: 'PROCESSING_FAILED' }, this.now());
        await this.store.audit('packet.quarantined', p.kioskId, code, { packetId: p.packetId, attempts }, this.now()).catch(() => undefined);
      });
    const leaseLost = async (e: LeaseLostError) => {
      // Another process took the packet over: its pass stands, this one neither writes nor counts an attempt.
      await this.store.audit('packet.lease-lost', p.kioskId, e.code, { packetId: p.packetId, fence: c.fence, processId: this.processId }, this.now()).catch(() => undefined);
      return false;
    };
    try {
      if (c.attempts >= retry.maxAttempts) {
        await quarantine('LEASE_ABANDONED', c.attempts);
        return true;
      }
      await this.locked(`p:${p.packetId}`, () => processPacket(this, p, fence));
      // The final commit took the packet out of the queue; a packet found already final leaves it here (fenced too).
      await shared.complete(p.packetId, c.fence);
      return true;
    } catch (e) {
      if (e instanceof LeaseLostError) return leaseLost(e);
      if (this.disposed) return false;
      const code = e instanceof KioskError ? e.code : 'INTERNAL';
      const storeDown = e instanceof PacketStoreError && e.retryable;
      let attempts: number;
      try {
        // The packet store not answering (network, credentials) says nothing about the packet: back off, never
        // quarantine it for that (an outage longer than a few spacings would otherwise reject good packets).
        attempts = await shared.fail(p.packetId, retry.spacingMs, c.fence, !storeDown);
      } catch (f) {
        if (f instanceof LeaseLostError) return leaseLost(f);
        attempts = c.attempts + 1;
      }
      await this.store.audit('packet.processing-failed', p.kioskId, code, { packetId: p.packetId, attempts, processId: this.processId }, this.now()).catch(() => undefined);
      // fail() handed the lease back but kept its generation: the quarantine is still fenced by this claim.
      if (attempts >= retry.maxAttempts && !storeDown) await quarantine(code, attempts).catch(() => undefined);
      return false;
    }
  }

  /**
   * Several processes: wakes processing on NOTIFY and on a poll (expired leases of dead processes), renews the
   * leases held, and keeps the biometric gallery current from the change feed. No-op on a one-process store.
   */
  async startShared(): Promise<void> {
    const shared = this.store.shared;
    if (!shared || this.disposed || this.sharedTimers.length) return;
    this.unlisten = await shared.listen((what) => {
      if (what === 'work') this.scheduleProcessing();
      else void this.catchUpGallery();
    });
    this.sharedTimers.push(
      setInterval(() => this.scheduleProcessing(), this.pollMs),
      setInterval(() => {
        if (this.held.size) void shared.renew(this.processId, [...this.held], this.leaseMs).catch(() => undefined);
      }, Math.max(50, Math.floor(this.leaseMs / 3))),
      setInterval(() => void this.catchUpGallery(), Math.max(this.pollMs, 5000)),
    );
    for (const t of this.sharedTimers) t.unref();
  }

  private catchUpGallery(): Promise<unknown> {
    const d = this.biometricDedup;
    if (!d?.catchUp || this.disposed) return Promise.resolve();
    this.catchUps = this.catchUps.then(() => d.catchUp!()).catch(() => undefined);
    return this.catchUps;
  }

  /** Readiness: the claim queue's depth and how far this process's search gallery is behind the store. */
  async readiness(): Promise<{ processId: string; shared: boolean; queue: { waiting: number; leased: number }; gallery: { seq: number; lag: number } | null }> {
    const shared = this.store.shared;
    const queue = shared ? await shared.queueDepth() : { waiting: (await this.store.listPacketsByStatus('received', 100_000)).length, leased: 0 };
    const gallery = this.biometricDedup?.galleryPosition ? await this.biometricDedup.galleryPosition() : null;
    return { processId: this.processId, shared: !!shared, queue, gallery };
  }

  async idle(): Promise<void> {
    while (this.processing) await this.processing.catch(() => undefined);
  }

  blindIndex(value: string): string {
    return createHmac('sha256', this.keys.dedupSecret).update(value.normalize('NFKC').replace(/\s+/g, '')).digest('hex');
  }

  // --- downloads ----------------------------------------------------------------------------------------------

  async publish(kind: Exclude<DownloadKind, 'revocations' | 'gallery-delta'>, data: unknown): Promise<SignedDoc<DownloadPayload>> {
    const prev = await this.store.getDownload(kind);
    const version = (prev?.version ?? 0) + 1;
    const doc = signDoc<DownloadPayload>({ type: 'download', kind, version, issuedAt: this.now(), data: JSON.parse(canonicalJson(data)) as unknown }, this.keys.signingPrivateKey);
    await this.store.putDownload(kind, JSON.stringify(doc), version);
    await this.store.audit('download.published', null, null, { kind, version }, this.now());
    return doc;
  }

  async revokeOperator(operatorId: string): Promise<void> {
    await this.store.setOperatorRevoked(operatorId, this.now());
    await this.store.audit('operator.revoked', null, null, { operatorId }, this.now());
  }

  async download(kind: string, kiosk: KioskRow, query: { since?: string }): Promise<SignedDoc<DownloadPayload>> {
    if (!(DOWNLOAD_KINDS as readonly string[]).includes(kind)) throw new SyncError('NOT_FOUND', `Unknown download ${kind}`, 404, { details: { kind } });
    const k = kind as DownloadKind;
    if (k === 'revocations') {
      const kiosks = await this.store.listRevokedKiosks();
      const operators = await this.store.listRevokedOperators();
      return signDoc<DownloadPayload>({ type: 'download', kind: k, version: kiosks.length + operators.length, issuedAt: this.now(), data: { kiosks, operators } }, this.keys.signingPrivateKey);
    }
    if (k === 'gallery-delta') {
      const since = Number(query.since ?? 0);
      if (!Number.isSafeInteger(since) || since < 0) throw new SyncError('VALIDATION_FAILED', 'since must be a non-negative integer', 400);
      const rows = await this.store.galleryDelta(kiosk.centreId, since, 1000);
      const version = rows.length ? rows[rows.length - 1]!.seq : since;
      return signDoc<DownloadPayload>({ type: 'download', kind: k, version, issuedAt: this.now(), data: { centreId: kiosk.centreId, since, entries: rows.map((r) => ({ seq: r.seq, rid: r.rid, embedding: r.embedding })) } }, this.keys.signingPrivateKey);
    }
    const d = await this.store.getDownload(k);
    if (!d) throw new SyncError('NOT_FOUND', `Nothing published for ${k}`, 404, { details: { kind: k } });
    return JSON.parse(d.doc) as SignedDoc<DownloadPayload>;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const t of this.sharedTimers) clearInterval(t);
    this.sharedTimers = [];
    await this.unlisten?.();
    this.unlisten = null;
    await this.idle();
    await this.locks.idle();
    await this.catchUps;
    // Graceful stop: leases not finished go back to the queue at once (no waiting for them to expire).
    await this.store.shared?.release(this.processId).catch(() => undefined);
  }
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
