// The re-search under the enrollment lock covers only the persons enrolled since a packet's first search
// (sync/registry/biometrics/matcher-dedup.ts): two MatcherDedup instances over one PostgreSQL schema stand for two
// registry processes. Process 1 searches a copy of a person before process 2 enrolls the original (and another
// person); after catching up, process 1's second search looks at just those two rows and finds the duplicate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packetParts } from '../../../main/enrollment/packet-parts.js';
import { placeholderJpeg } from '../../../main/enrollment/synthetic.js';
import type { OpenedPacket } from '../../../sync/packet/index.js';
import { MatcherDedup, type DedupEvidence } from '../../../sync/registry/biometrics/matcher-dedup.js';
import type { RegistryStore } from '../../../sync/registry/store/types.js';
import { hasPostgres } from '../../helpers/postgres.js';
import { capture, type Capture } from './bio-packets.js';
import { backendStore } from './harness.js';

async function opened(rid: string, c: Capture): Promise<{ rid: string; centreId: string; packet: OpenedPacket }> {
  const parts = await packetParts({ face: { image: placeholderJpeg(1, 4000), quality: {}, embedding: c.face, capturedAt: new Date().toISOString() }, fingers: c.fingers, exceptions: [] });
  const packet = { manifest: { rid, record: { demographics: {}, fingers: [] } }, parts: new Map(parts.map((p) => [p.name, Buffer.from(p.data)])) } as unknown as OpenedPacket;
  return { rid, centreId: 'C-01', packet };
}

describe.skipIf(!hasPostgres())('registry re-search of the persons enrolled meanwhile (PostgreSQL change feed)', () => {
  let release: () => Promise<void>;
  const stores: RegistryStore[] = [];
  const dedups: MatcherDedup[] = [];

  beforeAll(async () => {
    const b = await backendStore('postgres');
    release = b.release;
    for (let i = 0; i < 2; i++) {
      const s = (await b.make())!;
      stores.push(s);
      dedups.push(await MatcherDedup.open({ store: s, extractors: 1, verifyFingers: 1 }));
    }
  }, 120_000);
  afterAll(async () => {
    for (const d of dedups) await d.dispose();
    for (const s of stores) await s.close();
    await release?.();
  });

  it('searches only the new rows and still finds the copy enrolled by the other process', async () => {
    const [p1, p2] = dedups as [MatcherDedup, MatcherDedup];
    const original = await opened('C-01.K-1.20261204.X', capture(41, 0));
    const other = await opened('C-01.K-1.20261204.Z', capture(42, 0));
    const copy = await opened('C-01.K-1.20261204.Y', capture(41, 1));

    const first = await p1.search(copy);
    expect(first?.duplicateOf).toBeNull();
    for (const e of [other, original]) {
      expect((await p2.search(e))?.duplicateOf).toBeNull();
      await stores[1]!.shared!.withEnrollLock(() => p2.enroll(e));
    }

    expect(await p1.catchUp(copy.rid)).toBe(2);
    const again = await p1.search(copy);
    expect(again?.duplicateOf).toBe(original.rid);
    expect(p1.researches).toEqual({ delta: 1, full: 0 });
    const ev = again!.evidence as DedupEvidence;
    expect(ev.decision).toBe('duplicate');
    // The first search saw an empty gallery, the second the two persons enrolled since.
    expect(ev.searched).toBe(2);
    expect(ev.templates.source).toBe('kiosk');
  }, 240_000);
});
