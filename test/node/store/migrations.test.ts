// Each migration on a real database file: applies once, sets user_version, keeps existing data, STRICT tables.
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { StoreDb, openDatabase } from '../../../main/store/db.js';
import { LATEST_VERSION, MIGRATIONS, migrate, userVersion } from '../../../main/store/migrations/index.js';
import { StoreNewerThanAppError } from '../../../main/store/errors.js';
import { tempDataDir } from './helpers.js';

const t = tempDataDir('kiosk-migrations-');
afterAll(() => t.cleanup());
const open = (name: string) => openDatabase({ file: path.join(t.dir, name), quickCheckOnOpen: 'never' });
const tables = (db: Database.Database) => (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);

describe('migrations', () => {
  it('are numbered 1..N without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(LATEST_VERSION).toBe(MIGRATIONS.length);
  });

  it('0001-initial: enrollment tables, STRICT types, status CHECK, cascade', () => {
    const db = open('m1.db');
    expect(migrate(db, 1)).toEqual([1]);
    expect(userVersion(db)).toBe(1);
    expect(tables(db)).toEqual(['dedup_gallery', 'enrollment', 'enrollment_blob', 'meta', 'rid_sequence', 'sealed_packet']);
    const insert = db.prepare(
      `INSERT INTO enrollment (id, status, schema_version, centre_id, kiosk_id, operator_id, created_at, created_day, updated_at, rid, rid_index)
       VALUES (?, ?, 1, 'C', 'K', 'op', ?, '2026-01-01', 0, x'00', ?)`,
    );
    insert.run('A', 'draft', 1, Buffer.from('a'));
    expect(() => insert.run('B', 'bogus', 1, Buffer.from('b'))).toThrow(/CHECK/);
    expect(() => insert.run('C', 'draft', 'not a number', Buffer.from('c'))).toThrow(/cannot store TEXT value in INTEGER column/);
    db.pragma('foreign_keys = ON');
    db.prepare("INSERT INTO enrollment_blob (enrollment_id, field, data) VALUES ('A', 'face.image', x'01')").run();
    expect(() => db.prepare("INSERT INTO enrollment_blob (enrollment_id, field, data) VALUES ('Z', 'face.image', x'01')").run()).toThrow(/FOREIGN KEY/);
    db.prepare("DELETE FROM enrollment WHERE id = 'A'").run();
    expect(db.prepare('SELECT count(*) AS n FROM enrollment_blob').get()).toEqual({ n: 0 });
    db.close();
  });

  it('0002-operators-audit: upgrades a v1 database in place, keeps its rows, audit is append-only', () => {
    const db = open('m2.db');
    migrate(db, 1);
    db.prepare(
      `INSERT INTO enrollment (id, status, schema_version, centre_id, kiosk_id, operator_id, created_at, created_day, updated_at, rid, rid_index)
       VALUES ('KEEP', 'sealed', 1, 'C', 'K', 'op', 1, '2026-01-01', 1, x'00', x'01')`,
    ).run();
    expect(migrate(db, 2)).toEqual([2]);
    expect(userVersion(db)).toBe(2);
    expect(db.prepare("SELECT status FROM enrollment WHERE id = 'KEEP'").get()).toEqual({ status: 'sealed' });
    expect(tables(db)).toEqual(expect.arrayContaining(['operator', 'audit_log', 'audit_checkpoint']));
    expect(() => db.prepare("INSERT INTO operator (id, role, display_name, pin_hash, pin_params, created_at) VALUES ('x', 'admin', x'00', x'00', '{}', 0)").run()).toThrow(/CHECK/);
    db.prepare("INSERT INTO audit_log (seq, at, actor, action, object_id, prev_hash, hash) VALUES (1, 0, 'a', 'b', NULL, x'00', x'00')").run();
    expect(() => db.prepare('UPDATE audit_log SET actor = ?').run('z')).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(migrate(db, 2)).toEqual([]);
    db.close();
  });

  it('0003-outbox: registry progress table with state CHECK and cascade from enrollment', () => {
    const db = open('m5.db');
    migrate(db, 2);
    db.prepare(
      `INSERT INTO enrollment (id, status, schema_version, centre_id, kiosk_id, operator_id, created_at, created_day, updated_at, rid, rid_index)
       VALUES ('E1', 'uploaded', 1, 'C', 'K', 'op', 1, '2026-01-01', 1, x'00', x'01')`,
    ).run();
    expect(migrate(db, 3)).toEqual([3]);
    expect(userVersion(db)).toBe(3);
    db.pragma('foreign_keys = ON');
    db.prepare("INSERT INTO outbox_state (enrollment_id, registry_state, uploaded_at) VALUES ('E1', 'uploaded', 5)").run();
    expect(() => db.prepare("INSERT INTO outbox_state (enrollment_id, registry_state) VALUES ('E1', 'lost')").run()).toThrow(/CHECK|UNIQUE/);
    expect(() => db.prepare("INSERT INTO outbox_state (enrollment_id, registry_state) VALUES ('NOPE', 'uploaded')").run()).toThrow(/FOREIGN KEY/);
    db.exec("DELETE FROM enrollment WHERE id = 'E1'");
    expect(db.prepare('SELECT count(*) AS n FROM outbox_state').get()).toEqual({ n: 0 });
    db.close();
  });

  it('a failing migration rolls back entirely and leaves user_version unchanged', () => {
    const db = open('m3.db');
    migrate(db, 1);
    db.exec('CREATE TABLE operator (id TEXT) STRICT'); // makes 0002 fail half-way
    expect(() => migrate(db)).toThrow(/already exists/);
    expect(userVersion(db)).toBe(1);
    expect(tables(db)).not.toContain('audit_log');
    db.close();
  });

  it('refuses a database newer than the app', () => {
    const db = open('m4.db');
    db.pragma(`user_version = ${LATEST_VERSION + 1}`);
    expect(() => new StoreDb(db)).toThrow(StoreNewerThanAppError);
    db.close();
  });
});
