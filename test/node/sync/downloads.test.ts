// Registry-signed downloads: verified by the kiosk; tampering in transit, wrong kind and rollback refused.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RegistryClient, verifyDownload } from '../../../sync/engine/client.js';
import { FileOutbox } from '../../../sync/engine/file-outbox.js';
import { SyncEngine } from '../../../sync/engine/sync-engine.js';
import { FaultProxy } from '../../../sync/testing/fault-proxy.js';
import { BACKENDS, makePacket, registerNew, useTestRegistry } from './harness.js';

describe.each(BACKENDS)('signed downloads (%s)', (backend) => {
  const { tmp, registry } = useTestRegistry(backend, 'sync-dl-');

  it('serves config, ID schema, locations, operators, revocations and regional gallery deltas, all verified', async () => {
    const r = registry().running.registry;
    await r.publish('config', { sync: { intervalSeconds: 900 }, fingersRequired: 10 });
    await r.publish('config', { sync: { intervalSeconds: 600 }, fingersRequired: 10 });
    await r.publish('id-schema', { version: 2, fields: [{ name: 'nationalNumber', pattern: '^[23][0-9]{13}$' }] });
    await r.publish('locations', { governorates: [{ code: '01', name: 'Cairo' }] });
    await r.publish('operators', [{ operatorId: 'OP-1', role: 'operator' }]);
    await r.revokeOperator('OP-9');
    const { identity, registration } = await registerNew(registry());
    const client = new RegistryClient(identity, registration);

    const config = await client.download('config', { minVersion: 1 });
    expect(config.payload).toMatchObject({ kind: 'config', version: 2, data: { sync: { intervalSeconds: 600 } } });
    expect((await client.download('id-schema')).payload.data).toMatchObject({ version: 2 });
    expect((await client.download('locations')).payload.data).toMatchObject({ governorates: [{ code: '01' }] });
    expect((await client.download('operators')).payload.data).toEqual([{ operatorId: 'OP-1', role: 'operator' }]);
    expect((await client.download('revocations')).payload.data).toMatchObject({ operators: [{ operatorId: 'OP-9' }] });
    await expect(client.download('config', { minVersion: 3 })).rejects.toMatchObject({ code: 'REGISTRY_RESPONSE_INVALID', details: { reason: expect.stringContaining('rollback') } });
    expect(() => verifyDownload(config, client.signingKey, 'id-schema')).toThrow(/not a id-schema/);

    // Accepted packets of this centre appear in its gallery delta, in order, after `since`.
    const outbox = new FileOutbox(path.join(tmp.dir, 'kiosk'));
    for (let i = 0; i < 3; i++) {
      const p = makePacket(identity, registration.encryptionPublicKey, 500 + i);
      await outbox.add(p.packetId, p.bytes);
    }
    const engine = new SyncEngine(outbox, client, { backoffBaseMs: 10 });
    await engine.syncUntilIdle(20);
    await engine.dispose();
    const delta = await client.download('gallery-delta', { since: 0 });
    const entries = (delta.payload.data as { entries: { seq: number; rid: string; embedding: string }[] }).entries;
    expect(entries.length).toBe(3);
    expect(Buffer.from(entries[0]!.embedding, 'base64').length).toBe(32);
    const after = await client.download('gallery-delta', { since: entries[1]!.seq });
    expect((after.payload.data as { entries: unknown[] }).entries.length).toBe(1);
  });

  it('refuses a config or gallery delta modified in transit', async () => {
    const { identity, registration } = await registerNew(registry());
    await registry().running.registry.publish('config', { sync: { intervalSeconds: 600 }, fingersRequired: 10 });
    for (const [kind, from, to] of [
      ['config', '"intervalSeconds":600', '"intervalSeconds":999'],
      ['gallery-delta', '"rid":"RID-', '"rid":"XID-'],
    ] as const) {
      const mitm = await FaultProxy.start({ targetPort: registry().running.port, rewriteResponse: (b) => Buffer.from(b.toString('latin1').replace(from, to), 'latin1') });
      try {
        const client = new RegistryClient(identity, { ...registration, registryUrl: mitm.url });
        if (kind === 'gallery-delta') {
          const outbox = new FileOutbox(path.join(tmp.dir, 'kiosk-mitm'));
          const p = makePacket(identity, registration.encryptionPublicKey, 900);
          await outbox.add(p.packetId, p.bytes);
          const engine = new SyncEngine(outbox, new RegistryClient(identity, registration), { backoffBaseMs: 10 });
          await engine.syncUntilIdle(20);
          await engine.dispose();
        }
        await expect(client.download(kind, kind === 'gallery-delta' ? { since: 0 } : {})).rejects.toMatchObject({ code: 'REGISTRY_RESPONSE_INVALID', details: { reason: `${kind} signature` } });
      } finally {
        await mitm.close();
      }
    }
  });
});
