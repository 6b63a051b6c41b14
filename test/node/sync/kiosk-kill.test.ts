// Kiosk SIGKILL during upload: a child kiosk process uploads its on-disk outbox through a slow, lossy link and is
// killed at random points, then restarted; finally it runs to the end. Every packet must be stored exactly once,
// every record end acknowledged, and nothing may ever be purged before its acknowledgement.
// The child is bundled once with esbuild (no tsx start-up per round) into test-artifacts/ (git-ignored).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileOutbox } from '../../../sync/engine/file-outbox.js';
import { FaultProxy } from '../../../sync/testing/fault-proxy.js';
import { bundleChild } from '../../helpers/bundle-child.js';
import { projectRoot } from '../../helpers/fixtures.js';
import { backendStore, makePacket, registerNew, startTestRegistry, tempDir, type TestRegistry } from './harness.js';

const COUNT = 40;
const KILLS = 5;
const outDir = path.join(projectRoot, 'test-artifacts', `sync-kiosk-kill-${process.pid}`);

function runChild(childJs: string, outboxDir: string, configFile: string, killAfterMs: number | null): Promise<'killed' | 'done'> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childJs, outboxDir, configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    const failsafe = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (killAfterMs !== null && out.includes('ready\n')) timer ??= setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(failsafe);
      if (signal === 'SIGKILL' && killAfterMs !== null) resolve('killed');
      else if (code === 0 && /done 0\n/.test(out)) resolve('done');
      else reject(new Error(`kiosk child ended with code ${code} signal ${signal}: ${out.slice(-500)} ${err.slice(0, 2000)}`));
    });
  });
}

describe('kiosk SIGKILL during upload', () => {
  const tmp = tempDir('sync-kill-');
  let reg: TestRegistry;
  let proxy: FaultProxy;
  let release: () => Promise<void>;
  let childJs = '';

  beforeAll(async () => {
    const b = await backendStore('sqlite');
    release = b.release;
    reg = await startTestRegistry(b, path.join(tmp.dir, 'registry'));
    // ~1 Mbit/s with 40 ms latency and some lost connections: uploads are in flight when the kiosk dies.
    proxy = await FaultProxy.start({ targetPort: reg.running.port, seed: 5, latencyMs: 40, bandwidthBytesPerSec: 125_000, faults: { 'drop-request': 0.05, 'reset-after-commit': 0.05 }, dropWithinBytes: 12_000 });
    childJs = await bundleChild({ entries: ['test/node/sync/upload-child.ts'], outDir, external: 'all' });
  });
  afterAll(async () => {
    await proxy.close();
    await reg.close();
    await release();
    rmSync(outDir, { recursive: true, force: true });
    tmp.cleanup();
  });

  it(`${COUNT} packets survive ${KILLS} kiosk SIGKILLs mid-upload: stored exactly once, all acknowledged, none purged early`, async () => {
    const { identity, registration } = await registerNew(reg);
    const outboxDir = path.join(tmp.dir, 'kiosk');
    const configFile = path.join(tmp.dir, 'kiosk.json');
    writeFileSync(configFile, JSON.stringify({ kioskId: identity.kioskId, centreId: identity.centreId, privateKeyPem: identity.privateKey.export({ format: 'pem', type: 'pkcs8' }), registration: { ...registration, registryUrl: proxy.url } }));
    const sha = new Map<string, string>();
    const seed = new FileOutbox(outboxDir);
    for (let i = 0; i < COUNT; i++) {
      const p = makePacket(identity, registration.encryptionPublicKey, i, { bytes: 20_000 + ((i * 7919) % 30_000) });
      sha.set(p.packetId, createHash('sha256').update(p.bytes).digest('hex'));
      await seed.add(p.packetId, p.bytes);
    }

    const purgedEarly: string[] = [];
    const checkOutbox = async () => {
      for (const e of await new FileOutbox(outboxDir).all()) {
        if (e.state === 'purged' && (e.acknowledgedAt === null || e.receipt === null)) purgedEarly.push(e.packetId);
        if (e.state === 'purged' && (await reg.running.registry.store.getPacket(e.packetId))?.status !== 'accepted') purgedEarly.push(e.packetId);
      }
    };
    const killAfter = [400, 900, 1500, 700, 2500];
    let killed = 0;
    let progressed = 0;
    for (const ms of killAfter.slice(0, KILLS)) {
      const before = (await reg.running.registry.store.listPackets(identity.kioskId)).length;
      if ((await runChild(childJs, outboxDir, configFile, ms)) === 'killed') killed++;
      await checkOutbox();
      if ((await reg.running.registry.store.listPackets(identity.kioskId)).length > before) progressed++;
    }
    expect(await runChild(childJs, outboxDir, configFile, null)).toBe('done');
    await checkOutbox();

    expect(killed).toBe(KILLS);
    expect(progressed).toBeGreaterThan(0); // the kills really landed mid-upload, between packets being stored
    expect(purgedEarly).toEqual([]);
    await reg.running.registry.idle();
    const rows = await reg.running.registry.store.listPackets(identity.kioskId);
    expect(rows.length).toBe(COUNT);
    expect(new Set(rows.map((r) => r.packetId)).size).toBe(COUNT);
    for (const r of rows) {
      expect(r.sha256).toBe(sha.get(r.packetId));
      expect(r.status).toBe('accepted');
    }
    const entries = await new FileOutbox(outboxDir).all();
    expect(entries.length).toBe(COUNT);
    expect(entries.every((e) => e.state === 'purged' && e.acknowledgedAt !== null && e.receipt !== null)).toBe(true);
  }, 300_000);
});
