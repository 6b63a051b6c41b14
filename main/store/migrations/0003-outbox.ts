// 0003: registry-side progress of sealed packets for the sync engine's Outbox (main/enrollment/outbox.ts):
// the verified receipt and final status documents (encrypted: they name the RID), and the registry outcome.
import type { Migration } from './types.js';

export const migration0003: Migration = {
  version: 3,
  name: 'outbox',
  up(db) {
    db.exec(`
      CREATE TABLE outbox_state (
        enrollment_id TEXT PRIMARY KEY REFERENCES enrollment(id) ON DELETE CASCADE,
        registry_state TEXT NOT NULL CHECK (registry_state IN ('uploaded', 'acknowledged', 'rejected')),
        receipt BLOB,
        status_doc BLOB,
        uploaded_at INTEGER,
        acknowledged_at INTEGER
      ) STRICT;
      CREATE INDEX outbox_state_ack ON outbox_state(registry_state, acknowledged_at);
    `);
  },
};
