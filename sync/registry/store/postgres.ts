// PostgreSQL registry store (pg). Same tables as SQLite; one schema per deployment (default "registry").
import pg from 'pg';
import type { PacketStatus } from '../../protocol/schemas.js';
import { auditFromDb, galleryFromDb, kioskFromDb, packetFromDb, packetToParams, uploadFromDb } from './row-map.js';
import { PostgresShared, sharedDdl } from './postgres-shared.js';
import { ddl, type PacketDbRow } from './schema-sql.js';
import { postgresAdapter, type SqlAdapter } from './sql-adapter.js';
import type { AcceptedSeed, AuditRow, GalleryRow, KioskRow, PacketRow, RegistryStore, UploadRow } from './types.js';

export class PostgresRegistryStore implements RegistryStore {
  readonly kind = 'postgres' as const;
  private pool: pg.Pool | null = null;
  private readonly schema: string;

  constructor(
    private readonly url: string,
    options: { schema?: string; max?: number } = {},
  ) {
    this.schema = options.schema ?? 'registry';
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(this.schema)) throw new TypeError(`invalid schema name ${this.schema}`);
    this.max = options.max ?? 8;
    this.shared = new PostgresShared(() => this.p, url, this.schema);
  }
  private readonly max: number;
  readonly shared: PostgresShared;

  private get p(): pg.Pool {
    if (!this.pool) throw new Error('PostgresRegistryStore not initialised');
    return this.pool;
  }

  private async q<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.p.query(sql, params)).rows as T[];
  }

  async init(): Promise<void> {
    const boot = new pg.Client({ connectionString: this.url });
    await boot.connect();
    try {
      await boot.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
    } finally {
      await boot.end();
    }
    this.pool = new pg.Pool({ connectionString: this.url, max: this.max, options: `-c search_path=${this.schema}` });
    this.pool.on('error', () => undefined);
    for (const s of [...ddl('BIGSERIAL PRIMARY KEY'), ...sharedDdl()]) await this.p.query(s);
  }

  /** SQL over this store's pool, for modules with their own tables (cross-matching partners). */
  sqlAdapter(): SqlAdapter {
    return postgresAdapter(() => this.p);
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.end();
  }

  async addToken(tokenHash: string, centreId: string | null, expiresAt: string): Promise<void> {
    await this.q('INSERT INTO tokens (token_hash, centre_id, expires_at) VALUES ($1, $2, $3)', [tokenHash, centreId, expiresAt]);
  }

  async consumeToken(tokenHash: string, now: string): Promise<{ centreId: string | null } | undefined> {
    const [row] = await this.q<{ centre_id: string | null }>('UPDATE tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING centre_id', [now, tokenHash]);
    return row ? { centreId: row.centre_id } : undefined;
  }

  async tokenState(tokenHash: string): Promise<{ expiresAt: string; usedAt: string | null } | undefined> {
    const [row] = await this.q<{ expires_at: string; used_at: string | null }>('SELECT expires_at, used_at FROM tokens WHERE token_hash = $1', [tokenHash]);
    return row ? { expiresAt: row.expires_at, usedAt: row.used_at } : undefined;
  }

  async insertKiosk(k: KioskRow): Promise<boolean> {
    const r = await this.p.query('INSERT INTO kiosks (kiosk_id, centre_id, public_key, registered_at, revoked_at, certificate) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING', [k.kioskId, k.centreId, k.publicKey, k.registeredAt, k.revokedAt, k.certificate]);
    return r.rowCount === 1;
  }

  async getKiosk(kioskId: string): Promise<KioskRow | undefined> {
    const [r] = await this.q<Parameters<typeof kioskFromDb>[0]>('SELECT * FROM kiosks WHERE kiosk_id = $1', [kioskId]);
    return r ? kioskFromDb(r) : undefined;
  }

  async revokeKiosk(kioskId: string, at: string): Promise<boolean> {
    return (await this.p.query('UPDATE kiosks SET revoked_at = COALESCE(revoked_at, $1) WHERE kiosk_id = $2', [at, kioskId])).rowCount === 1;
  }

  async listRevokedKiosks(): Promise<{ kioskId: string; revokedAt: string }[]> {
    return (await this.q<{ kiosk_id: string; revoked_at: string }>('SELECT kiosk_id, revoked_at FROM kiosks WHERE revoked_at IS NOT NULL ORDER BY kiosk_id')).map((r) => ({ kioskId: r.kiosk_id, revokedAt: r.revoked_at }));
  }

  async rememberNonce(kioskId: string, nonce: string, createdAt: number, forgetBefore: number): Promise<boolean> {
    await this.q('DELETE FROM nonces WHERE created_at < $1', [forgetBefore]);
    const r = await this.p.query('INSERT INTO nonces (kiosk_id, nonce, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [kioskId, nonce, createdAt]);
    return r.rowCount === 1;
  }

  async audit(event: string, kioskId: string | null, code: string | null, details: Record<string, unknown>, at: string): Promise<void> {
    await this.q('INSERT INTO audit (at, event, kiosk_id, code, details) VALUES ($1, $2, $3, $4, $5)', [at, event, kioskId, code, JSON.stringify(details)]);
  }

  async listAudit(limit: number): Promise<AuditRow[]> {
    return (await this.q<Parameters<typeof auditFromDb>[0]>('SELECT * FROM audit ORDER BY seq DESC LIMIT $1', [limit])).map(auditFromDb);
  }

  async findUpload(kioskId: string, packetId: string, sha256: string): Promise<UploadRow | undefined> {
    const [r] = await this.q<Parameters<typeof uploadFromDb>[0]>('SELECT * FROM uploads WHERE kiosk_id = $1 AND packet_id = $2 AND sha256 = $3', [kioskId, packetId, sha256]);
    return r ? uploadFromDb(r) : undefined;
  }

  async getUpload(uploadId: string): Promise<UploadRow | undefined> {
    const [r] = await this.q<Parameters<typeof uploadFromDb>[0]>('SELECT * FROM uploads WHERE upload_id = $1', [uploadId]);
    return r ? uploadFromDb(r) : undefined;
  }

  async insertUpload(u: UploadRow): Promise<UploadRow> {
    await this.q('INSERT INTO uploads (upload_id, kiosk_id, packet_id, sha256, size, created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING', [u.uploadId, u.kioskId, u.packetId, u.sha256, u.size, u.createdAt]);
    return (await this.findUpload(u.kioskId, u.packetId, u.sha256))!;
  }

  async deleteUpload(uploadId: string): Promise<void> {
    await this.q('DELETE FROM uploads WHERE upload_id = $1', [uploadId]);
  }

  async listUploadsCreatedBefore(at: string, limit: number): Promise<UploadRow[]> {
    return (await this.q<Parameters<typeof uploadFromDb>[0]>('SELECT * FROM uploads WHERE created_at < $1 ORDER BY created_at LIMIT $2', [at, limit])).map(uploadFromDb);
  }

  async getPacket(packetId: string): Promise<PacketRow | undefined> {
    const [r] = await this.q<PacketDbRow>('SELECT * FROM packets WHERE packet_id = $1', [packetId]);
    return r ? packetFromDb(r) : undefined;
  }

  async insertPacket(p: PacketRow): Promise<{ row: PacketRow; inserted: boolean }> {
    // One statement: a packet that is not final is never without its queue row (the claim queue of processing).
    const r = await this.p.query(
      `WITH ins AS (INSERT INTO packets (packet_id, kiosk_id, sha256, size, received_at, via, receipt, status, reason, duplicate_of, rid, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING RETURNING packet_id, status)
       INSERT INTO work_queue (packet_id) SELECT packet_id FROM ins WHERE status IN ('received', 'validated', 'deduplicated') ON CONFLICT DO NOTHING RETURNING packet_id`,
      packetToParams(p),
    );
    const inserted = (await this.getPacket(p.packetId))!;
    if (r.rowCount === 1) await this.shared.notify('work').catch(() => undefined);
    return { row: inserted, inserted: r.rowCount === 1 || (inserted.receivedAt === p.receivedAt && inserted.receipt === p.receipt) };
  }

  async listPacketsByStatus(status: PacketStatus, limit: number): Promise<PacketRow[]> {
    return (await this.q<PacketDbRow>('SELECT * FROM packets WHERE status = $1 ORDER BY received_at, packet_id LIMIT $2', [status, limit])).map(packetFromDb);
  }

  async setPacketStatus(packetId: string, status: PacketStatus, f: { reason?: string | null; duplicateOf?: string | null; rid?: string | null }, at: string): Promise<void> {
    await this.q('UPDATE packets SET status = $1, reason = COALESCE($2, reason), duplicate_of = COALESCE($3, duplicate_of), rid = COALESCE($4, rid), updated_at = $5 WHERE packet_id = $6', [status, f.reason ?? null, f.duplicateOf ?? null, f.rid ?? null, at, packetId]);
  }

  async countPackets(): Promise<number> {
    const [r] = await this.q<{ n: string }>('SELECT COUNT(*) AS n FROM packets');
    return Number(r?.n ?? 0);
  }

  async listPackets(kioskId: string | null): Promise<PacketRow[]> {
    const rows = kioskId === null ? await this.q<PacketDbRow>('SELECT * FROM packets ORDER BY packet_id') : await this.q<PacketDbRow>('SELECT * FROM packets WHERE kiosk_id = $1 ORDER BY packet_id', [kioskId]);
    return rows.map(packetFromDb);
  }

  async claimDedupKey(key: string, rid: string): Promise<string> {
    await this.q('INSERT INTO dedup_keys (dedup_key, rid) VALUES ($1, $2) ON CONFLICT DO NOTHING', [key, rid]);
    const [r] = await this.q<{ rid: string }>('SELECT rid FROM dedup_keys WHERE dedup_key = $1', [key]);
    return r!.rid;
  }

  async putDownload(kind: string, doc: string, version: number): Promise<void> {
    await this.q('INSERT INTO downloads (kind, doc, version) VALUES ($1, $2, $3) ON CONFLICT (kind) DO UPDATE SET doc = excluded.doc, version = excluded.version', [kind, doc, version]);
  }

  async getDownload(kind: string): Promise<{ doc: string; version: number } | undefined> {
    const [r] = await this.q<{ doc: string; version: string }>('SELECT doc, version FROM downloads WHERE kind = $1', [kind]);
    return r ? { doc: r.doc, version: Number(r.version) } : undefined;
  }

  async addGallery(rid: string, centreId: string, packetId: string, embedding: string | null): Promise<void> {
    await this.q('INSERT INTO gallery (rid, centre_id, packet_id, embedding) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [rid, centreId, packetId, embedding]);
  }

  async galleryDelta(centreId: string | null, sinceSeq: number, limit: number): Promise<GalleryRow[]> {
    const rows =
      centreId === null
        ? await this.q<Parameters<typeof galleryFromDb>[0]>('SELECT * FROM gallery WHERE seq > $1 ORDER BY seq LIMIT $2', [sinceSeq, limit])
        : await this.q<Parameters<typeof galleryFromDb>[0]>('SELECT * FROM gallery WHERE seq > $1 AND centre_id = $2 ORDER BY seq LIMIT $3', [sinceSeq, centreId, limit]);
    return rows.map(galleryFromDb);
  }

  async putBiometric(rid: string, entry: Uint8Array): Promise<void> {
    // A replaced entry gets a new sequence number, so that the other processes' change feed sees it again.
    await this.q(`INSERT INTO biometrics (rid, entry) VALUES ($1, $2) ON CONFLICT (rid) DO UPDATE SET entry = excluded.entry, seq = nextval(pg_get_serial_sequence('biometrics', 'seq'))`, [rid, Buffer.from(entry).toString('base64')]);
    await this.shared.notify('gallery').catch(() => undefined);
  }

  async listBiometrics(afterRid: string, limit: number): Promise<{ rid: string; entry: Uint8Array }[]> {
    // COLLATE "C": the same byte order as SQLite's, so paging by rid > $1 visits every row once.
    const rows = await this.q<{ rid: string; entry: string }>('SELECT rid, entry FROM biometrics WHERE rid COLLATE "C" > $1 ORDER BY rid COLLATE "C" LIMIT $2', [afterRid, limit]);
    return rows.map((r) => ({ rid: r.rid, entry: new Uint8Array(Buffer.from(r.entry, 'base64')) }));
  }

  async putEvidence(packetId: string, evidence: string): Promise<void> {
    await this.q('INSERT INTO dedup_evidence (packet_id, evidence) VALUES ($1, $2) ON CONFLICT (packet_id) DO UPDATE SET evidence = excluded.evidence', [packetId, evidence]);
  }

  async getEvidence(packetId: string): Promise<string | undefined> {
    const [r] = await this.q<{ evidence: string }>('SELECT evidence FROM dedup_evidence WHERE packet_id = $1', [packetId]);
    return r?.evidence;
  }

  async importAccepted(rows: AcceptedSeed[]): Promise<number> {
    const client = await this.p.connect();
    try {
      await client.query('BEGIN');
      let n = 0;
      for (const r of rows) {
        const res = await client.query('INSERT INTO packets (packet_id, kiosk_id, sha256, size, received_at, via, receipt, status, reason, duplicate_of, rid, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING', packetToParams(r.packet));
        if (res.rowCount !== 1) continue;
        n++;
        const rid = r.packet.rid!;
        for (const k of r.dedupKeys) await client.query('INSERT INTO dedup_keys (dedup_key, rid) VALUES ($1, $2) ON CONFLICT DO NOTHING', [k, rid]);
        await client.query('INSERT INTO gallery (rid, centre_id, packet_id, embedding) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [rid, r.centreId, r.packet.packetId, r.embedding]);
        if (r.biometrics) await client.query('INSERT INTO biometrics (rid, entry) VALUES ($1, $2) ON CONFLICT DO NOTHING', [rid, Buffer.from(r.biometrics).toString('base64')]);
      }
      await client.query('COMMIT');
      return n;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  async setOperatorRevoked(operatorId: string, at: string): Promise<void> {
    await this.q('INSERT INTO revoked_operators (operator_id, revoked_at) VALUES ($1, $2) ON CONFLICT DO NOTHING', [operatorId, at]);
  }

  async listRevokedOperators(): Promise<{ operatorId: string; revokedAt: string }[]> {
    return (await this.q<{ operator_id: string; revoked_at: string }>('SELECT * FROM revoked_operators ORDER BY operator_id')).map((r) => ({ operatorId: r.operator_id, revokedAt: r.revoked_at }));
  }
}
