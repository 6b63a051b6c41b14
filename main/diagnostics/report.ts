// `kiosk doctor --full` and the Diagnostics screen: one report of this machine and this kiosk's data — devices,
// model pins, store integrity (SQLite integrity_check + audit chain), disk space, key mode, sync backlog, versions.
// Runs against a live core (the screen) or against the data dir alone (the CLI, no passphrase needed). No PII.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { KioskConfig } from '../config/schema.js';
import type { DeviceStatus, SyncStatus } from '../contract/ipc.js';
import { runDoctor, type CheckResult } from '../cli/doctor.js';
import { packageInfo } from '../platform/package-info.js';
import { DB_FILE, readStoreStatus, verifyStoreAudit, type StoreServices, type StoreStatusReport } from '../enrollment/services.js';
import { StoreClient } from '../store/client.js';
import { checkModels } from '../../models/runtime/manifest.js';
import type { DiskSpaceGuard, DiskSpaceReport } from './disk-space.js';

export type { CheckResult } from '../cli/doctor.js';

export interface DiagnosticsReport {
  format: 'kiosk-diagnostics';
  version: 1;
  generatedAt: string;
  kioskId: string;
  centreId: string;
  demo: boolean;
  /** True when no check failed. */
  ok: boolean;
  checks: CheckResult[];
  versions: Record<string, string>;
  models: { id: string; file: string; status: string; sha256: string | null }[];
  disk: DiskSpaceReport;
  store: {
    initialised: boolean;
    integrity: 'ok' | 'failed' | 'not_checked';
    audit: { ok: boolean; entries: number; checkpoints: number; firstBroken: { seq: number; reason: string } | null } | null;
    userVersion: number | null;
    sizeBytes: number;
    counts: Record<string, number> | null;
  };
  keyMode: { mode: string; weak: boolean } | null;
  sync: { state: string; backlog: number; lastSuccessAt: string | null };
  devices: DeviceStatus[];
}

export interface DiagnosticsSources {
  config: KioskConfig;
  disk: DiskSpaceGuard;
  /** The live core's store; without it the data dir is opened read-only (CLI). */
  store?: StoreServices | null;
  sync?: SyncStatus | null;
  devices?: DeviceStatus[] | null;
  shell?: 'electron' | 'browser' | 'cli';
  clock?: () => number;
}

const MB = 1024 * 1024;

function dependencyVersions(): Record<string, string> {
  const root = packageInfo().root;
  const out: Record<string, string> = {};
  for (const dep of ['better-sqlite3', 'serialport', 'onnxruntime-node', 'sharp', 'electron']) {
    const file = path.join(root, 'node_modules', dep, 'package.json');
    try {
      if (existsSync(file)) out[dep] = (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    } catch {
      // An unreadable package.json is reported by the native checks.
    }
  }
  return out;
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

async function liveStatus(live: StoreServices, dataDir: string): Promise<Pick<StoreStatusReport, 'initialised' | 'userVersion' | 'sizeBytes' | 'counts'>> {
  const s = await live.client.call('store.status', {});
  const size = (f: string) => (existsSync(f) ? statSync(f).size : 0);
  const db = path.join(dataDir, DB_FILE);
  const sizeBytes = { db: size(db), wal: size(`${db}-wal`), total: 0 };
  sizeBytes.total = sizeBytes.db + sizeBytes.wal + size(`${db}-shm`);
  return { initialised: true, userVersion: s.userVersion, sizeBytes, counts: s.counts };
}

async function storeSection(sources: DiagnosticsSources, checks: CheckResult[]): Promise<Pick<DiagnosticsReport, 'store' | 'keyMode'> & { sync: { backlog: number; last: number | null } | null }> {
  const dataDir = sources.config.dataDir;
  const live = sources.store ?? null;
  // A live store is asked through its own connection: a second connection could recreate the database file if a
  // factory reset wiped it meanwhile. The CLI (no live store) reads the data dir directly.
  const status: Pick<StoreStatusReport, 'initialised' | 'userVersion' | 'sizeBytes' | 'counts'> & { keyMode?: StoreStatusReport['keyMode'] } | null = live
    ? await liveStatus(live, dataDir).catch(() => null)
    : await readStoreStatus(dataDir).catch(() => null);
  const store: DiagnosticsReport['store'] = {
    initialised: status?.initialised ?? false,
    integrity: 'not_checked',
    audit: null,
    userVersion: status?.userVersion ?? null,
    sizeBytes: status?.sizeBytes.total ?? 0,
    counts: status?.counts ? { ...status.counts.byStatus, today: status.counts.today, total: status.counts.total } : null,
  };
  const keyMode = live ? { mode: live.keyMode.mode, weak: live.keyMode.weak } : (status?.keyMode ?? null);
  if (!store.initialised && !live) {
    checks.push({ id: 'store', status: 'warn', detail: `no enrollment store in ${dataDir} yet — provision the kiosk (\`kiosk provision\`) or run \`kiosk init\`` });
    return { store, keyMode, sync: null };
  }
  let client: StoreClient | null = live ? live.client : null;
  let sync: { backlog: number; last: number | null } | null = null;
  try {
    client ??= await StoreClient.open({ file: path.join(dataDir, DB_FILE), slowMs: 60_000, quickCheckOnOpen: 'never', trackSession: false });
    try {
      await client.call('store.integrityCheck', {});
      store.integrity = 'ok';
      checks.push({ id: 'store.integrity', status: 'ok', detail: 'SQLite integrity_check: ok' });
    } catch (error) {
      store.integrity = 'failed';
      checks.push({ id: 'store.integrity', status: 'fail', detail: `SQLite integrity_check failed (${(error as { code?: string }).code ?? 'error'}) — stop enrolling, export diagnostics and call support; do not delete the data dir` });
    }
    const s = await client.call('store.syncSummary', {});
    sync = { backlog: s.backlog, last: Math.max(s.lastUploadedAt ?? 0, s.lastAcknowledgedAt ?? 0) || null };
  } catch (error) {
    store.integrity = 'failed';
    checks.push({ id: 'store.integrity', status: 'fail', detail: `store could not be opened (${(error as { code?: string }).code ?? 'error'})` });
  } finally {
    if (client && !live) await client.dispose();
  }
  try {
    const audit = live ? await live.verifyAudit() : await verifyStoreAudit(dataDir);
    store.audit = { ok: audit.ok, entries: audit.entries, checkpoints: audit.checkpoints, firstBroken: audit.firstBroken };
    checks.push(
      audit.ok
        ? { id: 'store.audit', status: 'ok', detail: `audit chain verified: ${audit.entries} entries, ${audit.checkpoints} signed checkpoints` }
        : { id: 'store.audit', status: 'fail', detail: `audit chain broken at entry ${audit.firstBroken?.seq}: ${audit.firstBroken?.reason} — possible tampering; export diagnostics and report it` },
    );
  } catch (error) {
    checks.push({ id: 'store.audit', status: 'fail', detail: `audit chain could not be verified (${(error as { code?: string }).code ?? 'error'})` });
  }
  if (keyMode) {
    checks.push({
      id: 'store.key-mode',
      status: keyMode.weak ? 'warn' : 'ok',
      detail: keyMode.weak ? `key mode ${keyMode.mode} (weak: a stolen disk exposes the key) — use the OS key store (Electron) or KIOSK_PASSPHRASE` : `key mode ${keyMode.mode}`,
    });
  }
  return { store, keyMode, sync };
}

/** Runs every check. Never throws for a failing check: it reports it. */
export async function runFullDiagnostics(sources: DiagnosticsSources): Promise<DiagnosticsReport> {
  const { config } = sources;
  const now = sources.clock ?? Date.now;
  const checks = (await runDoctor(config)).filter((c) => !(sources.shell === 'electron' && c.id === 'electron'));
  const disk = sources.disk.check();
  const free = Math.floor(disk.freeBytes / MB);
  checks.push({
    id: 'disk',
    status: disk.level === 'ok' ? 'ok' : disk.level === 'warn' ? 'warn' : 'fail',
    detail:
      disk.level === 'ok'
        ? `${free} MB free on the data disk`
        : disk.level === 'warn'
          ? `only ${free} MB free (warning below ${config.thresholds.lowDiskMegabytes} MB) — sync and free space soon`
          : `only ${free} MB free: new enrollments are BLOCKED below ${config.thresholds.blockDiskMegabytes} MB — sync, then free space on the data disk`,
  });
  const storePart = await storeSection(sources, checks);
  const backlog = sources.sync?.backlog ?? storePart.sync?.backlog ?? 0;
  const lastMs = Math.max(sources.sync?.lastSuccessAt ? Date.parse(sources.sync.lastSuccessAt) : 0, storePart.sync?.last ?? 0) || null;
  const syncState = sources.sync?.state ?? (config.registry.url === null && !config.demo ? 'not_registered' : 'unknown');
  checks.push({
    id: 'sync',
    status: backlog > 0 && lastMs !== null && now() - lastMs > 3 * 24 * 3600_000 ? 'warn' : 'ok',
    detail: `state ${syncState}, backlog ${backlog}, last success ${iso(lastMs) ?? 'never'}`,
  });
  let models: DiagnosticsReport['models'] = [];
  try {
    models = (await checkModels()).models.map((m) => ({ id: m.id, file: m.file, status: m.status, sha256: m.sha256 ?? null }));
  } catch {
    models = [];
  }
  const versions: Record<string, string> = {
    app: packageInfo().version,
    node: process.versions.node,
    ...(process.versions.electron ? { electronRuntime: process.versions.electron } : {}),
    ...(process.versions.chrome ? { chrome: process.versions.chrome } : {}),
    ...dependencyVersions(),
    platform: `${process.platform}-${process.arch}`,
  };
  return {
    format: 'kiosk-diagnostics',
    version: 1,
    generatedAt: new Date(now()).toISOString(),
    kioskId: config.kioskId,
    centreId: config.centreId,
    demo: config.demo,
    ok: !checks.some((c) => c.status === 'fail'),
    checks,
    versions,
    models,
    disk,
    store: storePart.store,
    keyMode: storePart.keyMode,
    sync: { state: syncState, backlog, lastSuccessAt: iso(lastMs) },
    devices: sources.devices ?? [],
  };
}
