// Exactly-once under a bad link: many packets through the fault-injecting proxy while the registry restarts.
// SYNC_FAULT_PACKETS sets the count (default 500, as the issue asks: ~45 s per backend on 2 cores; lower it locally for a quick run).
import { createHash } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../../sync/engine/client.js';
import { FileOutbox } from '../../../sync/engine/file-outbox.js';
import { SyncEngine } from '../../../sync/engine/sync-engine.js';
import { FaultProxy } from '../../../sync/testing/fault-proxy.js';
import { BACKENDS, backendStore, makePacket, registerNew, startTestRegistry, tempDir, type TestRegistry } from './harness.js';

const COUNT = Number(process.env.SYNC_FAULT_PACKETS ?? 500);

describe.each(BACKENDS)('exactly-once under faults and restarts (%s)', (backend) => {
  const tmp = tempDir('sync-faults-');
  let reg: TestRegistry;
  let proxy: FaultProxy;
  let release: () => Promise<void>;

  beforeAll(async () => {
    const b = await backendStore(backend);
    release = b.release;
    reg = await startTestRegistry(b, path.join(tmp.dir, 'registry'));
    proxy = await FaultProxy.start({
      targetPort: reg.running.port,
      seed: backend === 'sqlite' ? 7 : 11,
      faults: { 'drop-request': 0.07, 'reset-after-commit': 0.07, 'status-503': 0.04, 'status-500': 0.03, 'duplicate-response': 0.05, 'duplicate-request': 0.05, delay: 0.04 },
      dropWithinBytes: 12_000,
    });
  });
  afterAll(async () => {
    await proxy.close();
    await reg.close();
    await release();
    tmp.cleanup();
  });

  it(`${COUNT} packets: each stored exactly once, every record acknowledged, nothing purged before acknowledgement`, async () => {
    const { identity, registration } = await registerNew(reg);
    const viaProxy = { ...registration, registryUrl: proxy.url };
    const outbox = new FileOutbox(path.join(tmp.dir, 'kiosk'));
    const sha = new Map<string, string>();
    for (let i = 0; i < COUNT; i++) {
      const p = makePacket(identity, registration.encryptionPublicKey, i, { bytes: 1000 + ((i * 7919) % 18_000) });
      sha.set(p.packetId, createHash('sha256').update(p.bytes).digest('hex'));
      await outbox.add(p.packetId, p.bytes);
    }
    const engine = new SyncEngine(outbox, new RegistryClient(identity, viaProxy, { timeoutMs: 5000 }), { chunkBytes: 8192, retentionMs: 0, backoffBaseMs: 5, backoffCapMs: 200, stepAttempts: 12 });
    // At each purge, the kiosk entry must carry a verified final status and the registry must hold the packet.
    const violations: string[] = [];
    const checks: Promise<void>[] = [];
    engine.on('purged', ({ packetIds }) => {
      for (const id of packetIds) {
        checks.push(
          (async () => {
            const e = await outbox.get(id);
            if (!e?.status || e.status.payload.status !== 'accepted') violations.push(`${id} purged without an accepted status`);
            const row = await reg.running.registry.store.getPacket(id).catch(() => 'restarting' as const);
            if (row !== 'restarting' && (!row || row.status !== 'accepted')) violations.push(`${id} purged while registry status is ${row?.status ?? 'absent'}`);
          })(),
        );
      }
    });
    const failures: string[] = [];
    engine.on('failed', (e) => failures.push(e.error.code));

    let restarts = 0;
    const sync = engine.syncUntilIdle(200);
    const restarter = (async () => {
      for (let i = 0; i < 3; i++) {
        await new Promise((r) => setTimeout(r, 700));
        await reg.restart();
        proxy.setTarget(reg.running.port);
        restarts++;
      }
    })();
    const [report] = await Promise.all([sync, restarter]);
    await engine.dispose();
    await Promise.all(checks);

    expect(restarts).toBe(3);
    expect(report.pending).toBe(0);
    expect(violations).toEqual([]);
    // Faults really happened.
    expect(proxy.stats['drop-request'] + proxy.stats['reset-after-commit']).toBeGreaterThan(3);
    expect(proxy.stats['status-503'] + proxy.stats['status-500']).toBeGreaterThan(1);

    await reg.running.registry.idle();
    const rows = await reg.running.registry.store.listPackets(identity.kioskId);
    expect(rows.length).toBe(COUNT);
    expect(new Set(rows.map((r) => r.packetId)).size).toBe(COUNT);
    for (const r of rows) {
      expect(r.sha256).toBe(sha.get(r.packetId));
      expect(r.status).toBe('accepted');
    }
    expect(await reg.running.registry.store.countPackets()).toBe(COUNT);
    const entries = await outbox.all();
    expect(entries.length).toBe(COUNT);
    expect(entries.every((e) => e.state === 'purged' && e.acknowledgedAt !== null && e.receipt !== null)).toBe(true);
    if (proxy.stats['duplicate-request'] > 0) {
      const audit = await reg.running.registry.store.listAudit(100_000);
      expect(audit.some((a) => a.code === 'NONCE_REPLAYED')).toBe(true);
    }
  }, 60_000 + COUNT * 1000);
});
