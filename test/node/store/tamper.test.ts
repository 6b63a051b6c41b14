// Tampering is detected and names the record: flipped bytes, blobs swapped between rows or fields, audit edits.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntryHash } from '../../../main/store/audit-hash.js';
import type { StoreServices } from '../../../main/store/index.js';
import { TamperDetectedError } from '../../../main/store/errors.js';
import { clerk, fullPatch, openTest, tempDataDir } from './helpers.js';

describe('tamper detection', () => {
  const t = tempDataDir();
  let ids: string[] = [];

  beforeAll(async () => {
    const s = await openTest(t.dir);
    ids = [(await s.enrollment.createDraft(clerk, fullPatch(1))).id, (await s.enrollment.createDraft(clerk, fullPatch(2))).id, (await s.enrollment.createDraft(clerk, fullPatch(3))).id];
    await s.dispose();
  });
  afterAll(() => t.cleanup());

  function offline(fn: (db: Database.Database) => void) {
    const db = new Database(path.join(t.dir, 'enrollment.db'));
    try {
      fn(db);
    } finally {
      db.close();
    }
  }

  async function withStore<T>(fn: (s: StoreServices) => Promise<T>): Promise<T> {
    const s = await openTest(t.dir);
    try {
      return await fn(s);
    } finally {
      await s.dispose();
    }
  }

  it('a flipped byte in a blob fails with TamperDetectedError naming record and field', async () => {
    offline((db) => {
      const row = db.prepare("SELECT data FROM enrollment_blob WHERE enrollment_id = ? AND field = 'finger.3.image'").get(ids[0]) as { data: Buffer };
      row.data[row.data.length >> 1]! ^= 0x01;
      db.prepare("UPDATE enrollment_blob SET data = ? WHERE enrollment_id = ? AND field = 'finger.3.image'").run(row.data, ids[0]);
    });
    const error = await withStore((s) => s.enrollment.get(clerk, ids[0]!).catch((e: unknown) => e));
    expect(error).toBeInstanceOf(TamperDetectedError);
    expect(error).toMatchObject({ code: 'TAMPER_DETECTED', details: { recordId: ids[0], field: 'finger.3.image' } });
  });

  it('a blob swapped between rows fails to decrypt in its new row', async () => {
    offline((db) => {
      const a = db.prepare("SELECT data FROM enrollment_blob WHERE enrollment_id = ? AND field = 'face.image'").get(ids[1]) as { data: Buffer };
      const b = db.prepare("SELECT data FROM enrollment_blob WHERE enrollment_id = ? AND field = 'face.image'").get(ids[2]) as { data: Buffer };
      db.prepare("UPDATE enrollment_blob SET data = ? WHERE enrollment_id = ? AND field = 'face.image'").run(b.data, ids[1]);
      db.prepare("UPDATE enrollment_blob SET data = ? WHERE enrollment_id = ? AND field = 'face.image'").run(a.data, ids[2]);
    });
    await withStore(async (s) => {
      await expect(s.enrollment.get(clerk, ids[1]!)).rejects.toMatchObject({ code: 'TAMPER_DETECTED', details: { recordId: ids[1], field: 'face.image' } });
      await expect(s.enrollment.get(clerk, ids[2]!)).rejects.toMatchObject({ code: 'TAMPER_DETECTED', details: { recordId: ids[2], field: 'face.image' } });
    });
  });

  it('a blob moved to another field of the same row fails, and so do swapped demographics', async () => {
    offline((db) => {
      // Swap the faces back so only the field move is under test for record 3.
      const a = db.prepare("SELECT data FROM enrollment_blob WHERE enrollment_id = ? AND field = 'face.image'").get(ids[1]) as { data: Buffer };
      const b = db.prepare("SELECT data FROM enrollment_blob WHERE enrollment_id = ? AND field = 'face.image'").get(ids[2]) as { data: Buffer };
      db.prepare("UPDATE enrollment_blob SET data = ? WHERE enrollment_id = ? AND field = 'face.image'").run(b.data, ids[1]);
      db.prepare("UPDATE enrollment_blob SET data = ? WHERE enrollment_id = ? AND field = 'face.image'").run(a.data, ids[2]);
      const r3 = db.prepare("SELECT data FROM enrollment_blob WHERE enrollment_id = ? AND field = 'finger.1.template'").get(ids[2]) as { data: Buffer };
      db.prepare("UPDATE enrollment_blob SET data = ? WHERE enrollment_id = ? AND field = 'finger.2.template'").run(r3.data, ids[2]);
      const d1 = db.prepare('SELECT demographics FROM enrollment WHERE id = ?').get(ids[1]) as { demographics: Buffer };
      db.prepare('UPDATE enrollment SET demographics = ? WHERE id = ?').run(d1.demographics, ids[0]);
    });
    await withStore(async (s) => {
      const list = await s.enrollment.list(clerk).catch((e: unknown) => e);
      expect(list).toMatchObject({ code: 'TAMPER_DETECTED', details: { recordId: ids[0], field: 'demographics' } });
      await expect(s.enrollment.get(clerk, ids[2]!)).rejects.toMatchObject({ code: 'TAMPER_DETECTED', details: { recordId: ids[2], field: 'finger.2.template' } });
      await expect(s.enrollment.get(clerk, ids[1]!)).resolves.toMatchObject({ id: ids[1] });
    });
  });

  it('an edited audit row breaks the chain at that entry; the append-only triggers refuse edits', async () => {
    offline((db) => {
      expect(() => db.prepare('UPDATE audit_log SET actor = ? WHERE seq = 2').run('mallory')).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 2').run()).toThrow(/append-only/);
      db.exec('DROP TRIGGER audit_log_no_update');
      db.prepare('UPDATE audit_log SET actor = ? WHERE seq = 2').run('mallory');
    });
    const report = await withStore((s) => s.verifyAudit());
    expect(report.ok).toBe(false);
    expect(report.firstBroken).toEqual({ seq: 2, reason: 'entry content does not match its hash' });
  });

  it('a recomputed chain is still caught by the signed checkpoint', async () => {
    offline((db) => {
      // The attacker rewrites entry 2 *and* rehashes everything after it — the signed checkpoint no longer matches.
      const rows = db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as { seq: number; at: number; actor: string; action: string; object_id: string | null; prev_hash: Buffer; hash: Buffer }[];
      let prev: Uint8Array = new Uint8Array(32);
      for (const r of rows) {
        const h = auditEntryHash(prev, r.seq, { at: r.at, actor: r.actor, action: r.action, objectId: r.object_id });
        db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, h, r.seq);
        prev = h;
      }
    });
    const report = await withStore((s) => s.verifyAudit());
    expect(report.ok).toBe(false);
    expect(report.firstBroken?.reason).toBe('entry differs from the signed checkpoint');
  });
});
