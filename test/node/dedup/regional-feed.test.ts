// The regional gallery feed: signed gallery-delta pages from a real registry on loopback into a real dedup gallery.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { RegionalGalleryFeed, regionalDeltaOf } from '../../../main/dedup/regional-feed.js';
import { RegistryClient } from '../../../sync/engine/client.js';
import { signDoc } from '../../../sync/protocol/signed-doc.js';
import { generateKeyPairSync } from 'node:crypto';
import { registerNew, useTestRegistry } from '../sync/harness.js';
import { faces, startHarness, tempDir } from './helpers.js';

function embeddingB64(v: Float32Array): string {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
}

describe('regional gallery feed', () => {
  const { registry } = useTestRegistry('sqlite', 'kiosk-regional-');
  const dirs: { cleanup(): void }[] = [];
  afterAll(() => dirs.forEach((d) => d.cleanup()));

  it('parses entries; malformed ones are skipped, never applied', () => {
    const good = faces.identity(1);
    const { delta, skipped } = regionalDeltaOf({ entries: [{ seq: 1, rid: 'R-1', embedding: embeddingB64(good) }, { seq: 2, rid: 'R-2', embedding: 'AAAA' }, { seq: 3, embedding: embeddingB64(good) }, { seq: 4, rid: 'R-4', embedding: null }] });
    expect(delta.upserts.map((e) => e.id)).toEqual(['rid:R-1']);
    expect(delta.upserts[0]!.source).toBe('regional');
    expect(skipped).toBe(3);
  });

  it('pulls every page after the cursor, survives restart, and a person enrolled elsewhere is found', async () => {
    const reg = registry();
    const { identity, registration } = await registerNew(reg);
    // People accepted centrally from this centre (the registry's processing stage writes these rows).
    for (let i = 0; i < 1_205; i++) await reg.running.registry.store.addGallery(`R-${i}`, identity.centreId, `p-${i}`, embeddingB64(faces.identity(1000 + i)));
    const tmp = tempDir();
    dirs.push(tmp);
    const h = await startHarness(tmp.dir, randomBytes(32));
    try {
      const feed = new RegionalGalleryFeed({ dedup: h.service, dataDir: tmp.dir });
      const client = new RegistryClient(identity, registration, {});
      const first = await feed.pull((since) => client.download('gallery-delta', { since, minVersion: since }));
      expect(first).toMatchObject({ pages: 2, upserted: 1_205, skipped: 0 });
      expect((await h.service.stats()).regional).toBe(1_205);
      // Nothing new: no page applied.
      expect(await feed.pull((since) => client.download('gallery-delta', { since, minVersion: since }))).toMatchObject({ pages: 0, upserted: 0, cursor: first.cursor });
      // A fresh photo of person R-7 (enrolled at another kiosk) is a duplicate candidate.
      const probe = faces.capture(1007, 1);
      const outcome = await h.service.search({ face: probe, fingers: [] });
      expect(outcome.candidates[0]).toMatchObject({ id: 'rid:R-7', source: 'regional' });
      expect(outcome.decision).not.toBe('no_match');
      // Restart: the gallery and the cursor stay; one more person arrives and only that page is pulled.
      await h.restart();
      const feed2 = new RegionalGalleryFeed({ dedup: h.service, dataDir: tmp.dir });
      await reg.running.registry.store.addGallery('R-new', identity.centreId, 'p-new', embeddingB64(faces.identity(5000)));
      expect(await feed2.pull((since) => client.download('gallery-delta', { since, minVersion: since }))).toMatchObject({ pages: 1, upserted: 1 });
      expect((await h.service.stats()).regional).toBe(1_206);
    } finally {
      await h.dispose();
    }
  });

  it('a page not signed by the registry is refused and nothing of it is applied', async () => {
    const reg = registry();
    const { identity, registration } = await registerNew(reg);
    const tmp = tempDir();
    dirs.push(tmp);
    const h = await startHarness(tmp.dir, randomBytes(32));
    try {
      const feed = new RegionalGalleryFeed({ dedup: h.service, dataDir: tmp.dir });
      const client = new RegistryClient(identity, registration, {});
      const forger = generateKeyPairSync('ed25519').privateKey;
      const forged = signDoc({ type: 'download' as const, kind: 'gallery-delta' as const, version: 9, issuedAt: new Date().toISOString(), data: { entries: [{ seq: 9, rid: 'R-X', embedding: embeddingB64(faces.identity(77)) }] } }, forger);
      const { verifyDownload } = await import('../../../sync/engine/client.js');
      await expect(feed.pull(async () => verifyDownload(forged, client.signingKey, 'gallery-delta'))).rejects.toMatchObject({ code: expect.any(String) });
      expect((await h.service.stats()).regional).toBe(0);
      expect(feed.cursor).toBe(0);
    } finally {
      await h.dispose();
    }
  });
});

describe('regional gallery feed: this kiosk’s own records (issue 17)', () => {
  it('skips RIDs the kiosk still holds locally, and a rewind brings them back once purged', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'regional-own-'));
    try {
      const downloads = path.join(dir, 'downloads');
      (await import('node:fs')).mkdirSync(downloads);
      const entries = [
        { seq: 1, rid: 'C-DEMO.K-DEMO-01.20261204.000001.11', embedding: embeddingB64(faces.identity(1)) },
        { seq: 2, rid: 'C-OTHER.K-2.20261204.000001.22', embedding: embeddingB64(faces.identity(2)) },
      ];
      writeFileSync(path.join(downloads, 'gallery-delta.2.json'), JSON.stringify({ payload: { kind: 'gallery-delta', version: 2, data: { entries } } }));
      const applied: string[] = [];
      const held = new Set(['C-DEMO.K-DEMO-01.20261204.000001.11']);
      const feed = new RegionalGalleryFeed({
        dedup: { applyRegionalDelta: async (d) => (applied.push(...d.upserts.map((e) => e.id)), { upserted: d.upserts.length, removed: 0 }) },
        dataDir: dir,
        heldLocally: async (rid) => held.has(rid),
      });
      await feed.applyProvisioned(downloads);
      // The kiosk's own record is not added a second time as a "regional" person.
      expect(applied).toEqual(['rid:C-OTHER.K-2.20261204.000001.22']);
      expect(feed.cursor).toBe(2);
      // The registry's retention purged the local record: rewound, the next read adds it as a regional entry.
      held.clear();
      feed.rewind();
      expect(feed.cursor).toBe(0);
      await feed.applyProvisioned(downloads);
      expect(applied).toContain('rid:C-DEMO.K-DEMO-01.20261204.000001.11');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
