// One DDL for both backends (types chosen to be valid in SQLite and PostgreSQL).
export function ddl(serial: string): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS tokens (token_hash TEXT PRIMARY KEY, centre_id TEXT, expires_at TEXT NOT NULL, used_at TEXT)`,
    `CREATE TABLE IF NOT EXISTS kiosks (kiosk_id TEXT PRIMARY KEY, centre_id TEXT NOT NULL, public_key TEXT NOT NULL, registered_at TEXT NOT NULL, revoked_at TEXT, certificate TEXT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS nonces (kiosk_id TEXT NOT NULL, nonce TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (kiosk_id, nonce))`,
    `CREATE INDEX IF NOT EXISTS nonces_created ON nonces (created_at)`,
    `CREATE TABLE IF NOT EXISTS audit (seq ${serial}, at TEXT NOT NULL, event TEXT NOT NULL, kiosk_id TEXT, code TEXT, details TEXT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS uploads (upload_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, packet_id TEXT NOT NULL, sha256 TEXT NOT NULL, size BIGINT NOT NULL, created_at TEXT NOT NULL, UNIQUE (kiosk_id, packet_id, sha256))`,
    `CREATE TABLE IF NOT EXISTS packets (packet_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, sha256 TEXT NOT NULL, size BIGINT NOT NULL, received_at TEXT NOT NULL, via TEXT NOT NULL, receipt TEXT NOT NULL, status TEXT NOT NULL, reason TEXT, duplicate_of TEXT, rid TEXT, updated_at TEXT NOT NULL)`,
    `CREATE INDEX IF NOT EXISTS packets_status ON packets (status)`,
    `CREATE INDEX IF NOT EXISTS packets_kiosk ON packets (kiosk_id)`,
    `CREATE TABLE IF NOT EXISTS dedup_keys (dedup_key TEXT PRIMARY KEY, rid TEXT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS downloads (kind TEXT PRIMARY KEY, doc TEXT NOT NULL, version BIGINT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS gallery (seq ${serial}, rid TEXT NOT NULL UNIQUE, centre_id TEXT NOT NULL, packet_id TEXT NOT NULL, embedding TEXT)`,
    // Biometric entries (base64 of models/dedup encodeEntry) and dedup evidence per packet: TEXT in both backends.
    `CREATE TABLE IF NOT EXISTS biometrics (rid TEXT PRIMARY KEY, entry TEXT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS dedup_evidence (packet_id TEXT PRIMARY KEY, evidence TEXT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS revoked_operators (operator_id TEXT PRIMARY KEY, revoked_at TEXT NOT NULL)`,
  ];
}

export interface PacketDbRow {
  packet_id: string;
  kiosk_id: string;
  sha256: string;
  size: number | string;
  received_at: string;
  via: string;
  receipt: string;
  status: string;
  reason: string | null;
  duplicate_of: string | null;
  rid: string | null;
  updated_at: string;
}
