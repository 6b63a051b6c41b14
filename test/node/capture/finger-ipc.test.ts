// The finger channels through the real kiosk core: router validation, role checks against the store's operators,
// the demo device (R30x emulator on a socat pty), progress events on the event bus.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../main/config/load-config.js';
import { fingerProgressSchema } from '../../../main/contract/channels/finger.js';
import { createKioskCore, type KioskCore } from '../../../main/core/kiosk-core.js';
import { tempDataDir, testProtector } from '../store/helpers.js';

function hasSocat(): boolean {
  try {
    execFileSync('socat', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    console.warn('\n*** socat MISSING — finger IPC tests with the demo device are SKIPPED (apt-get install socat). ***\n');
    return false;
  }
}

describe.skipIf(!hasSocat())('finger channels through the kiosk core', () => {
  let core: KioskCore;
  let data: ReturnType<typeof tempDataDir>;
  const progress: unknown[] = [];

  beforeAll(async () => {
    data = tempDataDir('kiosk-finger-ipc-');
    core = await createKioskCore({ config: parseConfig({ dataDir: data.dir }), shell: 'browser', protector: testProtector(), sync: false, logToFile: false });
    await core.fingerprints!.ready;
    core.events.listen((event, payload) => {
      if (event === 'kiosk:event.finger-progress') progress.push(payload);
    });
  });

  afterAll(async () => {
    await core?.dispose();
    data?.cleanup();
  });

  it('refuses callers without a session, and technicians for capture', async () => {
    const anon = core.newContext();
    expect(await core.router.dispatch('kiosk:finger.devices', {}, anon)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    const tech = core.newContext();
    expect(await core.router.dispatch('kiosk:auth.signIn', { operatorId: 'technician', pin: '3333' }, tech)).toMatchObject({ ok: true });
    expect(await core.router.dispatch('kiosk:finger.devices', {}, tech)).toMatchObject({ ok: true });
    expect(await core.router.dispatch('kiosk:finger.capture', { sessionId: 'S1', deviceId: 'demo-r30x', step: 2 }, tech)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
    expect(await core.router.dispatch('kiosk:finger.exception', { sessionId: 'S1', position: 2, kind: 'missing', reason: 'x' }, tech)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
  });

  it('a clerk lists the demo device, plans, captures with progress events, and records an exception', async () => {
    const ctx = core.newContext();
    await core.router.dispatch('kiosk:auth.signIn', { operatorId: 'clerk', pin: '1111' }, ctx);
    expect(await core.router.dispatch('kiosk:finger.devices', {}, ctx)).toEqual({
      ok: true,
      value: { devices: [{ id: 'demo-r30x', kind: 'r30x', model: expect.any(String), mode: 'single', state: 'ready' }] },
    });
    const plan = await core.router.dispatch('kiosk:finger.plan', { deviceId: 'demo-r30x' }, ctx);
    expect(plan).toMatchObject({ ok: true, value: { mode: 'single', maxAttempts: 3, qualityMin: 40 } });

    const captured = await core.router.dispatch('kiosk:finger.capture', { sessionId: 'DRAFT-1', deviceId: 'demo-r30x', step: 2 }, ctx);
    expect(captured.ok).toBe(true);
    if (!captured.ok) return;
    const value = captured.value as { session: { fingers: { state: string; attempts: number }[] }; captured: { position: number; quality: number }[] };
    expect(value.captured[0]!.position).toBe(2);
    expect(value.session.fingers[1]).toMatchObject({ state: 'captured', attempts: 1 });
    expect(progress.length).toBeGreaterThan(3);
    for (const p of progress) expect(fingerProgressSchema.safeParse(p).success).toBe(true);
    expect(progress.at(-1)).toMatchObject({ sessionId: 'DRAFT-1', deviceId: 'demo-r30x', step: 2, phase: 'captured', position: 2 });

    const ex = await core.router.dispatch('kiosk:finger.exception', { sessionId: 'DRAFT-1', position: 6, kind: 'bandaged', reason: 'bandage on the left thumb' }, ctx);
    expect(ex).toMatchObject({ ok: true, value: { fingers: expect.arrayContaining([expect.objectContaining({ position: 6, state: 'excepted' })]) } });
    const badPhoto = await core.router.dispatch('kiosk:finger.exception', { sessionId: 'DRAFT-1', position: 7, kind: 'unable', reason: 'scar', photoBase64: Buffer.from('not a jpeg at all').toString('base64') }, ctx);
    expect(badPhoto).toMatchObject({ ok: false, error: { code: 'FINGER_EXCEPTION_PHOTO_INVALID' } });
    // The workflow reads the same session in main.
    expect(core.fingerCapture.snapshot('DRAFT-1').fingers.map((f) => f.position)).toEqual([2]);
  });

  it('bad requests are validation errors; unknown devices and sessions are typed errors', async () => {
    const ctx = core.newContext();
    await core.router.dispatch('kiosk:auth.signIn', { operatorId: 'clerk', pin: '1111' }, ctx);
    expect(await core.router.dispatch('kiosk:finger.capture', { sessionId: 'S', deviceId: 'demo-r30x', step: 11 }, ctx)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await core.router.dispatch('kiosk:finger.capture', { sessionId: '../x', deviceId: 'demo-r30x', step: 1 }, ctx)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await core.router.dispatch('kiosk:finger.exception', { sessionId: 'S', position: 1, kind: 'lost', reason: 'x' }, ctx)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await core.router.dispatch('kiosk:finger.capture', { sessionId: 'S', deviceId: 'nope', step: 1 }, ctx)).toMatchObject({ ok: false, error: { code: 'FINGER_DEVICE_UNAVAILABLE' } });
    expect(await core.router.dispatch('kiosk:finger.reset', { sessionId: 'never', position: 1 }, ctx)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await core.router.dispatch('kiosk:finger.cancel', { sessionId: 'never' }, ctx)).toEqual({ ok: true, value: { cancelled: false } });
  });
});
