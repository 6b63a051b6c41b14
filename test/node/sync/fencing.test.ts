// Fencing tokens on the PostgreSQL claim queue: a process whose lease expired mid-work cannot commit (nor fail, nor
// complete) after another process claimed the packet: its writes are refused with LeaseLostError (LEASE_LOST) and
// nothing is written twice. First the queue on its own, then two registries over one throwaway cluster with a pass
// stalled past its lease; last, a packet store outage is retried without being counted toward quarantine.
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LeaseLostError } from '../../../sync/errors.js';
import { rawPublicKeyOf } from '../../../sync/packet/index.js';
import type { BiometricDedup } from '../../../sync/registry/processing.js';
import { openRegistry } from '../../../sync/registry/runtime.js';
import { S3PacketStore } from '../../../sync/registry/store/s3/s3-packet-store.js';
import { PostgresRegistryStore } from '../../../sync/registry/store/postgres.js';
import type { PacketRow } from '../../../sync/registry/store/types.js';
import { makePacket, newIdentity } from '../../../sync/testing/synthetic-packets.js';
import { hasPostgres, useTestPostgres } from '../../helpers/postgres.js';
import { tempDir } from './harness.js';

const row = (id: string): PacketRow => ({ packetId: id, kioskId: 'K-1', sha256: 'a'.repeat(64), size: 1, receivedAt: new Date().toISOString(), via: 'online', receipt: `{"r":"${id}"}`, status: 'received', reason: null, duplicateOf: null, rid: null, updatedAt: new Date().toISOString() });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!hasPostgres())('fencing tokens on the claim queue', () => {
  const pg = useTestPostgres();
  const tmp = tempDir('fencing-');
  afterAll(() => tmp.cleanup());

  it('refuses the commit, fail and complete of a claim whose lease was taken over', async () => {
    const a = new PostgresRegistryStore(pg.url, { schema: 'fq' });
    const b = new PostgresRegistryStore(pg.url, { schema: 'fq' });
    await a.init();
    await b.init();
    try {
      await a.insertPacket(row('P1'));
      const [first] = await a.shared.claim('A', 50, 1);
      expect(first!.fence).toBe(1);
      await sleep(120); // A's lease expires mid-work
      const [second] = await b.shared.claim('B', 60_000, 1);
      expect(second!.fence).toBe(2);
      expect(second!.attempts).toBe(1); // the abandoned pass counts

      let ran = false;
      const late = a.shared.fenced('P1', first!.fence, async () => void (ran = true), { finish: true });
      await expect(late).rejects.toBeInstanceOf(LeaseLostError);
      await expect(late).rejects.toMatchObject({ code: 'LEASE_LOST', details: { packetId: 'P1', fence: 1, current: 2 } });
      expect(ran).toBe(false);
      // A's late failure must not hand B's lease back, nor count an attempt.
      await expect(a.shared.fail('P1', 1000, first!.fence)).rejects.toBeInstanceOf(LeaseLostError);
      await expect(a.shared.complete('P1', first!.fence)).rejects.toBeInstanceOf(LeaseLostError);
      expect(await a.shared.queueDepth()).toEqual({ waiting: 0, leased: 1 });

      // B commits; while B's commit holds the row, even an expired lease cannot be claimed by anyone else.
      await b.shared.renew('B', ['P1'], 1);
      await sleep(20);
      let claimedMeanwhile = -1;
      await b.shared.fenced(
        'P1',
        second!.fence,
        async () => {
          claimedMeanwhile = (await a.shared.claim('C', 60_000, 5)).length;
          await b.setPacketStatus('P1', 'accepted', {}, new Date().toISOString());
        },
        { finish: true },
      );
      expect(claimedMeanwhile).toBe(0);
      expect(await a.shared.queueDepth()).toEqual({ waiting: 0, leased: 0 });
      expect((await a.getPacket('P1'))!.status).toBe('accepted');
      // After the packet left the queue, a stale completion is harmless and a stale commit is refused.
      await a.shared.complete('P1', first!.fence);
      await expect(a.shared.fenced('P1', second!.fence, async () => undefined)).rejects.toMatchObject({ code: 'LEASE_LOST', details: { current: null } });
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('a registry pass stalled past its lease cannot write over the process that took the packet over', async () => {
    let openGate!: () => void;
    const gate = new Promise<void>((r) => (openGate = r));
    let searching!: () => void;
    const searchStarted = new Promise<void>((r) => (searching = r));
    const enrolled: string[] = [];
    // Biometric dedup hooks (this tests the registry's use of the hook): A's search stalls until the gate opens.
    let catchUps = 0;
    const hook = (name: string, stall: boolean): BiometricDedup => ({
      // B is told once that the gallery moved since its search, at its second catch-up (the first, before the lock,
      // finds nothing new): it searches again under the enrollment lock, inside its fenced commit (the evidence write
      // nested in the commit must not wait for its own row lock).
      ...(stall ? {} : { catchUp: async (rid?: string) => (rid && catchUps++ === 1 ? 1 : 0) }),
      async search() {
        if (stall) {
          searching();
          await gate;
        }
        return { duplicateOf: null, score: -5, evidence: { decision: 'no_match', by: name } };
      },
      async enroll({ rid }) {
        enrolled.push(`${name}:${rid}`);
      },
    });
    const dataDir = path.join(tmp.dir, 'r'); // shared: one key set and one packet folder for both processes
    const common = { dataDir, postgresUrl: pg.url, postgresSchema: 'fr' };
    const a = await openRegistry({ ...common, biometricDedup: hook('A', true), processId: 'A', leaseMs: 200 });
    const b = await openRegistry({ ...common, biometricDedup: hook('B', false), processId: 'B', leaseMs: 60_000 });
    try {
      const id = newIdentity();
      await a.register({ token: await a.issueToken({ centreId: id.centreId }), kioskId: id.kioskId, centreId: id.centreId, publicKey: rawPublicKeyOf(id.privateKey).toString('base64') });
      const kiosk = (await a.store.getKiosk(id.kioskId))!;
      const p = makePacket(id, a.keys.encryptionPublicKey, 0, { recordId: 'PF-1', rid: 'RID-F-1' });
      await a.storePacket(kiosk, p.packetId, p.bytes, 'online'); // A claims it and stalls in the search
      await searchStarted;
      await sleep(500); // A's lease (200 ms, not renewed: no lease timer running) expires
      expect(await b.processClaimed(b.store.shared!)).toBe(1);
      expect((await b.store.getPacket('PF-1'))!.status).toBe('accepted');
      openGate();
      await a.idle();

      expect((await a.store.getPacket('PF-1'))!.status).toBe('accepted');
      expect(enrolled).toEqual(['B:RID-F-1']); // A enrolled nothing: no second gallery entry
      expect(JSON.parse((await a.store.getEvidence('PF-1'))!)).toMatchObject({ by: 'B' });
      const audit = await a.store.listAudit(100);
      expect(audit.filter((x) => x.event === 'packet.lease-lost').map((x) => [x.code, x.details.processId, x.details.fence])).toEqual([['LEASE_LOST', 'A', 1]]);
      expect(audit.some((x) => x.event === 'packet.processing-failed' || x.event === 'packet.quarantined')).toBe(false);
      expect(audit.filter((x) => x.event === 'packet.researched').map((x) => x.details.underLock)).toEqual([true]);
      expect((await a.store.galleryDelta(null, 0, 10)).map((g) => g.rid)).toEqual(['RID-F-1']);
      expect(await a.store.shared!.queueDepth()).toEqual({ waiting: 0, leased: 0 });
    } finally {
      openGate();
      await a.dispose();
      await b.dispose();
      await a.closeStore();
      await b.closeStore();
    }
  });

  it('a packet store that does not answer fails the pass without counting it: never quarantined for an outage', async () => {
    const closedPort = await new Promise<number>((r) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const port = (srv.address() as net.AddressInfo).port;
        srv.close(() => r(port));
      });
    });
    const down = new S3PacketStore({ endpoint: `http://127.0.0.1:${closedPort}`, bucket: 'packets', region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, retries: 0 });
    const r = await openRegistry({ dataDir: path.join(tmp.dir, 'down'), postgresUrl: pg.url, postgresSchema: 'fdown', packetStore: down, processingRetry: { maxAttempts: 2, spacingMs: 30 } });
    try {
      const id = newIdentity();
      await r.register({ token: await r.issueToken({ centreId: id.centreId }), kioskId: id.kioskId, centreId: id.centreId, publicKey: rawPublicKeyOf(id.privateKey).toString('base64') });
      await r.store.insertPacket({ ...row('PD-1'), kioskId: id.kioskId });
      for (let pass = 0; pass < 4; pass++) {
        expect(await r.processClaimed(r.store.shared!)).toBe(0);
        await sleep(60); // past the spacing: claimable again
      }
      expect((await r.store.getPacket('PD-1'))!.status).toBe('received');
      const audit = await r.store.listAudit(50);
      // At least one failed pass per call (a slow pass can outlast the 30 ms spacing and claim it again in one call).
      expect(audit.filter((x) => x.event === 'packet.processing-failed' && x.code === 'PACKET_STORE_UNREACHABLE').length).toBeGreaterThanOrEqual(4);
      expect(audit.some((x) => x.event === 'packet.quarantined')).toBe(false);
      const [again] = await r.store.shared!.claim('X', 60_000, 1);
      expect(again).toMatchObject({ attempts: 0, row: { packetId: 'PD-1' } });
    } finally {
      await r.dispose();
      await r.closeStore();
      await down.dispose();
    }
  });
});

