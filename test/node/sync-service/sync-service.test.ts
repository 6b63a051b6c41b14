// The core's background sync service over a real store: demo mode starts the embedded registry, registers, seals to
// its key and syncs until the status bar shows idle with an empty backlog; restart keeps the registration; offline.
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SyncStatusService } from '../../../main/core/services/sync-status-service.js';
import type { SyncStatus } from '../../../main/contract/ipc.js';
import { openStoreServices, type StoreServices } from '../../../main/store/index.js';
import { createSyncService, type SyncService } from '../../../main/sync-service/index.js';
import type { Registration } from '../../../sync/engine/identity.js';
import { saveRegistration } from '../../../sync/engine/kiosk-state.js';
import { clerk, fullPatch, silentLogger, supervisorCreds, tempDataDir, testConfig, testProtector } from '../store/helpers.js';

const FAST = { idlePollMs: 60_000, busyPollMs: 100, backlogPollMs: 100, engine: { backoffBaseMs: 20, backoffCapMs: 100, stepAttempts: 2 } };

/** Resolves when `pred` holds (checked on every status change and every 50 ms); fails with the last value after 30 s. */
async function until<T>(what: string, read: () => Promise<T> | T, pred: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 30_000;
  let last: T = await read();
  while (!pred(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
    last = await read();
  }
  return last;
}

const netHandles = () => process.getActiveResourcesInfo().filter((r) => /^(TCP|Pipe|Timeout|FSReqCallback)/.test(r)).sort();

describe('sync service', () => {
  const open: { store?: StoreServices; service?: SyncService; cleanup?: () => void } = {};
  afterEach(async () => {
    await open.service?.dispose();
    await open.store?.dispose();
    open.cleanup?.();
    delete open.service;
    delete open.store;
  });

  async function approve(store: StoreServices, index: number): Promise<string> {
    const r = await store.enrollment.createDraft(clerk, fullPatch(index, 7));
    await store.enrollment.transition(clerk, r.id, 'captured');
    await store.enrollment.transition(clerk, r.id, 'pending_approval');
    await store.enrollment.transition(clerk, r.id, 'approved', { supervisor: supervisorCreds });
    return r.id;
  }

  const settled = (s: SyncStatus) => s.state === 'idle' && s.backlog === 0 && s.online && s.lastSuccessAt !== null;

  it('demo: embedded registry, registration, seal → sync → receipt → accepted; status idle; restart keeps registration; no leaks', async () => {
    const baseline = netHandles();
    const t = tempDataDir('kiosk-sync-service-');
    open.cleanup = t.cleanup;
    const config = testConfig(t.dir);
    open.store = await openStoreServices({ config, logger: silentLogger, protector: testProtector() });
    const store = open.store;
    expect(store.registry.source).toBe('demo-local');

    // Sealed before registration (to the demo-local key, which the embedded registry adopts).
    const first = await approve(store, 1);
    expect((await store.outbox.get(first))?.state).toBe('sealed');

    const status = new SyncStatusService(false);
    const seen: SyncStatus[] = [];
    status.onChange((s) => seen.push(s));
    open.service = createSyncService({ config, store, statusService: status, logger: silentLogger, ...FAST });
    await open.service.started;
    const url = open.service.embeddedRegistryUrl;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const regFile = path.join(t.dir, 'sync', 'registration.json');
    expect(existsSync(regFile)).toBe(true);
    const registration = JSON.parse(readFileSync(regFile, 'utf8')) as Registration;
    expect(registration).toMatchObject({ registryUrl: url, kioskId: 'K-TEST-01', centreId: 'C-TEST' });
    expect(existsSync(path.join(t.dir, 'demo-registry-server', 'registry-keys.json'))).toBe(true);

    await until('first packet acknowledged', () => store.outbox.get(first), (e) => e?.state === 'acknowledged');
    const acked = (await store.outbox.get(first))!;
    expect(acked.receipt?.payload).toMatchObject({ type: 'receipt', packetId: first, kioskId: 'K-TEST-01' });
    expect(acked.status?.payload).toMatchObject({ status: 'accepted' });
    const s1 = await until('status idle', () => status.get(), settled);
    expect(Date.parse(s1.lastSuccessAt!)).toBeGreaterThan(0);
    expect(seen.some((s) => s.state === 'syncing' && s.backlog > 0)).toBe(true);
    expect(seen.some((s) => s.state === 'not_registered')).toBe(false);

    // Approved while running: sealed to the embedded registry's key (set at registration) and picked up by the backlog poll.
    const second = await approve(store, 2);
    expect((await store.outbox.get(second))?.state).toBe('sealed');
    await until('second packet acknowledged', () => store.outbox.get(second), (e) => e?.state === 'acknowledged');
    expect((await store.outbox.get(second))!.status?.payload.status).toBe('accepted');
    await until('status idle again', () => status.get(), settled);

    // Restart: same registration (certificate), embedded registry back on its data dir, sync works again.
    await open.service.dispose();
    const status2 = new SyncStatusService(true);
    const third = await approve(store, 3);
    open.service = createSyncService({ config, store, statusService: status2, logger: silentLogger, ...FAST });
    await open.service.started;
    const again = JSON.parse(readFileSync(regFile, 'utf8')) as Registration;
    expect(again.certificate).toEqual(registration.certificate);
    expect(again.registryUrl).toBe(open.service.embeddedRegistryUrl);
    await until('third packet acknowledged', () => store.outbox.get(third), (e) => e?.state === 'acknowledged');
    expect((await store.outbox.get(third))!.status?.payload.status).toBe('accepted');
    const s2 = await until('status idle after restart', () => status2.get(), settled);
    expect(s2.backlog).toBe(0);
    expect(await store.outbox.pending()).toEqual([]);
    expect(again.registryUrl).toBe(url);

    // Its port taken by someone else: the registry moves to a free port and registration.json follows.
    await open.service.dispose();
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(Number(new URL(url!).port), '127.0.0.1', resolve));
    try {
      const status3 = new SyncStatusService(true);
      const fourth = await approve(store, 4);
      open.service = createSyncService({ config, store, statusService: status3, logger: silentLogger, ...FAST });
      await open.service.started;
      const moved = JSON.parse(readFileSync(regFile, 'utf8')) as Registration;
      expect(moved.registryUrl).not.toBe(url);
      expect(moved.registryUrl).toBe(open.service.embeddedRegistryUrl);
      expect(moved.certificate).toEqual(registration.certificate);
      await until('fourth packet acknowledged', () => store.outbox.get(fourth), (e) => e?.state === 'acknowledged');
      await until('status idle after move', () => status3.get(), settled);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }

    await open.service.dispose();
    delete open.service;
    await open.store.dispose();
    delete open.store;
    const after = await until('handles released', () => netHandles(), (h) => h.length <= baseline.length);
    expect(after.filter((h) => h.startsWith('TCP'))).toEqual(baseline.filter((h) => h.startsWith('TCP')));
  });

  it('registered with an unreachable registry: offline, backlog counted; enabled: false does nothing', async () => {
    const t = tempDataDir('kiosk-sync-service-');
    open.cleanup = t.cleanup;
    const config = testConfig(t.dir, { demo: false, registry: { url: 'http://127.0.0.1:9/', publicKeyFingerprint: null } });
    // A demo store seals to its demo-local key; the service then runs against a registration that points nowhere.
    open.store = await openStoreServices({ config: testConfig(t.dir), logger: silentLogger, protector: testProtector() });
    const store = open.store;
    await approve(store, 1);
    const idle = new SyncStatusService(false);
    const off = createSyncService({ config, store, statusService: idle, logger: silentLogger, enabled: false, ...FAST });
    await off.started;
    expect(idle.get().state).toBe('not_registered');
    await off.dispose();

    const unregistered = new SyncStatusService(true);
    open.service = createSyncService({ config, store, statusService: unregistered, logger: silentLogger, ...FAST });
    await open.service.started;
    expect(unregistered.get()).toMatchObject({ state: 'not_registered', online: false, backlog: 1 });
    await open.service.dispose();

    saveRegistration(t.dir, {
      registryUrl: 'http://127.0.0.1:9',
      kioskId: 'K-TEST-01',
      centreId: 'C-TEST',
      encryptionPublicKey: Buffer.alloc(32, 9).toString('base64'),
      signingPublicKey: store.kiosk.publicKeyRaw,
      certificate: { payload: {}, signature: '' } as unknown as Registration['certificate'],
      registeredAt: new Date().toISOString(),
    });
    const status = new SyncStatusService(true);
    const seen: SyncStatus[] = [];
    status.onChange((v) => seen.push(v));
    open.service = createSyncService({ config, store, statusService: status, logger: silentLogger, ...FAST });
    await open.service.started;
    expect(open.service.embeddedRegistryUrl).toBeNull();
    // A pass starts (syncing) and fails on the link (offline), not as a registry refusal (error).
    const afterPass = () => seen.slice(seen.findIndex((v) => v.state === 'syncing') + 1);
    await until('a failed pass', () => seen.findIndex((v) => v.state === 'syncing') >= 0 && afterPass().some((v) => v.state !== 'syncing'), Boolean);
    expect(afterPass().find((v) => v.state !== 'syncing')).toMatchObject({ state: 'offline', online: false, backlog: 1, lastSuccessAt: null });
    expect(seen.some((v) => v.state === 'error')).toBe(false);
    expect((await store.outbox.pending()).map((e) => e.state)).toEqual(['sealed']);
  });
});
