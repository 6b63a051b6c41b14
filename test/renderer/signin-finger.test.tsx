// Fingerprint sign-in on the sign-in screen, through the whole frame against an in-memory bridge (the renderer's
// only dependency, so a test double is right here; main's handler is tested on emulators in
// test/node/provisioning/operators.test.ts).
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelName, EventName, KioskBridgeApi, KioskErrorShape } from '../../main/contract/ipc';
import type { DeviceStatus } from '../../main/contract/channels/app';
import { App } from '../../renderer/src/App';
import { fingerSignIn as catalog } from '../../renderer/src/i18n/areas/signin';

type Outcome = { ok: true } | { ok: false; error: KioskErrorShape };

function memoryBridge(opts: { locale?: 'ar' | 'en'; devices?: DeviceStatus[]; outcome?: (operatorId: string) => Outcome | Promise<Outcome> }) {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const fingerCalls: { operatorId: string; deviceId: string }[] = [];
  const devices = opts.devices ?? [
    { id: 'cam', kind: 'camera', label: 'Camera', state: 'ready' },
    { id: 'broken', kind: 'fingerprint', label: 'R307 broken', state: 'error', detail: 'DEVICE_NOT_FOUND' },
    { id: 'r30x', kind: 'fingerprint', label: 'R307 (0xFFFFFFFF)', state: 'ready' },
  ];
  const values: Partial<Record<ChannelName, () => unknown>> = {
    'kiosk:app.info': () => ({ name: 'k', version: '9.9.9', kioskId: 'K-TEST-01', centreId: 'C-1', demo: true, shell: 'browser', defaultLocale: opts.locale ?? 'ar' }),
    'kiosk:home.summary': () => ({ counts: { today: 0, pendingApproval: 0, awaitingUpload: 0, total: 0 }, devices, sync: { online: false, state: 'offline', backlog: 0, lastSuccessAt: null } }),
    'kiosk:settings.get': () => ({ locale: opts.locale ?? 'ar', cameraDeviceId: null }),
    'kiosk:auth.session': () => ({ session: null }),
    'kiosk:workflow.drafts': () => ({ items: [] }),
  };
  const bridge: KioskBridgeApi = {
    async invoke(channel, request) {
      if (channel === 'kiosk:operators.fingerSignIn') {
        const r = request as { operatorId: string; deviceId: string };
        fingerCalls.push(r);
        const o = await (opts.outcome ?? (() => ({ ok: true }) as Outcome))(r.operatorId);
        if (!o.ok) return o as never;
        return { ok: true, value: { operatorId: r.operatorId, role: 'clerk', signedInAt: new Date(0).toISOString(), idleTimeoutSeconds: 300, pinChangeRequired: false } } as never;
      }
      const v = values[channel];
      return (v ? { ok: true, value: v() } : { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: '' } }) as never;
    },
    subscribe(event: EventName, l) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(l as (p: unknown) => void);
      return () => listeners.get(event)!.delete(l as (p: unknown) => void);
    },
  };
  return { bridge, fingerCalls, emit: (e: EventName, p: unknown) => act(() => listeners.get(e)?.forEach((l) => l(p))) };
}

afterEach(cleanup);

async function fingerSignIn(id: string) {
  fireEvent.change(await screen.findByTestId('signin-operator'), { target: { value: id } });
  fireEvent.click(await screen.findByTestId('signin-finger'));
}

/** The fixed part of a catalog message before its first {{placeholder}}. */
const lead = (s: string) => s.split('{{')[0]!;

describe('fingerprint sign-in', () => {
  it('signs in with the first ready scanner, showing the place-finger prompt, and lands on home like the PIN path', async () => {
    let release!: () => void;
    const { bridge, fingerCalls } = memoryBridge({ outcome: () => new Promise<Outcome>((r) => (release = () => r({ ok: true }))) });
    render(<App bridge={bridge} />);
    expect(await screen.findByRole('heading', { name: 'تسجيل الدخول' })).toBeTruthy();
    const button = await screen.findByTestId('signin-finger');
    expect(button.tagName).toBe('BUTTON');
    expect(button.getAttribute('type')).toBe('button');
    expect(button.className).toContain('btn');
    expect(button.textContent).toBe(catalog.ar.button);
    await fingerSignIn('Amal');
    await waitFor(() => expect(screen.getByTestId('signin-finger-status').textContent).toBe('ضع إصبعك المسجّل على الماسح (R307 (0xFFFFFFFF))…'));
    expect((screen.getByTestId('signin-finger') as HTMLButtonElement).disabled).toBe(true);
    expect(fingerCalls).toEqual([{ operatorId: 'amal', deviceId: 'r30x' }]);
    release();
    expect(await screen.findByRole('heading', { name: 'الرئيسية' })).toBeTruthy();
    expect(screen.queryByTestId('signin-finger')).toBeNull();
  });

  it('asks for the operator id before touching the scanner', async () => {
    const { bridge, fingerCalls } = memoryBridge({ locale: 'en' });
    render(<App bridge={bridge} />);
    await screen.findByRole('heading', { name: 'Sign in' });
    fireEvent.click(await screen.findByTestId('signin-finger'));
    expect((await screen.findByText(catalog.en.needOperatorId)).id).toBe('err-operator');
    expect(fingerCalls).toEqual([]);
  });

  it('hides the button without a ready scanner and shows it once one becomes ready', async () => {
    const { bridge, emit } = memoryBridge({ locale: 'en', devices: [{ id: 'r30x', kind: 'fingerprint', label: 'R307', state: 'disconnected' }] });
    render(<App bridge={bridge} />);
    await screen.findByRole('heading', { name: 'Sign in' });
    await waitFor(() => expect(screen.getByTestId('signin-finger-unavailable').textContent).toBe(catalog.en.noDevice));
    expect(screen.queryByTestId('signin-finger')).toBeNull();
    emit('kiosk:event.device-status', [{ id: 'r30x', kind: 'fingerprint', label: 'R307', state: 'ready' }]);
    expect(await screen.findByTestId('signin-finger')).toBeTruthy();
    expect(screen.queryByTestId('signin-finger-unavailable')).toBeNull();
  });

  const failures: [string, KioskErrorShape, (c: typeof catalog.en) => string][] = [
    ['no finger enrolled', { code: 'NO_OPERATOR_FINGERPRINT', message: '', details: { reason: 'no_fingerprint' } }, (c) => c.noFingerprint],
    ['finger did not match', { code: 'UNAUTHORIZED', message: '', details: { reason: 'bad_credentials' } }, (c) => c.noMatch],
    ['finger did not match, attempts left', { code: 'UNAUTHORIZED', message: '', details: { reason: 'bad_credentials', attemptsLeft: 2 } }, (c) => c.noMatchLeft.replace('{{count}}', '2')],
    ['locked', { code: 'OPERATOR_LOCKED', message: '', details: { lockedUntil: '2026-11-23T10:00:00.000Z' } }, (c) => lead(c.locked)],
    ['no finger placed in time', { code: 'DEVICE_TIMEOUT', message: '' }, (c) => c.noFinger],
    ['poor quality', { code: 'FINGER_QUALITY_LOW', message: '', details: { quality: 12, min: 40 } }, (c) => c.quality],
    ['scanner not open', { code: 'FINGER_DEVICE_UNAVAILABLE', message: '', details: { deviceId: 'r30x' } }, (c) => c.deviceError.replace('{{code}}', 'FINGER_DEVICE_UNAVAILABLE')],
    ['scanner error', { code: 'DEVICE_DISCONNECTED', message: '' }, (c) => c.deviceError.replace('{{code}}', 'DEVICE_DISCONNECTED')],
  ];
  for (const locale of ['en', 'ar'] as const) {
    for (const [what, error, message] of failures) {
      it(`${locale}: ${what} gives a clear message and stays on sign-in`, async () => {
        const { bridge } = memoryBridge({ locale, outcome: () => ({ ok: false, error }) });
        render(<App bridge={bridge} />);
        await screen.findByRole('heading', { name: locale === 'en' ? 'Sign in' : 'تسجيل الدخول' });
        await fingerSignIn('amal');
        const alert = await screen.findByTestId('signin-error');
        expect(alert.getAttribute('role')).toBe('alert');
        expect(alert.textContent).toContain(message(catalog[locale] as typeof catalog.en));
        if (error.code === 'OPERATOR_LOCKED') expect(alert.textContent).not.toContain('{{');
        expect((screen.getByTestId('signin-finger') as HTMLButtonElement).disabled).toBe(false);
        expect(screen.getByTestId('signin-finger-status').textContent).toBe('');
      });
    }
  }
});
