// Builds the provisioning service over the kiosk's store (identity, audit, registry key) and settings.
import type { Logger } from 'pino';
import { checkModels } from '../../models/runtime/manifest.js';
import type { KioskConfig } from '../config/schema.js';
import type { IdSchemaDescription } from '../enrollment/id-schema.js';
import type { SettingsService } from '../core/services/settings-service.js';
import type { StoreServices } from '../store/index.js';
import { realDeviceProbe, type DeviceProbe } from './devices.js';
import { ProvisioningService, type OperatorDirectory } from './service.js';
import { loadProvisioningState } from './state.js';

export { ProvisioningService, type ProvisioningView, type OperatorDirectory } from './service.js';
export { ProvisioningError, PROVISIONING_ERROR_CODES } from './errors.js';
export { isInService, loadProvisioningState, CHECKLIST_ITEMS } from './state.js';
import { provisionedIdSchema } from './downloads.js';
export { provisionedIdSchema };

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
  onMasterData?: () => void;
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
    ...(o.onMasterData ? { onMasterData: o.onMasterData } : {}),
    ...(o.logger ? { logger: o.logger } : {}),
    ...(o.captureTimeoutMs ? { captureTimeoutMs: o.captureTimeoutMs } : {}),
  });
}

/**
 * The fingerprint devices the technician assigned and tested replace the configured ones (non-demo kiosks; read at
 * start, so a new assignment takes effect at the next start). Without tested assignments the config is unchanged.
 */
export function withProvisionedDevices<C extends Pick<KioskConfig, 'dataDir' | 'demo' | 'devices'>>(config: C): C {
  if (config.demo) return config;
  let assigned;
  try {
    assigned = loadProvisioningState(config.dataDir).fingerprintDevices.filter((d) => d.test?.ok);
  } catch {
    return config;
  }
  if (assigned.length === 0) return config;
  const fingerprint: KioskConfig['devices']['fingerprint'] = assigned.map((d) =>
    d.kind === 'sbi'
      ? { kind: 'sbi', id: d.id, ...(d.port !== undefined ? { port: d.port } : {}) }
      : d.kind === 'r30x'
        ? { kind: 'r30x', id: d.id, path: d.path ?? '', baudRate: 57600, address: 0xffffffff, password: 0 }
        : { kind: 'gt511c3', id: d.id, path: d.path ?? '', baudRate: 9600 },
  );
  return { ...config, devices: { ...config.devices, fingerprint } };
}

/** Store options from provisioning: the registry's enrollment form (id-schema download) when one was saved. */
export function provisionedStoreOptions(dataDir: string): { idSchema?: IdSchemaDescription } {
  const idSchema = provisionedIdSchema(dataDir);
  return idSchema ? { idSchema } : {};
}
