// Sync benchmarks: upload throughput on loopback (1 MB packets), through an emulated 256 kbit/s + 300 ms RTT link,
// registry intake + processing throughput, and the exactly-once run (≥ 500 packets under random faults + restarts).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Benchmark, BenchResult } from '../benchmark.js';
import { RegistryClient, registerKiosk } from '../../sync/engine/client.js';
import { FileOutbox } from '../../sync/engine/file-outbox.js';
import { SyncEngine } from '../../sync/engine/sync-engine.js';
import { serveRegistry, type RunningRegistry } from '../../sync/registry/runtime.js';
import { FaultProxy } from '../../sync/testing/fault-proxy.js';
import { makePacket, newIdentity } from '../../sync/testing/synthetic-packets.js';

async function withRegistry<T>(fn: (r: RunningRegistry, dir: string) => Promise<T>, options: { postgresUrl?: string } = {}): Promise<T> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-sync-'));
  const r = await serveRegistry({ dataDir: path.join(dir, 'registry'), ...options });
  try {
    return await fn(r, dir);
  } finally {
    await r.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function kiosk(r: RunningRegistry, dir: string, name: string, count: number, bytes: number) {
  const identity = newIdentity();
  const registration = await registerKiosk(r.url, await r.registry.issueToken({ centreId: identity.centreId }), identity);
  const outbox = new FileOutbox(path.join(dir, name));
  let total = 0;
  for (let i = 0; i < count; i++) {
    const p = makePacket(identity, registration.encryptionPublicKey, i, { bytes });
    total += p.bytes.length;
    await outbox.add(p.packetId, p.bytes);
  }
  return { identity, registration, outbox, total };
}

const loopback: Benchmark = {
  id: 'sync-upload-loopback',
  title: 'Upload 1 MB packets on loopback (chunks 256 KiB, receipts verified)',
  async run(): Promise<BenchResult[]> {
    return withRegistry(async (r, dir) => {
      const n = 40;
      const k = await kiosk(r, dir, 'k', n, 1024 * 1024);
      const engine = new SyncEngine(k.outbox, new RegistryClient(k.identity, k.registration), { chunkBytes: 256 * 1024 });
      let uploadedAt = 0;
      let count = 0;
      engine.on('uploaded', () => {
        if (++count === n) uploadedAt = performance.now();
      });
      const t0 = performance.now();
      await engine.syncUntilIdle(50);
      const t1 = performance.now();
      await engine.dispose();
      const s = (uploadedAt - t0) / 1000;
      return [
        { metric: 'upload packets/s (1 MB)', value: n / s, unit: 'packets/s' },
        { metric: 'upload throughput', value: k.total / 2 ** 20 / s, unit: 'MB/s' },
        { metric: 'upload → all acknowledged', value: (t1 - t0) / 1000, unit: 's', note: `${n} packets` },
      ];
    });
  },
};

const slowLink: Benchmark = {
  id: 'sync-upload-slow-link',
  title: 'Upload through an emulated 256 kbit/s, 300 ms RTT link (fault proxy, no faults)',
  async run(): Promise<BenchResult[]> {
    return withRegistry(async (r, dir) => {
      const proxy = await FaultProxy.start({ targetPort: r.port, latencyMs: 150, bandwidthBytesPerSec: 32_000 });
      try {
        const n = 4;
        const k = await kiosk(r, dir, 'slow', n, 48 * 1024);
        const engine = new SyncEngine(k.outbox, new RegistryClient(k.identity, { ...k.registration, registryUrl: proxy.url }), { chunkBytes: 64 * 1024 });
        const t0 = performance.now();
        let t1 = 0;
        let count = 0;
        engine.on('uploaded', () => {
          if (++count === n) t1 = performance.now();
        });
        await engine.syncUntilIdle(20);
        await engine.dispose();
        const s = (t1 - t0) / 1000;
        const kbps = (k.total * 8) / 1000 / s;
        return [
          { metric: 'goodput on 256 kbit/s link', value: kbps, unit: 'kbit/s', note: `${n} × ${(k.total / n / 1024).toFixed(0)} KiB packets` },
          { metric: 'link utilisation', value: (100 * kbps) / 256, unit: '%' },
          { metric: 'time per packet', value: s / n, unit: 's' },
        ];
      } finally {
        await proxy.close();
      }
    });
  },
};

async function intakeRun(label: string, postgresUrl?: string): Promise<BenchResult[]> {
  return withRegistry(
    async (r, dir) => {
      const n = 300;
      const k = await kiosk(r, dir, 'intake', 0, 0);
      const kioskRow = (await r.registry.store.getKiosk(k.identity.kioskId))!;
      const packets = Array.from({ length: n }, (_, i) => makePacket(k.identity, k.registration.encryptionPublicKey, i, { bytes: 20_000 }));
      const t0 = performance.now();
      for (const p of packets) await r.registry.storePacket(kioskRow, p.packetId, p.bytes, 'online');
      const t1 = performance.now();
      await r.registry.idle();
      await r.registry.processPending();
      const t2 = performance.now();
      const accepted = (await r.registry.store.listPackets(k.identity.kioskId)).filter((x) => x.status === 'accepted').length;
      return [
        { metric: `intake (store + receipt), ${label}`, value: n / ((t1 - t0) / 1000), unit: 'packets/s' },
        { metric: `intake + processing, ${label}`, value: n / ((t2 - t0) / 1000), unit: 'packets/s' },
        { metric: `accepted, ${label}`, value: accepted, unit: 'packets', target: `= ${n}`, pass: accepted === n },
      ];
    },
    postgresUrl ? { postgresUrl } : {},
  );
}

const intake: Benchmark = {
  id: 'sync-registry-intake',
  title: 'Registry intake + processing (open, validate, dedup, accept), 20 KB packets (SQLite; PostgreSQL when SYNC_BENCH_POSTGRES_URL is set)',
  async run(): Promise<BenchResult[]> {
    const pg = process.env.SYNC_BENCH_POSTGRES_URL;
    return [...(await intakeRun('SQLite')), ...(pg ? await intakeRun('PostgreSQL', pg) : [])];
  },
};

const exactlyOnce: Benchmark = {
  id: 'sync-exactly-once-faults',
  title: 'Exactly-once: 500 packets through random faults with 3 registry restarts',
  async run(): Promise<BenchResult[]> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-sync-eo-'));
    let r = await serveRegistry({ dataDir: path.join(dir, 'registry') });
    const proxy = await FaultProxy.start({
      targetPort: r.port,
      seed: 3,
      faults: { 'drop-request': 0.07, 'reset-after-commit': 0.07, 'status-503': 0.04, 'status-500': 0.03, 'duplicate-response': 0.05, 'duplicate-request': 0.05, delay: 0.04 },
      dropWithinBytes: 12_000,
    });
    try {
      const n = Number(process.env.SYNC_FAULT_PACKETS ?? 500);
      const k = await kiosk(r, dir, 'eo', n, 6000);
      const sha = new Map((await k.outbox.all()).map((e) => [e.packetId, e.sha256]));
      const engine = new SyncEngine(k.outbox, new RegistryClient(k.identity, { ...k.registration, registryUrl: proxy.url }, { timeoutMs: 5000 }), { chunkBytes: 4096, retentionMs: 0, backoffBaseMs: 5, backoffCapMs: 200, stepAttempts: 12 });
      const t0 = performance.now();
      const sync = engine.syncUntilIdle(500);
      for (let i = 0; i < 3; i++) {
        await new Promise((res) => setTimeout(res, 2000));
        const port = r.port;
        await r.close();
        r = await serveRegistry({ dataDir: path.join(dir, 'registry'), port });
      }
      const report = await sync;
      const t1 = performance.now();
      await engine.dispose();
      await r.registry.idle();
      const rows = await r.registry.store.listPackets(k.identity.kioskId);
      const exact = rows.length === n && new Set(rows.map((x) => x.packetId)).size === n && rows.every((x) => x.sha256 === sha.get(x.packetId) && x.status === 'accepted');
      const faults = Object.entries(proxy.stats).filter(([f]) => f !== 'pass').reduce((a, [, v]) => a + v, 0);
      const ack = (await k.outbox.all()).filter((e) => e.acknowledgedAt !== null).length;
      return [
        { metric: 'packets stored exactly once', value: exact ? n : 0, unit: 'packets', target: `= ${n}`, pass: exact },
        { metric: 'kiosk records acknowledged', value: ack, unit: 'packets', target: `= ${n}`, pass: ack === n && report.pending === 0 },
        { metric: 'injected faults', value: faults, unit: 'connections', note: `of ${Object.values(proxy.stats).reduce((a, b) => a + b, 0)}` },
        { metric: 'throughput under faults', value: n / ((t1 - t0) / 1000), unit: 'packets/s' },
      ];
    } finally {
      await proxy.close();
      await r.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export const benchmarks: Benchmark[] = [loopback, slowLink, intake, exactlyOnce];

