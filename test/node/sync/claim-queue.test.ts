// The PostgreSQL claim queue on its own: two owners never hold one packet, a lease expires and the next claim counts
// the abandoned pass, a failed pass keeps the packet out of reach for the spacing, release hands leases back, the
// advisory enrollment lock serialises two sessions, and the gallery change feed returns entries in sequence order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresRegistryStore } from '../../../sync/registry/store/postgres.js';
import type { PacketRow } from '../../../sync/registry/store/types.js';
import { hasPostgres, startPostgres, type TestPostgres } from '../../helpers/postgres.js';

const row = (id: string): PacketRow => ({ packetId: id, kioskId: 'K-1', sha256: 'a'.repeat(64), size: 1, receivedAt: new Date().toISOString(), via: 'online', receipt: `{"r":"${id}"}`, status: 'received', reason: null, duplicateOf: null, rid: null, updatedAt: new Date().toISOString() });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!hasPostgres())('PostgreSQL claim queue, enrollment lock and change feed', () => {
  let pg: TestPostgres;
  let a: PostgresRegistryStore;
  let b: PostgresRegistryStore;
  beforeAll(async () => {
    pg = await startPostgres();
    a = new PostgresRegistryStore(pg.url, { schema: 'q1' });
    b = new PostgresRegistryStore(pg.url, { schema: 'q1' });
    await a.init();
    await b.init();
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await pg?.stop();
  });

  it('claims each packet once across owners; leases expire, failures back off, release hands back', async () => {
    for (let i = 0; i < 20; i++) expect((await a.insertPacket(row(`P${i}`))).inserted).toBe(true);
    expect((await a.insertPacket(row('P0'))).inserted).toBe(false);
    expect(await a.shared.queueDepth()).toEqual({ waiting: 20, leased: 0 });
    const [x, y] = await Promise.all([a.shared.claim('A', 60_000, 12), b.shared.claim('B', 60_000, 12)]);
    const ids = [...x, ...y].map((c) => c.row.packetId);
    expect(ids.length).toBe(20);
    expect(new Set(ids).size).toBe(20);
    expect((await a.shared.claim('C', 60_000, 5)).length).toBe(0);
    expect(await a.shared.queueDepth()).toEqual({ waiting: 0, leased: 20 });

    // A hands back; B's leases are left to expire (B "died") after being shortened.
    expect(await a.shared.release('A')).toBe(x.length);
    await b.shared.renew('B', y.map((c) => c.row.packetId), 50);
    await sleep(120);
    const again = await a.shared.claim('C', 60_000, 50);
    expect(again.length).toBe(20);
    for (const c of again) expect(c.attempts).toBe(y.some((d) => d.row.packetId === c.row.packetId) ? 1 : 0);

    // A failed pass: counted once, out of reach for the spacing, then claimable again.
    const first = again[0]!.row.packetId;
    expect(await a.shared.fail(first, 300)).toBeGreaterThanOrEqual(1);
    for (const c of again.slice(1)) await a.shared.complete(c.row.packetId);
    expect((await a.shared.claim('D', 60_000, 5)).length).toBe(0);
    await sleep(350);
    const back = await a.shared.claim('D', 60_000, 5);
    expect(back.map((c) => c.row.packetId)).toEqual([first]);
    await a.shared.complete(first);
    expect(await a.shared.queueDepth()).toEqual({ waiting: 0, leased: 0 });
  });

  it('a claim of one leases exactly one packet while uploads and other claims run (no stray leases)', async () => {
    // Uploads arrive while two owners claim one at a time and complete: every lease taken is one handed out.
    let handedOut = 0;
    let stray = 0;
    const uploads = (async () => {
      for (let i = 0; i < 150; i++) await Promise.all([a.insertPacket(row(`U${i}a`)), b.insertPacket(row(`U${i}b`))]);
    })();
    let uploading = true;
    void uploads.finally(() => (uploading = false));
    // Each owner renews what it holds all the while, as a registry process does (renewals re-lock claimed rows).
    const held = new Map<string, string>();
    const renewals = (async () => {
      while (uploading) {
        for (const owner of ['A1', 'A2', 'B1', 'B2']) await (owner.startsWith('A') ? a : b).shared.renew(owner, [...held].filter(([, o]) => o === owner).map(([id]) => id), 60_000);
        await sleep(1);
      }
    })();
    const hand = async (store: PostgresRegistryStore, owner: string) => {
      for (;;) {
        const got = await store.shared.claim(owner, 60_000, 1);
        for (const g of got) held.set(g.row.packetId, owner);
        if (got.length > 1) stray += got.length - 1;
        if (got.length === 0) {
          if (!uploading) return;
          await sleep(2);
          continue;
        }
        handedOut++;
        const leased = await store.shared.queueDepth();
        expect(leased.leased).toBeLessThanOrEqual(4); // at most the four hands' own leases
        await store.shared.complete(got[0]!.row.packetId, got[0]!.fence);
        held.delete(got[0]!.row.packetId);
      }
    };
    await Promise.all([uploads, renewals, hand(a, 'A1'), hand(a, 'A2'), hand(b, 'B1'), hand(b, 'B2')]);
    expect(stray).toBe(0);
    expect(handedOut).toBe(300);
    expect(await a.shared.queueDepth()).toEqual({ waiting: 0, leased: 0 });
  }, 60_000);

  it('serialises the enrollment lock across sessions and feeds the gallery in sequence order', async () => {
    const order: string[] = [];
    const hold = (name: string) =>
      a.shared.withEnrollLock(async () => {
        order.push(`${name}+`);
        await sleep(60);
        order.push(`${name}-`);
      });
    await Promise.all([hold('1'), b.shared.withEnrollLock(async () => void order.push('2+', '2-')), hold('3')]);
    for (let i = 0; i < order.length; i += 2) expect(order[i + 1]).toBe(order[i]!.replace('+', '-'));

    const seen: string[] = [];
    const stop = await b.shared.listen((what) => seen.push(what));
    const s0 = await a.shared.gallerySeq();
    await a.putBiometric('RID-1', new Uint8Array([1]));
    await a.putBiometric('RID-2', new Uint8Array([2]));
    await a.putBiometric('RID-1', new Uint8Array([3])); // replaced: comes again with a new sequence number
    const feed = await b.shared.biometricsSince(s0, 10);
    expect(feed.map((f) => f.rid)).toEqual(['RID-2', 'RID-1']);
    expect(feed[1]!.entry).toEqual(new Uint8Array([3]));
    expect(await b.shared.gallerySeq()).toBe(feed[1]!.seq);
    await sleep(200);
    expect(seen).toContain('gallery');
    await stop();
  });
});
