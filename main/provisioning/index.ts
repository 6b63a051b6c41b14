// Builds the provisioning service over the kiosk's store (identity, audit, registry key) and settings.
import type { Logger } from 'pino';
import { checkModels } from '../../models/runtime/manifest.js';
import type { KioskConfig } from '../config/schema.js';
import type { SettingsService } from '../core/services/settings-service.js';
import type { StoreServices } from '../store/index.js';
import { realDeviceProbe, type DeviceProbe } from './devices.js';
import { ProvisioningService, type OperatorDirectory } from './service.js';

export { ProvisioningService, type ProvisioningView, type OperatorDirectory } from './service.js';
export { ProvisioningError, PROVISIONING_ERROR_CODES } from './errors.js';
export { isInService, loadProvisioningState, CHECKLIST_ITEMS } from './state.js';

export function createProvisioningService(o: {
  config: Pick<KioskConfig, 'dataDir' | 'kioskId' | 'centreId' | 'demo' | 'devices'>;
  store: StoreServices;
  settings: SettingsService;
  logger?: Logger;
  devices?: DeviceProbe;
  clock?: () => number;
  captureTimeoutMs?: number;
  /** Replaces the model pin check (tests on machines without the model files). */
  checkModels?: () => Promise<{ ok: boolean; models: { id: string; file: string; status: string }[] }>;
}): ProvisioningService {
  const { store } = o;
  const operators: OperatorDirectory | null = 'importOperators' in store.auth ? (store.auth as unknown as OperatorDirectory) : null;
  return new ProvisioningService({
    dataDir: o.config.dataDir,
    kioskId: o.config.kioskId,
    centreId: o.config.centreId,
    demo: o.config.demo,
    identity: { signingKey: store.kiosk.signingKey, publicKeyRaw: store.kiosk.publicKeyRaw },
    setRegistryPublicKey: (key) => store.enrollment.setRegistryPublicKey(key),
    audit: (actor, action, objectId) => store.audit.append(actor, action, objectId),
    operators,
    settings: o.settings,
    devices: o.devices ?? realDeviceProbe({ sbiTrustRoots: o.config.devices.sbiTrustRoots, allowUntrustedSbi: o.config.devices.allowUntrustedSbi }, o.clock),
    checkModels:
      o.checkModels ??
      (async () => {
        const r = await checkModels();
        return { ok: r.ok, models: r.models.map((m) => ({ id: m.id, file: m.file, status: m.status })) };
      }),
    ...(o.clock ? { clock: o.clock } : {}),
    ...(o.logger ? { logger: o.logger } : {}),
    ...(o.captureTimeoutMs ? { captureTimeoutMs: o.captureTimeoutMs } : {}),
  });
}
