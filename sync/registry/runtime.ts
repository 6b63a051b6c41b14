// Opens a registry (keys, store, service, HTTP server) from a data dir; used by the CLI, tests and benchmarks.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { MatcherDedup, type MatcherDedupOptions } from './biometrics/matcher-dedup.js';
import { loadOrCreateRegistryKeys } from './keys.js';
import { PartnerService } from './partners/service.js';
import { RegistryHouseholds } from './households.js';
import { QuestionnaireRegistry } from './questionnaires.js';

/** Where the registry keeps the questionnaire definitions it accepts. */
export const QUESTIONNAIRES_DIR = 'questionnaires';
import { Registry, type RegistryOptions } from './registry.js';
import { buildRegistryServer, type RegistryServerOptions } from './server.js';
import { openRegistryStore } from './store/index.js';
import { checkBucket, openS3PacketStore, type PacketStoreSpec } from './store/s3/config.js';
import type { RegistryStore } from './store/types.js';

export interface OpenRegistryOptions extends Partial<Omit<RegistryOptions, 'store' | 'keys' | 'dataDir'>> {
  dataDir: string;
  postgresUrl?: string;
  postgresSchema?: string;
  /** Packet bytes in an S3-compatible bucket (`--packet-store s3://…`) instead of files in the data dir. */
  packetStoreSpec?: PacketStoreSpec;
  /** Use this store instead of opening one (the caller keeps ownership). */
  store?: RegistryStore;
  /**
   * Global biometric dedup with the project's matchers (face + fingers, biometrics/matcher-dedup.ts): true or its
   * options. Off by default for library use; `registry serve` turns it on.
   */
  matchers?: boolean | Omit<MatcherDedupOptions, 'store'>;
}

export async function openRegistry(o: OpenRegistryOptions): Promise<Registry & { closeStore(): Promise<void> }> {
  mkdirSync(o.dataDir, { recursive: true, mode: 0o700 });
  const keys = loadOrCreateRegistryKeys(o.dataDir);
  // The packet store first: a bucket that is missing or refuses the credentials stops the start with a typed error.
  const ownPackets = !o.packetStore && o.packetStoreSpec ? openS3PacketStore(o.packetStoreSpec) : null;
  if (ownPackets) {
    try {
      await checkBucket(ownPackets);
    } catch (e) {
      await ownPackets.dispose();
      throw e;
    }
  }
  let store: RegistryStore;
  try {
    store = o.store ?? (await openRegistryStore(o.dataDir, o.postgresUrl, o.postgresSchema));
  } catch (e) {
    await ownPackets?.dispose();
    throw e;
  }
  const { store: _s, postgresUrl: _p, postgresSchema: _ps, matchers, packetStoreSpec: _ks, ...rest } = o;
  let dedup: MatcherDedup | null = null;
  if (matchers && !rest.biometricDedup) {
    try {
      dedup = await MatcherDedup.open({ ...(matchers === true ? {} : matchers), store });
    } catch (e) {
      if (!o.store) await store.close();
      await ownPackets?.dispose();
      throw e;
    }
  }
  const registry = new Registry({ ...rest, ...(dedup ? { biometricDedup: dedup } : {}), ...(ownPackets ? { packetStore: ownPackets } : {}), store, keys, dataDir: o.dataDir }) as Registry & { closeStore(): Promise<void> };
  try {
    // The questionnaire definitions this registry accepts (DATA_DIR/questionnaires/*.xlsx|*.json): PMT on intake.
    registry.households = await RegistryHouseholds.open(store.sqlAdapter(), QuestionnaireRegistry.load(path.join(o.dataDir, QUESTIONNAIRES_DIR)));
  } catch (e) {
    await dedup?.dispose();
    if (!o.store) await store.close();
    await ownPackets?.dispose();
    throw e;
  }
  registry.closeStore = async () => {
    // After registry.dispose() (processing idle): the matcher workers, then the stores.
    await dedup?.dispose();
    if (!o.store) await store.close();
    await ownPackets?.dispose();
  };
  return registry;
}

export interface RunningRegistry {
  registry: Registry;
  partners: PartnerService;
  app: FastifyInstance;
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts the HTTP server on 127.0.0.1 (or `host`); processes packets left in "received" by a previous run. */
export async function serveRegistry(o: OpenRegistryOptions & RegistryServerOptions & { port?: number; host?: string }): Promise<RunningRegistry> {
  const registry = await openRegistry(o);
  const partners = await PartnerService.open(registry);
  const app = buildRegistryServer(registry, { ...o, partners });
  await app.listen({ port: o.port ?? 0, host: o.host ?? '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  await registry.startShared();
  registry.scheduleProcessing();
  let closed = false;
  return {
    registry,
    partners,
    app,
    port,
    url: `http://${o.host ?? '127.0.0.1'}:${port}`,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      await registry.dispose();
      await registry.closeStore();
    },
  };
}
