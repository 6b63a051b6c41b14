// `--concurrency N` over PostgreSQL: a hand that found the claim queue empty stops, and new work starts hands again up
// to N. Before, a packet uploaded while another was being processed waited for that one to finish (one hand working
// through a whole batch: bench registry-cluster 1 × 3 at 1.5 packets/s).
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rawPublicKeyOf } from '../../../sync/packet/index.js';
import type { BiometricDedup } from '../../../sync/registry/processing.js';
import { openRegistry } from '../../../sync/registry/runtime.js';
import { makePacket, newIdentity } from '../../../sync/testing/synthetic-packets.js';
import { hasPostgres, useTestPostgres } from '../../helpers/postgres.js';
import { tempDir } from './harness.js';

describe.skipIf(!hasPostgres())('processing hands over the claim queue', () => {
  const pg = useTestPostgres();
  const tmp = tempDir('hands-');
  afterAll(() => tmp.cleanup());

  it('a packet arriving while another is processed is taken by a second hand at once, not after the first', async () => {
    const gates = new Map<string, () => void>();
    const started: string[] = [];
    let onStart: ((rid: string) => void) | null = null;
    // The registry's biometric dedup hook: each search waits until the test opens its gate.
    const dedup: BiometricDedup = {
      async search({ rid }) {
        started.push(rid);
        onStart?.(rid);
        await new Promise<void>((r) => gates.set(rid, r));
        return { duplicateOf: null, score: -5, evidence: { decision: 'no_match' } };
      },
      async enroll() {},
    };
    // No poll within the test (60 s): only the upload's own signal can start a hand.
    const reg = await openRegistry({ dataDir: path.join(tmp.dir, 'r'), postgresUrl: pg.url, postgresSchema: 'hands', biometricDedup: dedup, processId: 'H', processingConcurrency: 2, pollMs: 60_000 });
    try {
      const id = newIdentity();
      await reg.register({ token: await reg.issueToken({ centreId: id.centreId }), kioskId: id.kioskId, centreId: id.centreId, publicKey: rawPublicKeyOf(id.privateKey).toString('base64') });
      const kiosk = (await reg.store.getKiosk(id.kioskId))!;
      const searchOf = (rid: string) => new Promise<void>((resolve, reject) => {
        if (started.includes(rid)) return resolve();
        const timer = setTimeout(() => reject(new Error(`no hand took ${rid} within 5 s (started: ${started.join(', ')})`)), 5000);
        onStart = (r) => r === rid && (clearTimeout(timer), resolve());
      });
      const p1 = makePacket(id, reg.keys.encryptionPublicKey, 0, { recordId: 'H-1', rid: 'RID-H-1' });
      await reg.storePacket(kiosk, p1.packetId, p1.bytes, 'online');
      await searchOf('RID-H-1');
      // The second hand has found the queue empty and stopped by now.
      await new Promise((r) => setTimeout(r, 300));
      const p2 = makePacket(id, reg.keys.encryptionPublicKey, 1, { recordId: 'H-2', rid: 'RID-H-2' });
      await reg.storePacket(kiosk, p2.packetId, p2.bytes, 'online');
      await searchOf('RID-H-2'); // while RID-H-1's search is still held
      expect(gates.has('RID-H-1')).toBe(true);
      expect(started).toEqual(['RID-H-1', 'RID-H-2']);
      for (const open of gates.values()) open();
      await reg.idle();
      expect((await reg.store.getPacket(p1.packetId))!.status).toBe('accepted');
      expect((await reg.store.getPacket(p2.packetId))!.status).toBe('accepted');
      expect(await reg.store.shared!.queueDepth()).toEqual({ waiting: 0, leased: 0 });
    } finally {
      for (const open of gates.values()) open();
      await reg.dispose();
      await reg.closeStore();
    }
  }, 60_000);
});
