// The gallery at rest: encrypted snapshot (bulk typed arrays) + encrypted append-only log; restart, checkpoint,
// interrupted checkpoint, torn tail, tampering, wrong key; and the entry codec.
import { randomBytes } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GalleryStore, LOG_FILE, SNAPSHOT_FILE, type LogOp } from '../../../main/dedup/gallery-store.js';
import { decodeEntry, encodeEntry } from '../../../models/dedup/codec.js';
import { faces, fingers, startHarness, tempDir } from './helpers.js';

const FOUR = [1, 2, 6, 7] as const;

describe('GalleryStore (log)', () => {
  const dirs: (() => void)[] = [];
  afterEach(() => dirs.splice(0).forEach((c) => c()));
  const dir = () => {
    const t = tempDir();
    dirs.push(t.cleanup);
    return t.dir;
  };
  const up = (id: string): LogOp => ({ op: 'upsert', gallery: 'main', data: encodeEntry({ id, source: 'local', face: faces.capture(id.length, 0), fingers: [] }) });

  it('replays appended records in order after reopening; the payload (ids included) is not in clear', () => {
    const d = dir();
    const key = randomBytes(32);
    const s = new GalleryStore({ dir: d, key });
    s.append([up('ALPHA-1'), up('BETA-22'), { op: 'remove', gallery: 'main', id: 'ALPHA-1' }, { ...up('OP-1'), gallery: 'operators' } as LogOp]);
    s.dispose();
    const raw = readFileSync(path.join(d, LOG_FILE));
    expect(raw.includes(Buffer.from('ALPHA-1'))).toBe(false);
    expect(raw.includes(Buffer.from('BETA-22'))).toBe(false);
    const again = new GalleryStore({ dir: d, key });
    const ops = [...again.replay()];
    expect(ops.map((o) => [o.op, o.gallery, o.op === 'remove' ? o.id : decodeEntry(o.data).id])).toEqual([
      ['upsert', 'main', 'ALPHA-1'],
      ['upsert', 'main', 'BETA-22'],
      ['remove', 'main', 'ALPHA-1'],
      ['upsert', 'operators', 'OP-1'],
    ]);
    again.dispose();
  });

  it('fails with DEDUP_GALLERY_CORRUPT under the wrong key or a flipped byte', () => {
    const d = dir();
    const key = randomBytes(32);
    const s = new GalleryStore({ dir: d, key });
    s.append([up('A'), up('B')]);
    s.dispose();
    const wrong = new GalleryStore({ dir: d, key: randomBytes(32) });
    expect(() => [...wrong.replay()]).toThrow(expect.objectContaining({ code: 'DEDUP_GALLERY_CORRUPT' }));
    wrong.dispose();
    const file = path.join(d, LOG_FILE);
    const b = readFileSync(file);
    b[b.length - 40] = b[b.length - 40]! ^ 1;
    writeFileSync(file, b);
    const tampered = new GalleryStore({ dir: d, key });
    expect(() => [...tampered.replay()]).toThrow(expect.objectContaining({ code: 'DEDUP_GALLERY_CORRUPT' }));
    tampered.dispose();
  });

  it('cuts off a torn last record and keeps the rest', () => {
    const d = dir();
    const key = randomBytes(32);
    const s = new GalleryStore({ dir: d, key });
    s.append([up('A'), up('B')]);
    s.dispose();
    appendFileSync(path.join(d, LOG_FILE), Buffer.from([200, 1, 0, 0, 1, 0, 9, 9, 9]));
    const again = new GalleryStore({ dir: d, key });
    expect(again.truncatedBytes).toBe(9);
    expect([...again.replay()]).toHaveLength(2);
    again.dispose();
  });

  it('refuses a log whose snapshot is missing, or a snapshot without its log', async () => {
    const d = dir();
    const key = randomBytes(32);
    const h = await startHarness(d, key);
    await h.service.addEnrollment({ id: 'E1', face: faces.capture(1, 0), fingers: [] });
    await h.service.checkpoint();
    await h.service.addEnrollment({ id: 'E2', face: faces.capture(2, 0), fingers: [] });
    await h.dispose();
    const snap = readFileSync(path.join(d, SNAPSHOT_FILE));
    const log = readFileSync(path.join(d, LOG_FILE));
    const { rmSync } = await import('node:fs');
    rmSync(path.join(d, SNAPSHOT_FILE));
    expect(() => new GalleryStore({ dir: d, key })).toThrow(expect.objectContaining({ code: 'DEDUP_GALLERY_CORRUPT' }));
    writeFileSync(path.join(d, SNAPSHOT_FILE), snap);
    rmSync(path.join(d, LOG_FILE));
    expect(() => new GalleryStore({ dir: d, key })).toThrow(expect.objectContaining({ code: 'DEDUP_GALLERY_CORRUPT' }));
    writeFileSync(path.join(d, LOG_FILE), log);
    const ok = new GalleryStore({ dir: d, key });
    expect(ok.snapshot!.sections.find((x) => x.gallery === 'main' && x.size > 0)).toBeDefined();
    ok.dispose();
  });
});

describe('snapshot + log through the service', () => {
  const dirs: (() => void)[] = [];
  afterEach(() => dirs.splice(0).forEach((c) => c()));

  it('restores the exact gallery from a snapshot plus the log since, and stays searchable', async () => {
    const t = tempDir();
    dirs.push(t.cleanup);
    const key = randomBytes(32);
    const h = await startHarness(t.dir, key);
    for (let s = 1; s <= 20; s++) await h.service.addEnrollment({ id: `E${s}`, face: s % 5 ? faces.capture(s, 0) : null, fingers: fingers(s, 0, [...FOUR]) });
    await h.service.setOperator({ id: 'OP-1', face: faces.capture(900, 0), fingers: [] });
    await h.service.checkpoint();
    expect((await h.service.stats()).logBytes).toBeLessThan(100);
    // after the snapshot: a removal, a replacement and a new entry go to the log
    await h.service.removeEnrollment('E3');
    await h.service.addEnrollment({ id: 'E4', face: faces.capture(44, 0), fingers: [] });
    await h.service.addEnrollment({ id: 'E21', face: faces.capture(21, 0), fingers: fingers(21, 0, [...FOUR]) });
    const before = await h.service.stats();
    await h.restart();
    const after = await h.service.stats();
    expect(after).toMatchObject({ entries: 20, local: 20, faces: before.faces, fingers: before.fingers, operatorEntries: 1 });
    expect(after.snapshotBytes).toBeGreaterThan(0);
    const raw = readFileSync(path.join(t.dir, SNAPSHOT_FILE));
    expect(raw.includes(Buffer.from('E21'))).toBe(false);
    expect(raw.includes(Buffer.from('OP-1'))).toBe(false);
    expect((await h.service.search({ face: faces.capture(12, 1), fingers: fingers(12, 1, [...FOUR]) })).candidates[0]).toMatchObject({ id: 'E12', decision: 'duplicate' });
    expect((await h.service.search({ face: faces.capture(44, 1), fingers: [] })).candidates[0]!.id).toBe('E4');
    expect((await h.service.search({ face: faces.capture(3, 1), fingers: fingers(3, 1, [...FOUR]) })).decision).toBe('no_match');
    expect((await h.service.search({ face: faces.capture(900, 1), fingers: [] })).operatorMatches.map((m) => m.operatorId)).toEqual(['OP-1']);
    // a second checkpoint after the restart, then once more from the snapshot alone
    await h.service.checkpoint();
    await h.restart();
    expect((await h.service.stats()).entries).toBe(20);
    expect((await h.service.search({ face: faces.capture(21, 2), fingers: [] })).candidates[0]!.id).toBe('E21');
    await h.dispose();
  });

  it('checkpoints by itself when the log passes checkpointBytes, and keeps the snapshot shard count', async () => {
    const t = tempDir();
    dirs.push(t.cleanup);
    const key = randomBytes(32);
    const h = await startHarness(t.dir, key, { checkpointBytes: 20_000, workers: 3 });
    for (let s = 1; s <= 12; s++) await h.service.addEnrollment({ id: `E${s}`, face: faces.capture(s, 0), fingers: fingers(s, 0, [...FOUR]) });
    const s1 = await h.service.stats();
    expect(s1.snapshotBytes).toBeGreaterThan(0);
    expect(s1.logBytes).toBeLessThan(20_000);
    await h.restart({ workers: 2 });
    const s2 = await h.service.stats();
    expect(s2).toMatchObject({ entries: 12, shards: 3 });
    expect((await h.service.search({ face: faces.capture(9, 1), fingers: fingers(9, 1, [...FOUR]) })).candidates[0]!.id).toBe('E9');
    await h.dispose();
  });

  it('recovers from a crash between writing the snapshot and resetting the log', async () => {
    const t = tempDir();
    dirs.push(t.cleanup);
    const key = randomBytes(32);
    const h = await startHarness(t.dir, key);
    for (let s = 1; s <= 5; s++) await h.service.addEnrollment({ id: `E${s}`, face: faces.capture(s, 0), fingers: [] });
    const oldLog = readFileSync(path.join(t.dir, LOG_FILE));
    await h.service.checkpoint();
    await h.dispose();
    // the old log back in place = the rename of the fresh log never happened
    writeFileSync(path.join(t.dir, LOG_FILE), oldLog);
    await h.restart();
    expect((await h.service.stats()).entries).toBe(5);
    await h.service.addEnrollment({ id: 'E6', face: faces.capture(6, 0), fingers: [] });
    await h.restart();
    expect((await h.service.stats()).entries).toBe(6);
    await h.dispose();
  });

  it('refuses a tampered snapshot with a typed error', async () => {
    const t = tempDir();
    dirs.push(t.cleanup);
    const key = randomBytes(32);
    const h = await startHarness(t.dir, key);
    await h.service.addEnrollment({ id: 'E1', face: faces.capture(1, 0), fingers: fingers(1, 0, [...FOUR]) });
    await h.service.checkpoint();
    await h.dispose();
    const file = path.join(t.dir, SNAPSHOT_FILE);
    const b = readFileSync(file);
    b[b.length - 100] = b[b.length - 100]! ^ 1;
    writeFileSync(file, b);
    await expect(startHarness(t.dir, key)).rejects.toMatchObject({ code: 'DEDUP_GALLERY_CORRUPT' });
    await expect(startHarness(t.dir, randomBytes(32))).rejects.toMatchObject({ code: 'DEDUP_GALLERY_CORRUPT' });
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
