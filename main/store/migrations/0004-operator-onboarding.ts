// 0004: operator fingerprints (enrolled during onboarding, for fingerprint sign-in and the dedup operator-match
// check). The template is sealed with the field cipher (AEAD, bound to the operator id and finger position).
import type { Migration } from './types.js';

export const migration0004: Migration = {
  version: 4,
  name: 'operator-onboarding',
  up(db) {
    db.exec(`
      CREATE TABLE operator_fingerprint (
        operator_id TEXT NOT NULL REFERENCES operator(id) ON DELETE CASCADE,
        position INTEGER NOT NULL CHECK (position BETWEEN 1 AND 10),
        template BLOB NOT NULL,
        format TEXT NOT NULL,
        quality INTEGER NOT NULL CHECK (quality BETWEEN 0 AND 100),
        created_at INTEGER NOT NULL,
        PRIMARY KEY (operator_id, position)
      ) STRICT;
    `);
  },
};
