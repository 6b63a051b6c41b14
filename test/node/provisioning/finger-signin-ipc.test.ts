// Fingerprint sign-in through the real kiosk core, the way the sign-in screen does it: with no session, the public
// home summary lists the ready fingerprint scanner and kiosk:operators.fingerSignIn with that device id opens the
// operator's session (demo R30x emulator on a socat pty). The matcher itself is covered in operators.test.ts.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../main/config/load-config.js';
import { createKioskCore, type KioskCore } from '../../../main/core/kiosk-core.js';
import { tempDataDir, testProtector } from '../store/helpers.js';

function hasSocat(): boolean {
  try {
    execFileSync('socat', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    console.warn('\n*** socat MISSING — fingerprint sign-in IPC tests with the demo device are SKIPPED (apt-get install socat). ***\n');
    return false;
  }
}

describe.skipIf(!hasSocat())('fingerprint sign-in through the kiosk core', () => {
  let core: KioskCore;
  let data: ReturnType<typeof tempDataDir>;

  beforeAll(async () => {
    data = tempDataDir('kiosk-finger-signin-');
    core = await createKioskCore({ config: parseConfig({ dataDir: data.dir }), shell: 'browser', protector: testProtector(), sync: false, logToFile: false });
    await core.fingerprints!.ready;
  });

  afterAll(async () => {
    await core?.dispose();
    data?.cleanup();
  });

  it('a signed-out screen finds the ready scanner and signs in with an enrolled finger', async () => {
    const anon = core.newContext();
    const summary = await core.router.dispatch('kiosk:home.summary', {}, anon);
    expect(summary.ok).toBe(true);
    if (!summary.ok) return;
    const scanner = (summary.value as { devices: { id: string; kind: string; state: string }[] }).devices.find((d) => d.kind === 'fingerprint' && d.state === 'ready');
    expect(scanner?.id).toBe('demo-r30x');

    // Nobody has an enrolled finger yet: the typed error the screen explains.
    expect(await core.router.dispatch('kiosk:operators.fingerSignIn', { operatorId: 'clerk', deviceId: scanner!.id }, anon)).toMatchObject({ ok: false, error: { code: 'NO_OPERATOR_FINGERPRINT' } });
    expect(await core.router.dispatch('kiosk:auth.session', {}, anon)).toEqual({ ok: true, value: { session: null } });

    const sup = core.newContext();
    expect(await core.router.dispatch('kiosk:auth.signIn', { operatorId: 'supervisor', pin: '2222' }, sup)).toMatchObject({ ok: true });
    expect(await core.router.dispatch('kiosk:operators.enrolFinger', { id: 'clerk', deviceId: scanner!.id, position: 2 }, sup)).toMatchObject({ ok: true, value: { fingerprints: 1 } });

    const kiosk = core.newContext();
    const signed = await core.router.dispatch('kiosk:operators.fingerSignIn', { operatorId: 'clerk', deviceId: scanner!.id }, kiosk);
    expect(signed).toMatchObject({ ok: true, value: { operatorId: 'clerk', role: 'clerk', pinChangeRequired: false } });
    expect(await core.router.dispatch('kiosk:auth.session', {}, kiosk)).toMatchObject({ ok: true, value: { session: { operatorId: 'clerk', role: 'clerk' } } });
  });

  it('an unknown scanner and a malformed request are typed errors, and nobody is signed in', async () => {
    const anon = core.newContext();
    expect(await core.router.dispatch('kiosk:operators.fingerSignIn', { operatorId: 'clerk', deviceId: 'nope' }, anon)).toMatchObject({ ok: false, error: { code: 'FINGER_DEVICE_UNAVAILABLE' } });
    expect(await core.router.dispatch('kiosk:operators.fingerSignIn', { operatorId: 'clerk' }, anon)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await core.router.dispatch('kiosk:auth.session', {}, anon)).toEqual({ ok: true, value: { session: null } });
  });
});
