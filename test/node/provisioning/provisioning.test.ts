// Provisioning against a real registry on loopback and the real store: every registration failure explained (and
// the token not spent by the pre-checks), downloads, station, a live test capture on the R30x emulator, waivers
// (audited), entering service; the offline bundle round trip and each way a bundle is refused.
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { R30xEmulator } from '../../../drivers/emulators/r30x-emulator.js';
import { FileSettingsService } from '../../../main/core/services/settings-service.js';
import type { StoreServices } from '../../../main/enrollment/services.js';
import { REGISTRY_KEY_META } from '../../../main/enrollment/service.js';
import { DEFAULT_ID_SCHEMA } from '../../../main/enrollment/id-schema.js';
import { provisionedIdSchema } from '../../../main/provisioning/downloads.js';
import { createProvisioningService, withProvisionedDevices } from '../../../main/provisioning/index.js';
import type { ProvisioningService } from '../../../main/provisioning/service.js';
import { realDeviceProbe } from '../../../main/provisioning/devices.js';
import { isInService } from '../../../main/provisioning/state.js';
import { registerKiosk } from '../../../sync/engine/client.js';
import { isRegistered, loadRegistration } from '../../../sync/engine/kiosk-state.js';
import { publicKeyFingerprint, publicKeyOf } from '../../../sync/packet/keys.js';
import { makeBundle } from '../../../sync/registry/bundle.js';
import { serveRegistry, type RunningRegistry } from '../../../sync/registry/runtime.js';
import { openTest, silentLogger, tempDataDir, testConfig } from '../store/helpers.js';

const config = (dir: string) => ({ ...testConfig(dir, { demo: false }), devices: { fingerprint: [], cameraDeviceId: null, sbiTrustRoots: [], allowUntrustedSbi: false } });

async function expectCode(p: Promise<unknown>, code: string): Promise<Record<string, unknown>> {
  const e = (await p.then(
    () => {
      throw new Error(`expected ${code}, got success`);
    },
    (err: unknown) => err,
  )) as { code?: string; details?: Record<string, unknown> };
  expect(e.code).toBe(code);
  expect(e.details?.messageKey).toBe(`provisioning.errors.${code}`);
  return e.details ?? {};
}

describe('online provisioning', () => {
  const tmp = tempDataDir('kiosk-prov-');
  let registry: RunningRegistry;
  let skewed: RunningRegistry;
  let store: StoreServices;
  let emulator: R30xEmulator;
  let prov: ProvisioningService;
  let fp: string;
  const modelsReport = { ok: true, models: [{ id: 'detect', file: 'detect.onnx', status: 'ok' }] };

  beforeAll(async () => {
    registry = await serveRegistry({ dataDir: path.join(tmp.dir, 'registry') });
    skewed = await serveRegistry({ dataDir: path.join(tmp.dir, 'registry-skewed'), clock: () => Date.now() + 3600_000 });
    fp = publicKeyFingerprint(registry.registry.keys.signingPublicKeyObject);
    const dataDir = path.join(tmp.dir, 'kiosk');
    store = await openTest(dataDir, { config: config(dataDir) });
    emulator = await R30xEmulator.start({ subject: 'prov-test', pacing: false });
    // The model files' own pin check is tested in test/node/face; here only the item's bookkeeping.
    prov = createProvisioningService({ config: config(dataDir), store, settings: new FileSettingsService(dataDir, { locale: 'ar', cameraDeviceId: null }), logger: silentLogger, captureTimeoutMs: 10_000, checkModels: async () => modelsReport });
  });

  afterAll(async () => {
    await emulator?.dispose();
    await store?.dispose();
    await registry?.close();
    await skewed?.close();
    tmp.cleanup();
  });

  it('starts out of service with every item pending', () => {
    const v = prov.view();
    expect(v.inService).toBe(false);
    expect(v.items.map((i) => i.status)).toEqual(Array(8).fill('pending'));
  });

  it('explains an unreachable registry and a malformed URL', async () => {
    const d = await expectCode(prov.register('technician', { registryUrl: 'http://127.0.0.1:9', token: 'x'.repeat(32), registryKeyFingerprint: fp }), 'PROVISION_REGISTRY_UNREACHABLE');
    expect(String(d.reason)).toMatch(/ECONNREFUSED/);
    const item = prov.view().items.find((i) => i.id === 'registration')!;
    expect(item.status).toBe('failed');
    expect(item.error?.messageKey).toBe('provisioning.errors.PROVISION_REGISTRY_UNREACHABLE');
    await expectCode(prov.register('technician', { registryUrl: 'ftp://x', token: 'x'.repeat(32), registryKeyFingerprint: fp }), 'PROVISION_REGISTRY_URL_INVALID');
  });

  it('refuses a registry whose key is not the pinned one, without spending the token', async () => {
    const token = await registry.registry.issueToken({ centreId: 'C-TEST' });
    const d = await expectCode(prov.register('technician', { registryUrl: registry.url, token, registryKeyFingerprint: 'ab'.repeat(16) }), 'PROVISION_REGISTRY_KEY_MISMATCH');
    expect(d.actual).toBe(fp);
    // The same token still registers another kiosk: the pin check ran before registration.
    const other = await registerKiosk(registry.url, token, { kioskId: 'K-OTHER-1', centreId: 'C-TEST', privateKey: generateKeyPairSync('ed25519').privateKey });
    expect(other.kioskId).toBe('K-OTHER-1');
  });

  it('explains expired, used, unknown and wrong-centre tokens', async () => {
    const expired = await registry.registry.issueToken({ centreId: 'C-TEST', ttlHours: -1 });
    const d = await expectCode(prov.register('technician', { registryUrl: registry.url, token: expired, registryKeyFingerprint: fp }), 'PROVISION_TOKEN_EXPIRED');
    expect(typeof d.expiresAt).toBe('string');
    const used = await registry.registry.issueToken({ centreId: 'C-TEST' });
    await registerKiosk(registry.url, used, { kioskId: 'K-OTHER-2', centreId: 'C-TEST', privateKey: generateKeyPairSync('ed25519').privateKey });
    await expectCode(prov.register('technician', { registryUrl: registry.url, token: used, registryKeyFingerprint: fp }), 'PROVISION_TOKEN_USED');
    await expectCode(prov.register('technician', { registryUrl: registry.url, token: 'never-issued-token-0123456789', registryKeyFingerprint: fp }), 'PROVISION_TOKEN_UNKNOWN');
    const elsewhere = await registry.registry.issueToken({ centreId: 'C-ELSEWHERE' });
    await expectCode(prov.register('technician', { registryUrl: registry.url, token: elsewhere, registryKeyFingerprint: fp }), 'PROVISION_TOKEN_WRONG_CENTRE');
    expect(isRegistered(path.join(tmp.dir, 'kiosk'))).toBe(false);
  });

  it('explains clock skew before spending the token', async () => {
    const token = await skewed.registry.issueToken({ centreId: 'C-TEST' });
    const skewFp = publicKeyFingerprint(skewed.registry.keys.signingPublicKeyObject);
    const d = await expectCode(prov.register('technician', { registryUrl: skewed.url, token, registryKeyFingerprint: skewFp }), 'PROVISION_CLOCK_SKEW');
    expect(Math.abs(Number(d.skewSeconds) + 3600)).toBeLessThan(30);
    expect(d.windowSeconds).toBe(300);
    expect(d.offSeconds).toBe(Math.abs(Number(d.skewSeconds)));
    expect(prov.view().items.find((i) => i.id === 'clock')!.status).toBe('failed');
  });

  it('refuses to enter service, and to waive registration, before the checklist is complete', async () => {
    const d = await expectCode(prov.enterService('technician'), 'PROVISION_CHECKLIST_INCOMPLETE');
    expect((d.items as { id: string }[]).map((i) => i.id)).toContain('registration');
    await expectCode(prov.waive('technician', 'registration', 'no network today'), 'PROVISION_WAIVER_REFUSED');
    await expectCode(prov.waive('technician', 'camera', 'short'), 'PROVISION_WAIVER_REFUSED');
  });

  it('downloads need a registration first', async () => {
    await expectCode(prov.download('technician'), 'PROVISION_NOT_REGISTERED');
  });

  it('provisions: register, downloads, station, device test capture, models, clock, waiver, in service', async () => {
    const r = registry.registry;
    await r.publish('config', { thresholds: { fingerQualityMin: 45 } });
    await r.publish('id-schema', { fields: [] });
    await r.publish('operators', { operators: [{ id: 'amira', role: 'clerk', displayName: 'Amira' }] });
    await r.revokeOperator('old-clerk');
    // Locations missing at first: the downloads item fails and says which.
    await prov.setLanguage('technician', 'en');
    const token = await r.issueToken({ centreId: 'C-TEST' });
    let v = await prov.register('technician', { registryUrl: registry.url, token, registryKeyFingerprint: fp });
    expect(v.items.find((i) => i.id === 'registration')!.status).toBe('ok');
    expect(v.items.find((i) => i.id === 'clock')!.status).toBe('ok');
    const dataDir = path.join(tmp.dir, 'kiosk');
    expect(loadRegistration(dataDir).signingPublicKey).toBe(r.keys.signingPublicKey);
    // Packets are sealed to the registry's key from now on.
    expect(await store.client.call('meta.get', { key: REGISTRY_KEY_META })).toBe(r.keys.encryptionPublicKey);
    // An enrollment form the kiosk cannot use is refused, and nothing of that set is saved.
    const badSchema = await expectCode(prov.download('technician'), 'PROVISION_DOWNLOAD_INVALID');
    expect(badSchema).toMatchObject({ kind: 'id-schema', reason: 'schema' });
    expect(provisionedIdSchema(dataDir)).toBeUndefined();
    await r.publish('id-schema', { ...DEFAULT_ID_SCHEMA, id: 'eg-civil-v2', version: 2 });
    const missing = await expectCode(prov.download('technician'), 'PROVISION_DOWNLOAD_MISSING');
    expect(missing.missing).toEqual(['locations']);
    await r.publish('locations', { centres: [{ id: 'C-TEST', stations: ['S-01', { id: 'S-02' }] }] });
    v = await prov.download('technician');
    const dl = v.items.find((i) => i.id === 'downloads')!;
    expect(dl.status).toBe('ok');
    expect(dl.detail).toMatchObject({ operators: 1, revokedOperators: 1, missing: [] });
    expect(v.stations).toEqual(['S-01', 'S-02']);
    // The store opens with the registry's enrollment form from now on (kiosk-core passes it).
    expect(provisionedIdSchema(dataDir)?.id).toBe('eg-civil-v2');
    await expectCode(prov.setStation('technician', 'S-99'), 'PROVISION_STATION_UNKNOWN');
    v = await prov.setStation('technician', 'S-02');
    expect(v.stationId).toBe('S-02');

    // A device that is not there fails with its reason; the emulator's live capture passes.
    const bad = await expectCode(prov.testDevice('technician', { id: 'scanner', kind: 'r30x', path: path.join(tmp.dir, 'no-such-tty') }), 'PROVISION_DEVICE_TEST_FAILED');
    expect(bad.device).toBe('scanner');
    expect(prov.view().items.find((i) => i.id === 'fingerprint')!.status).toBe('failed');
    const probe = realDeviceProbe({ sbiTrustRoots: [], allowUntrustedSbi: false });
    const found = await probe.discover([emulator.hostPath]);
    expect(found.serial.ports.map((p) => p.path)).toContain(emulator.hostPath);
    const handlesBefore = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap').length;
    v = await prov.testDevice('technician', { id: 'scanner', kind: 'r30x', path: emulator.hostPath });
    // The test capture closes the port again (the kiosk core opens it at the next start).
    expect(process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap').length).toBeLessThanOrEqual(handlesBefore);
    expect(withProvisionedDevices(config(dataDir)).devices.fingerprint).toEqual([{ kind: 'r30x', id: 'scanner', path: emulator.hostPath, baudRate: 57600, address: 0xffffffff, password: 0 }]);
    expect(withProvisionedDevices({ ...config(dataDir), demo: true }).devices.fingerprint).toEqual([]);
    const dev = v.fingerprintDevices.find((d) => d.id === 'scanner')!;
    expect(dev.test).toMatchObject({ ok: true, width: 256, height: 288 });
    expect(v.items.find((i) => i.id === 'fingerprint')!.status).toBe('ok');

    v = await prov.checkModels('technician');
    expect(v.items.find((i) => i.id === 'models')!.status).toBe('ok');
    v = await prov.checkClock('technician');
    expect(v.items.find((i) => i.id === 'clock')!.detail).toMatchObject({ reference: 'registry' });

    await expectCode(prov.recordCameraTest('technician', { deviceId: 'cam', label: 'USB cam', width: 320, height: 240, greyStdDev: 30 }), 'PROVISION_CAMERA_TEST_FAILED');
    v = await prov.waive('technician', 'camera', 'camera arrives Monday; clerk tests it');
    expect(v.items.find((i) => i.id === 'camera')!.waiver).toMatchObject({ by: 'technician', reason: 'camera arrives Monday; clerk tests it' });
    expect(v.ready).toBe(true);
    v = await prov.enterService('technician');
    expect(v.inService).toBe(true);
    expect(isInService(dataDir)).toBe(true);
    await expectCode(prov.setStation('technician', 'S-01'), 'PROVISION_IN_SERVICE');

    const audit = await store.client.call('audit.list', { afterSeq: 0, limit: 1000 });
    const actions = audit.map((a) => a.action);
    expect(actions).toContain('provisioning.registered');
    expect(actions).toContain('provisioning.waive:camera');
    expect(audit.find((a) => a.action === 'provisioning.waive:camera')!.objectId).toBe('camera arrives Monday; clerk tests it');
    expect(actions[actions.length - 1]).toBe('provisioning.in-service');
    expect((await store.verifyAudit()).ok).toBe(true);
    // The registry recorded the kiosk under the store's key.
    const row = await r.store.getKiosk('K-TEST-01');
    expect(row?.publicKey).toBe(store.kiosk.publicKeyRaw);
  });

  it('a kiosk registered outside the checklist shows registration and language done, and its clock can be checked (issue 17)', async () => {
    // A kiosk that syncs with a registration made before (demo mode's embedded registry adopts one the same way).
    const other = path.join(tmp.dir, 'registered-elsewhere');
    const s2 = await openTest(other, { config: config(other) });
    try {
      cpSync(path.join(tmp.dir, 'kiosk', 'sync'), path.join(other, 'sync'), { recursive: true });
      const p2 = createProvisioningService({ config: config(other), store: s2, settings: new FileSettingsService(other, { locale: 'en', cameraDeviceId: null }), logger: silentLogger });
      const v = p2.view();
      expect(v.items.find((i) => i.id === 'registration')).toMatchObject({ status: 'ok', detail: { via: 'existing', registry: registry.url } });
      expect(v.items.find((i) => i.id === 'language')).toMatchObject({ status: 'ok', detail: { locale: 'en' } });
      // The clock item needs a registration: it runs against the registry instead of refusing.
      const after = await p2.checkClock('technician');
      expect(after.items.find((i) => i.id === 'clock')!.status).toBe('ok');
    } finally {
      await s2.dispose();
    }
  });
});

describe('offline bundle', () => {
  const tmp = tempDataDir('kiosk-bundle-');
  let registry: Awaited<ReturnType<typeof serveRegistry>>;
  let store: StoreServices;
  let prov: ProvisioningService;
  let fp: string;
  const bundleDir = () => path.join(tmp.dir, 'usb', 'bundle');

  beforeAll(async () => {
    registry = await serveRegistry({ dataDir: path.join(tmp.dir, 'registry') });
    fp = publicKeyFingerprint(registry.registry.keys.signingPublicKeyObject);
    const dataDir = path.join(tmp.dir, 'kiosk');
    store = await openTest(dataDir, { config: config(dataDir) });
    prov = createProvisioningService({ config: config(dataDir), store, settings: new FileSettingsService(dataDir, { locale: 'ar', cameraDeviceId: null }), logger: silentLogger });
    const r = registry.registry;
    for (const kind of ['config', 'operators'] as const) await r.publish(kind, { kind });
    await r.publish('id-schema', DEFAULT_ID_SCHEMA);
    await r.publish('locations', { centres: [{ id: 'C-TEST', stations: ['S-01'] }] });
    await makeBundle(r, { kioskId: 'K-TEST-01', centreId: 'C-TEST', kioskPublicKey: store.kiosk.publicKeyRaw, outDir: bundleDir(), registryUrl: registry.url });
  });

  afterAll(async () => {
    await store?.dispose();
    await registry?.close();
    tmp.cleanup();
  });

  function tamperedCopy(name: string, edit: (dir: string) => void): string {
    const dir = path.join(tmp.dir, 'usb', name);
    cpSync(bundleDir(), dir, { recursive: true });
    edit(dir);
    return dir;
  }

  it('writes a signed manifest and the downloads, and registers the kiosk at the registry', async () => {
    const m = JSON.parse(readFileSync(path.join(bundleDir(), 'bundle.json'), 'utf8')) as { payload: { files: { name: string }[]; kioskId: string } };
    expect(m.payload.kioskId).toBe('K-TEST-01');
    expect(m.payload.files.map((f) => f.name)).toEqual(expect.arrayContaining(['downloads/config.json', 'downloads/locations.json', 'downloads/revocations.json', 'downloads/gallery-delta.0.json']));
    expect((await registry.registry.store.getKiosk('K-TEST-01'))?.publicKey).toBe(store.kiosk.publicKeyRaw);
    // Same kiosk, same key: making the bundle again is allowed; another key for the id is refused.
    const other = Buffer.from(generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' })).subarray(-32).toString('base64');
    await expect(makeBundle(registry.registry, { kioskId: 'K-TEST-01', centreId: 'C-TEST', kioskPublicKey: other, outDir: path.join(tmp.dir, 'x'), registryUrl: registry.url })).rejects.toMatchObject({ code: 'KIOSK_CONFLICT' });
  });

  it('refuses a changed download, a changed manifest, a foreign key and another kiosk', async () => {
    const changedFile = tamperedCopy('file', (d) => {
      const f = path.join(d, 'downloads', 'operators.json');
      writeFileSync(f, readFileSync(f, 'utf8').replace('"operators"', '"Operators"'));
    });
    const d1 = await expectCode(prov.applyBundle('technician', changedFile, fp), 'PROVISION_BUNDLE_TAMPERED');
    expect(d1.file).toBe('downloads/operators.json');
    const changedManifest = tamperedCopy('manifest', (d) => {
      const f = path.join(d, 'bundle.json');
      writeFileSync(f, readFileSync(f, 'utf8').replace(/"registryUrl": "[^"]*"/, '"registryUrl": "http://evil.example"'));
    });
    await expectCode(prov.applyBundle('technician', changedManifest, fp), 'PROVISION_BUNDLE_TAMPERED');
    await expectCode(prov.applyBundle('technician', bundleDir(), 'cd'.repeat(16)), 'PROVISION_REGISTRY_KEY_MISMATCH');
    await expectCode(prov.applyBundle('technician', path.join(tmp.dir, 'usb'), fp), 'PROVISION_BUNDLE_INVALID');
    const otherKiosk = path.join(tmp.dir, 'usb', 'other');
    await makeBundle(registry.registry, { kioskId: 'K-TEST-02', centreId: 'C-TEST', kioskPublicKey: Buffer.from(generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' })).subarray(-32).toString('base64'), outDir: otherKiosk, registryUrl: registry.url });
    await expectCode(prov.applyBundle('technician', otherKiosk, fp), 'PROVISION_BUNDLE_WRONG_KIOSK');
    expect(isRegistered(path.join(tmp.dir, 'kiosk'))).toBe(false);
  });

  it('provisions from the untouched bundle with no network: registration, registry key, downloads, offline clock check', async () => {
    let v = await prov.applyBundle('technician', bundleDir(), fp);
    expect(v.source).toBe('bundle');
    expect(v.items.find((i) => i.id === 'registration')!.status).toBe('ok');
    expect(v.items.find((i) => i.id === 'downloads')!.status).toBe('ok');
    expect(v.stations).toEqual(['S-01']);
    const reg = loadRegistration(path.join(tmp.dir, 'kiosk'));
    expect(reg.encryptionPublicKey).toBe(registry.registry.keys.encryptionPublicKey);
    expect(publicKeyFingerprint(publicKeyOf(reg.signingPublicKey, 'Ed25519'))).toBe(fp);
    expect(existsSync(path.join(tmp.dir, 'kiosk', 'provisioning', 'downloads', 'locations.json'))).toBe(true);
    v = await prov.checkClock('technician');
    expect(v.items.find((i) => i.id === 'clock')!.detail).toMatchObject({ reference: 'bundle' });
  });
});
