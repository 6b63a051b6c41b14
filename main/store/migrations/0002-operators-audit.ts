// 0002: operators (scrypt PIN hashes, persisted lockout) and the append-only, hash-chained audit log with signed
// checkpoints. Triggers make both audit tables append-only.
import type { Migration } from './types.js';

export const migration0002: Migration = {
  version: 2,
  name: 'operators-audit',
  up(db) {
    db.exec(`
      CREATE TABLE operator (
        id TEXT PRIMARY KEY,
        role TEXT NOT NULL CHECK (role IN ('clerk','supervisor','technician')),
        display_name BLOB NOT NULL,
        pin_hash BLOB NOT NULL,
        pin_params TEXT NOT NULL,
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        locked_until INTEGER,
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        created_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        object_id TEXT,
        prev_hash BLOB NOT NULL,
        hash BLOB NOT NULL
      ) STRICT;
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

      CREATE TABLE audit_checkpoint (
        head_seq INTEGER PRIMARY KEY,
        head_hash BLOB NOT NULL,
        at INTEGER NOT NULL,
        signature BLOB NOT NULL
      ) STRICT;
      CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON audit_checkpoint BEGIN SELECT RAISE(ABORT, 'audit_checkpoint is append-only'); END;
      CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint BEGIN SELECT RAISE(ABORT, 'audit_checkpoint is append-only'); END;
    `);
  },
};
