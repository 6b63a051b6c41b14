// Shared setup for the sync tests: registry backends, kiosks, synthetic sealed packets.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sealPacket, type PacketPart } from '../../../sync/packet/index.js';
import { registerKiosk } from '../../../sync/engine/client.js';
import type { KioskIdentity, Registration } from '../../../sync/engine/identity.js';
import { serveRegistry, type RunningRegistry } from '../../../sync/registry/runtime.js';
import { PostgresRegistryStore } from '../../../sync/registry/store/postgres.js';
import type { RegistryStore } from '../../../sync/registry/store/types.js';
import { hasPostgres, startPostgres, type TestPostgres } from '../../helpers/postgres.js';

export function tempDir(prefix: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Backends to run the suites against: SQLite always, PostgreSQL when installed. */
export const BACKENDS: ('sqlite' | 'postgres')[] = hasPostgres() ? ['sqlite', 'postgres'] : ['sqlite'];

let pg: TestPostgres | null = null;
let pgUsers = 0;
let schemaSeq = 0;

/** A store factory per backend; PostgreSQL stores each get a fresh schema in one shared throwaway server. */
export async function backendStore(kind: 'sqlite' | 'postgres'): Promise<{ make(): Promise<RegistryStore | undefined>; release(): Promise<void> }> {
  if (kind === 'sqlite') return { make: async () => undefined, release: async () => undefined };
  pg ??= await startPostgres();
  pgUsers++;
  const schema = `t${process.pid}_${++schemaSeq}`;
  return {
    async make() {
      const s = new PostgresRegistryStore(pg!.url, { schema, max: 4 });
      await s.init();
      return s;
    },
    async release() {
      if (--pgUsers === 0) {
        await pg?.stop();
        pg = null;
      }
    },
  };
}

export interface TestRegistry {
  running: RunningRegistry;
  dataDir: string;
  store: RegistryStore | undefined;
  /** Stops the HTTP server and the registry (keeps data); start() brings it back on the same port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestRegistry(backend: { make(): Promise<RegistryStore | undefined> }, dataDir: string, extra: Parameters<typeof serveRegistry>[0] extends infer O ? Partial<O> : never = {}): Promise<TestRegistry> {
  let store = await backend.make();
  let running = await serveRegistry({ dataDir, ...(store ? { store } : {}), ...extra });
  const t: TestRegistry = {
    running,
    dataDir,
    store,
    async restart() {
      const port = running.port;
      await running.close();
      await store?.close();
      store = await backend.make();
      running = await serveRegistry({ dataDir, port, ...(store ? { store } : {}), ...extra });
      t.running = running;
      t.store = store;
    },
    async close() {
      await running.close();
      await store?.close();
    },
  };
  return t;
}

export function newIdentity(kioskId = `K-${randomBytes(3).toString('hex')}`, centreId = 'C-01'): KioskIdentity {
  return { kioskId, centreId, privateKey: generateKeyPairSync('ed25519').privateKey };
}

export async function registerNew(reg: TestRegistry, identity = newIdentity(), url?: string): Promise<{ identity: KioskIdentity; registration: Registration }> {
  const token = await reg.running.registry.issueToken({ centreId: identity.centreId });
  const registration = await registerKiosk(url ?? reg.running.url, token, identity);
  return { identity, registration };
}

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]);

/** A sealed packet like the kiosk's (face JPEG + embedding + optional padding to `bytes`). */
export function makePacket(identity: KioskIdentity, registryEncryptionKey: string, n: number, opts: { nationalNumber?: string; bytes?: number; recordId?: string; rid?: string } = {}): { packetId: string; bytes: Buffer } {
  const recordId = opts.recordId ?? `R${String(n).padStart(6, '0')}${randomBytes(4).toString('hex').toUpperCase()}`;
  const parts: PacketPart[] = [
    { name: 'face.jpg', mediaType: 'image/jpeg', data: JPEG },
    { name: 'face.embedding', mediaType: 'application/x-float32le', data: new Uint8Array(new Float32Array(8).fill(n).buffer) },
  ];
  if (opts.bytes) parts.push({ name: 'finger.1.raw', mediaType: 'application/x-grey8', data: randomBytes(opts.bytes) });
  const sealed = sealPacket({
    manifest: {
      recordId,
      rid: opts.rid ?? `RID-${recordId}`,
      kioskId: identity.kioskId,
      centreId: identity.centreId,
      sealedAt: new Date().toISOString(),
      record: { schemaVersion: 1, demographics: { nationalNumber: opts.nationalNumber ?? `2900101${String(n).padStart(7, '0')}`, name: 'Synthetic' } },
    },
    parts,
    kioskPrivateKey: identity.privateKey,
    registryPublicKey: registryEncryptionKey,
  });
  return { packetId: recordId, bytes: sealed.bytes };
}
