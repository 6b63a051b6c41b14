// Where a registry's per-packet dedup CPU goes, stage by stage, and how the 1:N search grows with the gallery:
// open (decrypt + verify) one sealed enrollment (face + 10 WSQ fingers), WSQ decode per finger, minutiae extraction
// per finger (models/finger, called through the registry's probe), the default path instead (the kiosk's templates,
// 2 of 10 re-extracted and compared), then the dedup worker's search of new probe persons against 10k and 100k
// synthetic people (1M with REGISTRY_BENCH_1M=1: ≈ 5 GB of gallery, built in minutes), CPU per search with its
// face / prefilter / finger-match split. Synthetic gallery: random unit faces, KFT1 templates from a pool of random
// minutiae sets, as the sync-registry-100k suite seeds. Packets carry the kiosk's own KFT1 templates (main/capture).
import type { Benchmark, BenchResult } from '../benchmark.js';
import { packetParts } from '../../main/enrollment/packet-parts.js';
import { placeholderJpeg } from '../../main/enrollment/synthetic.js';
import { FINGER_TEMPLATE_FORMAT } from '../../main/capture/draft.js';
import { compareTemplates, deserializeTemplate, extractTemplate, serializeTemplate } from '../../models/finger/index.js';
import { kioskTemplateOf } from '../../sync/registry/biometrics/kiosk-templates.js';
import type { FingerCapture, FingerPosition } from '../../main/enrollment/model.js';
import { synthesizeImpression } from '../../drivers/synth/index.js';
import { DedupClient } from '../../models/dedup/client.js';
import { encodeEntry } from '../../models/dedup/codec.js';
import { DEFAULT_THRESHOLDS } from '../../models/dedup/fusion.js';
import type { WorkerSearchResult } from '../../models/dedup/protocol.js';
import { encodeKft1, mulberry32, randomMinutiae, randomUnit, SyntheticFaces } from '../../models/dedup/synthetic.js';
import { templateIndex } from '../../models/dedup/template-index.js';
import type { FingerPos } from '../../models/dedup/types.js';
import { wsq } from '../../models/formats/index.js';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageInfo } from '../../main/platform/package-info.js';
import { RegistryClient, registerKiosk } from '../../sync/engine/client.js';
import { PostgresRegistryStore } from '../../sync/registry/store/postgres.js';
import type { AcceptedSeed } from '../../sync/registry/store/types.js';
import { openPacket, sealPacket } from '../../sync/packet/index.js';
import { extractFingerTemplate, faceEmbeddingOf, fingerImagesOf } from '../../sync/registry/biometrics/probe.js';
import { newIdentity } from '../../sync/testing/synthetic-packets.js';

const FINGERS: FingerPosition[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

function cpuMs<T>(fn: () => T): { value: T; ms: number } {
  const c0 = process.cpuUsage();
  const value = fn();
  const c = process.cpuUsage(c0);
  return { value, ms: (c.user + c.system) / 1000 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** A finger as the kiosk captures it: 500 ppi pixels and its own KFT1 template from them (main/capture). */
function kioskCapture(position: FingerPosition, imp: { width: number; height: number; pixels: Uint8Array }, at: string): FingerCapture {
  const image = { width: imp.width, height: imp.height, ppi: 500, pixels: imp.pixels };
  return { position, image, template: serializeTemplate(extractTemplate(image)), templateFormat: FINGER_TEMPLATE_FORMAT, quality: 60, attempts: 1, capturedAt: at };
}

const stages: Benchmark = {
  id: 'registry-dedup-stages',
  title: 'Registry dedup cost per packet by stage (open, WSQ decode, extraction, 1:N search) and its growth with the gallery (synthetic people)',
  async run(): Promise<BenchResult[]> {
    const out: BenchResult[] = [];
    const identity = newIdentity('K-BENCH');
    const reg = generateKeyPairSync('x25519');
    const regPub = reg.publicKey;
    const regPriv = reg.privateKey;
    const faces = new SyntheticFaces(undefined, 3);
    const at = new Date().toISOString();
    const fingers: FingerCapture[] = FINGERS.map((position) => {
      const imp = synthesizeImpression({ subject: 'S1', finger: position, impression: 0 });
      return kioskCapture(position, imp, at);
    });
    const parts = await packetParts({ face: { image: placeholderJpeg(1, 4000), quality: {}, embedding: faces.capture(1, 0), capturedAt: at }, fingers, exceptions: [] });
    const sealed = sealPacket({
      manifest: { recordId: 'B1', rid: 'C-01.K-BENCH.20261204.B1', kioskId: identity.kioskId, centreId: identity.centreId, sealedAt: at, record: { schemaVersion: 1, demographics: {}, fingers: fingers.map((f) => ({ position: f.position, width: f.image.width, height: f.image.height, ppi: 500 })) } },
      parts,
      kioskPrivateKey: identity.privateKey,
      registryPublicKey: regPub,
    });
    const kioskPub = createPublicKey(identity.privateKey);

    const opens: number[] = [];
    let opened = openPacket(Buffer.from(sealed.bytes), regPriv, kioskPub);
    for (let i = 0; i < 5; i++) {
      const r = cpuMs(() => openPacket(Buffer.from(sealed.bytes), regPriv, kioskPub));
      opens.push(r.ms);
      opened = r.value;
    }
    const imgs = fingerImagesOf(opened);
    const decode: number[] = [];
    const extract: number[] = [];
    const templates = new Map<number, Uint8Array>();
    for (let round = 0; round < 3; round++) {
      for (const img of imgs) {
        decode.push(cpuMs(() => wsq.decodeWsq(img.bytes)).ms);
        const t = cpuMs(() => extractFingerTemplate(img));
        extract.push(t.ms);
        templates.set(img.position, t.value);
      }
    }
    const decodeMs = median(decode);
    const extractMs = median(extract) - decodeMs; // extractFingerTemplate decodes too
    out.push({ metric: 'open a sealed enrollment (decrypt + verify), CPU (median of 5)', value: median(opens), unit: 'ms', note: `${(sealed.bytes.length / 1024).toFixed(0)} KiB, face + 10 WSQ fingers` });
    out.push({ metric: 'WSQ decode per finger, CPU (median of 30)', value: decodeMs, unit: 'ms', note: `${imgs.length} fingers per packet` });
    out.push({ metric: 'minutiae extraction per finger after decode, CPU (median of 30)', value: extractMs, unit: 'ms', note: 'models/finger via sync/registry/biometrics/probe.ts' });
    out.push({ metric: 'decode + extraction per packet (10 fingers), CPU', value: (decodeMs + extractMs) * imgs.length, unit: 'ms', note: 'every finger extracted here (--verify-fingers all; before)' });
    // Kiosk templates, spot-checked (sync/registry/biometrics/kiosk-templates.ts): 2 fingers decoded, extracted and
    // compared with the kiosk's; the other 8 only parsed and their prefilter vectors computed.
    const checks: number[] = [];
    for (let round = 0; round < 5; round++) {
      checks.push(
        cpuMs(() => {
          for (const img of imgs) {
            const k = kioskTemplateOf(opened, img.position)!;
            if (img.position === 1 + (round % 10) || img.position === 1 + ((round + 5) % 10)) compareTemplates(deserializeTemplate(extractFingerTemplate(img)), deserializeTemplate(k));
            templateIndex(k);
          }
        }).ms,
      );
    }
    out.push({ metric: 'finger templates per packet with the kiosk\'s templates spot-checked (2 of 10 re-extracted and compared), CPU (median of 5)', value: median(checks), unit: 'ms', note: 'default since issue 20' });

    // The 1:N search of this probe against growing galleries.
    const probeEntry = { id: 'probe', source: 'local' as const, face: faceEmbeddingOf(opened), fingers: [...templates].map(([position, template]) => ({ position: position as FingerPos, template, index: templateIndex(template) })) };
    const client = new DedupClient();
    try {
      const rng = mulberry32(7);
      const pool = Array.from({ length: 1500 }, () => {
        const t = encodeKft1(randomMinutiae(rng, 30 + Math.floor(rng() * 15)));
        return { template: t, index: templateIndex(t) };
      });
      // Seven probe persons' ten fingers (kiosk templates of new synthetic subjects).
      const probeFingers = Array.from({ length: 7 }, (_, i) =>
        FINGERS.map((position) => {
          const imp = synthesizeImpression({ subject: `P${i}`, finger: position, impression: 0 });
          const template = serializeTemplate(extractTemplate({ width: imp.width, height: imp.height, ppi: 500, pixels: imp.pixels }));
          return { position: position as FingerPos, template, index: templateIndex(template) };
        }),
      );
      const sizes = [10_000, 100_000, ...(process.env.REGISTRY_BENCH_1M === '1' ? [1_000_000] : [])];
      let have = 0;
      for (const size of sizes) {
        while (have < size) {
          const records: Uint8Array[] = [];
          for (let i = have; i < Math.min(size, have + 5000); i++) {
            records.push(encodeEntry({ id: `G${i}`, source: 'local', face: randomUnit(rng), fingers: FINGERS.map((position) => ({ position: position as FingerPos, ...pool[Math.floor(rng() * pool.length)]! })) }));
          }
          await client.call<number>({ op: 'upsert', gallery: 'main', records }, records.map((r) => r.buffer as ArrayBuffer));
          have += records.length;
        }
        const times: number[] = [];
        const cpu: number[] = [];
        let searched = 0;
        let stages = { faceMs: 0, prefilterMs: 0, matchMs: 0 };
        // Each probe a new person (its shortlist is new rows: their templates are not in the worker's cache yet).
        for (let i = 0; i < 7; i++) {
          const probe = encodeEntry({ ...probeEntry, face: faces.capture(100 + i + 10 * have, 0), fingers: probeFingers[i]! });
          const c0 = process.cpuUsage();
          const t0 = performance.now();
          const r = await client.call<WorkerSearchResult>({ op: 'search', probe, options: { thresholds: DEFAULT_THRESHOLDS, limit: 3 }, operators: false }, [probe.buffer as ArrayBuffer]);
          const c = process.cpuUsage(c0);
          if (i < 2) continue; // warm-up
          times.push(performance.now() - t0);
          cpu.push((c.user + c.system) / 1000);
          searched = r.main.searched;
          stages = { faceMs: stages.faceMs + r.main.timings.faceMs / 5, prefilterMs: stages.prefilterMs + r.main.timings.prefilterMs / 5, matchMs: stages.matchMs + r.main.timings.matchMs / 5 };
        }
        const label = size >= 1_000_000 ? `${size / 1_000_000}M` : `${(size / 1000).toFixed(0)}k`;
        out.push({ metric: `1:N search of a face + 10-finger probe, ${label} people: CPU (process, median of 5)`, value: median(cpu), unit: 'ms', note: `wall ${median(times).toFixed(0)} ms; face ${stages.faceMs.toFixed(0)} / prefilter ${stages.prefilterMs.toFixed(0)} / finger match ${stages.matchMs.toFixed(0)} ms (mean); searched ${searched}` });
      }
    } finally {
      await client.dispose();
    }
    return out;
  },
};

// ---- 1, 2, 3 registry processes over one PostgreSQL ---------------------------------------------------------------

/**
 * Gallery sizes (comma-separated, ascending; default 10k then 100k): the gallery is seeded up to each in turn; every
 * size but the last runs one process at the highest concurrency (the growth of the CPU per packet), the last size
 * every process × concurrency configuration.
 */
const SIZES = (process.env.REGISTRY_BENCH_SEEDED ?? '10000,100000').split(',').map(Number);
const SEEDED = SIZES[SIZES.length - 1]!;
// Timed packets per configuration (after the warm-up below).
const FULL = Number(process.env.REGISTRY_BENCH_PACKETS ?? 64);
/** Packets each fresh process works on before the timed window (its cold start is reported apart). */
const WARMUP = Number(process.env.REGISTRY_BENCH_WARMUP ?? 24);
/** Packets each process works on at once (`registry serve --concurrency`). */
const CONCURRENCY = (process.env.REGISTRY_BENCH_CONCURRENCY ?? '1,2').split(',').map(Number);
const PROCESSES = (process.env.REGISTRY_BENCH_PROCESSES ?? '1,2,3').split(',').map(Number);

function childCpuSeconds(pid: number): number {
  // /proc/<pid>/stat fields 14 and 15: utime, stime in clock ticks (100 Hz on Linux).
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[11]) + Number(rest[12])) / 100;
}

function startServe(cli: string, dataDir: string, url: string, schema: string, name: string, concurrency: number): Promise<{ proc: ChildProcess; url: string }> {
  // REGISTRY_BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"): extra node flags for the registry processes.
  const nodeArgs = (process.env.REGISTRY_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const proc = spawn(process.execPath, [...nodeArgs, cli, 'serve', '--data-dir', dataDir, '--postgres', url, '--postgres-schema', schema, '--port', '0', '--process-id', name, '--concurrency', String(concurrency)], { stdio: ['ignore', 'pipe', 'pipe'] });
  // REGISTRY_BENCH_LOG_DIR: keep each process's log (stdout + stderr) there.
  const logDir = process.env.REGISTRY_BENCH_LOG_DIR;
  if (logDir) {
    const log = createWriteStream(path.join(logDir, `${name}.log`));
    proc.stdout!.on('data', (d: Buffer) => log.write(d));
    proc.stderr!.on('data', (d: Buffer) => log.write(d));
    proc.once('exit', () => log.end());
  } else proc.stderr!.resume(); // a pipe nobody reads blocks the child once 64 KiB are written to it
  return new Promise((resolve, reject) => {
    let buf = '';
    proc.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /\{"event":"ready","url":"([^"]+)"/.exec(buf);
      if (m) {
        buf = '';
        resolve({ proc, url: m[1]! });
      }
      if (buf.length > 100_000) buf = buf.slice(-1000);
    });
    proc.on('exit', (c) => reject(new Error(`registry ${name} exited ${c}`)));
  });
}

const cluster: Benchmark = {
  id: 'registry-cluster',
  title: `Registry processes side by side over one PostgreSQL: full face + 10-finger dedup (kiosk templates spot-checked) against ${SIZES.map((x) => x.toLocaleString('en')).join(' then ')} synthetic people (REGISTRY_BENCH_POSTGRES_URL); packets synthesised and sealed before the timed window, which holds only their upload and processing`,
  async run(): Promise<BenchResult[]> {
    const pgUrl = process.env.REGISTRY_BENCH_POSTGRES_URL;
    if (!pgUrl) {
      console.warn('registry-cluster: REGISTRY_BENCH_POSTGRES_URL not set — SKIPPED (needs a PostgreSQL server)');
      return [];
    }
    const cli = path.join(packageInfo().root, 'bin', 'registry.js');
    const out: BenchResult[] = [];
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-registry-cluster-'));
    const dataDir = path.join(dir, 'registry');
    const schema = `bench_${process.pid}`;
    const store = new PostgresRegistryStore(pgUrl, { schema });
    try {
      await store.init();
      // Seed once: accepted people with biometric entries (no packet files: they are never re-read). Every
      // configuration below adds its own enrollments on top (a few dozen more people than SEEDED).
      const rng = mulberry32(11);
      const pool = Array.from({ length: 1500 }, () => {
        const t = encodeKft1(randomMinutiae(rng, 30 + Math.floor(rng() * 15)));
        return { template: t, index: templateIndex(t) };
      });
      let seeded = 0;
      let config = 0;
      for (const size of SIZES) {
      for (let b = seeded; b < size; b += 5000) {
        const rows: AcceptedSeed[] = [];
        for (let i = b; i < Math.min(size, b + 5000); i++) {
          const rid = `C-01.K-SEED.20250101.${String(i).padStart(7, '0')}`;
          const face = randomUnit(rng);
          rows.push({
            packet: { packetId: `S${i}`, kioskId: 'K-SEED', sha256: '0'.repeat(64), size: 1, receivedAt: '2025-01-01T00:00:00Z', via: 'online', receipt: '{}', status: 'accepted', reason: null, duplicateOf: null, rid, updatedAt: '2025-01-01T00:00:00Z' },
            centreId: 'C-01',
            dedupKeys: [],
            embedding: null,
            biometrics: encodeEntry({ id: rid, source: 'local', face, fingers: FINGERS.map((position) => ({ position: position as FingerPos, ...pool[Math.floor(rng() * pool.length)]! })) }),
          });
        }
        await store.importAccepted(rows);
      }
      seeded = size;
      const last = size === SEEDED;
      for (const concurrency of last ? CONCURRENCY : [Math.max(...CONCURRENCY)])
      for (const procs of last ? PROCESSES : [1]) {
      config++;
      const children: ChildProcess[] = [];
      try {
        const pgSchemaUrl = pgUrl;
        const tok = spawnSync(process.execPath, [cli, 'admin', 'issue-token', '--data-dir', dataDir, '--postgres', pgSchemaUrl, '--postgres-schema', schema, '--centre', 'C-01'], { encoding: 'utf8' });
        if (tok.status !== 0) throw new Error(tok.stderr);
        const token = (JSON.parse(tok.stdout.trim().split('\n').pop()!) as { token: string }).token;
        const t0 = performance.now();
        const urls: string[] = [];
        for (let i = 0; i < procs; i++) {
          const c = await startServe(cli, dataDir, pgSchemaUrl, schema, `P${config}.${i}`, concurrency);
          children.push(c.proc);
          urls.push(c.url);
        }
        const startS = (performance.now() - t0) / 1000;
        const identity = newIdentity(`K-CLUSTER${config}`);
        const registration = await registerKiosk(urls[0]!, token, identity);
        const faces = new SyntheticFaces(undefined, 5);
        const build = (count: number, from: number) => Promise.all(
          Array.from({ length: count }, async (_, k) => {
            const i = from + k;
            const at = new Date().toISOString();
            const fingers: FingerCapture[] = FINGERS.map((position) => {
              const imp = synthesizeImpression({ subject: `C${config}-${i}`, finger: position, impression: 0 });
              return kioskCapture(position, imp, at);
            });
            const parts = await packetParts({ face: { image: placeholderJpeg(1, 4000), quality: {}, embedding: faces.capture(1000 * config + i, 0), capturedAt: at }, fingers, exceptions: [] });
            const id = `F${config}X${i}`;
            const sealed = sealPacket({ manifest: { recordId: id, rid: `C-01.K-CLUSTER${config}.20261204.${id}`, kioskId: identity.kioskId, centreId: identity.centreId, sealedAt: at, record: { schemaVersion: 1, demographics: {}, fingers: fingers.map((f) => ({ position: f.position, width: f.image.width, height: f.image.height, ppi: 500 })) } }, parts, kioskPrivateKey: identity.privateKey, registryPublicKey: registration.encryptionPublicKey });
            return { id, bytes: Buffer.from(sealed.bytes) };
          }),
        );
        const uploadAndWait = async (batch: { id: string; bytes: Buffer }[]) => {
          await Promise.all(batch.map((p, i) => new RegistryClient(identity, { ...registration, registryUrl: urls[i % procs]! }, { timeoutMs: 60_000 }).putPacket(p.id, createHash('sha256').update(p.bytes).digest('hex'), p.bytes)));
          for (;;) {
            const open = (await store.listPacketsByStatus('received', 1000)).length + (await store.listPacketsByStatus('validated', 1000)).length + (await store.listPacketsByStatus('deduplicated', 1000)).length;
            if (open === 0) break;
            await new Promise((r) => setTimeout(r, 100));
          }
        };
        // Warm-up, not timed: a fresh process's first packets pay for its JIT, its template caches and the garbage
        // of the gallery load (≈ 2× the steady cost per packet over the first ≈ 20); a registry process runs for days.
        const warm = await build(WARMUP * procs, FULL);
        const w0 = performance.now();
        const cpuW0 = children.map((c) => childCpuSeconds(c.pid!));
        await uploadAndWait(warm);
        const warmWall = (performance.now() - w0) / 1000;
        const warmCpu = children.reduce((sum, c, i) => sum + childCpuSeconds(c.pid!) - cpuW0[i]!, 0);
        const packets = await build(FULL, 0);
        // Timed window: the packets above are built and sealed before it; inside it this process only uploads them
        // and polls the store (its own CPU is reported in the note, so that it is not mistaken for spare capacity).
        const cpu0 = children.map((c) => childCpuSeconds(c.pid!));
        const self0 = process.cpuUsage();
        const t1 = performance.now();
        await uploadAndWait(packets);
        const wall = (performance.now() - t1) / 1000;
        const cpu = children.reduce((s, c, i) => s + childCpuSeconds(c.pid!) - cpu0[i]!, 0);
        const self = process.cpuUsage(self0);
        const load = os.loadavg()[0]!;
        const accepted = (await Promise.all(packets.map((p) => store.getPacket(p.id)))).filter((r) => r?.status === 'accepted').length;
        // Whose templates were searched (kiosk's spot-checked, or the registry's after a mismatch) and the re-searches.
        const evidence = (await Promise.all(packets.map((p) => store.getEvidence(p.id)))).map((e) => (e ? (JSON.parse(e) as { templates?: { source: string } }) : null));
        const kioskTemplates = evidence.filter((e) => e?.templates?.source === 'kiosk').length;
        const timedIds = new Set(packets.map((p) => p.id));
        const researched = (await store.listAudit(100_000)).filter((a) => a.event === 'packet.researched' && a.details.underLock === true && timedIds.has(String(a.details.packetId))).length;
        const label = `${procs} process${procs > 1 ? 'es' : ''} × ${concurrency} packet${concurrency > 1 ? 's' : ''} at once`;
        out.push({ metric: `${label}: packets/s, full dedup vs ${(size / 1000).toFixed(0)}k (${FULL} enrollments, face + 10 WSQ fingers)`, value: FULL / wall, unit: 'packets/s', note: `${accepted}/${FULL} accepted, ${kioskTemplates} on the kiosk's spot-checked templates, ${researched} re-searched under the lock; start + gallery load ${startS.toFixed(1)} s; first ${WARMUP} packets per process (warm-up, not counted) ${((WARMUP * procs) / warmWall).toFixed(2)} packets/s, ${(warmCpu / (WARMUP * procs)).toFixed(2)} CPU-s each; load average ${load.toFixed(1)}; load generator (uploads + polls, packets built before timing) ${((self.user + self.system) / 1e6 / FULL * 1000).toFixed(0)} ms CPU per packet` });
        out.push({ metric: `${label}: CPU per packet vs ${(size / 1000).toFixed(0)}k (all registry processes, all threads)`, value: cpu / FULL, unit: 's', note: 'less sensitive than packets/s to other load on the machine' });
      } finally {
        for (const c of children) c.kill('SIGTERM');
        await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
      }
      }
      }
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
    return out;
  },
};

export const benchmarks: Benchmark[] = [stages, cluster];
