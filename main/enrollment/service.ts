// The enrollment service: the one API the IPC handlers, the CLI and tests use. Encrypts every PII/biometric field
// before it reaches the store worker, enforces roles and the lifecycle, seals approved records into packets.
import { awaitingUploadCount } from './counts.js';
import { createHash, type KeyObject } from 'node:crypto';
import { KioskError } from '../contract/errors.js';
import type { AuthService } from '../auth/service.js';
import { publicKeyFingerprint, rawPublicKeyOf, sealPacket, type PacketPart } from '../../sync/packet/index.js';
import type { AuditService } from '../store/audit-service.js';
import type { FieldCipher } from '../store/crypto/aead.js';
import type { BlindIndexer } from '../store/crypto/blind-index.js';
import type { KioskIdentity } from '../store/crypto/identity.js';
import type { StoreClient } from '../store/client.js';
import { RegistryKeyMissingError, StoreNotFoundError } from '../store/errors.js';
import type { EnrollmentRow } from '../store/protocol.js';
import { decodeRecord, encodeDetails, encryptBlobs, encryptRowFields, recordBlobs } from './codec.js';
import { packetParts, type FingerEncoder } from './packet-parts.js';
import { DuplicateEnrollmentError, EnrollmentIncompleteError, EnrollmentValidationError, LifecycleReservedError, SelfApprovalError } from './errors.js';
import type { CompiledIdSchema, Demographics } from './id-schema.js';
import { ForbiddenRoleError, assertTransition, type Actor, type EnrollmentStatus } from './lifecycle.js';
import { ENROLLMENT_SCHEMA_VERSION, FINGER_POSITIONS, type DraftPatch, type EnrollmentRecord, type EnrollmentSummary, type Receipt, type WorkflowStateJson } from './model.js';
import { formatRid } from './rid.js';
import { assertApprovalEvidence, childExempt, evidenceFlags } from './evidence.js';
import { validatePatchBiometrics } from './validate.js';

export interface HomeCounts {
  today: number;
  pendingApproval: number;
  awaitingUpload: number;
  total: number;
}

export interface EnrollmentServiceDeps {
  store: StoreClient;
  cipher: FieldCipher;
  indexer: BlindIndexer;
  identity: KioskIdentity;
  idSchema: CompiledIdSchema;
  audit: AuditService;
  auth: AuthService;
  kioskId: string;
  centreId: string;
  registryPublicKey: KeyObject | null;
  /** config.registry.publicKeyFingerprint */
  expectedRegistryFingerprint?: string | null;
  clock: () => number;
  newId: () => string;
  softwareVersion: string;
  /** WSQ encoder for sealed finger images (default: inline models/formats encodeWsq at 0.75 bpp). */
  fingerEncoder?: FingerEncoder;
  /** Refuses new enrollments when the data disk is too full to save them (main/diagnostics/disk-space.ts). */
  storageGuard?: { assertCanSave(): void };
  /** Households (issue 19): the household part of a member's packet, and the check before a head is approved. */
  households?: {
    packetSection(recordId: string): Promise<{ record: Record<string, unknown>; parts: PacketPart[] } | null>;
    assertReadyForApproval(recordId: string): Promise<void>;
  };
}

const STAFF = ['clerk', 'supervisor'] as const;

/** Meta key holding the registry's X25519 public key set at run time (base64 raw). */
export const REGISTRY_KEY_META = 'registry.publicKey';

function requireRole(actor: Actor, roles: readonly string[], action: string): void {
  if (!roles.includes(actor.role)) throw new ForbiddenRoleError(actor.role, action);
}

/** The kiosk's local calendar day (RID date and the home screen's "today"). */
function dayOf(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** RID sequence numbers are reserved from the store in blocks; a crash skips the rest of a block (gaps are allowed). */
const RID_BLOCK = 16;

export class EnrollmentService {
  private ridBlock: { day: string; next: number; end: number } | null = null;

  constructor(private readonly d: EnrollmentServiceDeps) {}

  private async nextSequence(day: string): Promise<number> {
    const b = this.ridBlock;
    if (b && b.day === day && b.next <= b.end) return b.next++;
    const end = await this.d.store.call('rid.reserve', { day, count: RID_BLOCK });
    this.ridBlock = { day, next: end - RID_BLOCK + 2, end };
    return end - RID_BLOCK + 1;
  }

  /**
   * Sets (or replaces) the registry encryption key, e.g. from the registration response, persists it in the store's
   * meta table (it is public), and seals records waiting in `approved`.
   */
  async setRegistryPublicKey(key: KeyObject | null, sealPending = true): Promise<number> {
    if (key) {
      const fingerprint = publicKeyFingerprint(key);
      const expected = this.d.expectedRegistryFingerprint;
      if (expected && expected.toLowerCase() !== fingerprint) {
        throw new KioskError('REGISTRY_KEY_MISMATCH', 'The registry public key does not match config registry.publicKeyFingerprint', { details: { expected, fingerprint } });
      }
      await this.d.store.call('meta.set', { key: REGISTRY_KEY_META, value: rawPublicKeyOf(key).toString('base64') });
    }
    this.d.registryPublicKey = key;
    return sealPending ? this.sealPendingApproved() : 0;
  }

  private async load(id: string): Promise<{ row: EnrollmentRow; record: EnrollmentRecord }> {
    const got = await this.d.store.call('enrollment.get', { id, withBlobs: true });
    if (!got) throw new StoreNotFoundError(`Enrollment ${id} not found`, { details: { id } });
    return { row: got.row, record: decodeRecord(this.d.cipher, got.row, got.blobs) };
  }

  private validateDemographics(demographics: Partial<Demographics>): Partial<Demographics> {
    const parsed = this.d.idSchema.partial.safeParse(demographics);
    if (!parsed.success) {
      throw new EnrollmentValidationError(
        'Invalid demographics',
        parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(root)', message: i.message })),
      );
    }
    return parsed.data;
  }

  private nationalIndex(demographics: Partial<Demographics>): Buffer | null {
    const field = this.d.idSchema.nationalNumberField;
    const nn = field ? demographics[field] : undefined;
    return nn ? this.d.indexer.index('national-number', nn) : null;
  }

  private applyPatch(record: EnrollmentRecord, patch: DraftPatch): EnrollmentRecord {
    validatePatchBiometrics(patch);
    const next: EnrollmentRecord = { ...record };
    if (patch.demographics !== undefined) next.demographics = this.validateDemographics(patch.demographicsMode === 'replace' ? { ...patch.demographics } : { ...record.demographics, ...patch.demographics });
    if (patch.consent !== undefined) next.consent = patch.consent;
    if (patch.face !== undefined) next.face = patch.face;
    if (patch.fingers !== undefined || patch.removeFingers !== undefined) {
      const byPos = new Map(record.fingers.map((f) => [f.position, f]));
      for (const p of patch.removeFingers ?? []) byPos.delete(p);
      for (const f of patch.fingers ?? []) byPos.set(f.position, f);
      next.fingers = [...byPos.values()].sort((a, b) => a.position - b.position);
    }
    if (patch.exceptions !== undefined) next.exceptions = patch.exceptions;
    if (patch.geo !== undefined) next.geo = patch.geo;
    if (patch.versions !== undefined) next.versions = patch.versions;
    if (patch.workflow !== undefined) next.workflow = patch.workflow;
    return next;
  }

  async createDraft(actor: Actor, patch: DraftPatch = {}): Promise<EnrollmentRecord> {
    requireRole(actor, STAFF, 'create enrollments');
    this.d.storageGuard?.assertCanSave();
    const now = this.d.clock();
    const id = this.d.newId();
    const day = dayOf(now);
    const seq = await this.nextSequence(day);
    const rid = formatRid(this.d.centreId, this.d.kioskId, day, seq);
    const empty: EnrollmentRecord = {
      id,
      rid,
      status: 'draft',
      schemaVersion: ENROLLMENT_SCHEMA_VERSION,
      rev: 1,
      centreId: this.d.centreId,
      kioskId: this.d.kioskId,
      operatorId: actor.operatorId,
      supervisorId: null,
      createdAt: new Date(now).toISOString(),
      updatedAt: new Date(now).toISOString(),
      sealedAt: null,
      idSchema: { id: this.d.idSchema.id, version: this.d.idSchema.version },
      demographics: {},
      consent: null,
      face: null,
      fingers: [],
      exceptions: [],
      geo: null,
      versions: { software: this.d.softwareVersion, models: {} },
      workflow: null,
    };
    const record = this.applyPatch(empty, patch);
    const c = this.d.cipher;
    await this.d.store.call('enrollment.insert', {
      row: {
        id,
        status: 'draft',
        schemaVersion: record.schemaVersion,
        rev: 1,
        centreId: record.centreId,
        kioskId: record.kioskId,
        operatorId: actor.operatorId,
        supervisorId: null,
        createdAt: now,
        createdDay: day,
        updatedAt: now,
        sealedAt: null,
        rid: c.encrypt(id, 'rid', Buffer.from(rid, 'utf8'), record.schemaVersion),
        ridIndex: this.d.indexer.index('rid', rid),
        nationalIndex: this.nationalIndex(record.demographics),
        ...encryptRowFields(c, record),
        receipt: null,
      },
      blobs: encryptBlobs(c, record),
      audit: this.d.audit.entry(actor.operatorId, 'enrollment.create', id),
    });
    await this.d.audit.maybeCheckpoint();
    return record;
  }

  async updateDraft(actor: Actor, id: string, patch: DraftPatch, expectRev?: number): Promise<EnrollmentRecord> {
    requireRole(actor, STAFF, 'edit enrollments');
    const { row, record } = await this.load(id);
    if (record.status !== 'draft') throw new KioskError('NOT_EDITABLE', `Enrollment ${id} is ${record.status}; only drafts can be edited`, { details: { id, status: record.status } });
    if (expectRev !== undefined && expectRev !== row.rev) throw new KioskError('CONFLICT', `Enrollment ${id} changed since it was read`, { details: { id } });
    const next = this.applyPatch(record, patch);
    const now = this.d.clock();
    next.updatedAt = new Date(now).toISOString();
    const before = new Set(recordBlobs(record).map((b) => b.field));
    const after = new Set(recordBlobs(next).map((b) => b.field));
    const changed = new Set<string>();
    if (patch.face !== undefined) ['face.image', 'face.embedding'].forEach((f) => changed.add(f));
    for (const f of patch.fingers ?? []) [`finger.${f.position}.image`, `finger.${f.position}.template`].forEach((x) => changed.add(x));
    if (patch.exceptions !== undefined) for (const f of after) if (f.startsWith('exception.')) changed.add(f);
    const { rev } = await this.d.store.call('enrollment.update', {
      id,
      expectRev: row.rev,
      set: { updatedAt: now, nationalIndex: this.nationalIndex(next.demographics), ...encryptRowFields(this.d.cipher, next) },
      putBlobs: encryptBlobs(this.d.cipher, next, new Set([...changed].filter((f) => after.has(f)))),
      deleteBlobs: [...before].filter((f) => !after.has(f)),
      audit: this.d.audit.entry(actor.operatorId, 'enrollment.update', id),
    });
    await this.d.audit.maybeCheckpoint();
    return { ...next, rev };
  }

  /**
   * Replaces the workflow state of a record that still holds its details (draft, captured, pending_approval,
   * rejected, approved): the wizard records approval decisions and reasons after the record left the draft state.
   */
  async updateWorkflow(actor: Actor, id: string, workflow: WorkflowStateJson, expectRev?: number): Promise<EnrollmentRecord> {
    requireRole(actor, [...STAFF, 'system'], 'edit enrollments');
    const { row, record } = await this.load(id);
    if (!row.details) throw new KioskError('NOT_EDITABLE', `Enrollment ${id} is ${record.status}; its details are no longer held`, { details: { id, status: record.status } });
    if (expectRev !== undefined && expectRev !== row.rev) throw new KioskError('CONFLICT', `Enrollment ${id} changed since it was read`, { details: { id } });
    const next: EnrollmentRecord = { ...record, workflow };
    const { rev } = await this.d.store.call('enrollment.update', {
      id,
      expectRev: row.rev,
      set: { details: encryptRowFields(this.d.cipher, next).details },
      audit: this.d.audit.entry(actor.operatorId, 'enrollment.workflow', id),
    });
    await this.d.audit.maybeCheckpoint();
    return { ...next, rev };
  }

  /**
   * Decrypted record without an audit entry: for services (the workflow) that audit the action they take on it.
   * Callers that show the record to a person use get().
   */
  async read(actor: Actor, id: string): Promise<EnrollmentRecord> {
    requireRole(actor, [...STAFF, 'system'], 'read enrollment data');
    return (await this.load(id)).record;
  }

  /** Summaries with the decrypted workflow state (null once sealed), for queues and history. */
  async listWithWorkflow(
    actor: Actor,
    query: { statuses?: EnrollmentStatus[]; limit?: number; offset?: number; ids?: string[] } = {},
  ): Promise<(EnrollmentSummary & { workflow: WorkflowStateJson | null; exceptions: number })[]> {
    requireRole(actor, STAFF, 'list enrollments');
    let rows: EnrollmentRow[];
    if (query.ids) {
      rows = [];
      for (const id of query.ids) {
        const got = await this.d.store.call('enrollment.get', { id, withBlobs: false });
        if (got) rows.push(got.row);
      }
    } else {
      rows = await this.d.store.call('enrollment.list', { ...(query.statuses ? { statuses: query.statuses } : {}), limit: Math.min(query.limit ?? 50, 500), offset: query.offset ?? 0 });
    }
    return rows.map((r) => {
      const details = r.details ? this.d.cipher.decryptJson<{ workflow?: WorkflowStateJson | null; exceptions?: unknown[] }>(r.id, 'details', r.details, r.schemaVersion) : null;
      // Queue flags come from the record itself: the receipt is written only at sealing, after approval.
      return { ...this.summary(r, true), workflow: details?.workflow ?? null, exceptions: evidenceFlags(details).exceptions };
    });
  }

  /** Decrypted record. Viewing PII is itself an audited action; technicians never see PII. */
  async get(actor: Actor, id: string): Promise<EnrollmentRecord> {
    requireRole(actor, STAFF, 'view enrollment data');
    const { record } = await this.load(id);
    await this.d.audit.append(actor.operatorId, 'enrollment.view', id);
    return record;
  }

  async list(actor: Actor, query: { statuses?: EnrollmentStatus[]; limit?: number; offset?: number } = {}): Promise<EnrollmentSummary[]> {
    requireRole(actor, ['clerk', 'supervisor', 'technician', 'system'], 'list enrollments');
    const rows = await this.d.store.call('enrollment.list', { ...(query.statuses ? { statuses: query.statuses } : {}), limit: Math.min(query.limit ?? 50, 500), offset: query.offset ?? 0 });
    const showNames = actor.role === 'clerk' || actor.role === 'supervisor';
    return rows.map((r) => this.summary(r, showNames));
  }

  private summary(r: EnrollmentRow, showNames: boolean): EnrollmentSummary {
    let displayName: EnrollmentSummary['displayName'] = null;
    if (showNames && r.demographics) {
      const d = this.d.cipher.decryptJson<Record<string, string>>(r.id, 'demographics', r.demographics, r.schemaVersion);
      const join = (a?: string, b?: string) => [a, b].filter(Boolean).join(' ') || null;
      displayName = { ar: join(d.givenNameAr, d.familyNameAr), latin: join(d.givenNameLatin, d.familyNameLatin) };
    }
    return {
      id: r.id,
      rid: this.d.cipher.decrypt(r.id, 'rid', r.rid, r.schemaVersion).toString('utf8'),
      status: r.status,
      createdAt: new Date(r.createdAt).toISOString(),
      updatedAt: new Date(r.updatedAt).toISOString(),
      operatorId: r.operatorId,
      supervisorId: r.supervisorId,
      displayName,
      receipt: r.receipt ? (JSON.parse(r.receipt) as Receipt) : null,
    };
  }

  async findByNationalNumber(actor: Actor, nationalNumber: string): Promise<string[]> {
    requireRole(actor, STAFF, 'search enrollments');
    return this.d.store.call('enrollment.findByIndex', { kind: 'national', mac: this.d.indexer.index('national-number', nationalNumber) });
  }

  async findByRid(actor: Actor, rid: string): Promise<string | null> {
    requireRole(actor, ['clerk', 'supervisor', 'technician', 'system'], 'search enrollments');
    const ids = await this.d.store.call('enrollment.findByIndex', { kind: 'rid', mac: this.d.indexer.index('rid', rid) });
    return ids[0] ?? null;
  }

  /** What still blocks draft → captured (field names only, never values). */
  missing(r: EnrollmentRecord): string[] {
    const missing: string[] = [];
    const full = this.d.idSchema.full.safeParse(r.demographics);
    if (!full.success) for (const i of full.error.issues) missing.push(`demographics.${i.path.join('.') || '(root)'}`);
    if (!r.consent) missing.push('consent');
    const child = childExempt(r);
    if (!r.face && !r.exceptions.some((e) => e.modality === 'face') && !child) missing.push('face');
    for (const p of child ? [] : FINGER_POSITIONS) {
      if (!r.fingers.some((f) => f.position === p) && !r.exceptions.some((e) => e.modality === 'finger' && e.position === p)) missing.push(`finger.${p}`);
    }
    return missing;
  }

  /**
   * Moves a record along the lifecycle. Approval and rejection need the supervisor's own credentials (re-entered,
   * counted toward lockout) even when a supervisor is signed in; approval then seals the record.
   */
  async transition(
    actor: Actor,
    id: string,
    to: EnrollmentStatus,
    opts: {
      supervisor?: { operatorId: string; pin: string };
      /** Runs once the approver's credentials and the edge are checked, before the record is approved (and sealed). */
      beforeApprove?: (approver: Actor) => Promise<void>;
    } = {},
  ): Promise<EnrollmentSummary> {
    const got = await this.d.store.call('enrollment.get', { id, withBlobs: false });
    if (!got) throw new StoreNotFoundError(`Enrollment ${id} not found`, { details: { id } });
    const row = got.row;
    let effective: Actor = actor;
    if (to === 'approved' || to === 'rejected') {
      if (!opts.supervisor) throw new KioskError('SUPERVISOR_CREDENTIALS_REQUIRED', 'Approval needs the supervisor to enter their id and PIN', { details: { id } });
      const sup = await this.d.auth.verifyCredentials(opts.supervisor.operatorId, opts.supervisor.pin);
      effective = { operatorId: sup.operatorId, role: sup.role };
      if (to === 'approved' && sup.operatorId === row.operatorId) throw new SelfApprovalError(id);
    }
    assertTransition(row.status, to, effective, id);
    // After sealing only the sync outbox moves a record (main/enrollment/outbox.ts), on verified registry documents.
    if (to === 'uploaded' || to === 'acknowledged' || (to === 'purged' && row.status !== 'draft' && row.status !== 'rejected')) throw new LifecycleReservedError(id, row.status, to);
    if (to === 'approved') {
      await this.d.households?.assertReadyForApproval(id);
      try {
        assertApprovalEvidence((await this.load(id)).record);
      } catch (error) {
        await this.d.audit.append(effective.operatorId, 'enrollment.approve.refused', id);
        throw error;
      }
    }
    if (to === 'approved' && opts.beforeApprove) await opts.beforeApprove(effective);
    if (to === 'sealed') return this.seal(effective, id);
    if (to === 'purged') {
      await this.d.store.call('enrollment.purge', { id, expectRev: row.rev, at: this.d.clock(), audit: this.d.audit.entry(effective.operatorId, 'enrollment.purge', id) });
    } else {
      if (to === 'captured') {
        const { record } = await this.load(id);
        const missing = this.missing(record);
        if (missing.length) throw new EnrollmentIncompleteError(id, missing);
        if (row.nationalIndex) {
          const same = await this.d.store.call('enrollment.findByIndex', { kind: 'national', mac: row.nationalIndex });
          for (const otherId of same) {
            if (otherId === id) continue;
            const other = await this.d.store.call('enrollment.get', { id: otherId, withBlobs: false });
            if (other && other.row.status !== 'purged' && other.row.status !== 'rejected') throw new DuplicateEnrollmentError(id, otherId);
          }
        }
      }
      const now = this.d.clock();
      await this.d.store.call('enrollment.update', {
        id,
        expectRev: row.rev,
        set: { status: to, updatedAt: now, ...(to === 'approved' || to === 'rejected' ? { supervisorId: effective.operatorId } : {}) },
        audit: this.d.audit.entry(effective.operatorId, `enrollment.${to}`, id),
      });
    }
    await this.d.audit.maybeCheckpoint();
    if (to === 'approved' && this.d.registryPublicKey) return this.seal({ operatorId: 'system', role: 'system' }, id);
    return this.summaryOf(id);
  }

  private async summaryOf(id: string): Promise<EnrollmentSummary> {
    const got = await this.d.store.call('enrollment.get', { id, withBlobs: false });
    if (!got) throw new StoreNotFoundError(`Enrollment ${id} not found`, { details: { id } });
    return this.summary(got.row, false);
  }

  /**
   * Seals an approved record: builds the signed packet encrypted to the registry, stores it with the encrypted
   * dedup gallery entry, and deletes the record's demographic and biometric ciphertext in the same transaction.
   */
  async seal(actor: Actor, id: string): Promise<EnrollmentSummary> {
    if (!this.d.registryPublicKey) throw new RegistryKeyMissingError();
    const { row, record } = await this.load(id);
    assertTransition(record.status, 'sealed', actor, id);
    const now = this.d.clock();
    const parts = await packetParts(record, this.d.fingerEncoder ? { finger: this.d.fingerEncoder } : {});
    const household = (await this.d.households?.packetSection(id)) ?? null;
    if (household) parts.push(...household.parts);
    const sealed = sealPacket({
      manifest: {
        recordId: record.id,
        rid: record.rid,
        kioskId: record.kioskId,
        centreId: record.centreId,
        sealedAt: new Date(now).toISOString(),
        record: {
          schemaVersion: record.schemaVersion,
          demographics: record.demographics,
          operatorId: record.operatorId,
          supervisorId: record.supervisorId,
          createdAt: record.createdAt,
          ...encodeDetails(record),
          ...(household ? { household: household.record } : {}),
        },
      },
      parts,
      kioskPrivateKey: this.d.identity.privateKey,
      registryPublicKey: this.d.registryPublicKey,
    });
    const gallery = this.d.cipher.encryptJson(
      id,
      'gallery',
      {
        embedding: record.face ? Buffer.from(record.face.embedding.buffer, record.face.embedding.byteOffset, record.face.embedding.byteLength).toString('base64') : null,
        templates: record.fingers.map((f) => ({ position: f.position, format: f.templateFormat, data: Buffer.from(f.template).toString('base64') })),
      },
      record.schemaVersion,
    );
    const receipt: Receipt = {
      fingersCaptured: record.fingers.length,
      faceCaptured: record.face !== null,
      exceptions: record.exceptions.length,
      packetSha256: sealed.sha256,
      packetBytes: sealed.bytes.length,
    };
    await this.d.store.call('enrollment.seal', {
      id,
      expectRev: row.rev,
      packet: sealed.bytes,
      packetSha256: sealed.sha256,
      gallery,
      receipt: JSON.stringify(receipt),
      sealedAt: now,
      audit: this.d.audit.entry(actor.operatorId, 'enrollment.sealed', id),
    });
    await this.d.audit.maybeCheckpoint();
    return this.summaryOf(id);
  }

  /** Recovery after a crash between approval and sealing. */
  async sealPendingApproved(): Promise<number> {
    if (!this.d.registryPublicKey) return 0;
    const approved = await this.d.store.call('enrollment.list', { statuses: ['approved'], limit: 1000, offset: 0 });
    for (const r of approved) await this.seal({ operatorId: 'system', role: 'system' }, r.id);
    return approved.length;
  }

  /** The sealed packet for upload (sync engine). */
  async packet(id: string): Promise<{ packet: Uint8Array; sha256: string }> {
    const p = await this.d.store.call('packet.get', { id });
    if (!p) throw new StoreNotFoundError(`No sealed packet for ${id}`, { details: { id } });
    if (createHash('sha256').update(p.packet).digest('hex') !== p.sha256) throw new KioskError('TAMPER_DETECTED', `Sealed packet of ${id} does not match its hash`, { details: { recordId: id, field: 'packet' } });
    return p;
  }

  /** The dedup gallery entry (face embedding + finger templates) of a sealed record. */
  async galleryEntry(id: string): Promise<{ embedding: Float32Array | null; templates: { position: number; format: string; data: Uint8Array }[] }> {
    const data = await this.d.store.call('gallery.get', { id });
    if (!data) throw new StoreNotFoundError(`No gallery entry for ${id}`, { details: { id } });
    const g = this.d.cipher.decryptJson<{ embedding: string | null; templates: { position: number; format: string; data: string }[] }>(id, 'gallery', data);
    const emb = g.embedding ? new Uint8Array(Buffer.from(g.embedding, 'base64')) : null;
    return {
      embedding: emb ? new Float32Array(emb.buffer, emb.byteOffset, emb.byteLength / 4) : null,
      templates: g.templates.map((t) => ({ position: t.position, format: t.format, data: new Uint8Array(Buffer.from(t.data, 'base64')) })),
    };
  }

  async counts(): Promise<HomeCounts> {
    const c = await this.d.store.call('enrollment.counts', { day: dayOf(this.d.clock()) });
    return { today: c.today, pendingApproval: c.byStatus.pending_approval, awaitingUpload: awaitingUploadCount(c.byStatus), total: c.total };
  }
}
