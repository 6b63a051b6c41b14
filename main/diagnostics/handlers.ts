// IPC handlers of diagnostics, screen lock and factory reset. Role checks here, in main.
import path from 'node:path';
import type { z } from 'zod';
import type { KioskConfig } from '../config/schema.js';
import type { diagnosticsChannels, LockState } from '../contract/channels/diagnostics.js';
import type { DeviceStatus, SyncStatus } from '../contract/ipc.js';
import type { CallContext } from '../core/handlers.js';
import { UnauthorizedError } from '../auth/errors.js';
import type { StoreServices } from '../enrollment/services.js';
import type { Logger } from '../log/logger.js';
import type { DiskSpaceGuard } from './disk-space.js';
import { exportDiagnostics } from './export.js';
import { factoryReset } from './factory-reset.js';
import { runFullDiagnostics } from './report.js';

type Channels = typeof diagnosticsChannels;
export type DiagnosticsHandlerMap = {
  [C in keyof Channels]: (request: z.output<Channels[C]['request']>, ctx: CallContext) => Promise<z.output<Channels[C]['response']>>;
};

export interface DiagnosticsHandlerDeps {
  config: KioskConfig;
  shell: 'electron' | 'browser';
  disk: DiskSpaceGuard;
  /** The store (null when the core runs without one). Cleared by a factory reset. */
  store: () => StoreServices | null;
  sync: () => SyncStatus;
  devices: () => DeviceStatus[];
  logger: Logger;
  /** Called after a factory reset has wiped the data dir (Electron relaunches into the first-run state). */
  onFactoryReset: () => void;
}

function lockState(ctx: CallContext): LockState {
  const s = ctx.session;
  return s ? { signedIn: true, locked: s.locked === true, operatorId: s.operatorId, role: s.role } : { signedIn: false, locked: false, operatorId: null, role: null };
}

export function diagnosticsHandlers(d: DiagnosticsHandlerDeps): DiagnosticsHandlerMap {
  const auth = () => {
    const store = d.store();
    if (!store) throw new UnauthorizedError('not_signed_in');
    return store.auth;
  };
  const report = () => runFullDiagnostics({ config: d.config, disk: d.disk, store: d.store(), sync: d.sync(), devices: d.devices(), shell: d.shell });
  return {
    'kiosk:diagnostics.run': async (_req, ctx) => {
      auth().requireRole(ctx, ['supervisor', 'technician'], 'run diagnostics');
      return report();
    },
    'kiosk:diagnostics.export': async (req, ctx) => {
      const actor = auth().requireRole(ctx, ['technician'], 'export diagnostics');
      const to = req.to ?? path.join(d.config.dataDir, 'diagnostics');
      const result = exportDiagnostics({ report: await report(), config: d.config, to });
      await d.store()?.audit.append(actor.operatorId, 'diagnostics.export', null);
      return { dir: result.dir, files: result.files.length };
    },
    'kiosk:diagnostics.factoryReset': async (req, ctx) => {
      const a = auth();
      const actor = a.requireRole(ctx, ['technician'], 'factory-reset the kiosk');
      await a.verifyCredentials(actor.operatorId, req.pin);
      const record = await factoryReset({ dataDir: d.config.dataDir, kioskId: d.config.kioskId, actor, confirm: req.confirm, store: d.store(), logger: d.logger });
      ctx.setSession(null);
      setImmediate(d.onFactoryReset);
      return { at: record.at, leftovers: record.leftovers };
    },
    'kiosk:lock.state': async (_req, ctx) => {
      const store = d.store();
      if (store) store.auth.peek(ctx);
      return lockState(ctx);
    },
    'kiosk:lock.engage': async (_req, ctx) => {
      await auth().lock(ctx);
      return lockState(ctx);
    },
    'kiosk:lock.unlock': async (req, ctx) => {
      await auth().unlock(ctx, req.pin);
      return lockState(ctx);
    },
  };
}
