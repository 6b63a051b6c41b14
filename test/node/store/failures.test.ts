// Disk full, corrupt files, a database from a newer app, a missing database or key ring: clear typed errors,
// nothing already saved is lost, and nothing is silently recreated.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreCorruptError, StoreFullError, StoreNewerThanAppError } from '../../../main/store/errors.js';
import { clerk, fullPatch, openTest, tempDataDir, testProtector } from './helpers.js';

const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

describe('store failures', () => {
  const dirs: { cleanup(): void }[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));
  const temp = () => {
    const t = tempDataDir();
    dirs.push(t);
    return t.dir;
  };

  it('disk full (max_page_count): STORE_FULL, earlier saves intact, and saving works again when space returns', async () => {
    const dir = temp();
    const s0 = await openTest(dir);
    const first = await s0.enrollment.createDraft(clerk, fullPatch(1));
    await s0.dispose();
    const db = new Database(path.join(dir, 'enrollment.db'));
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.close();

    const s = await openTest(dir, { store: { maxPageCount: pages + 500 } });
    const saved = [first.id];
    let full: unknown;
    for (let i = 2; i < 12 && !full; i++) {
      try {
        saved.push((await s.enrollment.createDraft(clerk, fullPatch(i))).id);
      } catch (error) {
        full = error;
      }
    }
    expect(full).toBeInstanceOf(StoreFullError);
    expect(full).toMatchObject({ code: 'STORE_FULL' });
    for (const id of saved) expect((await s.enrollment.get(clerk, id)).fingers).toHaveLength(10);
    expect((await s.enrollment.counts()).total).toBe(saved.length);
    expect(await s.client.call('store.integrityCheck', {})).toEqual(['ok']);
    await s.dispose();

    const again = await openTest(dir);
    expect((await again.enrollment.createDraft(clerk, fullPatch(20))).status).toBe('draft');
    expect((await again.enrollment.counts()).total).toBe(saved.length + 1);
    await again.dispose();
  });

  it('a file that is not a database: STORE_CORRUPT and the file is left untouched', async () => {
    const dir = temp();
    await (await openTest(dir)).dispose();
    const file = path.join(dir, 'enrollment.db');
    rmSync(`${file}-wal`, { force: true });
    rmSync(`${file}-shm`, { force: true });
    writeFileSync(file, Buffer.alloc(64 * 1024, 0x5a));
    const before = sha(file);
    const error = await openTest(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreCorruptError);
    expect(sha(file)).toBe(before);
  });

  it('corrupted b-tree pages: STORE_CORRUPT from quick_check at open and from the integrity check; never recreated', async () => {
    const dir = temp();
    const s = await openTest(dir);
    for (let i = 1; i <= 3; i++) await s.enrollment.createDraft(clerk, fullPatch(i));
    await s.dispose();
    const file = path.join(dir, 'enrollment.db');
    const size = statSync(file).size;
    const fd = openSync(file, 'r+');
    for (let page = 2; page * 4096 < Math.min(size, 40 * 4096); page++) writeSync(fd, Buffer.alloc(16, 0xff), 0, 16, (page - 1) * 4096);
    closeSync(fd);
    const before = sha(file);
    await expect(openTest(dir, { store: { quickCheckOnOpen: 'always' } })).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    expect(sha(file)).toBe(before);
    // After a clean shutdown the default open skips the full check; the corruption still surfaces as STORE_CORRUPT.
    const outcome = await openTest(dir).then(
      async (s) => {
        try {
          await s.client.call('store.integrityCheck', {});
          return 'no error';
        } catch (error) {
          return error;
        } finally {
          await s.dispose();
        }
      },
      (error: unknown) => error,
    );
    expect(outcome).toBeInstanceOf(StoreCorruptError);
  });

  it('after an unclean shutdown the next open runs quick_check', async () => {
    const dir = temp();
    await (await openTest(dir)).dispose();
    const db = new Database(path.join(dir, 'enrollment.db'));
    expect(db.prepare("SELECT value FROM meta WHERE key = 'session.open'").get()).toEqual({ value: '0' });
    db.prepare("UPDATE meta SET value = '1' WHERE key = 'session.open'").run(); // as if the process had been killed
    db.close();
    const size = statSync(path.join(dir, 'enrollment.db')).size;
    const fd = openSync(path.join(dir, 'enrollment.db'), 'r+');
    for (let page = 2; page * 4096 <= size; page++) writeSync(fd, Buffer.alloc(16, 0xff), 0, 16, (page - 1) * 4096);
    closeSync(fd);
    await expect(openTest(dir)).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
  });

  it('a database written by a newer app: STORE_NEWER_THAN_APP', async () => {
    const dir = temp();
    await (await openTest(dir)).dispose();
    const db = new Database(path.join(dir, 'enrollment.db'));
    db.pragma('user_version = 99');
    db.close();
    const error = await openTest(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreNewerThanAppError);
    expect(error).toMatchObject({ details: { databaseVersion: 99 } });
  });

  it('database deleted but key ring present: refused, not recreated; wrong passphrase: KEY_UNWRAP_FAILED', async () => {
    const dir = temp();
    await (await openTest(dir)).dispose();
    await expect(openTest(dir, { protector: testProtector('not the passphrase') })).rejects.toMatchObject({ code: 'KEY_UNWRAP_FAILED' });
    for (const f of ['enrollment.db', 'enrollment.db-wal', 'enrollment.db-shm']) rmSync(path.join(dir, f), { force: true });
    await expect(openTest(dir)).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    expect(() => statSync(path.join(dir, 'enrollment.db'))).toThrow();
  });
});
