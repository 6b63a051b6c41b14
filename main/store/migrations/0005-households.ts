// Households (issue 19): a household record (address, geolocation and dwelling, encrypted JSON) and its members, each
// an enrollment (the person record). A person is in one household at a time (primary key), a household has at most
// one head (partial unique index). Version 5 on this branch: numbered 0007 because 0005/0006 come from other branches
// (the lead renumbers on merge).
import type { Migration } from './types.js';

export const migrationHouseholds: Migration = {
  version: 5,
  name: 'households',
  up(db) {
    db.exec(`
      CREATE TABLE household (
        id TEXT PRIMARY KEY,
        rev INTEGER NOT NULL DEFAULT 0,
        centre_id TEXT NOT NULL,
        kiosk_id TEXT NOT NULL,
        operator_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        details BLOB NOT NULL
      ) STRICT;
      CREATE TABLE household_member (
        enrollment_id TEXT PRIMARY KEY REFERENCES enrollment(id),
        household_id TEXT NOT NULL REFERENCES household(id) ON DELETE CASCADE,
        relationship TEXT NOT NULL CHECK (relationship IN ('head', 'spouse', 'child', 'parent', 'other')),
        added_at INTEGER NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX household_one_head ON household_member (household_id) WHERE relationship = 'head';
      CREATE INDEX household_member_household ON household_member (household_id);
    `);
  },
};
