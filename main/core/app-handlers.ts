// Handlers of the app-frame channels: info, home summary, settings.
import { UnauthorizedError } from '../auth/errors.js';
import type { KioskConfig } from '../config/schema.js';
import type { EnrollmentCounts } from '../contract/channels/app.js';
import { packageInfo } from '../platform/package-info.js';
import type { EventBus } from './event-bus.js';
import type { HandlerMap } from './handlers.js';
import type { DeviceStatusService } from './services/device-status-service.js';
import type { SettingsService } from './services/settings-service.js';
import type { SyncStatusService } from './services/sync-status-service.js';

export interface CountsProvider {
  counts(): Promise<EnrollmentCounts>;
}

export interface AppHandlerDeps {
  config: KioskConfig;
  shell: 'electron' | 'browser';
  settings: SettingsService;
  devices: DeviceStatusService;
  sync: SyncStatusService;
  counts: CountsProvider | null;
  events: EventBus;
}

export function createAppHandlers(deps: AppHandlerDeps): HandlerMap {
  return {
    'kiosk:app.info': async () => ({
      name: packageInfo().name,
      version: packageInfo().version,
      kioskId: deps.config.kioskId,
      centreId: deps.config.centreId,
      demo: deps.config.demo,
      shell: deps.shell,
      defaultLocale: deps.config.defaultLocale,
    }),
    'kiosk:devices.camera': async (request) => {
      const current = deps.devices.list().find((d) => d.id === 'camera');
      deps.devices.set({ id: 'camera', kind: 'camera', label: request.label?.slice(0, 120) || current?.label || 'camera', state: request.state, detail: 'reported by the renderer' });
      return { reported: true as const };
    },
    'kiosk:home.summary': async (_req, ctx) => ({
      // Counts only for a signed-in operator: the sign-in screen shows devices and sync, nothing about enrollments.
      counts: deps.counts && ctx.session && !ctx.session.locked ? await deps.counts.counts() : null,
      devices: deps.devices.list(),
      sync: deps.sync.get(),
    }),
    'kiosk:settings.get': async () => deps.settings.get(),
    'kiosk:settings.update': async (request, ctx) => {
      if (!ctx.session && request.cameraDeviceId !== undefined) throw new UnauthorizedError('not_signed_in');
      const next = deps.settings.update({
        ...(request.locale !== undefined ? { locale: request.locale } : {}),
        ...(request.cameraDeviceId !== undefined ? { cameraDeviceId: request.cameraDeviceId } : {}),
      });
      deps.events.emit('kiosk:event.settings', next);
      return next;
    },
  };
}
