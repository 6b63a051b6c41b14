// The provisioning state machine: a checklist of items, each pending → ok | failed (with a typed explanation) |
// waived (with a reason, audited). The wizard (renderer/src/screens/Provisioning.tsx) and `kiosk provision`
// (main/cli/commands/provision.ts) drive the same methods. The kiosk enters service only when every item is ok
// or waived; registration and downloads cannot be waived (a kiosk without them cannot seal or sign in anyone).
import type { KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import { RegistryClient } from '../../sync/engine/client.js';
import type { Registration } from '../../sync/engine/identity.js';
import { isRegistered, loadRegistration, saveRegistration } from '../../sync/engine/kiosk-state.js';
import { publicKeyFingerprint, publicKeyOf } from '../../sync/packet/keys.js';
import { KioskError, toKioskErrorShape } from '../contract/errors.js';
import type { Locale } from '../contract/ipc.js';
import type { SettingsService } from '../core/services/settings-service.js';
import { verifyBundle } from './bundle.js';
import { REQUIRED_DOWNLOADS, fetchDownloads, operatorsOf, readSavedDownload, revokedOperatorsOf, saveDownloads, stationsOf, type DownloadSet, type RegistryOperator } from './downloads.js';
import type { DeviceProbe, DiscoveredDevices } from './devices.js';
import { ProvisioningError, messageKeyOf } from './errors.js';
import { CLOCK_SKEW_WARN_MS, checkClock, probeRegistry, registerOnline } from './registration.js';
import { CHECKLIST_ITEMS, loadProvisioningState, saveProvisioningState, type ChecklistItem, type ChecklistItemId, type DeviceAssignment, type ProvisioningState } from './state.js';

/** Where downloaded operators and registry revocations go (the auth service). */
export interface OperatorDirectory {
  importOperators(operators: RegistryOperator[], actor: string): Promise<{ created: number }>;
  applyRevocations(operatorIds: string[], actor: string): Promise<{ deactivated: number }>;
}

export interface ProvisioningDeps {
  dataDir: string;
  kioskId: string;
  centreId: string;
  demo: boolean;
  /** The store's kiosk identity (one key for registration, requests and packets). */
  identity: { signingKey: KeyObject; publicKeyRaw: string };
  setRegistryPublicKey(key: KeyObject): Promise<unknown>;
  audit(actor: string, action: string, objectId: string | null): Promise<void>;
  operators: OperatorDirectory | null;
  settings: SettingsService;
  devices: DeviceProbe;
  checkModels(): Promise<{ ok: boolean; models: { id: string; file: string; status: string }[] }>;
  clock?: () => number;
  logger?: Logger;
  /** Per-device test capture timeout (default 20 s). */
  captureTimeoutMs?: number;
  /** Called after downloads installed new location master data (the workflow's pickers reload it). */
  onMasterData?: () => void;
}

export const UNWAIVABLE: readonly ChecklistItemId[] = ['registration', 'downloads'];
export const MIN_WAIVER_REASON = 8;

export interface ProvisioningView extends ProvisioningState {
  kioskId: string;
  centreId: string;
  demo: boolean;
  /** Stations offered by the locations download for this centre (null: none listed, any id accepted). */
  stations: string[] | null;
  ready: boolean;
}

export class ProvisioningService {
  private readonly clock: () => number;
  private state: ProvisioningState;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: ProvisioningDeps) {
    this.clock = deps.clock ?? Date.now;
    this.state = loadProvisioningState(deps.dataDir);
  }

  get inService(): boolean {
    return this.state.inService;
  }

  /**
   * Facts the checklist must not contradict (issue 17): a kiosk that already holds a registration (a demo kiosk's
   * embedded registry, or one registered before this checklist existed) shows registration done, and its language —
   * the one it runs in — chosen. Written once, like a step done by hand.
   */
  private adoptLiveFacts(): void {
    if (this.state.inService) return;
    const language = () => {
      if (this.item('language').status === 'pending') this.set('language', { status: 'ok', detail: { locale: this.deps.settings.get().locale, from: 'settings' }, error: null, waiver: null });
    };
    // Registered outside this checklist (demo mode's embedded registry, or before the checklist existed): it is done,
    // and the language the kiosk already runs in was chosen then.
    if (isRegistered(this.deps.dataDir) && this.item('registration').status === 'pending') {
      const r = loadRegistration(this.deps.dataDir);
      this.state.registryUrl ??= r.registryUrl;
      this.set('registration', { status: 'ok', detail: { registry: r.registryUrl, serial: r.certificate.payload.serial, via: this.deps.demo ? 'demo' : 'existing' }, error: null, waiver: null });
      language();
    }
    if (this.deps.demo) language();
  }

  view(): ProvisioningView {
    this.adoptLiveFacts();
    const locations = readSavedDownload(this.deps.dataDir, 'locations');
    return {
      ...structuredClone(this.state),
      kioskId: this.deps.kioskId,
      centreId: this.deps.centreId,
      demo: this.deps.demo,
      stations: locations ? stationsOf(locations.payload.data, this.deps.centreId) : null,
      ready: this.state.items.every((i) => i.status === 'ok' || i.status === 'waived'),
    };
  }

  /** One step at a time: two browser tabs clicking at once must not interleave writes of the state file. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private now(): string {
    return new Date(this.clock()).toISOString();
  }

  private item(id: ChecklistItemId): ChecklistItem {
    return this.state.items.find((i) => i.id === id)!;
  }

  private set(id: ChecklistItemId, patch: Partial<ChecklistItem>): void {
    Object.assign(this.item(id), { ...patch, updatedAt: this.now() });
    saveProvisioningState(this.deps.dataDir, this.state);
  }

  private fail(id: ChecklistItemId, error: unknown): never {
    const shape = toKioskErrorShape(error);
    const messageKey = typeof shape.details?.messageKey === 'string' ? shape.details.messageKey : messageKeyOf('PROVISION_REGISTRY_REFUSED');
    this.set(id, { status: 'failed', error: { code: shape.code, message: shape.message, messageKey, details: shape.details ?? {} }, waiver: null });
    throw error;
  }

  private async step<T>(id: ChecklistItemId, fn: () => Promise<T>): Promise<T> {
    this.requireNotInService();
    try {
      return await fn();
    } catch (error) {
      this.fail(id, error);
    }
  }

  private requireNotInService(): void {
    if (this.state.inService) throw new ProvisioningError('PROVISION_IN_SERVICE', 'This kiosk is in service; provisioning steps are closed (factory reset to provision again)');
  }

  // --- items ---------------------------------------------------------------------------------------------------

  setLanguage(actor: string, locale: Locale): Promise<ProvisioningView> {
    return this.serial(async () => {
      this.requireNotInService();
      this.deps.settings.update({ locale });
      this.set('language', { status: 'ok', detail: { locale }, error: null, waiver: null });
      await this.deps.audit(actor, `provisioning.language:${locale}`, null);
      return this.view();
    });
  }

  register(actor: string, input: { registryUrl: string; token: string; registryKeyFingerprint: string }): Promise<ProvisioningView> {
    return this.serial(() =>
      this.step('registration', async () => {
        const { registration, probe } = await registerOnline({
          registryUrl: input.registryUrl,
          token: input.token,
          pinnedFingerprint: input.registryKeyFingerprint,
          identity: { kioskId: this.deps.kioskId, centreId: this.deps.centreId, privateKey: this.deps.identity.signingKey },
          clock: this.clock,
        }).catch((error: unknown) => {
          // A wrong clock blocks registration; the clock item shows the same explanation.
          if (error instanceof ProvisioningError && error.code === 'PROVISION_CLOCK_SKEW') {
            this.set('clock', { status: 'failed', detail: error.details ?? {}, error: { code: error.code, message: error.message, messageKey: messageKeyOf(error.code), details: error.details ?? {} }, waiver: null });
          }
          throw error;
        });
        await this.adoptRegistration(registration, 'online');
        this.recordClock(probe.skewMs, probe.registryTime);
        this.set('registration', { status: 'ok', detail: { registry: probe.url, fingerprint: probe.fingerprint, serial: registration.certificate.payload.serial, via: 'online' }, error: null, waiver: null });
        await this.deps.audit(actor, 'provisioning.registered', registration.certificate.payload.serial);
        return this.view();
      }),
    );
  }

  private async adoptRegistration(registration: Registration, source: 'online' | 'bundle'): Promise<void> {
    saveRegistration(this.deps.dataDir, registration);
    // Records approved from now on (and any waiting in `approved`) are sealed to the registry's key.
    await this.deps.setRegistryPublicKey(publicKeyOf(registration.encryptionPublicKey, 'X25519'));
    this.state.source = source;
    this.state.registryUrl = registration.registryUrl;
    this.state.registryKeyFingerprint = publicKeyFingerprint(publicKeyOf(registration.signingPublicKey, 'Ed25519'));
    this.state.centreId = registration.centreId;
  }

  private recordClock(skewMs: number, registryTime: string): void {
    this.state.clockSkewMs = skewMs;
    const within = Math.abs(skewMs) <= CLOCK_SKEW_WARN_MS;
    const detail = { skewSeconds: Math.round(-skewMs / 1000), offSeconds: Math.abs(Math.round(skewMs / 1000)), registryTime, reference: 'registry' };
    if (within) this.set('clock', { status: 'ok', detail, error: null, waiver: null });
    else {
      const e = new ProvisioningError('PROVISION_CLOCK_SKEW', `The kiosk clock is ${detail.skewSeconds} s off the registry's`, { details: { ...detail, windowSeconds: CLOCK_SKEW_WARN_MS / 1000 } });
      this.set('clock', { status: 'failed', detail, error: { code: e.code, message: e.message, messageKey: messageKeyOf(e.code), details: e.details ?? {} }, waiver: null });
    }
  }

  private registration(): Registration {
    this.adoptLiveFacts();
    if (!isRegistered(this.deps.dataDir) || this.item('registration').status !== 'ok') throw new ProvisioningError('PROVISION_NOT_REGISTERED', 'Register the kiosk first (registry URL and token, or an offline bundle)');
    return loadRegistration(this.deps.dataDir);
  }

  download(actor: string): Promise<ProvisioningView> {
    return this.serial(() =>
      this.step('downloads', async () => {
        const registration = this.registration();
        const client = new RegistryClient({ kioskId: this.deps.kioskId, centreId: this.deps.centreId, privateKey: this.deps.identity.signingKey }, registration, { timeoutMs: 30_000, clock: this.clock });
        const { set } = await fetchDownloads(client);
        await this.applyDownloads(actor, set, publicKeyOf(registration.signingPublicKey, 'Ed25519'));
        return this.view();
      }),
    );
  }

  private async applyDownloads(actor: string, set: DownloadSet, signingKey: KeyObject): Promise<void> {
    const summary = saveDownloads(this.deps.dataDir, set, signingKey);
    this.deps.onMasterData?.();
    let created = 0;
    let deactivated = 0;
    if (this.deps.operators) {
      const ops = set.docs.find((d) => d.kind === 'operators');
      if (ops) created = (await this.deps.operators.importOperators(operatorsOf(ops.doc.payload.data), 'registry')).created;
      const rev = set.docs.find((d) => d.kind === 'revocations');
      if (rev) deactivated = (await this.deps.operators.applyRevocations(revokedOperatorsOf(rev.doc.payload.data), 'registry')).deactivated;
    }
    const detail = { ...summary, operatorsCreated: created, operatorsDeactivated: deactivated };
    await this.deps.audit(actor, 'provisioning.downloads', null);
    if (summary.missing.length) {
      throw new ProvisioningError('PROVISION_DOWNLOAD_MISSING', `The registry has not published: ${summary.missing.join(', ')}`, { details: { missing: summary.missing, required: REQUIRED_DOWNLOADS } });
    }
    this.set('downloads', { status: 'ok', detail, error: null, waiver: null });
  }

  setStation(actor: string, stationId: string): Promise<ProvisioningView> {
    return this.serial(() =>
      this.step('site', async () => {
        if (!/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,31}$/.test(stationId)) throw new ProvisioningError('PROVISION_STATION_UNKNOWN', 'Station id: 1–32 letters, digits, _ . : -', { details: { stationId } });
        const view = this.view();
        if (view.stations && !view.stations.includes(stationId)) {
          throw new ProvisioningError('PROVISION_STATION_UNKNOWN', `Station ${stationId} is not listed for centre ${this.deps.centreId} in the locations master data`, { details: { stationId, known: view.stations.slice(0, 50) } });
        }
        this.state.stationId = stationId;
        this.state.centreId = this.deps.centreId;
        this.set('site', { status: 'ok', detail: { centreId: this.deps.centreId, stationId }, error: null, waiver: null });
        await this.deps.audit(actor, 'provisioning.site', stationId);
        return this.view();
      }),
    );
  }

  discoverDevices(extraSerialPaths: string[]): Promise<DiscoveredDevices> {
    return this.deps.devices.discover(extraSerialPaths);
  }

  /** Assigns a fingerprint device and runs its live test capture; the item is green once every assigned device passed. */
  testDevice(actor: string, assignment: Omit<DeviceAssignment, 'test'>): Promise<ProvisioningView> {
    return this.serial(async () => {
      this.requireNotInService();
      const list = this.state.fingerprintDevices.filter((d) => d.id !== assignment.id);
      let test: DeviceAssignment['test'];
      let failure: unknown = null;
      try {
        test = await this.deps.devices.testCapture(assignment, { timeoutMs: this.deps.captureTimeoutMs ?? 20_000 });
      } catch (error) {
        failure = error;
        const s = toKioskErrorShape(error);
        test = { ok: false, at: this.now(), error: { code: s.code, message: s.message, messageKey: String(s.details?.messageKey ?? messageKeyOf('PROVISION_DEVICE_TEST_FAILED')), details: s.details ?? {} } };
      }
      this.state.fingerprintDevices = [...list, { ...assignment, test }];
      await this.deps.audit(actor, `provisioning.device-test:${test.ok ? 'ok' : 'failed'}`, assignment.id);
      this.updateFingerprintItem();
      if (failure) throw failure;
      return this.view();
    });
  }

  removeDevice(actor: string, id: string): Promise<ProvisioningView> {
    return this.serial(async () => {
      this.requireNotInService();
      this.state.fingerprintDevices = this.state.fingerprintDevices.filter((d) => d.id !== id);
      await this.deps.audit(actor, 'provisioning.device-removed', id);
      this.updateFingerprintItem();
      return this.view();
    });
  }

  private updateFingerprintItem(): void {
    const devices = this.state.fingerprintDevices;
    const bad = devices.filter((d) => !d.test?.ok);
    const detail = { devices: devices.map((d) => ({ id: d.id, kind: d.kind, ok: d.test?.ok ?? false })) };
    if (devices.length > 0 && bad.length === 0) return this.set('fingerprint', { status: 'ok', detail, error: null, waiver: null });
    const first = bad[0]?.test?.error;
    const error = first ?? { code: 'PROVISION_DEVICE_TEST_FAILED', message: 'No fingerprint device assigned and tested', messageKey: messageKeyOf('PROVISION_DEVICE_TEST_FAILED'), details: { reason: 'none_assigned' } };
    this.set('fingerprint', { status: devices.length ? 'failed' : 'pending', detail, error, waiver: null });
  }

  /** The camera is tested in the renderer (getUserMedia); it reports the frame it grabbed. */
  recordCameraTest(actor: string, input: { deviceId: string; label: string; width: number; height: number; greyStdDev: number }): Promise<ProvisioningView> {
    return this.serial(() =>
      this.step('camera', async () => {
        if (input.width < 640 || input.height < 480) throw new ProvisioningError('PROVISION_CAMERA_TEST_FAILED', `Camera gives ${input.width}×${input.height}; at least 640×480 is needed for ICAO photos`, { details: { width: input.width, height: input.height, reason: 'resolution' } });
        if (input.greyStdDev < 4) throw new ProvisioningError('PROVISION_CAMERA_TEST_FAILED', 'The camera frame is blank (covered lens or no signal)', { details: { reason: 'blank', spread: input.greyStdDev } });
        this.deps.settings.update({ cameraDeviceId: input.deviceId || null });
        this.state.camera = { deviceId: input.deviceId, label: input.label, width: input.width, height: input.height, at: this.now() };
        this.set('camera', { status: 'ok', detail: { label: input.label, width: input.width, height: input.height }, error: null, waiver: null });
        await this.deps.audit(actor, 'provisioning.camera-test:ok', null);
        return this.view();
      }),
    );
  }

  recordCameraFailure(actor: string, reason: string): Promise<ProvisioningView> {
    return this.serial(() =>
      this.step('camera', async () => {
        await this.deps.audit(actor, 'provisioning.camera-test:failed', null);
        throw new ProvisioningError('PROVISION_CAMERA_TEST_FAILED', `Camera test failed: ${reason}`.slice(0, 200), { details: { reason: reason.slice(0, 100) } });
      }),
    );
  }

  checkModels(actor: string): Promise<ProvisioningView> {
    return this.serial(() =>
      this.step('models', async () => {
        const report = await this.deps.checkModels();
        const bad = report.models.filter((m) => m.status !== 'ok');
        if (!report.ok) throw new ProvisioningError('PROVISION_MODELS_INVALID', `Models missing or not matching their SHA-256 pins: ${bad.map((m) => `${m.file} (${m.status})`).join(', ')}`, { details: { models: bad } });
        this.set('models', { status: 'ok', detail: { models: report.models.length }, error: null, waiver: null });
        await this.deps.audit(actor, 'provisioning.models:ok', null);
        return this.view();
      }),
    );
  }

  /** Online: against the registry's clock. Offline (bundle): the clock must not be before the bundle was made. */
  checkClock(actor: string): Promise<ProvisioningView> {
    return this.serial(() =>
      this.step('clock', async () => {
        const registration = this.registration();
        if (this.state.source === 'bundle') {
          const made = Date.parse(registration.registeredAt);
          const now = this.clock();
          const detail = { reference: 'bundle', bundleCreatedAt: registration.registeredAt, kioskTime: this.now() };
          if (now < made - 300_000) throw new ProvisioningError('PROVISION_CLOCK_SKEW', 'The kiosk clock is earlier than the time the bundle was made; set the date and time', { details: { ...detail, skewSeconds: Math.round((now - made) / 1000), offSeconds: Math.abs(Math.round((now - made) / 1000)) } });
          this.set('clock', { status: 'ok', detail, error: null, waiver: null });
        } else {
          const probe = await probeRegistry(registration.registryUrl, { clock: this.clock });
          checkClock(probe.skewMs, probe.registryTime, this.clock());
          this.recordClock(probe.skewMs, probe.registryTime);
          if (this.item('clock').status !== 'ok') throw new ProvisioningError('PROVISION_CLOCK_SKEW', `The kiosk clock is ${Math.round(-probe.skewMs / 1000)} s off the registry's`, { details: this.item('clock').detail });
        }
        await this.deps.audit(actor, 'provisioning.clock:ok', null);
        return this.view();
      }),
    );
  }

  waive(actor: string, id: ChecklistItemId, reason: string): Promise<ProvisioningView> {
    return this.serial(async () => {
      this.requireNotInService();
      if (!CHECKLIST_ITEMS.includes(id)) throw new KioskError('VALIDATION_FAILED', `Unknown checklist item ${id}`);
      if (UNWAIVABLE.includes(id)) throw new ProvisioningError('PROVISION_WAIVER_REFUSED', `${id} cannot be waived: a kiosk without it cannot work`, { details: { item: id } });
      const text = reason.trim();
      if (text.length < MIN_WAIVER_REASON) throw new ProvisioningError('PROVISION_WAIVER_REFUSED', `A waiver needs a reason of at least ${MIN_WAIVER_REASON} characters`, { details: { item: id, reason: 'too_short' } });
      const item = this.item(id);
      if (item.status === 'ok') return this.view();
      // The reason goes into the audit chain with the item, so it cannot be changed afterwards without a trace.
      await this.deps.audit(actor, `provisioning.waive:${id}`, text.slice(0, 200));
      this.set(id, { status: 'waived', waiver: { reason: text.slice(0, 200), by: actor, at: this.now() } });
      return this.view();
    });
  }

  enterService(actor: string): Promise<ProvisioningView> {
    return this.serial(async () => {
      this.requireNotInService();
      const open = this.state.items.filter((i) => i.status !== 'ok' && i.status !== 'waived');
      if (open.length) {
        throw new ProvisioningError('PROVISION_CHECKLIST_INCOMPLETE', `Not ready for service: ${open.map((i) => `${i.id} (${i.status})`).join(', ')}; fix or waive each with a reason`, { details: { items: open.map((i) => ({ id: i.id, status: i.status })) } });
      }
      await this.deps.audit(actor, 'provisioning.in-service', this.state.items.filter((i) => i.status === 'waived').map((i) => i.id).join(',') || null);
      this.state.inService = true;
      this.state.inServiceAt = this.now();
      this.state.inServiceBy = actor;
      saveProvisioningState(this.deps.dataDir, this.state);
      this.deps.logger?.info({ kioskId: this.deps.kioskId, waived: this.state.items.filter((i) => i.status === 'waived').map((i) => i.id) }, 'kiosk entered service');
      return this.view();
    });
  }

  /** Offline: registration, registry keys and downloads from a verified bundle (no network). */
  applyBundle(actor: string, dir: string, pinnedFingerprint: string): Promise<ProvisioningView> {
    return this.serial(async () => {
      const b = await this.step('registration', async () => {
        const verified = verifyBundle(dir, { pinnedFingerprint, kioskId: this.deps.kioskId, centreId: this.deps.centreId, kioskPublicKey: this.deps.identity.publicKeyRaw });
        await this.adoptRegistration(verified.registration, 'bundle');
        this.set('registration', { status: 'ok', detail: { registry: verified.manifest.registryUrl, fingerprint: this.state.registryKeyFingerprint, serial: verified.manifest.certificate.payload.serial, via: 'bundle', bundleId: verified.manifest.bundleId }, error: null, waiver: null });
        await this.deps.audit(actor, 'provisioning.registered-offline', verified.manifest.bundleId);
        return verified;
      });
      await this.step('downloads', () => this.applyDownloads(actor, b.set, publicKeyOf(b.registration.signingPublicKey, 'Ed25519')));
      return this.view();
    });
  }
}
