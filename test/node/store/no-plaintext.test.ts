// A stolen kiosk must leak nothing readable: scan every store file for known PII and biometric bytes.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eraseKeyring } from '../../../main/store/crypto/keyring.js';
import { clerk, contains, fullPatch, openTest, supervisorCreds, tempDataDir } from './helpers.js';

function storeFiles(dir: string): Buffer[] {
  return readdirSync(dir)
    .filter((f) => f.startsWith('enrollment.db'))
    .map((f) => readFileSync(path.join(dir, f)));
}

function needles(patch: ReturnType<typeof fullPatch>): { label: string; bytes: Buffer }[] {
  const d = patch.demographics!;
  const out: { label: string; bytes: Buffer }[] = [];
  for (const key of ['givenNameAr', 'familyNameAr', 'givenNameLatin', 'familyNameLatin', 'nationalNumber', 'phone', 'addressLine'] as const) {
    const v = d[key];
    if (!v) continue;
    out.push({ label: `${key} utf8`, bytes: Buffer.from(v, 'utf8') }, { label: `${key} utf16`, bytes: Buffer.from(v, 'utf16le') });
  }
  for (const f of patch.fingers!.slice(0, 3)) {
    const px = Buffer.from(f.image.pixels);
    out.push({ label: `finger ${f.position} pixels`, bytes: px.subarray(px.length / 2, px.length / 2 + 48) });
    out.push({ label: `finger ${f.position} template`, bytes: Buffer.from(f.template).subarray(16, 64) });
  }
  const face = Buffer.from(patch.face!.image);
  out.push({ label: 'face jpeg', bytes: face.subarray(1000, 1048) });
  const emb = patch.face!.embedding;
  out.push({ label: 'embedding', bytes: Buffer.from(emb.buffer, emb.byteOffset, 64) });
  return out;
}

describe('no plaintext on disk', () => {
  const t = tempDataDir();
  afterAll(() => t.cleanup());

  it('db, -wal and -journal hold no names, national numbers, images or templates (draft, captured and sealed)', async () => {
    const s = await openTest(t.dir);
    const patches = [fullPatch(1, 42), fullPatch(2, 42), fullPatch(3, 42)];
    const ids: string[] = [];
    for (const p of patches) ids.push((await s.enrollment.createDraft(clerk, p)).id);
    await s.enrollment.transition(clerk, ids[1]!, 'captured');
    await s.enrollment.transition(clerk, ids[2]!, 'captured');
    await s.enrollment.transition(clerk, ids[2]!, 'pending_approval');
    await s.enrollment.transition(clerk, ids[2]!, 'approved', { supervisor: supervisorCreds });
    // Scan while open (WAL holds recent pages) and after close (checkpointed into the db).
    const scan = () => {
      const files = storeFiles(t.dir);
      expect(files.length).toBeGreaterThanOrEqual(1);
      const leaks: string[] = [];
      for (const p of patches) for (const n of needles(p)) if (files.some((f) => contains(f, n.bytes))) leaks.push(n.label);
      return leaks;
    };
    expect(existsSync(path.join(t.dir, 'enrollment.db-wal'))).toBe(true);
    expect(scan()).toEqual([]);
    await s.dispose();
    expect(scan()).toEqual([]);
    // Positive control: the scanner does find bytes that are there (the clear kiosk id and status).
    expect(storeFiles(t.dir).some((f) => contains(f, Buffer.from('K-TEST-01')))).toBe(true);
    // Key ring and logs hold no PII either.
    const ring = readFileSync(path.join(t.dir, 'keyring.json'));
    for (const p of patches) for (const n of needles(p)) expect(contains(ring, n.bytes)).toBe(false);
  });

  it('crypto-erase: destroying the key ring makes the store unreadable and it is never silently recreated', async () => {
    eraseKeyring(t.dir);
    expect(existsSync(path.join(t.dir, 'keyring.json'))).toBe(false);
    await expect(openTest(t.dir)).rejects.toMatchObject({ code: 'KEYRING_MISSING' });
    expect(existsSync(path.join(t.dir, 'keyring.json'))).toBe(false);
  });
});
