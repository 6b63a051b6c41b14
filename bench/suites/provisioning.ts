// Provisioning benchmarks: one kiosk's registration + downloads online (regional gallery of 5,000 face embeddings,
// registry on loopback in the same process), `registry admin make-bundle` for that kiosk, and verifying + applying
// the bundle on the kiosk. CPU time (process.cpuUsage) is reported next to wall time: the machine is shared.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { Benchmark, BenchResult } from '../benchmark.js';
import { FileSettingsService } from '../../main/core/services/settings-service.js';
import { DEFAULT_ID_SCHEMA } from '../../main/enrollment/id-schema.js';
import { openStoreServices, type StoreServices } from '../../main/enrollment/services.js';
import { createProvisioningService } from '../../main/provisioning/index.js';
import { PassphraseProtector } from '../../main/store/crypto/protectors.js';
import { mulberry32, randomUnit } from '../../models/dedup/synthetic.js';
import { publicKeyFingerprint } from '../../sync/packet/keys.js';
import { signDoc } from '../../sync/protocol/signed-doc.js';
import { makeBundle } from '../../sync/registry/bundle.js';
import { serveRegistry, type RunningRegistry } from '../../sync/registry/runtime.js';
import type { AcceptedSeed } from '../../sync/registry/store/types.js';

const GALLERY = 5000;
const CENTRE = 'C-BENCH';
const logger = pino({ level: 'silent' });

async function seedGallery(r: RunningRegistry, n: number): Promise<void> {
  const rng = mulberry32(7);
  const at = new Date().toISOString();
  const rows: AcceptedSeed[] = [];
  for (let i = 0; i < n; i++) {
    const packetId = `P${String(i).padStart(9, '0')}`;
    const rid = `${CENTRE}.K-SEED.20250101.${String(i).padStart(6, '0')}`;
    const receipt = signDoc({ type: 'receipt', packetId, kioskId: 'K-SEED', sha256: '0'.repeat(64), size: 1, receivedAt: at, via: 'online' }, r.registry.keys.signingPrivateKey);
    rows.push({
      packet: { packetId, kioskId: 'K-SEED', sha256: '0'.repeat(64), size: 1, receivedAt: at, via: 'online', receipt: JSON.stringify(receipt), status: 'accepted', reason: null, duplicateOf: null, rid, updatedAt: at },
      centreId: CENTRE,
      dedupKeys: [],
      embedding: Buffer.from(randomUnit(rng).buffer).toString('base64'),
      biometrics: null,
    });
  }
  await r.registry.store.importAccepted(rows);
}

async function kioskStore(dataDir: string, kioskId: string): Promise<StoreServices> {
  const config = { dataDir, kioskId, centreId: CENTRE, demo: false, security: { idleTimeoutSeconds: 300, pinMaxAttempts: 5, lockoutMinutes: 15 }, registry: { url: null, publicKeyFingerprint: null } };
  return openStoreServices({ config, logger, protector: new PassphraseProtector('bench passphrase', { cost: { N: 1 << 12, r: 8, p: 1 } }) });
}

function provisioning(dataDir: string, kioskId: string, store: StoreServices) {
  const config = { dataDir, kioskId, centreId: CENTRE, demo: false, devices: { fingerprint: [], cameraDeviceId: null, sbiTrustRoots: [], allowUntrustedSbi: false } };
  return createProvisioningService({ config, store, settings: new FileSettingsService(dataDir, { locale: 'ar', cameraDeviceId: null }), logger });
}

function dirBytes(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .reduce((n, e) => n + statSync(path.join(e.parentPath, e.name)).size, 0);
}

async function measure<T>(fn: () => Promise<T>): Promise<{ wallMs: number; cpuMs: number; value: T }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const c = process.cpuUsage(c0);
  return { wallMs: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, value };
}

const provisioningBench: Benchmark = {
  id: 'provisioning',
  title: `Provisioning one kiosk: online registration + downloads (regional gallery ${GALLERY.toLocaleString('en')} face embeddings, loopback registry in-process), make-bundle, bundle verify + apply`,
  async run(): Promise<BenchResult[]> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-prov-'));
    const r = await serveRegistry({ dataDir: path.join(dir, 'registry') });
    try {
      await r.registry.publish('config', { thresholds: { fingerQualityMin: 40 } });
      await r.registry.publish('id-schema', DEFAULT_ID_SCHEMA);
      await r.registry.publish('locations', { centres: [{ id: CENTRE, stations: ['S-01'] }] });
      await r.registry.publish('operators', { operators: Array.from({ length: 50 }, (_, i) => ({ id: `op${i}`, role: 'clerk', displayName: `Operator ${i}` })) });
      await seedGallery(r, GALLERY);
      const fp = publicKeyFingerprint(r.registry.keys.signingPublicKeyObject);
      const out: BenchResult[] = [];

      // Online: three kiosks, median reported.
      const online: { wallMs: number; cpuMs: number }[] = [];
      for (let k = 0; k < 3; k++) {
        const dataDir = path.join(dir, `online-${k}`);
        const store = await kioskStore(dataDir, `K-ONLINE-${k}`);
        try {
          const prov = provisioning(dataDir, `K-ONLINE-${k}`, store);
          const token = await r.registry.issueToken({ centreId: CENTRE });
          const m = await measure(async () => {
            await prov.register('bench', { registryUrl: r.url, token, registryKeyFingerprint: fp });
            return prov.download('bench');
          });
          const entries = (m.value.items.find((i) => i.id === 'downloads')!.detail as { galleryEntries: number }).galleryEntries;
          if (entries !== GALLERY) throw new Error(`gallery download has ${entries} entries, expected ${GALLERY}`);
          online.push(m);
        } finally {
          await store.dispose();
        }
      }
      online.sort((a, b) => a.wallMs - b.wallMs);
      const mid = online[1]!;
      out.push({ metric: 'online registration + downloads, wall (median of 3)', value: Math.round(mid.wallMs), unit: 'ms', note: `incl. ${GALLERY} gallery entries in ${Math.ceil(GALLERY / 1000)} signed pages + 50 operators created` });
      out.push({ metric: 'online registration + downloads, CPU kiosk + registry', value: Math.round(mid.cpuMs), unit: 'ms', note: 'both sides run in this process' });

      // Offline: make the bundle for a fresh kiosk, then verify + apply it.
      const dataDir = path.join(dir, 'offline');
      const store = await kioskStore(dataDir, 'K-OFFLINE');
      try {
        const bundleDir = path.join(dir, 'usb');
        const made = await measure(() => makeBundle(r.registry, { kioskId: 'K-OFFLINE', centreId: CENTRE, kioskPublicKey: store.kiosk.publicKeyRaw, outDir: bundleDir, registryUrl: r.url }));
        out.push({ metric: 'registry admin make-bundle, wall', value: Math.round(made.wallMs), unit: 'ms', note: `CPU ${Math.round(made.cpuMs)} ms; bundle ${(dirBytes(bundleDir) / 1e6).toFixed(1)} MB, ${made.value.files.length} files` });
        const prov = provisioning(dataDir, 'K-OFFLINE', store);
        const applied = await measure(() => prov.applyBundle('bench', bundleDir, fp));
        if (applied.value.items.find((i) => i.id === 'downloads')!.status !== 'ok') throw new Error('bundle downloads not applied');
        out.push({ metric: 'bundle verify (signatures + SHA-256 of every file) + apply on the kiosk, wall', value: Math.round(applied.wallMs), unit: 'ms', note: `CPU ${Math.round(applied.cpuMs)} ms` });
      } finally {
        await store.dispose();
      }
      return out;
    } finally {
      await r.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export const benchmarks: Benchmark[] = [provisioningBench];
