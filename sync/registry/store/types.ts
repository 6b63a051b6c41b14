// Registry metadata storage. Packet bytes live in the BlobStore (files here, object storage at scale).
import type { PacketStatus } from '../../protocol/schemas.js';
import type { SqlAdapter } from './sql-adapter.js';

export interface KioskRow {
  kioskId: string;
  centreId: string;
  publicKey: string;
  registeredAt: string;
  revokedAt: string | null;
  certificate: string;
}

export interface UploadRow {
  uploadId: string;
  kioskId: string;
  packetId: string;
  sha256: string;
  size: number;
  createdAt: string;
}

export interface PacketRow {
  packetId: string;
  kioskId: string;
  sha256: string;
  size: number;
  receivedAt: string;
  via: 'online' | 'usb';
  /** Signed receipt JSON, fixed at first receipt so that re-sends get the same receipt. */
  receipt: string;
  status: PacketStatus;
  reason: string | null;
  duplicateOf: string | null;
  rid: string | null;
  updatedAt: string;
}

export interface AuditRow {
  seq: number;
  at: string;
  event: string;
  kioskId: string | null;
  code: string | null;
  details: Record<string, unknown>;
}

export interface GalleryRow {
  seq: number;
  rid: string;
  centreId: string;
  packetId: string;
  embedding: string | null;
}

/** An accepted record as a bulk load brings it (migration from another register; benchmark seeding). */
export interface AcceptedSeed {
  packet: PacketRow;
  centreId: string;
  /** Blind-index dedup keys claimed by this record's RID. */
  dedupKeys: string[];
  /** Face embedding, base64 float32 LE (gallery deltas), or null. */
  embedding: string | null;
  /** models/dedup encodeEntry bytes, or null when the record has no biometrics. */
  biometrics: Uint8Array | null;
}

export interface RegistryStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Present when several registry processes may share this store (PostgreSQL). */
  readonly shared?: SharedProcessing;
  init(): Promise<void>;
  close(): Promise<void>;
  /** SQL over the same database, for modules that keep their own tables (sync/registry/partners). */
  sqlAdapter(): SqlAdapter;

  addToken(tokenHash: string, centreId: string | null, expiresAt: string): Promise<void>;
  /** Marks the token used; returns its centre restriction, or undefined when unknown, expired or used. */
  consumeToken(tokenHash: string, now: string): Promise<{ centreId: string | null } | undefined>;
  /** A token's state, to explain a refused registration (expired vs already used); undefined when unknown. */
  tokenState(tokenHash: string): Promise<{ expiresAt: string; usedAt: string | null } | undefined>;

  insertKiosk(row: KioskRow): Promise<boolean>;
  getKiosk(kioskId: string): Promise<KioskRow | undefined>;
  revokeKiosk(kioskId: string, at: string): Promise<boolean>;
  listRevokedKiosks(): Promise<{ kioskId: string; revokedAt: string }[]>;

  /** Records a nonce; false when this kiosk already used it. Also forgets nonces created before `forgetBefore`. */
  rememberNonce(kioskId: string, nonce: string, createdAt: number, forgetBefore: number): Promise<boolean>;

  audit(event: string, kioskId: string | null, code: string | null, details: Record<string, unknown>, at: string): Promise<void>;
  listAudit(limit: number): Promise<AuditRow[]>;

  findUpload(kioskId: string, packetId: string, sha256: string): Promise<UploadRow | undefined>;
  getUpload(uploadId: string): Promise<UploadRow | undefined>;
  insertUpload(row: UploadRow): Promise<UploadRow>;
  deleteUpload(uploadId: string): Promise<void>;
  listUploadsCreatedBefore(at: string, limit: number): Promise<UploadRow[]>;

  getPacket(packetId: string): Promise<PacketRow | undefined>;
  /** Inserts once; returns the stored row (the existing one when the packet id was already present). */
  insertPacket(row: PacketRow): Promise<{ row: PacketRow; inserted: boolean }>;
  listPacketsByStatus(status: PacketStatus, limit: number): Promise<PacketRow[]>;
  setPacketStatus(packetId: string, status: PacketStatus, fields: { reason?: string | null; duplicateOf?: string | null; rid?: string | null }, at: string): Promise<void>;
  countPackets(): Promise<number>;
  listPackets(kioskId: string | null): Promise<PacketRow[]>;

  /** Claims a dedup key for a RID; returns the RID already holding it (or this one when newly claimed). */
  claimDedupKey(key: string, rid: string): Promise<string>;

  putDownload(kind: string, doc: string, version: number): Promise<void>;
  getDownload(kind: string): Promise<{ doc: string; version: number } | undefined>;

  addGallery(rid: string, centreId: string, packetId: string, embedding: string | null): Promise<void>;
  galleryDelta(centreId: string | null, sinceSeq: number, limit: number): Promise<GalleryRow[]>;

  /** Biometric dedup entry of an accepted RID (models/dedup encodeEntry bytes); replaces an earlier one. */
  putBiometric(rid: string, entry: Uint8Array): Promise<void>;
  /** Entries with rid > afterRid in RID order (loading the search gallery page by page). */
  listBiometrics(afterRid: string, limit: number): Promise<{ rid: string; entry: Uint8Array }[]>;
  /** Per-modality evidence of a packet's dedup decision (JSON), shown in its status. */
  putEvidence(packetId: string, evidence: string): Promise<void>;
  getEvidence(packetId: string): Promise<string | undefined>;
  /** Inserts accepted records in large transactions (rows already present are skipped). */
  importAccepted(rows: AcceptedSeed[]): Promise<number>;

  /** Kiosk (by id) → highest operator-revocation list etc. are kept as downloads. */
  setOperatorRevoked(operatorId: string, at: string): Promise<void>;
  listRevokedOperators(): Promise<{ operatorId: string; revokedAt: string }[]>;
}

/** A packet claimed for processing by one registry process, with the failed/abandoned passes it already had. */
export interface ClaimedPacket {
  row: PacketRow;
  /** Failed passes (thrown errors at least `spacingMs` apart) plus leases abandoned by a process that died. */
  attempts: number;
  /**
   * Fencing token: the lease generation of this claim (grows by one at every claim of the packet). The writes of
   * the pass are checked against it, so that a process whose lease expired mid-work cannot commit after another
   * process took the packet over (LeaseLostError).
   */
  fence: number;
}

/**
 * What several registry processes over one database share (PostgreSQL only; SQLite is one process): the claim
 * queue with leases, the enrollment lock and the biometric change feed. Times are the database's clock, so that
 * machines with skewed clocks agree on when a lease expired.
 */
export interface SharedProcessing {
  /** Claims up to `limit` packets whose lease is free or expired (FOR UPDATE SKIP LOCKED), leased for `leaseMs`. */
  claim(owner: string, leaseMs: number, limit: number): Promise<ClaimedPacket[]>;
  /** Extends the leases `owner` still holds on these packets. */
  renew(owner: string, packetIds: string[], leaseMs: number): Promise<void>;
  /**
   * The packet reached a final status: it leaves the queue. With `fence`, only while that claim is still the
   * packet's current one (else LeaseLostError); the packet already gone from the queue is not an error.
   */
  complete(packetId: string, fence?: number): Promise<void>;
  /**
   * Runs `fn` (writes of one stage of a pass) while the claim `fence` is still the packet's current one, holding the
   * queue row locked so that no other process can take the packet over until `fn` has finished; with
   * `finish: true` the packet leaves the queue in the same transaction. Throws LeaseLostError (code LEASE_LOST)
   * without running `fn` when another process claimed the packet since (or it already left the queue).
   */
  fenced<T>(packetId: string, fence: number, fn: () => Promise<T>, options?: { finish?: boolean }): Promise<T>;
  /**
   * A pass failed: counts an attempt (once per `spacingMs`), returns the lease and keeps the packet out of reach
   * for `spacingMs` (so that a failing packet can never make any process spin). Returns the attempts so far. With
   * `fence`, only while that claim is still the current one (else LeaseLostError: the new holder's lease is kept).
   * `countAttempt: false`: the cause is outside the packet (the packet store unreachable): back off, count nothing.
   */
  fail(packetId: string, spacingMs: number, fence?: number, countAttempt?: boolean): Promise<number>;
  /** Hands back every lease `owner` holds (graceful stop); returns how many. */
  release(owner: string): Promise<number>;
  /** Packets waiting (lease free or expired) and being processed (lease held). */
  queueDepth(): Promise<{ waiting: number; leased: number }>;
  /** Runs `fn` holding the registry-wide enrollment lock (search the new persons + insert one person). */
  withEnrollLock<T>(fn: () => Promise<T>): Promise<T>;
  /** Highest sequence number of the biometric gallery (0 when empty). */
  gallerySeq(): Promise<number>;
  /** Gallery entries written after `sinceSeq`, in sequence order. */
  biometricsSince(sinceSeq: number, limit: number): Promise<{ seq: number; rid: string; entry: Uint8Array }[]>;
  /** Calls `on` when new work is queued or the gallery grows (LISTEN/NOTIFY); returns the unsubscribe. */
  listen(on: (what: 'work' | 'gallery') => void): Promise<() => Promise<void>>;
}
