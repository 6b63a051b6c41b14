// Demo mode: the reference registry (sync/registry) runs inside the kiosk process on 127.0.0.1, data in
// DATA_DIR/demo-registry-server/, so enroll → approve → seal → sync → receipt works on a fresh checkout.
// Loaded with import() from the sync service only in demo mode (fastify and the registry store stay unloaded otherwise).
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createPrivateKey } from 'node:crypto';
import path from 'node:path';
import type { Logger } from 'pino';
import { writeFileAtomic } from '../platform/atomic-file.js';
import { registerKiosk } from '../../sync/engine/client.js';
import type { KioskIdentity, Registration } from '../../sync/engine/identity.js';
import { saveRegistration } from '../../sync/engine/kiosk-state.js';
import { loadOrCreateRegistryKeys, REGISTRY_KEYS_FILE } from '../../sync/registry/keys.js';
import { serveRegistry, type RunningRegistry } from '../../sync/registry/runtime.js';
import { openRegistryStore } from '../../sync/registry/store/index.js';
import type { RegistryStore } from '../../sync/registry/store/types.js';

export const EMBEDDED_REGISTRY_DIR = 'demo-registry-server';
/** The store's demo-local X25519 key (main/enrollment/services.ts DEMO_REGISTRY_DIR); see adoptDemoSealingKey. */
const DEMO_LOCAL_KEY = path.join('demo-registry', 'registry-x25519.pem');

export function embeddedRegistryDir(dataDir: string): string {
  return path.join(dataDir, EMBEDDED_REGISTRY_DIR);
}

/**
 * Before the embedded registry's first start: give it the X25519 key the store already seals to in demo mode
 * (DATA_DIR/demo-registry/registry-x25519.pem), so records sealed before registration can still be opened by it.
 * Signing key and dedup secret are fresh. No-op once the registry has keys, or when there is no demo key.
 */
function adoptDemoSealingKey(dataDir: string, dir: string): void {
  const keysFile = path.join(dir, REGISTRY_KEYS_FILE);
  const demoKey = path.join(dataDir, DEMO_LOCAL_KEY);
  if (existsSync(keysFile) || !existsSync(demoKey)) return;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  loadOrCreateRegistryKeys(dir);
  const kf = JSON.parse(readFileSync(keysFile, 'utf8')) as { x25519: string };
  kf.x25519 = createPrivateKey(readFileSync(demoKey, 'utf8')).export({ format: 'pem', type: 'pkcs8' }).toString();
  writeFileAtomic(keysFile, JSON.stringify(kf));
}

/** True when `registration` was issued by this data dir's embedded registry (its signing key matches). */
export function isEmbeddedRegistration(dataDir: string, registration: Registration): boolean {
  const dir = embeddedRegistryDir(dataDir);
  if (!existsSync(path.join(dir, REGISTRY_KEYS_FILE))) return false;
  return loadOrCreateRegistryKeys(dir).signingPublicKey === registration.signingPublicKey;
}

function portOf(url: string | undefined): number {
  if (!url) return 0;
  try {
    const u = new URL(url);
    return u.hostname === '127.0.0.1' && u.port ? Number(u.port) : 0;
  } catch {
    return 0;
  }
}

export interface EmbeddedRegistry {
  url: string;
  running: RunningRegistry;
  close(): Promise<void>;
}

/**
 * Starts the registry on 127.0.0.1. Tries `preferredUrl`'s port first (keeps registration.json's URL valid across
 * restarts); if that port is taken, listens on a random one (the caller then rewrites registration.json).
 */
export async function startEmbeddedRegistry(dataDir: string, logger: Logger, preferredUrl?: string, questionnaire: string | null = null): Promise<EmbeddedRegistry> {
  const dir = embeddedRegistryDir(dataDir);
  adoptDemoSealingKey(dataDir, dir);
  // Demo: the embedded registry accepts the kiosk's household questionnaire (it recomputes the PMT score with it).
  if (questionnaire && existsSync(questionnaire)) {
    const qdir = path.join(dir, 'questionnaires');
    mkdirSync(qdir, { recursive: true, mode: 0o700 });
    copyFileSync(questionnaire, path.join(qdir, `kiosk${path.extname(questionnaire)}`));
  }
  const attempt = async (port: number): Promise<EmbeddedRegistry> => {
    // The store is ours (not serveRegistry's) so that a failed listen() leaves nothing open.
    const store: RegistryStore = await openRegistryStore(dir);
    try {
      const running = await serveRegistry({ dataDir: dir, store, port, host: '127.0.0.1' });
      return {
        url: running.url,
        running,
        async close() {
          try {
            await running.close();
          } finally {
            await store.close();
          }
        },
      };
    } catch (e) {
      await store.close();
      throw e;
    }
  };
  const preferred = portOf(preferredUrl);
  if (preferred) {
    try {
      return await attempt(preferred);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' && (e as NodeJS.ErrnoException).code !== 'EACCES') throw e;
      logger.warn({ port: preferred }, 'embedded demo registry: previous port is taken, using a new one');
    }
  }
  return attempt(0);
}

/**
 * First start: a one-time token through Registry.issueToken (what `registry admin issue-token` calls), registration
 * with it, registration.json saved. The caller hands the registry's X25519 key to the store.
 */
export async function registerWithEmbedded(dataDir: string, reg: EmbeddedRegistry, identity: KioskIdentity): Promise<Registration> {
  const token = await reg.running.registry.issueToken({ centreId: identity.centreId, ttlHours: 1 });
  const registration = await registerKiosk(reg.url, token, identity);
  saveRegistration(dataDir, registration);
  return registration;
}
