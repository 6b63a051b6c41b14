// Shared setup for the sync tests: registry backends, kiosks, synthetic sealed packets.
import { afterAll, beforeAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { registerKiosk } from '../../../sync/engine/client.js';
import type { KioskIdentity, Registration } from '../../../sync/engine/identity.js';
import { serveRegistry, type RunningRegistry } from '../../../sync/registry/runtime.js';
import { PostgresRegistryStore } from '../../../sync/registry/store/postgres.js';
import type { RegistryStore } from '../../../sync/registry/store/types.js';
import { makePacket, newIdentity } from '../../../sync/testing/synthetic-packets.js';
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

export async function registerNew(reg: TestRegistry, identity = newIdentity(), url?: string): Promise<{ identity: KioskIdentity; registration: Registration }> {
  const token = await reg.running.registry.issueToken({ centreId: identity.centreId });
  const registration = await registerKiosk(url ?? reg.running.url, token, identity);
  return { identity, registration };
}

export { makePacket, newIdentity };

/** Starts a registry on `backend` for the enclosing describe block (beforeAll/afterAll) in a temp dir. */
export function useTestRegistry(backend: 'sqlite' | 'postgres', prefix: string): { tmp: { dir: string }; registry(): TestRegistry } {
  const tmp = tempDir(prefix);
  let reg: TestRegistry | undefined;
  let release: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const b = await backendStore(backend);
    release = b.release;
    reg = await startTestRegistry(b, path.join(tmp.dir, 'registry'));
  });
  afterAll(async () => {
    await reg?.close();
    await release?.();
    tmp.cleanup();
  });
  return {
    tmp,
    registry() {
      if (!reg) throw new Error('registry not started');
      return reg;
    },
  };
}
