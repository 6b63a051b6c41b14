// 0001: enrollments (encrypted fields + blind indexes), per-field encrypted blobs, RID sequences, sealed packets and
// the encrypted dedup gallery. Only ids, states, times and non-PII receipts are stored in clear.
import type { Migration } from './types.js';

export const migration0001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE enrollment (
        id TEXT PRIMARY KEY,
        status TEXT NOT NULL CHECK (status IN ('draft','captured','pending_approval','approved','rejected','sealed','uploaded','acknowledged','purged')),
        schema_version INTEGER NOT NULL,
        rev INTEGER NOT NULL DEFAULT 1,
        centre_id TEXT NOT NULL,
        kiosk_id TEXT NOT NULL,
        operator_id TEXT NOT NULL,
        supervisor_id TEXT,
        created_at INTEGER NOT NULL,
        created_day TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        sealed_at INTEGER,
        rid BLOB NOT NULL,
        rid_index BLOB NOT NULL UNIQUE,
        national_index BLOB,
        demographics BLOB,
        details BLOB,
        receipt TEXT
      ) STRICT;
      CREATE INDEX enrollment_status ON enrollment(status);
      CREATE INDEX enrollment_day ON enrollment(created_day);
      CREATE INDEX enrollment_national ON enrollment(national_index);

      CREATE TABLE enrollment_blob (
        enrollment_id TEXT NOT NULL REFERENCES enrollment(id) ON DELETE CASCADE,
        field TEXT NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (enrollment_id, field)
      ) STRICT;

      CREATE TABLE rid_sequence (
        day TEXT PRIMARY KEY,
        last INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE sealed_packet (
        enrollment_id TEXT PRIMARY KEY REFERENCES enrollment(id) ON DELETE CASCADE,
        packet BLOB NOT NULL,
        sha256 TEXT NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE dedup_gallery (
        enrollment_id TEXT PRIMARY KEY REFERENCES enrollment(id) ON DELETE CASCADE,
        data BLOB NOT NULL
      ) STRICT;
    `);
  },
};
