// The composition root: builds every service from the config and wires them to the IPC router and event bus.
// Runs under plain Node (browser shell, CLI, tests) and inside Electron's main process alike.
import { mkdirSync } from 'node:fs';
import type { KioskConfig } from '../config/schema.js';
import { createLogger, type KioskLogger } from '../log/logger.js';
import { DisposableStack } from '../platform/disposable.js';
import { createAppHandlers, type CountsProvider } from './app-handlers.js';
import { createCallContext } from './call-context.js';
import { EventBus } from './event-bus.js';
import type { CallContext } from './handlers.js';
import { IpcRouter } from './ipc-router.js';
import { checkAccess } from './access-policy.js';
import { InMemoryDeviceStatusService, type DeviceStatusService } from './services/device-status-service.js';
import { FileSettingsService, type SettingsService } from './services/settings-service.js';
import { SyncStatusService } from './services/sync-status-service.js';
import { FingerprintDeviceManager } from './services/fingerprint-devices.js';
import { createFaceHandlers } from '../face/face-handlers.js';
import { DeviceFingerCaptureService, FingerAnalysisPool, createFingerHandlers, fingerCaptureConfigFrom, sessionRoleGate, type FingerCaptureService } from '../capture/index.js';
import { createSyncService } from '../sync-service/index.js';
import { createWorkflow } from '../workflow/index.js';
import { createHouseholdHandlers } from '../household/handlers.js';
import { createSyncOutcomeHandlers } from '../sync-service/outcome-handlers.js';
import { openStoreServices, selectProtector, type KeyProtector, type StoreServices } from '../store/index.js';
import { packageInfo } from '../platform/package-info.js';
import { createDedupHandlers } from '../dedup/handlers.js';
import { openStoreDedup } from '../dedup/local.js';
import type { DedupService } from '../dedup/service.js';
import { StoreGallerySync } from '../dedup/store-sync.js';
import { RegionalGalleryFeed } from '../dedup/regional-feed.js';
import { DiskSpaceGuard } from '../diagnostics/disk-space.js';
import { diagnosticsHandlers } from '../diagnostics/handlers.js';
import { createProvisioningHandlers } from '../provisioning/handlers.js';
import { createDemoHandlers } from './demo-handlers.js';
import { DemoPeople } from './services/demo-people.js';
import { downloadsDir } from '../provisioning/downloads.js';
import { createProvisioningService, provisionedStoreOptions, withProvisionedDevices } from '../provisioning/index.js';

export interface KioskCore {
  config: KioskConfig;
  router: IpcRouter;
  events: EventBus;
  logger: KioskLogger['logger'];
  settings: SettingsService;
  devices: DeviceStatusService;
  sync: SyncStatusService;
  /** The encrypted enrollment store (null when opened with `store: false`). */
  store: StoreServices | null;
  /** Opened fingerprint devices (null when opened with `devices: false`). */
  fingerprints: FingerprintDeviceManager | null;
  /** Local 1:N dedup over this kiosk's sealed enrollments, regional entries and operators (null without a store). */
  dedup: DedupService | null;
  /** Finger capture over the opened devices (main/capture); the enrollment workflow stores its sessions. */
  fingerCapture: FingerCaptureService;
  newContext(connectionId?: string): CallContext;
  /** Milliseconds from createKioskCore() to ready. */
  readyMs: number;
  dispose(): Promise<void>;
}

export interface KioskCoreOptions {
  config: KioskConfig;
  shell: 'electron' | 'browser';
  /** Replaces the log file (tests). */
  logSink?: { write(line: string): void };
  logToFile?: boolean;
  /** Open the configured fingerprint devices in the background (default true). */
  devices?: boolean;
  /** Start the face models in the background at start-up (the shells do; tests need not). */
  warmFace?: boolean;
  /** Run the background sync service (default true; in demo mode it starts an embedded registry on loopback). */
  sync?: boolean;
  /** Open the enrollment store (default true). */
  store?: boolean;
  /** Key protector for the store; default: chosen from the data dir and KIOSK_PASSPHRASE (Electron passes safeStorage). */
  protector?: KeyProtector;
  /** Free-space probe of the data disk (tests inject a fake full disk). */
  disk?: DiskSpaceGuard;
  /** After a technician's factory reset wiped the data dir (Electron relaunches; default: log only). */
  onFactoryReset?: () => void;
}

export async function createKioskCore(options: KioskCoreOptions): Promise<KioskCore> {
  const started = performance.now();
  const { config } = options;
  const stack = new DisposableStack();
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const log = stack.add(
    createLogger({
      dataDir: options.logToFile === false ? null : config.dataDir,
      level: config.log.level,
      maxFileBytes: config.log.maxFileBytes,
      maxFiles: config.log.maxFiles,
      ...(options.logSink ? { sink: options.logSink } : {}),
    }),
  );
  const logger = log.logger;
  try {
    const events = stack.add(new EventBus());
    const router = new IpcRouter(logger, checkAccess);
    const settings = new FileSettingsService(config.dataDir, { locale: config.defaultLocale, cameraDeviceId: config.devices.cameraDeviceId });
    const devices = new InMemoryDeviceStatusService(withProvisionedDevices(config));
    const sync = new SyncStatusService(config.registry.url !== null);
    let store: StoreServices | null = null;
    const disk = options.disk ?? new DiskSpaceGuard({ dataDir: config.dataDir, warnMegabytes: config.thresholds.lowDiskMegabytes, blockMegabytes: config.thresholds.blockDiskMegabytes });
    if (options.store !== false) {
      store = await openStoreServices({
        config,
        logger,
        storageGuard: disk,
        protector: options.protector ?? selectProtector(config.dataDir, process.env, { demo: config.demo }),
        softwareVersion: packageInfo().version,
        // The enrollment form downloaded at provisioning (registry master data) replaces the built-in one.
        ...provisionedStoreOptions(config.dataDir),
      });
      stack.add(store);
      router.register(store.handlers);
      router.register(createSyncOutcomeHandlers({ outbox: store.outbox, auth: store.auth }));
    }
    const openStore = store;
    const counts: CountsProvider | null = openStore ? { counts: () => openStore.enrollment.counts() } : null;
    let dedup: DedupService | null = null;
    let regionalFeed: RegionalGalleryFeed | null = null;
    if (openStore) {
      // Gallery encrypted under a key derived from the store's key ring; kept in step with seal/purge/reject.
      dedup = stack.add(
        await openStoreDedup(openStore, config.dataDir, {
          thresholds: config.dedup,
          workers: config.dedup.workers,
          onCorrupt: (err, movedTo) => logger.error({ code: err.code, movedTo }, 'dedup gallery unreadable: moved aside, rebuilding it from the store'),
        }),
      );
      const gallerySync = stack.add(
        new StoreGallerySync(
          dedup,
          {
            galleryIds: () => openStore.client.call('gallery.ids', {}),
            galleryEntry: (id) => openStore.enrollment.galleryEntry(id),
            onCommitted: (l) => openStore.client.onCommitted(l),
            operatorFingerTemplates: () => openStore.auth.operatorFingerTemplates(),
          },
          logger,
        ),
      );
      const reconciled = { ...(await gallerySync.reconcile()), operators: (await gallerySync.syncOperators()).set };
      const ridActor = { operatorId: 'system', role: 'system' } as const;
      regionalFeed = new RegionalGalleryFeed({
        dedup,
        dataDir: config.dataDir,
        logger,
        heldLocally: async (rid) => {
          const id = await openStore.enrollment.findByRid(ridActor, rid).catch(() => null);
          return id !== null && (await openStore.client.call('gallery.get', { id })) !== null;
        },
      });
      // This kiosk's own records leave the local gallery when the registry's retention purges them: re-read the
      // registry's gallery so they come back as regional entries.
      const feedOfPurge = regionalFeed;
      const offPurge = openStore.client.onCommitted((method, params) => {
        if (method === 'enrollment.purge' && (params as { audit?: { actor?: string } }).audit?.actor === 'system') feedOfPurge.rewind();
      });
      stack.add({ dispose: () => offPurge() });
      const provisioned = await regionalFeed.applyProvisioned(downloadsDir(config.dataDir));
      if (provisioned.pages) logger.info(provisioned, 'regional gallery from the provisioning downloads applied');
      router.register(createDedupHandlers({ dedup, auth: openStore.auth }));
      logger.info({ ...reconciled, loadMs: Math.round((await dedup.stats()).loadMs) }, 'dedup gallery ready');
    }

    const offDevices = devices.onChange((all) => events.emit('kiosk:event.device-status', all));
    const offSync = sync.onChange((s) => events.emit('kiosk:event.sync-progress', s));
    stack.add({ dispose: () => (offDevices(), offSync()) });
    const feed = regionalFeed;
    stack.add(
      createSyncService({
        config,
        store,
        statusService: sync,
        logger,
        enabled: options.sync !== false,
        // The regional gallery follows the registry whenever the link is up.
        ...(feed ? { afterOnlinePass: async (client) => void (await feed.pull((since) => client.download('gallery-delta', { since, minVersion: since }))) } : {}),
      }),
    );

    const fingerprints = options.devices === false ? null : stack.add(new FingerprintDeviceManager(withProvisionedDevices(config), devices, logger));
    const fingerAnalysis = new FingerAnalysisPool();
    // Demo mode: the emulated sensor shows every enrollment its own synthetic person (or one chosen on purpose).
    const demoPeople = config.demo ? new DemoPeople(config.dataDir) : null;
    const fingerSource = fingerprints
      ? { list: () => fingerprints.list(), ...(demoPeople ? { present: (deviceId: string, sessionId: string) => fingerprints.presentSubject(deviceId, demoPeople.subjectFor(sessionId)) } : {}) }
      : { list: () => [] };
    const fingerCapture = stack.add(new DeviceFingerCaptureService(fingerSource, fingerAnalysis, fingerCaptureConfigFrom(config)));
    const offFinger = fingerCapture.onProgress((e) => events.emit('kiosk:event.finger-progress', e));
    stack.add({ dispose: () => offFinger() });
    router.register(createFingerHandlers(fingerCapture, openStore ? (ctx, roles, action) => void openStore.auth.requireRole(ctx, roles, action) : sessionRoleGate));

    const face = stack.add(createFaceHandlers(config, logger));
    router.register(face.handlers);
    if (options.warmFace) face.warm();
    let reloadLocations: (() => void) | null = null;
    if (openStore) {
      const dedupOf = dedup;
      const workflow = stack.add(createWorkflow({ dataDir: config.dataDir, store: openStore, face, fingerCapture, fingerConfig: fingerCaptureConfigFrom(config), dedup: () => dedupOf, receipt: { options: config.receipt, defaultLocale: config.defaultLocale } }));
      router.register(workflow.handlers);
      openStore.householdWorkflow.attachWorkflow(workflow.service);
      openStore.householdWorkflow.attachReceipts(workflow.receipts);
      router.register(createHouseholdHandlers({ households: openStore.householdWorkflow, auth: openStore.auth }));
      // Every committed change of an enrollment reaches every screen (a clerk's wizard follows a supervisor's decision).
      const offChanged = openStore.client.onCommitted((method, params) => {
        if (method !== 'enrollment.update' && method !== 'enrollment.seal' && method !== 'enrollment.purge') return;
        const id = (params as { id?: unknown } | null)?.id;
        if (typeof id === 'string') events.emit('kiosk:event.enrollment-changed', { id });
      });
      stack.add({ dispose: () => offChanged() });
      router.register(createDemoHandlers({ people: demoPeople, enrollment: openStore.enrollment, auth: openStore.auth }));
      reloadLocations = () => void workflow.locations.reload();
    }

    let diagnosticsStore = store;
    const dedupOfReset = dedup;
    router.register(
      diagnosticsHandlers({
        config,
        shell: options.shell,
        disk,
        store: () => diagnosticsStore,
        sync: () => sync.get(),
        devices: () => devices.list(),
        logger,
        onFactoryReset: () => {
          diagnosticsStore = null;
          // The wiped gallery must not stay searchable in memory until the restart.
          void dedupOfReset?.dispose().catch(() => undefined);
          logger.warn({ event: 'factory-reset' }, 'factory reset done; restart the kiosk');
          options.onFactoryReset?.();
        },
      }),
    );
    if (openStore) {
      // First-run provisioning and operator onboarding (technician wizard, Operators screen).
      const provisioning = createProvisioningService({ config, store: openStore, settings, logger, onMasterData: () => reloadLocations?.() });
      const fingers = fingerprints ? { device: (id: string) => fingerprints.device(id), analyse: (img: Parameters<FingerAnalysisPool['analyse']>[0]) => fingerAnalysis.analyse(img), compare: (probe: Uint8Array, candidates: Uint8Array[]) => fingerAnalysis.compare(probe, candidates), qualityMin: config.thresholds.fingerQualityMin, timeoutMs: 20_000 } : null;
      // Discovery lists the configured sensors too (a demo emulator's pseudo-terminal is no system serial port).
      const configured = () =>
        withProvisionedDevices(config).devices.fingerprint.map((entry) => {
          const st = devices.list().find((d) => d.id === entry.id);
          return { id: entry.id, kind: entry.kind, label: st?.label ?? entry.id, state: st?.state ?? 'not_configured', ...(st?.detail ? { detail: st.detail } : {}) };
        });
      router.register(createProvisioningHandlers({ provisioning, auth: openStore.auth, fingers, configured }));
      // Nobody but technicians works on a non-demo kiosk before it is in service.
      if (!config.demo) openStore.auth.setServiceGate(() => provisioning.inService);
    }
    router.register(createAppHandlers({ config, shell: options.shell, settings, devices, sync, counts, events }));
    events.emit('kiosk:event.device-status', devices.list());
    events.emit('kiosk:event.sync-progress', sync.get());

    const readyMs = performance.now() - started;
    logger.info({ kioskId: config.kioskId, shell: options.shell, demo: config.demo, readyMs: Math.round(readyMs) }, 'kiosk core ready');
    return {
      config,
      router,
      events,
      logger,
      settings,
      devices,
      sync,
      store,
      fingerprints,
      fingerCapture,
      dedup,
      readyMs,
      newContext: (id) => createCallContext(id),
      dispose: () => stack.dispose(),
    };
  } catch (error) {
    await stack.dispose();
    throw error;
  }
}
