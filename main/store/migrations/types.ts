// A numbered schema migration. Each runs once, inside a transaction, and bumps PRAGMA user_version to its number.
import type { Database } from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}
