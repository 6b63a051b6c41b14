// The store's SQLite side: opened and used only inside the store worker (and directly by migration tests and
// benchmark setup). One connection, one writer. WAL + synchronous=FULL: a transaction that returned survives a crash.
import { preparePrivateDatabase } from '../platform/private-files.js';
import Database from 'better-sqlite3';
import { StoreConflictError, StoreNotFoundError, mapSqliteError, StoreCorruptError } from './errors.js';
import { GENESIS_HASH, auditEntryHash } from './audit-hash.js';
import { migrate, userVersion } from './migrations/index.js';
import { householdHandlers } from './household-db.js';
import type {
  AuditEntry,
  AuditInput,
  BlobRow,
  ChainReport,
  CheckpointRow,
  EnrollmentPatch,
  EnrollmentRow,
  EnrollmentStatus,
  OperatorRow,
  OutboxRow,
  StatusCounts,
  StoreMethod,
  StoreMethods,
  StoreWorkerOptions,
} from './protocol.js';

export const STATUSES: readonly EnrollmentStatus[] = ['draft', 'captured', 'pending_approval', 'approved', 'rejected', 'sealed', 'uploaded', 'acknowledged', 'purged'];

const PATCH_COLUMNS: Record<keyof EnrollmentPatch, string> = {
  status: 'status',
  supervisorId: 'supervisor_id',
  updatedAt: 'updated_at',
  sealedAt: 'sealed_at',
  nationalIndex: 'national_index',
  demographics: 'demographics',
  details: 'details',
  receipt: 'receipt',
};

type Raw = Record<string, unknown>;

function localDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function rowOf(r: Raw): EnrollmentRow {
  return {
    id: r.id as string,
    status: r.status as EnrollmentStatus,
    schemaVersion: r.schema_version as number,
    rev: r.rev as number,
    centreId: r.centre_id as string,
    kioskId: r.kiosk_id as string,
    operatorId: r.operator_id as string,
    supervisorId: (r.supervisor_id as string | null) ?? null,
    createdAt: r.created_at as number,
    createdDay: r.created_day as string,
    updatedAt: r.updated_at as number,
    sealedAt: (r.sealed_at as number | null) ?? null,
    rid: r.rid as Uint8Array,
    ridIndex: r.rid_index as Uint8Array,
    nationalIndex: (r.national_index as Uint8Array | null) ?? null,
    demographics: (r.demographics as Uint8Array | null) ?? null,
    details: (r.details as Uint8Array | null) ?? null,
    receipt: (r.receipt as string | null) ?? null,
  };
}

function outboxOf(r: Raw): OutboxRow {
  return {
    id: r.id as string,
    status: r.status as EnrollmentStatus,
    rev: r.rev as number,
    sha256: (r.sha256 as string | null) ?? null,
    size: (r.size as number | null) ?? null,
    sealedAt: (r.sealed_at as number | null) ?? null,
    registryState: (r.registry_state as OutboxRow['registryState']) ?? null,
    receipt: (r.receipt as Uint8Array | null) ?? null,
    statusDoc: (r.status_doc as Uint8Array | null) ?? null,
    uploadedAt: (r.uploaded_at as number | null) ?? null,
    acknowledgedAt: (r.acknowledged_at as number | null) ?? null,
  };
}

const OUTBOX_SELECT = `SELECT e.id, e.status, e.rev, e.sealed_at, p.sha256, length(p.packet) AS size, o.registry_state, o.receipt, o.status_doc, o.uploaded_at, o.acknowledged_at
  FROM enrollment e LEFT JOIN sealed_packet p ON p.enrollment_id = e.id LEFT JOIN outbox_state o ON o.enrollment_id = e.id`;

function operatorOf(r: Raw): OperatorRow {
  return {
    id: r.id as string,
    role: r.role as OperatorRow['role'],
    displayName: r.display_name as Uint8Array,
    pinHash: r.pin_hash as Uint8Array,
    pinParams: r.pin_params as string,
    failedAttempts: r.failed_attempts as number,
    lockedUntil: (r.locked_until as number | null) ?? null,
    active: r.active === 1,
    createdAt: r.created_at as number,
  };
}

export function quickCheck(db: Database.Database): void {
  const result = db.pragma('quick_check', { simple: true });
  if (result !== 'ok') throw new StoreCorruptError(undefined, { details: { check: String(result).slice(0, 200) } });
}

export function openDatabase(options: Pick<StoreWorkerOptions, 'file' | 'maxPageCount' | 'readonly'> & { quickCheckOnOpen?: StoreWorkerOptions['quickCheckOnOpen'] }): Database.Database {
  let db: Database.Database | undefined;
  try {
    if (!options.readonly) preparePrivateDatabase(options.file);
    db = new Database(options.file, { readonly: options.readonly ?? false });
    db.pragma('busy_timeout = 5000');
    if (!options.readonly) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // Deleted content (e.g. ciphertext removed after sealing) is zeroed rather than left in free pages.
    db.pragma('secure_delete = ON');
    if (options.maxPageCount !== undefined) db.pragma(`max_page_count = ${Math.floor(options.maxPageCount)}`);
    // A cheap structural probe on every open (header, schema); the full check is below / in StoreDb.open.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    if (options.quickCheckOnOpen === 'always') quickCheck(db);
    return db;
  } catch (error) {
    db?.close();
    throw mapSqliteError(error);
  }
}

export class StoreDb {
  readonly migrated: number[];

  constructor(
    readonly db: Database.Database,
    options: { migrate: boolean } = { migrate: true },
  ) {
    this.migrated = options.migrate ? migrate(db) : [];
  }

  private trackSession = false;

  static open(options: StoreWorkerOptions): StoreDb {
    const db = openDatabase(options);
    try {
      const store = new StoreDb(db, { migrate: !options.readonly });
      if (options.trackSession !== false && !options.readonly) {
        const unclean = store.call('meta.get', { key: 'session.open' }) === '1';
        if (unclean && options.quickCheckOnOpen === 'auto') quickCheck(db);
        store.call('meta.set', { key: 'session.open', value: '1' });
        store.trackSession = true;
      }
      return store;
    } catch (error) {
      db.close();
      throw mapSqliteError(error);
    }
  }

  get userVersion(): number {
    return userVersion(this.db);
  }

  /** Marks a clean shutdown, then closes. */
  close(): void {
    if (!this.db.open) return;
    if (this.trackSession) {
      try {
        this.call('meta.set', { key: 'session.open', value: '0' });
      } catch {
        // A store that cannot write (full disk) is checked again at the next open.
      }
    }
    this.db.close();
  }

  call<M extends StoreMethod>(method: M, params: StoreMethods[M]['req']): StoreMethods[M]['res'] {
    const fn = (this.handlers as Record<string, (p: unknown) => unknown>)[method];
    if (!fn) throw new StoreNotFoundError(`Unknown store method ${method}`);
    try {
      return fn.call(this, params) as StoreMethods[M]['res'];
    } catch (error) {
      throw mapSqliteError(error);
    }
  }

  private appendAudit(entry: AuditInput): number {
    const head = this.db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: Uint8Array } | undefined;
    const seq = (head?.seq ?? 0) + 1;
    const prev = head?.hash ?? GENESIS_HASH;
    this.db
      .prepare('INSERT INTO audit_log (seq, at, actor, action, object_id, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(seq, entry.at, entry.actor, entry.action, entry.objectId, prev, auditEntryHash(prev, seq, entry));
    return seq;
  }

  private bumpRev(id: string, expectRev: number, set: EnrollmentPatch): number {
    const cols = Object.keys(set) as (keyof EnrollmentPatch)[];
    const assigns = ['rev = rev + 1', ...cols.map((c) => `${PATCH_COLUMNS[c]} = @${c}`)];
    const info = this.db.prepare(`UPDATE enrollment SET ${assigns.join(', ')} WHERE id = @id AND rev = @expectRev`).run({ ...set, id, expectRev });
    if (info.changes === 0) {
      const exists = this.db.prepare('SELECT rev FROM enrollment WHERE id = ?').get(id) as { rev: number } | undefined;
      if (!exists) throw new StoreNotFoundError(`Enrollment ${id} not found`, { details: { id } });
      throw new StoreConflictError(`Enrollment ${id} was changed concurrently (rev ${exists.rev}, expected ${expectRev})`, { details: { id } });
    }
    return expectRev + 1;
  }

  private countsFor(day: string): StatusCounts {
    const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<EnrollmentStatus, number>;
    let total = 0;
    for (const r of this.db.prepare('SELECT status, count(*) AS n FROM enrollment GROUP BY status').all() as { status: EnrollmentStatus; n: number }[]) {
      byStatus[r.status] = r.n;
      if (r.status !== 'purged') total += r.n;
    }
    const today = (this.db.prepare("SELECT count(*) AS n FROM enrollment WHERE created_day = ? AND status != 'purged'").get(day) as { n: number }).n;
    return { byStatus, today, total };
  }

  private readonly handlers: { [M in StoreMethod]: (params: StoreMethods[M]['req']) => StoreMethods[M]['res'] } = {
    ...householdHandlers(() => this.db, (a) => this.appendAudit(a)),
    'enrollment.insert': ({ row, blobs, audit }) => {
      this.db.transaction(() => {
        this.db
          .prepare(
            `INSERT INTO enrollment (id, status, schema_version, rev, centre_id, kiosk_id, operator_id, supervisor_id, created_at, created_day,
               updated_at, sealed_at, rid, rid_index, national_index, demographics, details, receipt)
             VALUES (@id, @status, @schemaVersion, @rev, @centreId, @kioskId, @operatorId, @supervisorId, @createdAt, @createdDay,
               @updatedAt, @sealedAt, @rid, @ridIndex, @nationalIndex, @demographics, @details, @receipt)`,
          )
          .run(row);
        const put = this.db.prepare('INSERT INTO enrollment_blob (enrollment_id, field, data) VALUES (?, ?, ?)');
        for (const b of blobs) put.run(row.id, b.field, b.data);
        this.appendAudit(audit);
      }).immediate();
      return null;
    },
    'enrollment.update': ({ id, expectRev, set, putBlobs, deleteBlobs, audit }) => {
      return this.db.transaction(() => {
        const rev = this.bumpRev(id, expectRev, set);
        if (deleteBlobs === 'all') this.db.prepare('DELETE FROM enrollment_blob WHERE enrollment_id = ?').run(id);
        else if (deleteBlobs) for (const f of deleteBlobs) this.db.prepare('DELETE FROM enrollment_blob WHERE enrollment_id = ? AND field = ?').run(id, f);
        const put = this.db.prepare('INSERT OR REPLACE INTO enrollment_blob (enrollment_id, field, data) VALUES (?, ?, ?)');
        for (const b of putBlobs ?? []) put.run(id, b.field, b.data);
        if (audit) this.appendAudit(audit);
        return { rev };
      }).immediate();
    },
    'enrollment.seal': ({ id, expectRev, packet, packetSha256, gallery, receipt, sealedAt, audit }) => {
      return this.db.transaction(() => {
        const rev = this.bumpRev(id, expectRev, { status: 'sealed', sealedAt, updatedAt: sealedAt, demographics: null, details: null, receipt });
        this.db.prepare('DELETE FROM enrollment_blob WHERE enrollment_id = ?').run(id);
        this.db.prepare('INSERT INTO sealed_packet (enrollment_id, packet, sha256, created_at) VALUES (?, ?, ?, ?)').run(id, packet, packetSha256, sealedAt);
        this.db.prepare('INSERT INTO dedup_gallery (enrollment_id, data) VALUES (?, ?)').run(id, gallery);
        this.appendAudit(audit);
        return { rev };
      }).immediate();
    },
    'enrollment.purge': ({ id, expectRev, at, audit }) => {
      return this.db.transaction(() => {
        const rev = this.bumpRev(id, expectRev, { status: 'purged', updatedAt: at, demographics: null, details: null, nationalIndex: null });
        this.db.prepare('DELETE FROM enrollment_blob WHERE enrollment_id = ?').run(id);
        this.db.prepare('DELETE FROM sealed_packet WHERE enrollment_id = ?').run(id);
        this.db.prepare('DELETE FROM dedup_gallery WHERE enrollment_id = ?').run(id);
        this.appendAudit(audit);
        return { rev };
      }).immediate();
    },
    'enrollment.get': ({ id, withBlobs }) => {
      const r = this.db.prepare('SELECT * FROM enrollment WHERE id = ?').get(id) as Raw | undefined;
      if (!r) return null;
      const blobs = withBlobs ? (this.db.prepare('SELECT field, data FROM enrollment_blob WHERE enrollment_id = ? ORDER BY field').all(id) as BlobRow[]) : [];
      return { row: rowOf(r), blobs };
    },
    'enrollment.list': ({ statuses, limit, offset }) => {
      const where = statuses?.length ? `WHERE status IN (${statuses.map(() => '?').join(',')})` : '';
      const rows = this.db.prepare(`SELECT * FROM enrollment ${where} ORDER BY id DESC LIMIT ? OFFSET ?`).all(...(statuses ?? []), limit, offset) as Raw[];
      return rows.map(rowOf);
    },
    'enrollment.findByIndex': ({ kind, mac }) => {
      const col = kind === 'rid' ? 'rid_index' : 'national_index';
      return (this.db.prepare(`SELECT id FROM enrollment WHERE ${col} = ? ORDER BY id`).all(mac) as { id: string }[]).map((r) => r.id);
    },
    'enrollment.counts': ({ day }) => this.countsFor(day),
    'packet.get': ({ id }) => {
      const r = this.db.prepare('SELECT packet, sha256 FROM sealed_packet WHERE enrollment_id = ?').get(id) as { packet: Uint8Array; sha256: string } | undefined;
      return r ?? null;
    },
    'gallery.get': ({ id }) => {
      const r = this.db.prepare('SELECT data FROM dedup_gallery WHERE enrollment_id = ?').get(id) as { data: Uint8Array } | undefined;
      return r?.data ?? null;
    },
    'gallery.ids': () => (this.db.prepare('SELECT enrollment_id FROM dedup_gallery ORDER BY enrollment_id').all() as { enrollment_id: string }[]).map((r) => r.enrollment_id),
    'rid.reserve': ({ day, count }) => {
      return this.db.transaction(() => {
        const r = this.db.prepare('INSERT INTO rid_sequence (day, last) VALUES (?, ?) ON CONFLICT(day) DO UPDATE SET last = last + excluded.last RETURNING last').get(day, count) as {
          last: number;
        };
        return r.last;
      }).immediate();
    },
    'operator.insert': ({ row, audit }) => {
      this.db.transaction(() => {
        this.db
          .prepare(
            `INSERT INTO operator (id, role, display_name, pin_hash, pin_params, failed_attempts, locked_until, active, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(row.id, row.role, row.displayName, row.pinHash, row.pinParams, row.failedAttempts, row.lockedUntil, row.active ? 1 : 0, row.createdAt);
        this.appendAudit(audit);
      }).immediate();
      return null;
    },
    'operator.get': ({ id }) => {
      const r = this.db.prepare('SELECT * FROM operator WHERE id = ?').get(id) as Raw | undefined;
      return r ? operatorOf(r) : null;
    },
    'operator.list': () => (this.db.prepare('SELECT * FROM operator ORDER BY id').all() as Raw[]).map(operatorOf),
    'operator.recordAttempt': ({ id, success, at, maxAttempts, lockoutMs, audit }) => {
      return this.db.transaction(() => {
        const cur = this.db.prepare('SELECT * FROM operator WHERE id = ?').get(id) as Raw | undefined;
        if (!cur) throw new StoreNotFoundError(`Operator ${id} not found`, { details: { id } });
        if (success) {
          this.db.prepare('UPDATE operator SET failed_attempts = 0, locked_until = NULL WHERE id = ?').run(id);
        } else {
          const failed = (cur.failed_attempts as number) + 1;
          const lock = failed >= maxAttempts ? at + lockoutMs : (cur.locked_until as number | null);
          this.db.prepare('UPDATE operator SET failed_attempts = ?, locked_until = ? WHERE id = ?').run(failed >= maxAttempts ? 0 : failed, lock, id);
        }
        this.appendAudit(audit);
        return operatorOf(this.db.prepare('SELECT * FROM operator WHERE id = ?').get(id) as Raw);
      }).immediate();
    },
    'operator.setPin': ({ id, pinHash, pinParams, audit }) => {
      return this.db.transaction(() => {
        const r = this.db.prepare('UPDATE operator SET pin_hash = ?, pin_params = ?, failed_attempts = 0, locked_until = NULL WHERE id = ?').run(pinHash, pinParams, id);
        if (r.changes !== 1) throw new StoreNotFoundError(`Operator ${id} not found`, { details: { id } });
        this.appendAudit(audit);
        return operatorOf(this.db.prepare('SELECT * FROM operator WHERE id = ?').get(id) as Raw);
      }).immediate();
    },
    'operator.setActive': ({ id, active, audit }) => {
      return this.db.transaction(() => {
        const r = this.db.prepare('UPDATE operator SET active = ? WHERE id = ?').run(active ? 1 : 0, id);
        if (r.changes !== 1) throw new StoreNotFoundError(`Operator ${id} not found`, { details: { id } });
        this.appendAudit(audit);
        return operatorOf(this.db.prepare('SELECT * FROM operator WHERE id = ?').get(id) as Raw);
      }).immediate();
    },
    'operator.fingerprint.put': ({ row, audit }) => {
      this.db.transaction(() => {
        this.db
          .prepare(
            `INSERT INTO operator_fingerprint (operator_id, position, template, format, quality, created_at) VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (operator_id, position) DO UPDATE SET template = excluded.template, format = excluded.format, quality = excluded.quality, created_at = excluded.created_at`,
          )
          .run(row.operatorId, row.position, row.template, row.format, row.quality, row.createdAt);
        this.appendAudit(audit);
      }).immediate();
      return null;
    },
    'operator.fingerprint.list': ({ operatorId }) =>
      (
        (operatorId === null
          ? this.db.prepare('SELECT * FROM operator_fingerprint ORDER BY operator_id, position').all()
          : this.db.prepare('SELECT * FROM operator_fingerprint WHERE operator_id = ? ORDER BY position').all(operatorId)) as Raw[]
      ).map((r) => ({ operatorId: r.operator_id as string, position: r.position as number, template: r.template as Uint8Array, format: r.format as string, quality: r.quality as number, createdAt: r.created_at as number })),
    'audit.append': (entry) => ({ seq: this.db.transaction(() => this.appendAudit(entry)).immediate() }),
    'audit.head': () => {
      const r = this.db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: Uint8Array } | undefined;
      return r ?? null;
    },
    'audit.checkpoint': (cp) => {
      this.db.prepare('INSERT INTO audit_checkpoint (head_seq, head_hash, at, signature) VALUES (?, ?, ?, ?)').run(cp.headSeq, cp.headHash, cp.at, cp.signature);
      return null;
    },
    'audit.verify': () => this.verifyChain(),
    'audit.list': ({ afterSeq, limit }) =>
      (this.db.prepare('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?').all(afterSeq, limit) as Raw[]).map((r) => ({
        seq: r.seq as number,
        at: r.at as number,
        actor: r.actor as string,
        action: r.action as string,
        objectId: (r.object_id as string | null) ?? null,
        prevHash: r.prev_hash as Uint8Array,
        hash: r.hash as Uint8Array,
      })),
    'store.status': () => ({
      counts: this.countsFor(localDay(Date.now())),
      userVersion: this.userVersion,
      pageSize: this.db.pragma('page_size', { simple: true }) as number,
      pageCount: this.db.pragma('page_count', { simple: true }) as number,
      freelistCount: this.db.pragma('freelist_count', { simple: true }) as number,
    }),
    'store.integrityCheck': () => {
      const rows = (this.db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
      if (rows.length !== 1 || rows[0] !== 'ok') throw new StoreCorruptError(undefined, { details: { check: rows.slice(0, 5).join('; ').slice(0, 500) } });
      return rows;
    },
    'store.syncSummary': () => {
      const b = this.db.prepare("SELECT count(*) AS n FROM enrollment WHERE status IN ('sealed', 'uploaded')").get() as { n: number };
      const t = this.db.prepare('SELECT max(uploaded_at) AS u, max(acknowledged_at) AS a FROM outbox_state').get() as { u: number | null; a: number | null };
      return { backlog: b.n, lastUploadedAt: t.u ?? null, lastAcknowledgedAt: t.a ?? null };
    },
    'store.checkpointWal': () => {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
      return null;
    },
    'outbox.list': ({ statuses, limit }) =>
      (this.db.prepare(`${OUTBOX_SELECT} WHERE e.status IN (${statuses.map(() => '?').join(',')}) ORDER BY e.sealed_at, e.id LIMIT ?`).all(...statuses, limit) as Raw[]).map(outboxOf),
    'outbox.get': ({ id }) => {
      const r = this.db.prepare(`${OUTBOX_SELECT} WHERE e.id = ?`).get(id) as Raw | undefined;
      return r ? outboxOf(r) : null;
    },
    'outbox.advance': ({ id, expectRev, status, at, registryState, receipt, statusDoc, audit }) => {
      return this.db.transaction(() => {
        const rev = this.bumpRev(id, expectRev, { status, updatedAt: at });
        this.db
          .prepare(
            `INSERT INTO outbox_state (enrollment_id, registry_state, receipt, status_doc, uploaded_at, acknowledged_at) VALUES (@id, @registryState, @receipt, @statusDoc, @uploadedAt, @acknowledgedAt)
             ON CONFLICT(enrollment_id) DO UPDATE SET registry_state = excluded.registry_state, receipt = coalesce(excluded.receipt, receipt),
               status_doc = coalesce(excluded.status_doc, status_doc), uploaded_at = coalesce(uploaded_at, excluded.uploaded_at), acknowledged_at = coalesce(excluded.acknowledged_at, acknowledged_at)`,
          )
          .run({
            id,
            registryState,
            receipt: receipt ?? null,
            statusDoc: statusDoc ?? null,
            uploadedAt: registryState === 'uploaded' ? at : null,
            acknowledgedAt: registryState === 'uploaded' ? null : at,
          });
        this.appendAudit(audit);
        return { rev };
      }).immediate();
    },
    'outbox.purgeable': ({ before }) =>
      this.db
        .prepare(
          `SELECT e.id, e.rev FROM enrollment e JOIN outbox_state o ON o.enrollment_id = e.id
           WHERE e.status = 'acknowledged' AND o.registry_state = 'acknowledged' AND o.acknowledged_at <= ? ORDER BY e.id`,
        )
        .all(before) as { id: string; rev: number }[],
    'meta.get': ({ key }) => (this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value ?? null,
    'meta.set': ({ key, value }) => {
      this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
      return null;
    },
  };

  /** Walks the whole chain, recomputing each hash; reports the first entry that does not link or does not hash. */
  verifyChain(): ChainReport {
    let prev: Uint8Array = GENESIS_HASH;
    let expectedSeq = 1;
    let entries = 0;
    let firstBroken: ChainReport['firstBroken'] = null;
    const hashes = new Map<number, Uint8Array>();
    for (const r of this.db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<Raw>) {
      const seq = r.seq as number;
      const entry: AuditEntry = {
        seq,
        at: r.at as number,
        actor: r.actor as string,
        action: r.action as string,
        objectId: (r.object_id as string | null) ?? null,
        prevHash: r.prev_hash as Uint8Array,
        hash: r.hash as Uint8Array,
      };
      entries++;
      hashes.set(seq, entry.hash);
      if (firstBroken) continue;
      if (seq !== expectedSeq) firstBroken = { seq: expectedSeq, reason: `entry ${expectedSeq} is missing` };
      else if (!Buffer.from(entry.prevHash).equals(Buffer.from(prev))) firstBroken = { seq, reason: 'previous-hash link does not match' };
      else if (!auditEntryHash(prev, seq, entry).equals(Buffer.from(entry.hash))) firstBroken = { seq, reason: 'entry content does not match its hash' };
      prev = entry.hash;
      expectedSeq = seq + 1;
    }
    const checkpoints = (this.db.prepare('SELECT * FROM audit_checkpoint ORDER BY head_seq').all() as Raw[]).map((r) => ({
      headSeq: r.head_seq as number,
      headHash: r.head_hash as Uint8Array,
      at: r.at as number,
      signature: r.signature as Uint8Array,
      entryHash: hashes.get(r.head_seq as number) ?? null,
    }));
    return { entries, headSeq: expectedSeq - 1, headHash: entries ? prev : null, firstBroken, checkpoints };
  }
}

export type { BlobRow, CheckpointRow, EnrollmentRow, OperatorRow };
