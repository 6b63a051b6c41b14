// The ordered migration list and the runner. A database whose user_version is above the newest known migration was
// written by a newer app and is refused (never downgraded).
import type { Database } from 'better-sqlite3';
import { StoreNewerThanAppError } from '../errors.js';
import { migration0001 } from './0001-initial.js';
import { migration0002 } from './0002-operators-audit.js';
import { migration0003 } from './0003-outbox.js';
import { migration0004 } from './0004-operator-onboarding.js';
import { migrationHouseholds } from './0005-households.js';
import { migration0006 } from './0006-household-survey.js';
import type { Migration } from './types.js';

export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migrationHouseholds, migration0006];
export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export function userVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies pending migrations up to `target` (default: latest). Returns the versions applied. */
export function migrate(db: Database, target = LATEST_VERSION): number[] {
  const current = userVersion(db);
  if (current > LATEST_VERSION) {
    throw new StoreNewerThanAppError(undefined, { details: { databaseVersion: current, appVersion: LATEST_VERSION } });
  }
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (m.version <= current || m.version > target) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
    applied.push(m.version);
  }
  return applied;
}

export type { Migration } from './types.js';
