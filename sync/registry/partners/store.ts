// Tables of cross-matching, next to the registry's own (same database, either backend): partners, the sealed national
// numbers of accepted people with their programme flags, and the runs (rate limit and audit counts).
import type { SqlAdapter } from '../store/sql-adapter.js';

export interface PartnerRow {
  partnerId: string;
  name: string;
  /** Ed25519 public key, base64 of the raw 32 bytes: verifies the partner's signed requests. */
  publicKey: string;
  secretSealed: string;
  allowedFlags: string[];
  minBatch: number;
  runsPerDay: number;
  createdAt: string;
  revokedAt: string | null;
}

export interface PersonRow {
  rid: string;
  packetId: string;
  nnSealed: string;
  flags: string[];
}

export interface RunRow {
  runId: string;
  partnerId: string;
  at: string;
  via: 'online' | 'usb';
  submitted: number;
  matched: number;
}

const DDL = [
  `CREATE TABLE IF NOT EXISTS partners (partner_id TEXT PRIMARY KEY, name TEXT NOT NULL, public_key TEXT NOT NULL, secret_sealed TEXT NOT NULL, allowed_flags TEXT NOT NULL, min_batch BIGINT NOT NULL, runs_per_day BIGINT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT)`,
  `CREATE TABLE IF NOT EXISTS partner_people (rid TEXT PRIMARY KEY, packet_id TEXT NOT NULL UNIQUE, nn_sealed TEXT NOT NULL, flags TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS partner_runs (run_id TEXT PRIMARY KEY, partner_id TEXT NOT NULL, at TEXT NOT NULL, at_ms BIGINT NOT NULL, via TEXT NOT NULL, submitted BIGINT NOT NULL, matched BIGINT NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS partner_runs_partner ON partner_runs (partner_id, at_ms)`,
  // The registry's own HMAC index per partner (hex), kept up to date when people or partners are added.
  `CREATE TABLE IF NOT EXISTS partner_index (partner_id TEXT NOT NULL, rid TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (partner_id, rid))`,
  `CREATE INDEX IF NOT EXISTS partner_index_hash ON partner_index (partner_id, hash)`,
];

/** Rows per IN (…) lookup. */
const LOOKUP_CHUNK = 500;

interface PartnerDb {
  partner_id: string;
  name: string;
  public_key: string;
  secret_sealed: string;
  allowed_flags: string;
  min_batch: number | string;
  runs_per_day: number | string;
  created_at: string;
  revoked_at: string | null;
}

const partnerFromDb = (r: PartnerDb): PartnerRow => ({
  partnerId: r.partner_id,
  name: r.name,
  publicKey: r.public_key,
  secretSealed: r.secret_sealed,
  allowedFlags: JSON.parse(r.allowed_flags) as string[],
  minBatch: Number(r.min_batch),
  runsPerDay: Number(r.runs_per_day),
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

export class PartnerStore {
  constructor(private readonly sql: SqlAdapter) {}

  async init(): Promise<void> {
    for (const s of DDL) await this.sql.run(s);
  }

  async insertPartner(p: PartnerRow): Promise<boolean> {
    const n = await this.sql.run(
      'INSERT INTO partners (partner_id, name, public_key, secret_sealed, allowed_flags, min_batch, runs_per_day, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      [p.partnerId, p.name, p.publicKey, p.secretSealed, JSON.stringify(p.allowedFlags), p.minBatch, p.runsPerDay, p.createdAt, p.revokedAt],
    );
    return n === 1;
  }

  async getPartner(partnerId: string): Promise<PartnerRow | undefined> {
    const [r] = await this.sql.all<PartnerDb>('SELECT * FROM partners WHERE partner_id = ?', [partnerId]);
    return r ? partnerFromDb(r) : undefined;
  }

  async listPartners(): Promise<PartnerRow[]> {
    return (await this.sql.all<PartnerDb>('SELECT * FROM partners ORDER BY partner_id')).map(partnerFromDb);
  }

  async revokePartner(partnerId: string, at: string): Promise<boolean> {
    return (await this.sql.run('UPDATE partners SET revoked_at = COALESCE(revoked_at, ?) WHERE partner_id = ?', [at, partnerId])) === 1;
  }

  /** Inserts people not yet present (by RID or packet); returns how many were new. */
  async addPeople(rows: PersonRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    return this.sql.batch('INSERT INTO partner_people (rid, packet_id, nn_sealed, flags) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING', rows.map((r) => [r.rid, r.packetId, r.nnSealed, JSON.stringify(r.flags)]));
  }

  /** People not yet in this partner's index. */
  async peopleMissingFromIndex(partnerId: string): Promise<{ rid: string; nnSealed: string }[]> {
    const rows = await this.sql.all<{ rid: string; nn_sealed: string }>(
      'SELECT p.rid, p.nn_sealed FROM partner_people p LEFT JOIN partner_index i ON i.partner_id = ? AND i.rid = p.rid WHERE i.rid IS NULL',
      [partnerId],
    );
    return rows.map((r) => ({ rid: r.rid, nnSealed: r.nn_sealed }));
  }

  async addToIndex(partnerId: string, rows: { rid: string; hash: string }[]): Promise<number> {
    if (rows.length === 0) return 0;
    return this.sql.batch('INSERT INTO partner_index (partner_id, rid, hash) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', rows.map((r) => [partnerId, r.rid, r.hash]));
  }

  async dropIndex(partnerId: string): Promise<void> {
    await this.sql.run('DELETE FROM partner_index WHERE partner_id = ?', [partnerId]);
  }

  /** The hashes (hex) among `hashes` that are in the partner's index, with the flags of the people holding them. */
  async lookup(partnerId: string, hashes: string[]): Promise<Map<string, string[]>> {
    const found = new Map<string, string[]>();
    for (let i = 0; i < hashes.length; i += LOOKUP_CHUNK) {
      const chunk = hashes.slice(i, i + LOOKUP_CHUNK);
      const rows = await this.sql.all<{ hash: string; flags: string }>(
        `SELECT i.hash, p.flags FROM partner_index i JOIN partner_people p ON p.rid = i.rid WHERE i.partner_id = ? AND i.hash IN (${chunk.map(() => '?').join(', ')})`,
        [partnerId, ...chunk],
      );
      for (const r of rows) found.set(r.hash, [...(found.get(r.hash) ?? []), ...(JSON.parse(r.flags) as string[])]);
    }
    return found;
  }

  async knownPacketIds(): Promise<Set<string>> {
    return new Set((await this.sql.all<{ packet_id: string }>('SELECT packet_id FROM partner_people')).map((r) => r.packet_id));
  }

  async countRunsSince(partnerId: string, sinceMs: number): Promise<number> {
    const [r] = await this.sql.all<{ n: number | string }>('SELECT COUNT(*) AS n FROM partner_runs WHERE partner_id = ? AND at_ms >= ?', [partnerId, sinceMs]);
    return Number(r?.n ?? 0);
  }

  async addRun(r: RunRow, atMs: number): Promise<void> {
    await this.sql.run('INSERT INTO partner_runs (run_id, partner_id, at, at_ms, via, submitted, matched) VALUES (?, ?, ?, ?, ?, ?, ?)', [r.runId, r.partnerId, r.at, atMs, r.via, r.submitted, r.matched]);
  }

  async hasRun(runId: string): Promise<boolean> {
    return (await this.sql.all('SELECT 1 FROM partner_runs WHERE run_id = ?', [runId])).length > 0;
  }

  async listRuns(partnerId: string | null, limit = 100): Promise<RunRow[]> {
    const rows = await this.sql.all<{ run_id: string; partner_id: string; at: string; via: string; submitted: number | string; matched: number | string }>(
      `SELECT run_id, partner_id, at, via, submitted, matched FROM partner_runs ${partnerId ? 'WHERE partner_id = ?' : ''} ORDER BY at_ms DESC LIMIT ${Math.max(1, Math.floor(limit))}`,
      partnerId ? [partnerId] : [],
    );
    return rows.map((r) => ({ runId: r.run_id, partnerId: r.partner_id, at: r.at, via: r.via as 'online' | 'usb', submitted: Number(r.submitted), matched: Number(r.matched) }));
  }
}
