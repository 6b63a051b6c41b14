// What several registry processes share over one PostgreSQL: the claim queue (leases taken with FOR UPDATE SKIP
// LOCKED, expiring when a process dies), the enrollment advisory lock and the biometric change feed (a sequence
// column + LISTEN/NOTIFY; a restarted process catches up from its last sequence number).
import pg from 'pg';
import { LeaseLostError } from '../../errors.js';
import { packetFromDb } from './row-map.js';
import type { PacketDbRow } from './schema-sql.js';
import type { ClaimedPacket, SharedProcessing } from './types.js';

/** The database's clock in epoch ms (leases are compared with one clock, whatever the machines' clocks say). */
const NOW_MS = `(extract(epoch from clock_timestamp()) * 1000)::bigint`;
/** pg_advisory_lock key of "search the new persons + enroll one person" (any constant; one per schema below). */
const ENROLL_LOCK_CLASS = 0x52454731; // "REG1"

export function sharedDdl(): string[] {
  return [
    // One row per packet not yet final. lease_owner stays set while a process holds the lease, so that a claim of
    // an expired lease knows the previous holder died (an abandoned pass counts as an attempt).
    `CREATE TABLE IF NOT EXISTS work_queue (packet_id TEXT PRIMARY KEY, seq BIGSERIAL, lease_owner TEXT, lease_until BIGINT NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0, last_failed BIGINT NOT NULL DEFAULT 0)`,
    `CREATE INDEX IF NOT EXISTS work_queue_seq ON work_queue (seq)`,
    // Packets left non-final by a registry older than the queue (or by a crash between insert and enqueue).
    `INSERT INTO work_queue (packet_id) SELECT packet_id FROM packets WHERE status IN ('received', 'validated', 'deduplicated') ORDER BY received_at, packet_id ON CONFLICT DO NOTHING`,
    // Fencing token: the generation of the packet's current claim (every claim adds one); writes of a pass check it.
    // (Checked first: ALTER TABLE takes an exclusive lock even when the column exists, which would make a restarting
    // process wait for every open pass commit of the others.)
    `DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'work_queue' AND column_name = 'lease_gen') THEN ALTER TABLE work_queue ADD COLUMN lease_gen BIGINT NOT NULL DEFAULT 0; END IF; END $$`,
    `ALTER TABLE biometrics ADD COLUMN IF NOT EXISTS seq BIGSERIAL`,
    `CREATE INDEX IF NOT EXISTS biometrics_seq ON biometrics (seq)`,
  ];
}

export class PostgresShared implements SharedProcessing {
  constructor(
    private readonly pool: () => pg.Pool,
    private readonly url: string,
    private readonly schema: string,
  ) {}

  get workChannel(): string {
    return `${this.schema}_work`;
  }

  get galleryChannel(): string {
    return `${this.schema}_gallery`;
  }

  /** Advisory lock id of this schema's enrollment (schemas in one database do not block each other). */
  private lockKey(): number {
    let h = 0;
    for (const c of this.schema) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0;
    return h;
  }

  async claim(owner: string, leaseMs: number, limit: number): Promise<ClaimedPacket[]> {
    const pool = this.pool();
    // The rows to take are picked once, in a materialised CTE. As a sub-select in UPDATE … FROM, PostgreSQL may run
    // the LIMIT … SKIP LOCKED again when it re-checks a row that a concurrent insert or claim touched (EvalPlanQual),
    // and one claim of 1 then leased 2–6 packets that nobody worked on until their leases expired (30 s stalls in
    // bench registry-cluster).
    const claimed = await pool.query<{ packet_id: string; attempts: number; lease_gen: string }>(
      `WITH c AS MATERIALIZED (SELECT packet_id FROM work_queue WHERE lease_until <= ${NOW_MS} ORDER BY seq LIMIT $3 FOR UPDATE SKIP LOCKED)
       UPDATE work_queue q SET lease_owner = $1, lease_until = ${NOW_MS} + $2, lease_gen = q.lease_gen + 1,
         attempts = q.attempts + CASE WHEN q.lease_owner IS NOT NULL THEN 1 ELSE 0 END
       FROM c WHERE q.packet_id = c.packet_id
       RETURNING q.packet_id, q.attempts, q.lease_gen`,
      [owner, leaseMs, limit],
    );
    if (claimed.rows.length > limit) {
      // Never expected with the CTE; if a plan ever returns more, hand the extra leases back at once.
      const extra = claimed.rows.splice(limit);
      await pool.query(`UPDATE work_queue SET lease_owner = NULL, lease_until = 0 WHERE lease_owner = $1 AND packet_id = ANY($2)`, [owner, extra.map((r) => r.packet_id)]);
    }
    if (claimed.rows.length === 0) return [];
    const rows = await pool.query<PacketDbRow>('SELECT * FROM packets WHERE packet_id = ANY($1)', [claimed.rows.map((r) => r.packet_id)]);
    const byId = new Map(rows.rows.map((r) => [r.packet_id, packetFromDb(r)]));
    const out: ClaimedPacket[] = [];
    for (const c of claimed.rows) {
      const row = byId.get(c.packet_id);
      if (row) out.push({ row, attempts: c.attempts, fence: Number(c.lease_gen) });
      else await this.complete(c.packet_id); // queued without a packet row: nothing to process
    }
    return out;
  }

  async renew(owner: string, packetIds: string[], leaseMs: number): Promise<void> {
    if (packetIds.length === 0) return;
    await this.pool().query(`UPDATE work_queue SET lease_until = ${NOW_MS} + $2 WHERE lease_owner = $1 AND packet_id = ANY($3)`, [owner, leaseMs, packetIds]);
  }

  /** The packet's current claim generation (null: not in the queue). */
  private async currentGen(q: pg.Pool | pg.PoolClient, packetId: string, lock = false): Promise<number | null> {
    const r = await q.query<{ lease_gen: string }>(`SELECT lease_gen FROM work_queue WHERE packet_id = $1${lock ? ' FOR UPDATE' : ''}`, [packetId]);
    return r.rows[0] ? Number(r.rows[0].lease_gen) : null;
  }

  async complete(packetId: string, fence?: number): Promise<void> {
    if (fence === undefined) {
      await this.pool().query('DELETE FROM work_queue WHERE packet_id = $1', [packetId]);
      return;
    }
    const r = await this.pool().query('DELETE FROM work_queue WHERE packet_id = $1 AND lease_gen = $2', [packetId, fence]);
    if (r.rowCount === 1) return;
    const current = await this.currentGen(this.pool(), packetId);
    if (current !== null) throw new LeaseLostError(packetId, fence, current);
  }

  async fenced<T>(packetId: string, fence: number, fn: () => Promise<T>, options: { finish?: boolean } = {}): Promise<T> {
    // The queue row stays locked (FOR UPDATE) until the transaction ends: claim() skips locked rows, so nobody can
    // take the packet over while `fn` writes. A process that dies here drops its connection, which rolls back.
    const client = await this.pool().connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      try {
        // Only this process's own lease renewal can hold the row for a moment; a longer wait is a fault, not work.
        await client.query(`SET LOCAL lock_timeout = '10s'`);
        const current = await this.currentGen(client, packetId, true);
        if (current !== fence) throw new LeaseLostError(packetId, fence, current);
        const out = await fn();
        if (options.finish) await client.query('DELETE FROM work_queue WHERE packet_id = $1', [packetId]);
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch((r: unknown) => {
          broken = r instanceof Error ? r : new Error(String(r));
        });
        throw e;
      }
    } finally {
      client.release(broken);
    }
  }

  async fail(packetId: string, spacingMs: number, fence?: number, countAttempt = true): Promise<number> {
    const r = await this.pool().query<{ attempts: number }>(
      `UPDATE work_queue SET
         attempts = CASE WHEN $4 AND (last_failed = 0 OR ${NOW_MS} - last_failed >= $2) THEN attempts + 1 ELSE attempts END,
         last_failed = CASE WHEN $4 AND (last_failed = 0 OR ${NOW_MS} - last_failed >= $2) THEN ${NOW_MS} ELSE last_failed END,
         lease_owner = NULL, lease_until = ${NOW_MS} + $2
       WHERE packet_id = $1 AND ($3::bigint IS NULL OR lease_gen = $3) RETURNING attempts`,
      [packetId, spacingMs, fence ?? null, countAttempt],
    );
    if (r.rows[0]) return r.rows[0].attempts;
    if (fence !== undefined) throw new LeaseLostError(packetId, fence, await this.currentGen(this.pool(), packetId));
    return 0;
  }

  async release(owner: string): Promise<number> {
    return (await this.pool().query('UPDATE work_queue SET lease_owner = NULL, lease_until = 0 WHERE lease_owner = $1', [owner])).rowCount ?? 0;
  }

  async queueDepth(): Promise<{ waiting: number; leased: number }> {
    const r = await this.pool().query<{ waiting: string; leased: string }>(`SELECT count(*) FILTER (WHERE lease_until <= ${NOW_MS}) AS waiting, count(*) FILTER (WHERE lease_until > ${NOW_MS}) AS leased FROM work_queue`);
    return { waiting: Number(r.rows[0]?.waiting ?? 0), leased: Number(r.rows[0]?.leased ?? 0) };
  }

  async withEnrollLock<T>(fn: () => Promise<T>): Promise<T> {
    // Session lock on a dedicated connection: released by unlock, or by PostgreSQL when this process dies.
    const client = await this.pool().connect();
    let broken: Error | undefined;
    try {
      await client.query('SELECT pg_advisory_lock($1, $2)', [ENROLL_LOCK_CLASS, this.lockKey()]);
      try {
        return await fn();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1, $2)', [ENROLL_LOCK_CLASS, this.lockKey()]).catch((e: unknown) => {
          broken = e instanceof Error ? e : new Error(String(e));
        });
      }
    } catch (e) {
      broken ??= e instanceof Error ? e : new Error(String(e));
      throw e;
    } finally {
      // A connection whose unlock failed is destroyed (its session, and so the lock, ends with it).
      client.release(broken);
    }
  }

  async gallerySeq(): Promise<number> {
    const r = await this.pool().query<{ s: string | null }>('SELECT max(seq) AS s FROM biometrics');
    return Number(r.rows[0]?.s ?? 0);
  }

  async biometricsSince(sinceSeq: number, limit: number): Promise<{ seq: number; rid: string; entry: Uint8Array }[]> {
    const r = await this.pool().query<{ seq: string; rid: string; entry: string }>('SELECT seq, rid, entry FROM biometrics WHERE seq > $1 ORDER BY seq LIMIT $2', [sinceSeq, limit]);
    return r.rows.map((x) => ({ seq: Number(x.seq), rid: x.rid, entry: new Uint8Array(Buffer.from(x.entry, 'base64')) }));
  }

  async notify(what: 'work' | 'gallery'): Promise<void> {
    await this.pool().query('SELECT pg_notify($1, $2)', [what === 'work' ? this.workChannel : this.galleryChannel, '']);
  }

  async listen(on: (what: 'work' | 'gallery') => void): Promise<() => Promise<void>> {
    const client = new pg.Client({ connectionString: this.url });
    // A lost listener only delays wake-ups: the processes also poll the queue and catch up under the enroll lock.
    client.on('error', () => undefined);
    client.on('notification', (m) => on(m.channel === this.workChannel ? 'work' : 'gallery'));
    await client.connect();
    await client.query(`LISTEN ${this.workChannel}`);
    await client.query(`LISTEN ${this.galleryChannel}`);
    return async () => {
      await client.end().catch(() => undefined);
    };
  }
}
