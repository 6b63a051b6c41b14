// Embedded registry store: one SQLite file in WAL mode. Packet rows (and so receipts) commit with synchronous=FULL;
// nonces and audit rows go through a second connection with synchronous=NORMAL (they are fsynced with the next FULL
// commit; only an OS crash can lose the last few — see docs/REGISTRY.md, "Durability").
import { preparePrivateDatabase } from '../../../main/platform/private-files.js';
import Database from 'better-sqlite3';
import type { PacketStatus } from '../../protocol/schemas.js';
import { auditFromDb, galleryFromDb, kioskFromDb, packetFromDb, packetToParams, uploadFromDb } from './row-map.js';
import { ddl, type PacketDbRow } from './schema-sql.js';
import { sqliteAdapter, type SqlAdapter } from './sql-adapter.js';
import type { AcceptedSeed, AuditRow, GalleryRow, KioskRow, PacketRow, RegistryStore, UploadRow } from './types.js';

type Row = Record<string, unknown>;

export class SqliteRegistryStore implements RegistryStore {
  readonly kind = 'sqlite' as const;
  private db: Database.Database | null = null;
  private fastDb: Database.Database | null = null;
  constructor(private readonly file: string) {}

  private get d(): Database.Database {
    if (!this.db) throw new Error('SqliteRegistryStore not initialised');
    return this.db;
  }

  async init(): Promise<void> {
    preparePrivateDatabase(this.file);
    const db = new Database(this.file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    for (const s of ddl('INTEGER PRIMARY KEY AUTOINCREMENT')) db.exec(s);
    this.db = db;
    const fast = new Database(this.file);
    fast.pragma('synchronous = NORMAL');
    fast.pragma('busy_timeout = 5000');
    this.fastDb = fast;
  }

  private get f(): Database.Database {
    if (!this.fastDb) throw new Error('SqliteRegistryStore not initialised');
    return this.fastDb;
  }

  /** SQL over this store's connection, for modules with their own tables (cross-matching partners). */
  sqlAdapter(): SqlAdapter {
    return sqliteAdapter(() => this.d);
  }

  async close(): Promise<void> {
    this.fastDb?.close();
    this.fastDb = null;
    this.db?.close();
    this.db = null;
  }

  async addToken(tokenHash: string, centreId: string | null, expiresAt: string): Promise<void> {
    this.d.prepare('INSERT INTO tokens (token_hash, centre_id, expires_at) VALUES (?, ?, ?)').run(tokenHash, centreId, expiresAt);
  }

  async consumeToken(tokenHash: string, now: string): Promise<{ centreId: string | null } | undefined> {
    const row = this.d.prepare('UPDATE tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING centre_id').get(now, tokenHash, now) as { centre_id: string | null } | undefined;
    return row ? { centreId: row.centre_id } : undefined;
  }

  async tokenState(tokenHash: string): Promise<{ expiresAt: string; usedAt: string | null } | undefined> {
    const row = this.d.prepare('SELECT expires_at, used_at FROM tokens WHERE token_hash = ?').get(tokenHash) as { expires_at: string; used_at: string | null } | undefined;
    return row ? { expiresAt: row.expires_at, usedAt: row.used_at } : undefined;
  }

  async insertKiosk(k: KioskRow): Promise<boolean> {
    const r = this.d.prepare('INSERT INTO kiosks (kiosk_id, centre_id, public_key, registered_at, revoked_at, certificate) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING').run(k.kioskId, k.centreId, k.publicKey, k.registeredAt, k.revokedAt, k.certificate);
    return r.changes === 1;
  }

  async getKiosk(kioskId: string): Promise<KioskRow | undefined> {
    const r = this.d.prepare('SELECT * FROM kiosks WHERE kiosk_id = ?').get(kioskId) as Parameters<typeof kioskFromDb>[0] | undefined;
    return r ? kioskFromDb(r) : undefined;
  }

  async revokeKiosk(kioskId: string, at: string): Promise<boolean> {
    return this.d.prepare('UPDATE kiosks SET revoked_at = COALESCE(revoked_at, ?) WHERE kiosk_id = ?').run(at, kioskId).changes === 1;
  }

  async listRevokedKiosks(): Promise<{ kioskId: string; revokedAt: string }[]> {
    return (this.d.prepare('SELECT kiosk_id, revoked_at FROM kiosks WHERE revoked_at IS NOT NULL ORDER BY kiosk_id').all() as { kiosk_id: string; revoked_at: string }[]).map((r) => ({ kioskId: r.kiosk_id, revokedAt: r.revoked_at }));
  }

  async rememberNonce(kioskId: string, nonce: string, createdAt: number, forgetBefore: number): Promise<boolean> {
    const tx = this.f.transaction(() => {
      this.f.prepare('DELETE FROM nonces WHERE created_at < ?').run(forgetBefore);
      return this.f.prepare('INSERT INTO nonces (kiosk_id, nonce, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(kioskId, nonce, createdAt).changes === 1;
    });
    return tx();
  }

  async audit(event: string, kioskId: string | null, code: string | null, details: Record<string, unknown>, at: string): Promise<void> {
    this.f.prepare('INSERT INTO audit (at, event, kiosk_id, code, details) VALUES (?, ?, ?, ?, ?)').run(at, event, kioskId, code, JSON.stringify(details));
  }

  async listAudit(limit: number): Promise<AuditRow[]> {
    return (this.d.prepare('SELECT * FROM audit ORDER BY seq DESC LIMIT ?').all(limit) as Parameters<typeof auditFromDb>[0][]).map(auditFromDb);
  }

  async findUpload(kioskId: string, packetId: string, sha256: string): Promise<UploadRow | undefined> {
    const r = this.d.prepare('SELECT * FROM uploads WHERE kiosk_id = ? AND packet_id = ? AND sha256 = ?').get(kioskId, packetId, sha256) as Parameters<typeof uploadFromDb>[0] | undefined;
    return r ? uploadFromDb(r) : undefined;
  }

  async getUpload(uploadId: string): Promise<UploadRow | undefined> {
    const r = this.d.prepare('SELECT * FROM uploads WHERE upload_id = ?').get(uploadId) as Parameters<typeof uploadFromDb>[0] | undefined;
    return r ? uploadFromDb(r) : undefined;
  }

  async insertUpload(u: UploadRow): Promise<UploadRow> {
    this.d.prepare('INSERT INTO uploads (upload_id, kiosk_id, packet_id, sha256, size, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING').run(u.uploadId, u.kioskId, u.packetId, u.sha256, u.size, u.createdAt);
    return (await this.findUpload(u.kioskId, u.packetId, u.sha256))!;
  }

  async deleteUpload(uploadId: string): Promise<void> {
    this.d.prepare('DELETE FROM uploads WHERE upload_id = ?').run(uploadId);
  }

  async listUploadsCreatedBefore(at: string, limit: number): Promise<UploadRow[]> {
    return (this.d.prepare('SELECT * FROM uploads WHERE created_at < ? ORDER BY created_at LIMIT ?').all(at, limit) as Parameters<typeof uploadFromDb>[0][]).map(uploadFromDb);
  }

  async getPacket(packetId: string): Promise<PacketRow | undefined> {
    const r = this.d.prepare('SELECT * FROM packets WHERE packet_id = ?').get(packetId) as PacketDbRow | undefined;
    return r ? packetFromDb(r) : undefined;
  }

  async insertPacket(p: PacketRow): Promise<{ row: PacketRow; inserted: boolean }> {
    const r = this.d.prepare('INSERT INTO packets (packet_id, kiosk_id, sha256, size, received_at, via, receipt, status, reason, duplicate_of, rid, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING').run(...packetToParams(p));
    return { row: (await this.getPacket(p.packetId))!, inserted: r.changes === 1 };
  }

  async listPacketsByStatus(status: PacketStatus, limit: number): Promise<PacketRow[]> {
    return (this.d.prepare('SELECT * FROM packets WHERE status = ? ORDER BY received_at, packet_id LIMIT ?').all(status, limit) as PacketDbRow[]).map(packetFromDb);
  }

  async setPacketStatus(packetId: string, status: PacketStatus, f: { reason?: string | null; duplicateOf?: string | null; rid?: string | null }, at: string): Promise<void> {
    this.d.prepare('UPDATE packets SET status = ?, reason = COALESCE(?, reason), duplicate_of = COALESCE(?, duplicate_of), rid = COALESCE(?, rid), updated_at = ? WHERE packet_id = ?').run(status, f.reason ?? null, f.duplicateOf ?? null, f.rid ?? null, at, packetId);
  }

  async countPackets(): Promise<number> {
    return (this.d.prepare('SELECT COUNT(*) AS n FROM packets').get() as { n: number }).n;
  }

  async listPackets(kioskId: string | null): Promise<PacketRow[]> {
    const rows = kioskId === null ? this.d.prepare('SELECT * FROM packets ORDER BY packet_id').all() : this.d.prepare('SELECT * FROM packets WHERE kiosk_id = ? ORDER BY packet_id').all(kioskId);
    return (rows as PacketDbRow[]).map(packetFromDb);
  }

  async claimDedupKey(key: string, rid: string): Promise<string> {
    this.d.prepare('INSERT INTO dedup_keys (dedup_key, rid) VALUES (?, ?) ON CONFLICT DO NOTHING').run(key, rid);
    return (this.d.prepare('SELECT rid FROM dedup_keys WHERE dedup_key = ?').get(key) as { rid: string }).rid;
  }

  async putDownload(kind: string, doc: string, version: number): Promise<void> {
    this.d.prepare('INSERT INTO downloads (kind, doc, version) VALUES (?, ?, ?) ON CONFLICT (kind) DO UPDATE SET doc = excluded.doc, version = excluded.version').run(kind, doc, version);
  }

  async getDownload(kind: string): Promise<{ doc: string; version: number } | undefined> {
    const r = this.d.prepare('SELECT doc, version FROM downloads WHERE kind = ?').get(kind) as { doc: string; version: number } | undefined;
    return r ? { doc: r.doc, version: Number(r.version) } : undefined;
  }

  async addGallery(rid: string, centreId: string, packetId: string, embedding: string | null): Promise<void> {
    this.d.prepare('INSERT INTO gallery (rid, centre_id, packet_id, embedding) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(rid, centreId, packetId, embedding);
  }

  async galleryDelta(centreId: string | null, sinceSeq: number, limit: number): Promise<GalleryRow[]> {
    const rows = centreId === null ? this.d.prepare('SELECT * FROM gallery WHERE seq > ? ORDER BY seq LIMIT ?').all(sinceSeq, limit) : this.d.prepare('SELECT * FROM gallery WHERE seq > ? AND centre_id = ? ORDER BY seq LIMIT ?').all(sinceSeq, centreId, limit);
    return (rows as Row[] as Parameters<typeof galleryFromDb>[0][]).map(galleryFromDb);
  }

  async putBiometric(rid: string, entry: Uint8Array): Promise<void> {
    this.d.prepare('INSERT INTO biometrics (rid, entry) VALUES (?, ?) ON CONFLICT (rid) DO UPDATE SET entry = excluded.entry').run(rid, Buffer.from(entry).toString('base64'));
  }

  async listBiometrics(afterRid: string, limit: number): Promise<{ rid: string; entry: Uint8Array }[]> {
    return (this.d.prepare('SELECT rid, entry FROM biometrics WHERE rid > ? ORDER BY rid LIMIT ?').all(afterRid, limit) as { rid: string; entry: string }[]).map((r) => ({ rid: r.rid, entry: new Uint8Array(Buffer.from(r.entry, 'base64')) }));
  }

  async putEvidence(packetId: string, evidence: string): Promise<void> {
    this.d.prepare('INSERT INTO dedup_evidence (packet_id, evidence) VALUES (?, ?) ON CONFLICT (packet_id) DO UPDATE SET evidence = excluded.evidence').run(packetId, evidence);
  }

  async getEvidence(packetId: string): Promise<string | undefined> {
    return (this.d.prepare('SELECT evidence FROM dedup_evidence WHERE packet_id = ?').get(packetId) as { evidence: string } | undefined)?.evidence;
  }

  async importAccepted(rows: AcceptedSeed[]): Promise<number> {
    const packet = this.d.prepare('INSERT INTO packets (packet_id, kiosk_id, sha256, size, received_at, via, receipt, status, reason, duplicate_of, rid, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING');
    const key = this.d.prepare('INSERT INTO dedup_keys (dedup_key, rid) VALUES (?, ?) ON CONFLICT DO NOTHING');
    const gallery = this.d.prepare('INSERT INTO gallery (rid, centre_id, packet_id, embedding) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
    const bio = this.d.prepare('INSERT INTO biometrics (rid, entry) VALUES (?, ?) ON CONFLICT DO NOTHING');
    const tx = this.d.transaction((batch: AcceptedSeed[]) => {
      let n = 0;
      for (const r of batch) {
        if (packet.run(...packetToParams(r.packet)).changes !== 1) continue;
        n++;
        const rid = r.packet.rid!;
        for (const k of r.dedupKeys) key.run(k, rid);
        gallery.run(rid, r.centreId, r.packet.packetId, r.embedding);
        if (r.biometrics) bio.run(rid, Buffer.from(r.biometrics).toString('base64'));
      }
      return n;
    });
    return tx(rows);
  }

  async setOperatorRevoked(operatorId: string, at: string): Promise<void> {
    this.d.prepare('INSERT INTO revoked_operators (operator_id, revoked_at) VALUES (?, ?) ON CONFLICT DO NOTHING').run(operatorId, at);
  }

  async listRevokedOperators(): Promise<{ operatorId: string; revokedAt: string }[]> {
    return (this.d.prepare('SELECT * FROM revoked_operators ORDER BY operator_id').all() as { operator_id: string; revoked_at: string }[]).map((r) => ({ operatorId: r.operator_id, revokedAt: r.revoked_at }));
  }
}
