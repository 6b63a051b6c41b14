// Background sync in the kiosk core: runs the SyncEngine over the store's outbox once the kiosk is registered
// (DATA_DIR/sync/registration.json) and reports to SyncStatusService what the status bar shows. In demo mode
// without a configured registry it starts the embedded reference registry and registers with it (embedded-registry.ts).
import { awaitingUploadCount } from '../enrollment/counts.js';
import type { Logger } from 'pino';
import type { KioskConfig } from '../config/schema.js';
import type { SyncStatusService } from '../core/services/sync-status-service.js';
import type { StoreServices } from '../store/index.js';
import { RegistryClient } from '../../sync/engine/client.js';
import { httpRequest } from '../../sync/engine/http.js';
import type { KioskIdentity, Registration } from '../../sync/engine/identity.js';
import { isRegistered, loadRegistration, saveRegistration } from '../../sync/engine/kiosk-state.js';
import { backoffDelay } from '../../sync/engine/pacing.js';
import { SyncEngine, type PassReport, type SyncEngineOptions } from '../../sync/engine/sync-engine.js';
import { publicKeyOf } from '../../sync/packet/keys.js';
import type { EmbeddedRegistry } from './embedded-registry.js';

export interface SyncServiceOptions {
  config: Pick<KioskConfig, 'dataDir' | 'kioskId' | 'centreId' | 'demo' | 'registry'> & Partial<Pick<KioskConfig, 'household'>>;
  /** The open store; null (store disabled) leaves the service inert. */
  store: StoreServices | null;
  statusService: SyncStatusService;
  logger: Logger;
  /** false: do nothing (tests of the core pass `sync: false`). Default true. */
  enabled?: boolean;
  /** Pause between passes when nothing is pending (default 30 s). */
  idlePollMs?: number;
  /** Pause between passes while uploaded packets wait for a final registry status (default 1 s). */
  busyPollMs?: number;
  /** How often the outbox backlog is counted; a growing backlog starts a pass at once (default 2 s). */
  backlogPollMs?: number;
  /** While not registered: how often to look for registration.json (default 10 s; 0 = never). */
  registrationPollMs?: number;
  /** Engine tuning (tests: short backoff). */
  engine?: Omit<SyncEngineOptions, 'outbox' | 'client'>;
  /** After each pass that reached the registry: downloads over the same signed client (e.g. the regional gallery). */
  afterOnlinePass?: (client: RegistryClient, signal: AbortSignal) => Promise<void>;
}

export interface SyncService {
  /** Settles when start-up (embedded registry, registration) is done; never rejects (errors go to the status). */
  readonly started: Promise<void>;
  /** URL of the embedded demo registry while it runs, else null. */
  readonly embeddedRegistryUrl: string | null;
  /** Starts a pass now (e.g. right after an approval). */
  syncNow(): void;
  dispose(): Promise<void>;
}

/** Failure codes that mean "registry not reachable" rather than "registry refused". */
const OFFLINE_CODES = new Set(['NETWORK', 'REGISTRY_UNAVAILABLE']);

function dayOf(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function createSyncService(options: SyncServiceOptions): SyncService {
  const { config, store, statusService: status, logger } = options;
  const log = logger.child({ component: 'sync' });
  const idlePollMs = options.idlePollMs ?? 30_000;
  const busyPollMs = options.busyPollMs ?? 1_000;
  const backlogPollMs = options.backlogPollMs ?? 2_000;
  const registrationPollMs = options.registrationPollMs ?? 10_000;
  const abort = new AbortController();
  let kicked = false;
  let wakeUp: (() => void) | null = null;
  let adopting: Promise<void> | null = null;
  let embedded: EmbeddedRegistry | null = null;
  let engine: SyncEngine | null = null;
  let loop: Promise<void> | null = null;
  let backlogTimer: NodeJS.Timeout | null = null;
  let registrationTimer: NodeJS.Timeout | null = null;
  let countRunning: Promise<void> | null = null;
  let lastBacklog = -1;

  const service: SyncService = {
    started: Promise.resolve(),
    get embeddedRegistryUrl() {
      return embedded?.url ?? null;
    },
    syncNow() {
      kicked = true;
      wakeUp?.();
    },
    async dispose() {
      if (abort.signal.aborted) return;
      abort.abort();
      wakeUp?.();
      if (backlogTimer) clearInterval(backlogTimer);
      if (registrationTimer) clearInterval(registrationTimer);
      await service.started;
      await adopting;
      // The engine first: it cuts its retries and backoff short, so the pass the loop awaits ends.
      await engine?.dispose();
      await loop;
      await countRunning;
      await embedded?.close();
      embedded = null;
    },
  };
  if (options.enabled === false || !store) return service;
  const open: StoreServices = store;
  const outbox = open.outbox;
  const identity: KioskIdentity = { kioskId: config.kioskId, centreId: config.centreId, privateKey: open.kiosk.signingKey };

  /** Records waiting for the registry (awaitingUploadCount: the home tile's number too), from the store's counts. */
  function countBacklog(): Promise<void> {
    countRunning ??= (async () => {
      try {
        const c = await open.client.call('enrollment.counts', { day: dayOf(Date.now()) });
        if (abort.signal.aborted) return;
        const backlog = awaitingUploadCount(c.byStatus);
        // A pass is started when there is more to send: sealed packets (approved records are not packets yet).
        const sendable = c.byStatus.sealed + c.byStatus.uploaded;
        const grew = sendable > lastBacklog && lastBacklog >= 0;
        lastBacklog = sendable;
        if (status.get().backlog !== backlog) status.update({ backlog });
        if (grew) service.syncNow();
      } catch (e) {
        if (!abort.signal.aborted) log.debug({ err: e }, 'sync backlog count failed');
      }
    })().finally(() => {
      countRunning = null;
    });
    return countRunning;
  }

  async function healthy(registration: Registration): Promise<boolean> {
    try {
      const res = await httpRequest(new URL('/v1/health', registration.registryUrl), { method: 'GET', headers: {}, timeoutMs: 5_000, signal: abort.signal });
      return res.status === 200;
    } catch {
      return false;
    }
  }

  function runEngine(registration: Registration): void {
    let reached = false;
    const client = new RegistryClient(identity, registration, { onClock: () => (reached = true), signal: abort.signal });
    const e = new SyncEngine(outbox, client, options.engine ?? {});
    engine = e;
    const failures: string[] = [];
    e.on('failed', (f) => failures.push(f.error.code));
    e.on('retry', (r) => {
      if (OFFLINE_CODES.has(r.error.code)) status.update({ online: false, state: 'offline' });
    });
    e.on('outcome', (o) => {
      if (o.status.status === 'rejected') log.warn({ packetId: o.packetId, reason: o.status.reason }, 'registry rejected a packet');
      void countBacklog();
    });
    e.on('failed', (f) => log.warn({ packetId: f.packetId, code: f.error.code }, 'sync of a packet failed'));
    e.on('clock-skew', (c) => log.warn({ skewMs: c.skewMs }, 'kiosk clock differs from the registry clock'));
    let failureStreak = 0;
    loop = (async () => {
      while (!abort.signal.aborted) {
        kicked = false;
        failures.length = 0;
        reached = false;
        await countBacklog();
        if (abort.signal.aborted) break;
        if (status.get().backlog > 0 && status.get().state !== 'offline') status.update({ state: 'syncing' });
        let report: PassReport;
        try {
          report = await e.runOnce();
        } catch (err) {
          // The outbox itself failed (store error): not a link problem.
          if (abort.signal.aborted) break;
          log.error({ err }, 'sync pass failed');
          report = { uploaded: 0, acknowledged: 0, rejected: 0, purged: 0, pending: status.get().backlog, failures: 1 };
          failures.push('INTERNAL');
        }
        if (abort.signal.aborted) break;
        if (!reached && report.failures === 0) reached = await healthy(registration);
        if (abort.signal.aborted) break;
        if (reached && options.afterOnlinePass) {
          try {
            await options.afterOnlinePass(client, abort.signal);
          } catch (err) {
            if (!abort.signal.aborted) log.warn({ err }, 'download after the sync pass failed');
          }
          if (abort.signal.aborted) break;
        }
        // The backlog shown is always the store's count (one definition with the home tile), never the pass's own.
        await countBacklog();
        if (abort.signal.aborted) break;
        const patch: Parameters<SyncStatusService['update']>[0] = { online: reached };
        if (report.failures > 0) {
          failureStreak++;
          patch.state = failures.length > 0 && failures.every((c) => OFFLINE_CODES.has(c)) ? 'offline' : 'error';
          if (patch.state === 'offline') patch.online = false;
        } else if (!reached) {
          failureStreak++;
          patch.state = 'offline';
        } else {
          failureStreak = 0;
          patch.state = report.pending > 0 ? 'syncing' : 'idle';
          patch.lastSuccessAt = new Date().toISOString();
        }
        status.update(patch);
        const wait = failureStreak ? Math.max(50, backoffDelay(failureStreak, 500, 60_000, Math.random)) : report.pending > 0 ? busyPollMs : idlePollMs;
        if (kicked || abort.signal.aborted) continue;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, wait);
          function done(): void {
            clearTimeout(timer);
            wakeUp = null;
            resolve();
          }
          wakeUp = done;
        });
      }
    })();
    backlogTimer = setInterval(() => void countBacklog(), backlogPollMs);
    backlogTimer.unref();
  }

  async function startEmbedded(registered: Registration | null): Promise<Registration> {
    const { startEmbeddedRegistry, registerWithEmbedded } = await import('./embedded-registry.js');
    const reg = await startEmbeddedRegistry(config.dataDir, log, registered?.registryUrl, config.household?.questionnaire ?? null);
    embedded = reg;
    if (abort.signal.aborted) return registered ?? loadRegistration(config.dataDir);
    if (registered) {
      if (registered.registryUrl === reg.url) return registered;
      const moved = { ...registered, registryUrl: reg.url };
      saveRegistration(config.dataDir, moved);
      return moved;
    }
    const registration = await registerWithEmbedded(config.dataDir, reg, identity);
    // Records approved from now on (and any waiting in `approved`) are sealed to the embedded registry's key.
    const sealed = await open.enrollment.setRegistryPublicKey(publicKeyOf(registration.encryptionPublicKey, 'X25519'));
    log.info({ registry: reg.url, sealed }, 'registered with the embedded demo registry');
    return registration;
  }

  async function start(): Promise<void> {
    const demoEmbedded = config.demo && config.registry.url === null;
    let registration: Registration | null = isRegistered(config.dataDir) ? loadRegistration(config.dataDir) : null;
    if (demoEmbedded) {
      const { isEmbeddedRegistration } = await import('./embedded-registry.js');
      if (!registration || isEmbeddedRegistration(config.dataDir, registration)) registration = await startEmbedded(registration);
    }
    if (abort.signal.aborted) return;
    if (registration) {
      // Connecting: the first pass (or health check) decides between idle, syncing, offline and error.
      status.update({ state: 'syncing', online: false });
      log.info({ registry: registration.registryUrl, embedded: embedded !== null }, 'sync service running');
      runEngine(registration);
      return;
    }
    status.update({ state: 'not_registered', online: false });
    await countBacklog();
    if (registrationPollMs > 0) {
      registrationTimer = setInterval(() => {
        if (abort.signal.aborted || !isRegistered(config.dataDir)) return;
        clearInterval(registrationTimer!);
        registrationTimer = null;
        adopting = adoptRegistration();
      }, registrationPollMs);
      registrationTimer.unref();
    }
  }

  /** registration.json appeared at run time (`kiosk register` from another process). */
  async function adoptRegistration(): Promise<void> {
    try {
      const registration = loadRegistration(config.dataDir);
      // The registering process updated the database; this process's enrollment service needs the key too,
      // unless an explicit key (option or store-settings.json) takes precedence.
      if (open.registry.source !== 'option' && open.registry.source !== 'settings') {
        await open.enrollment.setRegistryPublicKey(publicKeyOf(registration.encryptionPublicKey, 'X25519'));
      }
      if (abort.signal.aborted) return;
      log.info({ registry: registration.registryUrl }, 'kiosk registered; sync starting');
      status.update({ state: 'syncing' });
      runEngine(registration);
    } catch (err) {
      log.error({ err }, 'could not start sync after registration');
      status.update({ state: 'error' });
    }
  }

  (service as { started: Promise<void> }).started = start().catch((err: unknown) => {
    if (abort.signal.aborted) return;
    log.error({ err }, 'sync service start failed');
    status.update({ state: 'error', online: false });
  });
  return service;
}
