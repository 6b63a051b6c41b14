// Encrypted append-only gallery log: round trip, restart, removal, compaction, torn tail, tampering, wrong key.
import { randomBytes } from 'node:crypto';
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileGalleryPersistence, type GalleryRecord } from '../../../main/dedup/persistence.js';
import { decodeEntry, encodeEntry } from '../../../models/dedup/codec.js';
import { faces, fingers, tempDir } from './helpers.js';

async function all(p: FileGalleryPersistence): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for await (const batch of p.loadAll()) for (const r of batch) out.set(r.id, r.data);
  return out;
}

const rec = (id: string, n: number): GalleryRecord => ({ id, data: new Uint8Array(n).fill(id.length) });

describe('FileGalleryPersistence', () => {
  const dirs: (() => void)[] = [];
  afterEach(() => dirs.splice(0).forEach((c) => c()));
  const open = (key = randomBytes(32)) => {
    const t = tempDir();
    dirs.push(t.cleanup);
    return { dir: t.dir, key };
  };

  it('round-trips records across reopen, with upsert replacing and remove deleting', async () => {
    const { dir, key } = open();
    let p = new FileGalleryPersistence({ dir, key });
    await p.upsert([rec('a', 10), rec('bb', 20), rec('ccc', 30)]);
    await p.upsert([rec('bb', 5)]);
    await p.remove(['a', 'missing']);
    p.dispose();
    p = new FileGalleryPersistence({ dir, key });
    const m = await all(p);
    expect([...m.keys()].sort()).toEqual(['bb', 'ccc']);
    expect(m.get('bb')).toEqual(new Uint8Array(5).fill(2));
    expect(p.count).toBe(2);
    p.dispose();
  });

  it('stores nothing in clear but ids: the payload is encrypted', async () => {
    const { dir, key } = open();
    const p = new FileGalleryPersistence({ dir, key });
    const marker = Buffer.from('FACE-EMBEDDING-PLAINTEXT-MARKER');
    await p.upsert([{ id: 'E1', data: new Uint8Array(marker) }]);
    p.dispose();
    expect(readFileSync(path.join(dir, 'gallery.kdg')).includes(marker)).toBe(false);
  });

  it('fails with a typed error under the wrong key or a tampered record', async () => {
    const { dir, key } = open();
    const p = new FileGalleryPersistence({ dir, key });
    await p.upsert([rec('a', 64)]);
    p.dispose();
    const wrong = new FileGalleryPersistence({ dir, key: randomBytes(32) });
    await expect(all(wrong)).rejects.toMatchObject({ code: 'DEDUP_GALLERY_CORRUPT' });
    wrong.dispose();
    const file = path.join(dir, 'gallery.kdg');
    const bytes = readFileSync(file);
    bytes[bytes.length - 20]! ^= 0xff;
    writeFileSync(file, bytes);
    const tampered = new FileGalleryPersistence({ dir, key });
    await expect(all(tampered)).rejects.toMatchObject({ code: 'DEDUP_GALLERY_CORRUPT' });
    tampered.dispose();
    expect(() => new FileGalleryPersistence({ dir, key: new Uint8Array(16) })).toThrow(/32 bytes/);
  });

  it('cuts off a torn last record and keeps the rest', async () => {
    const { dir, key } = open();
    const p = new FileGalleryPersistence({ dir, key });
    await p.upsert([rec('a', 10), rec('b', 10)]);
    p.dispose();
    const file = path.join(dir, 'gallery.kdg');
    const good = statSync(file).size;
    appendFileSync(file, Buffer.from([200, 0, 0, 0, 1, 1, 0, 99]));
    const q = new FileGalleryPersistence({ dir, key });
    expect(q.truncatedBytes).toBe(8);
    expect(statSync(file).size).toBe(good);
    expect([...(await all(q)).keys()].sort()).toEqual(['a', 'b']);
    await q.upsert([rec('c', 3)]);
    q.dispose();
    const r = new FileGalleryPersistence({ dir, key });
    expect([...(await all(r)).keys()].sort()).toEqual(['a', 'b', 'c']);
    r.dispose();
  });

  it('compacts superseded records (automatically past the ratio) without losing live ones', async () => {
    const { dir, key } = open();
    const p = new FileGalleryPersistence({ dir, key });
    for (let round = 0; round < 6; round++) await p.upsert(Array.from({ length: 20 }, (_, i) => rec(`id${i}`, 20_000 + round)));
    const file = path.join(dir, 'gallery.kdg');
    expect(statSync(file).size).toBeLessThan(6 * 20 * 20_000);
    p.compact();
    expect(statSync(file).size).toBeLessThan(21 * 20_100);
    const m = await all(p);
    expect(m.size).toBe(20);
    expect(m.get('id3')!.length).toBe(20_005);
    p.dispose();
    const again = new FileGalleryPersistence({ dir, key });
    expect((await all(again)).size).toBe(20);
    again.dispose();
  });
});

describe('entry codec', () => {
  it('round-trips an entry with face, templates and prefilter vectors', () => {
    const e = { id: 'E1', source: 'regional' as const, face: faces.capture(1, 0), fingers: fingers(1, 0, [3, 8]) };
    const d = decodeEntry(encodeEntry(e));
    expect(d.id).toBe('E1');
    expect(d.source).toBe('regional');
    expect(Array.from(d.face!)).toEqual(Array.from(e.face));
    expect(d.fingers.map((f) => f.position)).toEqual([3, 8]);
    expect(d.fingers[0]!.template).toEqual(e.fingers[0]!.template);
    const withIndex = decodeEntry(encodeEntry({ ...e, face: null, fingers: [{ ...e.fingers[0]!, index: new Int8Array(180).fill(-7) }] }));
    expect(withIndex.face).toBeNull();
    expect(Array.from(withIndex.fingers[0]!.index!)).toEqual(new Array(180).fill(-7));
  });

  it('rejects truncated or non-normalised input with typed errors', () => {
    const data = encodeEntry({ id: 'E1', source: 'local', face: faces.capture(1, 0), fingers: [] });
    expect(() => decodeEntry(data.subarray(0, data.length - 3))).toThrow(expect.objectContaining({ code: 'DEDUP_GALLERY_CORRUPT' }));
    expect(() => encodeEntry({ id: 'E1', source: 'local', face: new Float32Array(512).fill(1), fingers: [] })).toThrow(expect.objectContaining({ code: 'DEDUP_INPUT_INVALID' }));
  });
});
