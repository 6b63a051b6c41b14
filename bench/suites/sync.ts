// Sync benchmarks: upload throughput on loopback (1 MB packets), through an emulated 256 kbit/s + 300 ms RTT link,
// bytes on the wire per enrollment (face token JPEG + 10 WSQ fingers), registry intake + processing throughput (also
// with 100,000 accepted records already stored and the biometric dedup on), and the exactly-once run (≥ 500 packets
// under random faults + restarts).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Benchmark, BenchResult } from '../benchmark.js';
import { packetParts } from '../../main/enrollment/packet-parts.js';
import type { FingerCapture, FingerPosition } from '../../main/enrollment/model.js';
import { synthesizeImpression } from '../../drivers/synth/index.js';
import { encodeEntry } from '../../models/dedup/codec.js';
import { encodeKft1, mulberry32, randomMinutiae, randomUnit, SyntheticFaces } from '../../models/dedup/synthetic.js';
import { templateIndex } from '../../models/dedup/template-index.js';
import { extractTemplate, serializeTemplate } from '../../models/finger/index.js';
import { packageInfo } from '../../main/platform/package-info.js';
import { RegistryClient, registerKiosk } from '../../sync/engine/client.js';
import type { KioskIdentity } from '../../sync/engine/identity.js';
import { sealPacket, type PacketPart } from '../../sync/packet/index.js';
import { signDoc } from '../../sync/protocol/signed-doc.js';
import type { AcceptedSeed } from '../../sync/registry/store/types.js';
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
  title: `Exactly-once: ${Number(process.env.SYNC_FAULT_PACKETS ?? 500)} packets through random faults with 3 registry restarts`,
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

// ---- a realistic enrollment packet ----------------------------------------------------------------------------

const FINGERS: FingerPosition[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const faces = new SyntheticFaces(undefined, 11);

/** A capture-time face token like models/face makes it (600 × 800, quality 92, 4:4:4) from a fixture photo. */
async function captureToken(): Promise<{ jpeg: Uint8Array; source: string }> {
  const file = path.join(packageInfo().root, '..', 'shared', 'fixtures', 'faces', 'obama_1080p.jpg');
  if (!existsSync(file)) {
    const { placeholderJpeg } = await import('../../main/enrollment/synthetic.js');
    return { jpeg: placeholderJpeg(1, 30_000), source: 'placeholder 30 KB (fixture faces/obama_1080p.jpg missing)' };
  }
  const b = await sharp(readFileSync(file)).resize(600, 800, { fit: 'cover' }).jpeg({ quality: 92, chromaSubsampling: '4:4:4' }).toBuffer();
  return { jpeg: new Uint8Array(b), source: 'fixture photo as a 600×800 q92 token' };
}

/** Ten drivers/synth impressions (288 × 384, 500 ppi) with the kiosk's own KFT1 templates. */
function fingerCaptures(subject: string, impression: number): FingerCapture[] {
  const at = new Date().toISOString();
  return FINGERS.map((position) => {
    const imp = synthesizeImpression({ subject, finger: position, impression });
    const image = { width: imp.width, height: imp.height, ppi: 500, pixels: imp.pixels };
    return { position, image, template: serializeTemplate(extractTemplate(image)), templateFormat: 'kft1', quality: 70, attempts: 1, capturedAt: at };
  });
}

interface Enrollment {
  face: { image: Uint8Array; embedding: Float32Array };
  fingers: FingerCapture[];
}

function enrollmentOf(subject: number, impression: number, token: Uint8Array): Enrollment {
  return { face: { image: token, embedding: faces.capture(subject, impression) }, fingers: fingerCaptures(`BENCH-${subject}`, impression) };
}

function manifestRecord(e: Enrollment, nationalNumber: string) {
  const at = new Date().toISOString();
  return {
    schemaVersion: 1,
    idSchema: { id: 'egypt-national-id', version: 1 },
    demographics: { nationalNumber, givenNameAr: 'محمد', familyNameAr: 'عبد الرحمن', givenNameLatin: 'Mohamed', familyNameLatin: 'Abdelrahman', birthDate: '1990-01-01', sex: 'M', governorate: '01' },
    consent: { textVersion: 'v1', timestamp: at, method: 'signed_paper' },
    face: { quality: { score: 82, icao: { frontal: true, eyesOpen: true } }, capturedAt: at, embeddingDims: 512 },
    fingers: e.fingers.map((f) => ({ position: f.position, width: f.image.width, height: f.image.height, ppi: 500, quality: f.quality, attempts: 1, templateFormat: f.templateFormat, capturedAt: at })),
    exceptions: [],
    geo: { lat: 30.0444, lon: 31.2357 },
    versions: { software: '0.1.0', models: {} },
    operatorId: 'clerk',
    supervisorId: 'supervisor',
    createdAt: at,
  };
}

function sealEnrollment(identity: KioskIdentity, registryKey: string, id: string, e: Enrollment, parts: PacketPart[], nationalNumber: string, manifestVersion: 1 | 2 = 2) {
  return sealPacket({
    manifest: { recordId: id, rid: `C-01.${identity.kioskId}.20261123.${id}`, kioskId: identity.kioskId, centreId: identity.centreId, sealedAt: new Date().toISOString(), record: manifestRecord(e, nationalNumber) },
    parts,
    kioskPrivateKey: identity.privateKey,
    registryPublicKey: registryKey,
    manifestVersion,
  });
}

/** v1 parts (raw grey8 fingers, the capture-time token) for the comparison row. */
function v1Parts(e: Enrollment): PacketPart[] {
  const parts: PacketPart[] = [
    { name: 'face.jpg', mediaType: 'image/jpeg', data: e.face.image },
    { name: 'face.embedding', mediaType: 'application/x-float32le', data: new Uint8Array(e.face.embedding.buffer) },
  ];
  for (const f of e.fingers) {
    parts.push({ name: `finger.${f.position}.raw`, mediaType: 'application/x-grey8', data: f.image.pixels });
    parts.push({ name: `finger.${f.position}.template`, mediaType: 'application/x-kft1', data: f.template });
  }
  return parts;
}

/** A TCP relay that counts the bytes in each direction (what the kiosk's link carries). */
async function countingRelay(targetPort: number): Promise<{ url: string; up: () => number; down: () => number; close(): Promise<void> }> {
  let up = 0;
  let down = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const target = net.connect(targetPort, '127.0.0.1');
    sockets.add(client).add(target);
    client.on('data', (d) => (up += d.length));
    target.on('data', (d) => (down += d.length));
    client.pipe(target).pipe(client);
    const end = () => (client.destroy(), target.destroy(), sockets.delete(client), sockets.delete(target));
    client.on('close', end).on('error', end);
    target.on('close', end).on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    up: () => up,
    down: () => down,
    close: () => new Promise<void>((r) => (sockets.forEach((s) => s.destroy()), server.close(() => r()))),
  };
}

const bytesPerEnrollment: Benchmark = {
  id: 'sync-bytes-per-enrollment',
  title: 'Bytes per enrollment: face token JPEG + 10 WSQ fingers (288×384 drivers/synth impressions) + templates, sealed and uploaded',
  async run(): Promise<BenchResult[]> {
    return withRegistry(async (r, dir) => {
      const token = await captureToken();
      const e = enrollmentOf(1, 0, token.jpeg);
      const parts = await packetParts({ face: { image: e.face.image, embedding: e.face.embedding, quality: {}, capturedAt: '' }, fingers: e.fingers, exceptions: [] });
      const size = (f: (p: PacketPart) => boolean) => parts.filter(f).reduce((a, p) => a + p.data.length, 0);
      const faceBytes = size((p) => p.name === 'face.jpg');
      const wsqBytes = size((p) => p.name.endsWith('.wsq'));
      const tplBytes = size((p) => p.name.endsWith('.template'));
      const k = await kiosk(r, dir, 'bytes', 0, 0);
      const sealed = sealEnrollment(k.identity, k.registration.encryptionPublicKey, 'E1', e, parts, '29001010000001');
      const v1 = sealEnrollment(k.identity, k.registration.encryptionPublicKey, 'E0', e, v1Parts(e), '29001010000000', 1);
      await k.outbox.add('E1', sealed.bytes);
      // Upload through a byte-counting relay: everything the kiosk's link carries (HTTP, signatures, receipt, status).
      const relay = await countingRelay(r.port);
      const engine = new SyncEngine(k.outbox, new RegistryClient(k.identity, { ...k.registration, registryUrl: relay.url }), { chunkBytes: 256 * 1024, backoffBaseMs: 200 });
      try {
        await engine.syncUntilIdle(100);
      } finally {
        await engine.dispose();
        await relay.close();
      }
      const wire = relay.up() + relay.down();
      // The same packet on the emulated 256 kbit/s, 300 ms RTT link.
      const proxy = await FaultProxy.start({ targetPort: r.port, latencyMs: 150, bandwidthBytesPerSec: 32_000 });
      let slowS = NaN;
      try {
        await k.outbox.add('E2', sealEnrollment(k.identity, k.registration.encryptionPublicKey, 'E2', e, parts, '29001010000002').bytes);
        const slow = new SyncEngine(k.outbox, new RegistryClient(k.identity, { ...k.registration, registryUrl: proxy.url }), { chunkBytes: 64 * 1024 });
        const t0 = performance.now();
        slow.on('uploaded', () => (slowS = (performance.now() - t0) / 1000));
        await slow.syncUntilIdle(50);
        await slow.dispose();
      } finally {
        await proxy.close();
      }
      const KB = 1024;
      return [
        { metric: 'sealed packet (face + 10 fingers, manifest v2)', value: sealed.bytes.length / KB, unit: 'KiB', target: '≤ 150 KB', pass: sealed.bytes.length <= 150 * 1000 },
        { metric: 'bytes on the wire per enrollment (upload + receipt + status, both directions)', value: wire / KB, unit: 'KiB', target: '≤ 150 KB', pass: wire <= 150 * 1000, note: `up ${(relay.up() / KB).toFixed(1)} KiB, down ${(relay.down() / KB).toFixed(1)} KiB` },
        { metric: '— face token JPEG in the packet', value: faceBytes / KB, unit: 'KiB', note: `${token.source}: ${(token.jpeg.length / KB).toFixed(1)} KiB at capture` },
        { metric: '— 10 fingers as WSQ 0.75 bpp', value: wsqBytes / KB, unit: 'KiB', note: `${((wsqBytes * 8) / (10 * 288 * 384)).toFixed(2)} bpp; raw ${((10 * 288 * 384) / KB).toFixed(0)} KiB` },
        { metric: '— 10 finger templates (KFT1)', value: tplBytes / KB, unit: 'KiB' },
        { metric: 'same enrollment, manifest v1 (raw fingers, capture-size token)', value: v1.bytes.length / KB, unit: 'KiB' },
        { metric: 'upload time per enrollment on 256 kbit/s, 300 ms RTT', value: slowS, unit: 's' },
      ];
    });
  },
};

// ---- registry with 100,000 accepted records ---------------------------------------------------------------------

const SEEDED = Number(process.env.SYNC_BENCH_SEEDED ?? 100_000);

/** Seeds accepted records straight into the store in 5,000-row transactions (packets, receipts, blind-index keys,
 * gallery rows with embeddings, biometric entries: random unit faces, 10 KFT1 templates from a pool of random
 * minutiae sets with their prefilter vectors). */
async function seedAccepted(r: RunningRegistry, n: number): Promise<{ seconds: number; cpuS: number }> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const rng = mulberry32(99);
  const pool = Array.from({ length: 1500 }, () => {
    const t = encodeKft1(randomMinutiae(rng, 30 + Math.floor(rng() * 15)));
    return { template: t, index: templateIndex(t) };
  });
  const kioskId = 'K-SEED';
  const at = new Date().toISOString();
  for (let b = 0; b < n; b += 5000) {
    const rows: AcceptedSeed[] = [];
    for (let i = b; i < Math.min(n, b + 5000); i++) {
      const packetId = `S${String(i).padStart(9, '0')}`;
      const rid = `C-01.K-SEED.20250101.${String(i).padStart(6, '0')}`;
      const face = randomUnit(rng);
      const fingers = FINGERS.map((position) => ({ position, ...pool[Math.floor(rng() * pool.length)]! }));
      const receipt = signDoc({ type: 'receipt', packetId, kioskId, sha256: '0'.repeat(64), size: 120_000, receivedAt: at, via: 'online' }, r.registry.keys.signingPrivateKey);
      rows.push({
        packet: { packetId, kioskId, sha256: '0'.repeat(64), size: 120_000, receivedAt: at, via: 'online', receipt: JSON.stringify(receipt), status: 'accepted', reason: null, duplicateOf: null, rid, updatedAt: at },
        centreId: 'C-01',
        dedupKeys: [`nn:${r.registry.blindIndex(`2800101${String(i).padStart(7, '0')}`)}`],
        embedding: Buffer.from(face.buffer).toString('base64'),
        biometrics: encodeEntry({ id: rid, source: 'local', face, fingers }),
      });
    }
    await r.registry.store.importAccepted(rows);
  }
  const c = process.cpuUsage(c0);
  return { seconds: (performance.now() - t0) / 1000, cpuS: (c.user + c.system) / 1e6 };
}

const registry100k: Benchmark = {
  id: 'sync-registry-100k',
  title: `Registry intake + processing with ${SEEDED.toLocaleString('en')} accepted records stored (SQLite): blind-index only, and with face + finger dedup (project matchers)`,
  async run(): Promise<BenchResult[]> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-sync-100k-'));
    const dataDir = path.join(dir, 'registry');
    try {
      const out: BenchResult[] = [];
      // 1. Seed, then the metadata path (open, validate, blind-index dedup, accept) on 300 small packets.
      let r = await serveRegistry({ dataDir });
      const seed = await seedAccepted(r, SEEDED);
      out.push({ metric: `seed ${SEEDED.toLocaleString('en')} accepted records (bulk import, 5,000 per transaction)`, value: seed.seconds, unit: 's', note: `CPU ${seed.cpuS.toFixed(0)} s` });
      const k = await kiosk(r, dir, 'k100k', 0, 0);
      const kioskRow = (await r.registry.store.getKiosk(k.identity.kioskId))!;
      const small = Array.from({ length: 300 }, (_, i) => makePacket(k.identity, k.registration.encryptionPublicKey, 1_000_000 + i, { bytes: 20_000 }));
      let t0 = performance.now();
      for (const p of small) await r.registry.storePacket(kioskRow, p.packetId, p.bytes, 'online');
      let t1 = performance.now();
      await r.registry.idle();
      await r.registry.processPending();
      let t2 = performance.now();
      const stored = `${(SEEDED / 1000).toFixed(0)}k stored`;
      out.push({ metric: `intake (store + receipt), ${stored}`, value: small.length / ((t1 - t0) / 1000), unit: 'packets/s' });
      out.push({ metric: `intake + processing, blind-index dedup only, ${stored}`, value: small.length / ((t2 - t0) / 1000), unit: 'packets/s' });
      await r.close();

      // 2. With the matchers: load the 100k gallery, then full enrollments (face + 10 WSQ fingers); subject 1 twice.
      const c0 = process.cpuUsage();
      t0 = performance.now();
      r = await serveRegistry({ dataDir, matchers: { extractors: 2 } });
      t1 = performance.now();
      const lc = process.cpuUsage(c0);
      out.push({ metric: 'registry start: gallery load into the dedup worker', value: (t1 - t0) / 1000, unit: 's', note: `CPU ${((lc.user + lc.system) / 1e6).toFixed(1)} s, ${SEEDED.toLocaleString('en')} entries` });
      const token = await captureToken();
      const n = Number(process.env.SYNC_BENCH_FULL_PACKETS ?? 8);
      const enrollments: Enrollment[] = [];
      for (let i = 0; i < n; i++) enrollments.push(enrollmentOf(i === n - 1 ? 1 : i + 1, i === n - 1 ? 1 : 0, token.jpeg));
      const packets = [];
      for (let i = 0; i < n; i++) {
        const e = enrollments[i]!;
        const parts = await packetParts({ face: { image: e.face.image, embedding: e.face.embedding, quality: {}, capturedAt: '' }, fingers: e.fingers, exceptions: [] });
        packets.push({ id: `F${i}`, bytes: sealEnrollment(k.identity, k.registration.encryptionPublicKey, `F${i}`, e, parts, `2990101${String(i).padStart(7, '0')}`).bytes });
      }
      const c1 = process.cpuUsage();
      t0 = performance.now();
      for (const p of packets) await r.registry.storePacket(kioskRow, p.id, p.bytes, 'online');
      t1 = performance.now();
      await r.registry.idle();
      await r.registry.processPending();
      t2 = performance.now();
      const pc = process.cpuUsage(c1);
      const rows = await Promise.all(packets.map((p) => r.registry.store.getPacket(p.id)));
      const dupOk = rows[n - 1]?.status === 'duplicate' && rows[n - 1]?.duplicateOf === rows[0]?.rid;
      const othersOk = rows.slice(0, n - 1).every((x) => x?.status === 'accepted');
      out.push({ metric: `intake + processing with face + finger dedup (WSQ decode, 10 extractions, 1:N vs ${(SEEDED / 1000).toFixed(0)}k)`, value: n / ((t2 - t0) / 1000), unit: 'packets/s', note: `${n} enrollments; wall ${((t2 - t0) / n / 1000).toFixed(2)} s/packet` });
      out.push({ metric: '— CPU per packet (all threads)', value: (pc.user + pc.system) / 1e6 / n, unit: 's', note: 'process.cpuUsage: main + extraction + dedup workers' });
      out.push({ metric: 'repeat enrollment flagged duplicate_of the first RID, others accepted', value: dupOk && othersOk ? 1 : 0, unit: 'ok', target: '= 1', pass: dupOk && othersOk });
      await r.close();
      return out;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export const benchmarks: Benchmark[] = [loopback, slowLink, bytesPerEnrollment, intake, registry100k, exactlyOnce];

