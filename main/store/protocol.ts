// The typed method map between the store client (main thread) and the store worker (the single SQLite writer).
// Requests and responses are structured-cloned; Uint8Array values cross as copies. No key material ever crosses:
// the worker stores ciphertexts it cannot read.
import type { KioskErrorShape } from '../contract/errors.js';
import type { HouseholdStoreMethods } from './household-protocol.js';

export type EnrollmentStatus = 'draft' | 'captured' | 'pending_approval' | 'approved' | 'rejected' | 'sealed' | 'uploaded' | 'acknowledged' | 'purged';

export interface EnrollmentRow {
  id: string;
  status: EnrollmentStatus;
  schemaVersion: number;
  rev: number;
  centreId: string;
  kioskId: string;
  operatorId: string;
  supervisorId: string | null;
  createdAt: number;
  createdDay: string;
  updatedAt: number;
  sealedAt: number | null;
  /** Encrypted. */
  rid: Uint8Array;
  ridIndex: Uint8Array;
  nationalIndex: Uint8Array | null;
  /** Encrypted JSON. */
  demographics: Uint8Array | null;
  /** Encrypted JSON (consent, capture metadata, quality, exceptions, versions, geo). */
  details: Uint8Array | null;
  /** Clear, non-PII JSON. */
  receipt: string | null;
}

export type EnrollmentPatch = Partial<Pick<EnrollmentRow, 'status' | 'supervisorId' | 'updatedAt' | 'sealedAt' | 'nationalIndex' | 'demographics' | 'details' | 'receipt'>>;

export interface BlobRow {
  field: string;
  /** Encrypted. */
  data: Uint8Array;
}

export interface AuditInput {
  at: number;
  actor: string;
  action: string;
  objectId: string | null;
}

export interface AuditEntry extends AuditInput {
  seq: number;
  prevHash: Uint8Array;
  hash: Uint8Array;
}

export interface OperatorRow {
  id: string;
  role: 'clerk' | 'supervisor' | 'technician';
  displayName: Uint8Array;
  pinHash: Uint8Array;
  pinParams: string;
  failedAttempts: number;
  lockedUntil: number | null;
  active: boolean;
  createdAt: number;
}

/** An operator's enrolled finger: `template` is sealed by the field cipher (record `operator:<id>`, field `finger:<position>`). */
export interface OperatorFingerprintRow {
  operatorId: string;
  position: number;
  template: Uint8Array;
  format: string;
  quality: number;
  createdAt: number;
}

export interface StatusCounts {
  byStatus: Record<EnrollmentStatus, number>;
  today: number;
  total: number;
}

export interface CheckpointRow {
  headSeq: number;
  headHash: Uint8Array;
  at: number;
  signature: Uint8Array;
}

export interface ChainReport {
  entries: number;
  headSeq: number;
  headHash: Uint8Array | null;
  firstBroken: { seq: number; reason: string } | null;
  checkpoints: (CheckpointRow & { entryHash: Uint8Array | null })[];
}

export interface OutboxRow {
  id: string;
  status: EnrollmentStatus;
  rev: number;
  sha256: string | null;
  size: number | null;
  sealedAt: number | null;
  registryState: 'uploaded' | 'acknowledged' | 'rejected' | null;
  /** Encrypted SignedDoc JSON. */
  receipt: Uint8Array | null;
  statusDoc: Uint8Array | null;
  uploadedAt: number | null;
  acknowledgedAt: number | null;
}

export interface StoreMethods extends HouseholdStoreMethods {
  'enrollment.insert': { req: { row: EnrollmentRow; blobs: BlobRow[]; audit: AuditInput }; res: null };
  'enrollment.update': {
    req: { id: string; expectRev: number; set: EnrollmentPatch; putBlobs?: BlobRow[]; deleteBlobs?: 'all' | string[]; audit?: AuditInput };
    res: { rev: number };
  };
  'enrollment.seal': {
    req: { id: string; expectRev: number; packet: Uint8Array; packetSha256: string; gallery: Uint8Array; receipt: string; sealedAt: number; audit: AuditInput };
    res: { rev: number };
  };
  'enrollment.purge': { req: { id: string; expectRev: number; at: number; audit: AuditInput }; res: { rev: number } };
  'enrollment.get': { req: { id: string; withBlobs: boolean }; res: { row: EnrollmentRow; blobs: BlobRow[] } | null };
  'enrollment.list': { req: { statuses?: EnrollmentStatus[]; limit: number; offset: number }; res: EnrollmentRow[] };
  'enrollment.findByIndex': { req: { kind: 'rid' | 'national'; mac: Uint8Array }; res: string[] };
  'enrollment.counts': { req: { day: string }; res: StatusCounts };
  'packet.get': { req: { id: string }; res: { packet: Uint8Array; sha256: string } | null };
  'gallery.get': { req: { id: string }; res: Uint8Array | null };
  /** Ids of every record with a dedup gallery entry (sealed and later, not purged). */
  'gallery.ids': { req: Record<string, never>; res: string[] };
  /** Reserves `count` sequence numbers for `day`; returns the last one reserved. */
  'rid.reserve': { req: { day: string; count: number }; res: number };
  'operator.insert': { req: { row: OperatorRow; audit: AuditInput }; res: null };
  'operator.get': { req: { id: string }; res: OperatorRow | null };
  'operator.list': { req: Record<string, never>; res: OperatorRow[] };
  'operator.recordAttempt': { req: { id: string; success: boolean; at: number; maxAttempts: number; lockoutMs: number; audit: AuditInput }; res: OperatorRow };
  /** New PIN hash (first sign-in, reset); clears failed attempts and the lockout. */
  'operator.setPin': { req: { id: string; pinHash: Uint8Array; pinParams: string; audit: AuditInput }; res: OperatorRow };
  'operator.setActive': { req: { id: string; active: boolean; audit: AuditInput }; res: OperatorRow };
  'operator.fingerprint.put': { req: { row: OperatorFingerprintRow; audit: AuditInput }; res: null };
  /** One operator's fingers, or every operator's (null) for the operator gallery. */
  'operator.fingerprint.list': { req: { operatorId: string | null }; res: OperatorFingerprintRow[] };
  'audit.append': { req: AuditInput; res: { seq: number } };
  'audit.head': { req: Record<string, never>; res: { seq: number; hash: Uint8Array } | null };
  'audit.checkpoint': { req: CheckpointRow; res: null };
  'audit.verify': { req: Record<string, never>; res: ChainReport };
  'audit.list': { req: { afterSeq: number; limit: number }; res: AuditEntry[] };
  'store.status': { req: Record<string, never>; res: { counts: StatusCounts; userVersion: number; pageSize: number; pageCount: number; freelistCount: number } };
  'store.integrityCheck': { req: Record<string, never>; res: string[] };
  'store.checkpointWal': { req: Record<string, never>; res: null };
  /** Diagnostics: outbox backlog (sealed + uploaded) and the latest registry upload/acknowledgement times (ms). */
  'store.syncSummary': { req: Record<string, never>; res: { backlog: number; lastUploadedAt: number | null; lastAcknowledgedAt: number | null } };
  'outbox.list': { req: { statuses: EnrollmentStatus[]; limit: number }; res: OutboxRow[] };
  'outbox.get': { req: { id: string }; res: OutboxRow | null };
  /** Moves the enrollment (status + rev check) and records its registry progress in one transaction. */
  'outbox.advance': {
    req: { id: string; expectRev: number; status: EnrollmentStatus; at: number; registryState: 'uploaded' | 'acknowledged' | 'rejected'; receipt?: Uint8Array; statusDoc?: Uint8Array; audit: AuditInput };
    res: { rev: number };
  };
  /** Acknowledged (not rejected) entries acknowledged at or before `before`. */
  'outbox.purgeable': { req: { before: number }; res: { id: string; rev: number }[] };
  'meta.get': { req: { key: string }; res: string | null };
  'meta.set': { req: { key: string; value: string }; res: null };
}

export type StoreMethod = keyof StoreMethods;

export interface StoreWorkerOptions {
  file: string;
  /** Test hook: PRAGMA max_page_count, to simulate a full disk. */
  maxPageCount?: number;
  /** Calls slower than this are reported to the client's logger. */
  slowMs: number;
  /**
   * PRAGMA quick_check at open: 'auto' (default) runs it when the previous session did not close cleanly (crash,
   * power cut), 'always' on every open, 'never' for read-only tooling. Cost is linear in the database size.
   */
  quickCheckOnOpen: 'auto' | 'always' | 'never';
  /** Record open/clean-close in the meta table (false for short-lived tooling like `store status`). */
  trackSession?: boolean;
  readonly?: boolean;
}

export type WorkerToClient =
  | { type: 'ready'; userVersion: number; migrated: number[] }
  | { type: 'init-error'; error: KioskErrorShape }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: KioskErrorShape }
  | { type: 'slow'; method: string; ms: number }
  | { type: 'closed' };

export type ClientToWorker = { type: 'call'; id: number; method: StoreMethod; params: unknown } | { type: 'close' };
