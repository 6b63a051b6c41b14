// Processing stage around the BiometricDedup hook (a stub here: this tests the registry's use of the hook; the real
// matchers are in biometric-dedup.test.ts): a hook that throws leaves that packet for the next pass without blocking
// the others; duplicate_of and evidence from the hook reach the signed status; possible duplicates are audited.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KioskError } from '../../../main/contract/errors.js';
import { rawPublicKeyOf } from '../../../sync/packet/index.js';
import type { BiometricDedup } from '../../../sync/registry/processing.js';
import { openRegistry } from '../../../sync/registry/runtime.js';
import { makePacket, newIdentity } from '../../../sync/testing/synthetic-packets.js';
import { tempDir } from './harness.js';

describe('registry processing with a biometric dedup hook', () => {
  const tmp = tempDir('sync-processing-');
  afterAll(() => tmp.cleanup());

  it('isolates a failing packet, records duplicate_of with evidence, audits possible duplicates', async () => {
    let broken = true;
    const enrolled: string[] = [];
    const hook: BiometricDedup = {
      async search({ rid }) {
        if (rid.endsWith('-1') && broken) throw new KioskError('DEDUP_WORKER_FAILED', 'worker died');
        if (rid.endsWith('-2')) return { duplicateOf: 'RID-X-0', score: 30, evidence: { decision: 'duplicate', llr: 30 } };
        if (rid.endsWith('-3')) return { duplicateOf: null, score: 10, evidence: { decision: 'possible_duplicate', llr: 10 } };
        return { duplicateOf: null, score: -5, evidence: { decision: 'no_match', llr: -5 } };
      },
      async enroll({ rid }) {
        enrolled.push(rid);
      },
    };
    const registry = await openRegistry({ dataDir: path.join(tmp.dir, 'r'), biometricDedup: hook });
    try {
      const id = newIdentity();
      await registry.register({ token: await registry.issueToken({ centreId: id.centreId }), kioskId: id.kioskId, centreId: id.centreId, publicKey: rawPublicKeyOf(id.privateKey).toString('base64') });
      const kiosk = (await registry.store.getKiosk(id.kioskId))!;
      const key = registry.keys.encryptionPublicKey;
      for (let i = 0; i < 4; i++) {
        const p = makePacket(id, key, i, { recordId: `P${i}`, rid: `RID-X-${i}` });
        await registry.storePacket(kiosk, p.packetId, p.bytes, 'online');
      }
      await registry.idle();
      await registry.processPending();
      const status = async (i: number) => (await registry.store.getPacket(`P${i}`))!;
      expect((await status(1)).status).toBe('validated');
      expect((await status(0)).status).toBe('accepted');
      expect(await status(2)).toMatchObject({ status: 'duplicate', duplicateOf: 'RID-X-0' });
      expect((await status(3)).status).toBe('accepted');
      const doc = await registry.statusDoc(await status(2));
      expect(doc.payload.evidence).toEqual({ decision: 'duplicate', llr: 30 });
      const audit = await registry.store.listAudit(100);
      expect(audit.some((a) => a.event === 'packet.processing-failed' && a.code === 'DEDUP_WORKER_FAILED' && a.details.packetId === 'P1')).toBe(true);
      expect(audit.some((a) => a.event === 'packet.possible-duplicate' && a.details.packetId === 'P3')).toBe(true);
      // The next pass retries it.
      broken = false;
      expect(await registry.processPending()).toBe(1);
      expect((await status(1)).status).toBe('accepted');
      expect(enrolled.sort()).toEqual(['RID-X-0', 'RID-X-1', 'RID-X-3']);
    } finally {
      await registry.dispose();
      await registry.closeStore();
    }
  });
});
