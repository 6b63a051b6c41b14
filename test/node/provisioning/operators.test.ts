// Operator onboarding on the real store: temporary PIN → own PIN at first sign-in, who may manage whom,
// deactivation, operators from the registry (no PIN until a temporary one is given), revocations, fingerprint
// enrolment and fingerprint sign-in through the IPC handlers on R30x emulators (template sealed at rest); migration 0004.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { R30xEmulator } from '../../../drivers/emulators/r30x-emulator.js';
import { R30xDevice } from '../../../drivers/r30x/driver.js';
import { FingerAnalysisPool } from '../../../main/capture/analysis-pool.js';
import { FileSettingsService } from '../../../main/core/services/settings-service.js';
import type { StoreServices } from '../../../main/enrollment/services.js';
import { createProvisioningHandlers } from '../../../main/provisioning/handlers.js';
import { createProvisioningService } from '../../../main/provisioning/index.js';
import { openDatabase } from '../../../main/store/db.js';
import { migrate, userVersion } from '../../../main/store/migrations/index.js';
import { contains, fakeCtx, openTest, silentLogger, supervisor, technician, tempDataDir } from '../store/helpers.js';

describe('migration 0004-operator-onboarding', () => {
  const t = tempDataDir('kiosk-m4-');
  afterAll(() => t.cleanup());
  it('adds operator_fingerprint (STRICT, position CHECK, cascade from operator)', () => {
    const db = openDatabase({ file: path.join(t.dir, 'm.db'), quickCheckOnOpen: 'never' });
    migrate(db, 3);
    db.prepare("INSERT INTO operator (id, role, display_name, pin_hash, pin_params, created_at) VALUES ('op1', 'clerk', x'00', x'00', '{}', 1)").run();
    expect(migrate(db)).toContain(4);
    expect(userVersion(db)).toBeGreaterThanOrEqual(4);
    db.pragma('foreign_keys = ON');
    const ins = db.prepare('INSERT INTO operator_fingerprint (operator_id, position, template, format, quality, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    ins.run('op1', 2, Buffer.from([1]), 'kft1', 50, 1);
    expect(() => ins.run('op1', 11, Buffer.from([1]), 'kft1', 50, 1)).toThrow(/CHECK/);
    expect(() => ins.run('op1', 3, 'text', 'kft1', 50, 1)).toThrow(/cannot store TEXT value in BLOB/);
    expect(() => ins.run('nobody', 3, Buffer.from([1]), 'kft1', 50, 1)).toThrow(/FOREIGN KEY/);
    db.exec("DELETE FROM operator WHERE id = 'op1'");
    expect(db.prepare('SELECT count(*) AS n FROM operator_fingerprint').get()).toEqual({ n: 0 });
    db.close();
  });
});

describe('operator onboarding', () => {
  const tmp = tempDataDir('kiosk-ops-');
  let store: StoreServices;
  let emulator: R30xEmulator;
  let device: R30xDevice;
  let pool: FingerAnalysisPool;
  let stranger: R30xEmulator;
  let strangerDevice: R30xDevice;

  beforeAll(async () => {
    store = await openTest(tmp.dir);
    emulator = await R30xEmulator.start({ subject: 'operator-amal', pacing: false });
    device = new R30xDevice({ path: emulator.hostPath, responseTimeoutMs: 5000 });
    pool = new FingerAnalysisPool({ size: 1 });
    stranger = await R30xEmulator.start({ subject: 'someone-else', pacing: false });
    strangerDevice = new R30xDevice({ path: stranger.hostPath, responseTimeoutMs: 5000 });
  });
  afterAll(async () => {
    await device?.dispose();
    await emulator?.dispose();
    await strangerDevice?.dispose();
    await stranger?.dispose();
    await pool?.dispose();
    await store?.dispose();
    tmp.cleanup();
  });

  it('a new clerk signs in with the temporary PIN and must choose their own before anything else', async () => {
    const auth = store.auth;
    const created = await auth.createWithTemporaryPin(technician, { id: 'amal', role: 'clerk', displayName: 'أمل', temporaryPin: '4826' });
    expect(created).toMatchObject({ id: 'amal', pinState: 'temporary', active: true, fingerprints: 0 });
    const ctx = fakeCtx();
    ctx.setSession(await auth.signIn('amal', '4826'));
    expect(ctx.current()?.pinChangeRequired).toBe(true);
    expect(() => auth.requireRole(ctx, ['clerk'], 'create enrollments')).toThrow(expect.objectContaining({ code: 'PIN_CHANGE_REQUIRED' }));
    await expect(auth.setOwnPin(ctx, '4826', '1234')).rejects.toMatchObject({ code: 'PIN_TOO_SIMPLE' });
    await expect(auth.setOwnPin(ctx, '4826', '4826')).rejects.toMatchObject({ code: 'PIN_UNCHANGED' });
    await expect(auth.setOwnPin(ctx, '0000', '5917')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await auth.setOwnPin(ctx, '4826', '5917');
    expect(ctx.current()?.pinChangeRequired).toBeUndefined();
    expect(auth.requireRole(ctx, ['clerk'], 'create enrollments').operatorId).toBe('amal');
    await expect(auth.signIn('amal', '4826')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect((await auth.signIn('amal', '5917')).pinChangeRequired).toBeUndefined();
    expect((await auth.listOnboarding()).find((o) => o.id === 'amal')?.pinState).toBe('set');
  });

  it('before the kiosk is in service only technicians pass the role gate', async () => {
    let inService = false;
    store.auth.setServiceGate(() => inService);
    try {
      const clerkCtx = fakeCtx('c');
      clerkCtx.setSession(await store.auth.signIn('clerk', '1111'));
      const techCtx = fakeCtx('t');
      techCtx.setSession(await store.auth.signIn('technician', '3333'));
      expect(() => store.auth.requireRole(clerkCtx, ['clerk'], 'create enrollments')).toThrow(expect.objectContaining({ code: 'NOT_IN_SERVICE' }));
      expect(store.auth.requireRole(techCtx, ['technician'], 'provision').operatorId).toBe('technician');
      inService = true;
      expect(store.auth.requireRole(clerkCtx, ['clerk'], 'create enrollments').operatorId).toBe('clerk');
    } finally {
      store.auth.setServiceGate(() => true);
    }
  });

  it('supervisors manage clerks only; technicians every role; nobody deactivates themselves', async () => {
    const auth = store.auth;
    await expect(auth.createWithTemporaryPin(supervisor, { id: 'sup2', role: 'supervisor', displayName: 'S', temporaryPin: '4826' })).rejects.toMatchObject({ code: 'FORBIDDEN_ROLE' });
    await auth.createWithTemporaryPin(supervisor, { id: 'clerk2', role: 'clerk', displayName: 'C2', temporaryPin: '4826' });
    await expect(auth.deactivate(supervisor, 'technician')).rejects.toMatchObject({ code: 'FORBIDDEN_ROLE' });
    await expect(auth.deactivate(technician, 'technician')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const open = fakeCtx('clerk2-tab');
    open.setSession(await auth.signIn('clerk2', '4826'));
    expect((await auth.deactivate(supervisor, 'clerk2')).active).toBe(false);
    // A session open at that moment ends at its next call.
    expect(() => auth.requireRole(open, ['clerk'], 'create enrollments')).toThrow(expect.objectContaining({ code: 'UNAUTHORIZED', details: { reason: 'inactive' } }));
    expect(open.current()).toBeNull();
    await expect(auth.signIn('clerk2', '4826')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('operators from the registry have no PIN until given a temporary one; revocations deactivate', async () => {
    const auth = store.auth;
    expect(await auth.importOperators([{ id: 'hoda', role: 'clerk', displayName: 'Hoda' }, { id: 'amal', role: 'clerk', displayName: 'dup' }], 'registry')).toEqual({ created: 1 });
    expect((await auth.listOnboarding()).find((o) => o.id === 'hoda')?.pinState).toBe('unset');
    await expect(auth.signIn('hoda', '0000')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect((await auth.resetPin(supervisor, 'hoda', '7391')).pinState).toBe('temporary');
    expect((await auth.signIn('hoda', '7391')).pinChangeRequired).toBe(true);
    expect(await auth.applyRevocations(['hoda', 'nobody', 'clerk2'], 'registry')).toEqual({ deactivated: 1 });
    await expect(auth.signIn('hoda', '7391')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const actions = (await store.client.call('audit.list', { afterSeq: 0, limit: 1000 })).map((a) => `${a.action} ${a.objectId ?? ''}`);
    expect(actions).toEqual(expect.arrayContaining(['operator.import:clerk hoda', 'operator.resetPin hoda', 'operator.revoked hoda', 'operator.deactivate clerk2', 'operator.setOwnPin amal']));
  });

  it('enrols an operator finger through the handler on the emulator; the template is sealed at rest', async () => {
    const provisioning = createProvisioningService({ config: { dataDir: tmp.dir, kioskId: 'K-TEST-01', centreId: 'C-TEST', demo: true, devices: { fingerprint: [], cameraDeviceId: null, sbiTrustRoots: [], allowUntrustedSbi: false } }, store, settings: new FileSettingsService(tmp.dir, { locale: 'ar', cameraDeviceId: null }), logger: silentLogger });
    const h = createProvisioningHandlers({ provisioning, auth: store.auth, fingers: { device: (id) => (id === 'scanner' ? device : id === 'stranger' ? strangerDevice : null), analyse: (img) => pool.analyse(img), compare: (p, c) => pool.compare(p, c), qualityMin: 0, timeoutMs: 10_000 } });
    const ctx = fakeCtx();
    ctx.setSession(await store.auth.signIn('supervisor', '2222'));
    await expect(h['kiosk:operators.enrolFinger']({ id: 'amal', deviceId: 'nope', position: 2 }, ctx)).rejects.toMatchObject({ code: 'FINGER_DEVICE_UNAVAILABLE' });
    const info = await h['kiosk:operators.enrolFinger']({ id: 'amal', deviceId: 'scanner', position: 2 }, ctx);
    expect(info.fingerprints).toBe(1);
    const templates = await store.auth.operatorFingerTemplates();
    const t = templates.find((x) => x.operatorId === 'amal')!;
    expect(t.position).toBe(2);
    expect(Buffer.from(t.template.subarray(0, 4)).toString('latin1')).toBe('KFT1');
    await store.client.call('store.checkpointWal', {});
    expect(contains(readFileSync(path.join(tmp.dir, 'enrollment.db')), Buffer.from(t.template.subarray(0, 64)))).toBe(false);
    // The list handler is for technicians and supervisors only.
    const clerkCtx = fakeCtx();
    clerkCtx.setSession(await store.auth.signIn('clerk', '1111'));
    await expect(h['kiosk:operators.list']({}, clerkCtx)).rejects.toMatchObject({ code: 'FORBIDDEN_ROLE' });
    expect((await h['kiosk:operators.list']({}, ctx)).operators.find((o) => o.id === 'amal')).toMatchObject({ fingerprints: 1, pinState: 'set' });

    // Fingerprint sign-in: Amal's finger (another impression from her scanner) opens her session; another person's does not.
    const kioskCtx = fakeCtx('kiosk');
    const view = await h['kiosk:operators.fingerSignIn']({ operatorId: 'amal', deviceId: 'scanner' }, kioskCtx);
    expect(view).toMatchObject({ operatorId: 'amal', role: 'clerk', pinChangeRequired: false });
    expect(kioskCtx.current()?.operatorId).toBe('amal');
    await expect(h['kiosk:operators.fingerSignIn']({ operatorId: 'amal', deviceId: 'stranger' }, fakeCtx('k2'))).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(h['kiosk:operators.fingerSignIn']({ operatorId: 'clerk', deviceId: 'scanner' }, fakeCtx('k3'))).rejects.toMatchObject({ code: 'NO_OPERATOR_FINGERPRINT' });
    const actions = (await store.client.call('audit.list', { afterSeq: 0, limit: 1000 })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.finger.ok', 'auth.finger.failed', 'operator.enrolFinger:2']));
  });
});
