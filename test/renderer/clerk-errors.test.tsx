// Issue 17 items 7 (renderer side), 8 and 14: errors in words a clerk understands (never main's developer text), the
// attempts left before a lockout (the same for an unknown id), the Operators screen's field errors, labels and unlock,
// and the status bar following the bridge's connection instead of staying green.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it } from 'vitest';
import type { KioskBridgeApi, KioskErrorShape } from '../../main/contract/ipc';
import { StatusBar } from '../../renderer/src/components/StatusBar';
import { humanError } from '../../renderer/src/errors';
import { createI18n } from '../../renderer/src/i18n';
import { BridgeContext } from '../../renderer/src/kiosk-state';
import { Operators } from '../../renderer/src/screens/Operators';

afterEach(cleanup);
const en = createI18n('en');
const ar = createI18n('ar');
const text = (e: KioskErrorShape, i = en, ctx: 'signIn' | 'supervisor' | 'general' = 'general') => humanError(e, i.t, (k) => i.exists(k), i === en ? 'en' : 'ar', ctx);

describe('human error texts', () => {
  it('never shows main\'s developer message', () => {
    const raw = { code: 'VALIDATION_FAILED', message: 'Invalid request for kiosk:operators.create: id: Invalid string: must match pattern /^[a-z0-9]/' };
    expect(text(raw)).not.toContain('kiosk:');
    expect(text(raw, ar)).not.toContain('Invalid');
    expect(text({ code: 'SOMETHING_NEW', message: 'stack trace …' })).toBe('That did not work. Try again; if it happens again, tell the technician (code SOMETHING_NEW).');
    expect(text({ code: 'BRIDGE_DISCONNECTED', message: 'Connection to the kiosk core was lost' })).toContain('not responding');
  });

  it('says how many attempts are left once few remain, and when a lock ends and who can lift it', () => {
    const wrong = (attemptsLeft: number) => ({ code: 'UNAUTHORIZED', message: '', details: { reason: 'bad_credentials', attemptsLeft } });
    expect(text(wrong(4), en, 'supervisor')).toBe('Supervisor ID or PIN is wrong');
    expect(text(wrong(2), en, 'supervisor')).toBe('Supervisor ID or PIN is wrong. Attempts left before a 15-minute lock: 2');
    expect(text(wrong(1), ar, 'signIn')).toContain('١');
    const locked = text({ code: 'OPERATOR_LOCKED', message: '', details: { lockedUntil: '2026-11-23T10:00:00.000Z' } });
    expect(locked).toContain('Operators screen');
  });
});

function operatorsBridge() {
  const calls: { channel: string; request: unknown }[] = [];
  let locked = true;
  const bridge: KioskBridgeApi = {
    async invoke(channel, request) {
      calls.push({ channel, request });
      if (channel === 'kiosk:operators.list')
        return { ok: true, value: { operators: [{ id: 'supervisor', role: 'supervisor', displayName: 'Sara', active: true, locked, pinState: 'set', fingerprints: 0 }] } } as never;
      if (channel === 'kiosk:operators.unlock') {
        locked = false;
        return { ok: true, value: { id: 'supervisor', role: 'supervisor', displayName: 'Sara', active: true, locked, pinState: 'set', fingerprints: 0 } } as never;
      }
      if (channel === 'kiosk:operators.create') {
        const r = request as { id: string };
        if (r.id === 'taken') return { ok: false, error: { code: 'CONFLICT', message: 'Operator taken already exists', details: { id: 'taken' } } } as never;
        return { ok: true, value: { id: r.id, role: 'clerk', displayName: 'x', active: true, locked: false, pinState: 'temporary', fingerprints: 0 } } as never;
      }
      return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: '' } } as never;
    },
    subscribe: () => () => undefined,
  };
  return { bridge, calls };
}

function wrap(node: ReactNode, bridge: KioskBridgeApi) {
  return render(
    <BridgeContext.Provider value={bridge}>
      <I18nextProvider i18n={en}>{node}</I18nextProvider>
    </BridgeContext.Provider>,
  );
}

describe('operators screen', () => {
  it('explains a bad id at the field without sending, clears it on success; every input has a label', async () => {
    const { bridge, calls } = operatorsBridge();
    wrap(<Operators session={{ operatorId: 'technician', role: 'technician', signedInAt: '2026-11-23T09:00:00Z', idleTimeoutSeconds: 300 }} />, bridge);
    await screen.findByTestId('operator-supervisor');
    fireEvent.change(screen.getByTestId('operators-new-id'), { target: { value: 'Amal Hassan' } });
    fireEvent.change(screen.getByTestId('operators-new-name'), { target: { value: 'Amal' } });
    fireEvent.change(screen.getByTestId('operators-new-pin'), { target: { value: '٤٨٢٩' } });
    fireEvent.click(screen.getByTestId('operators-create'));
    const err = await screen.findByTestId('operators-new-id-error');
    expect(err.textContent).toContain('lower-case');
    expect(screen.getByTestId('operators-new-id').getAttribute('aria-invalid')).toBe('true');
    expect(calls.some((c) => c.channel === 'kiosk:operators.create')).toBe(false);
    expect(document.body.textContent).not.toContain('VALIDATION_FAILED');

    fireEvent.change(screen.getByTestId('operators-new-id'), { target: { value: 'taken' } });
    fireEvent.click(screen.getByTestId('operators-create'));
    await waitFor(() => expect(screen.getByTestId('operators-new-id-error').textContent).toBe('An operator with this ID exists already'));

    fireEvent.change(screen.getByTestId('operators-new-id'), { target: { value: 'amal' } });
    fireEvent.click(screen.getByTestId('operators-create'));
    await waitFor(() => expect(screen.getByTestId('operators-message').getAttribute('role')).toBe('status'));
    expect(screen.queryByTestId('operators-new-id-error')).toBeNull();
    expect((calls.find((c) => c.channel === 'kiosk:operators.create')!.request as { temporaryPin: string }).temporaryPin).toBe('4829');

    for (const input of document.querySelectorAll('input, select, textarea')) {
      const id = input.id;
      const labelled = input.closest('label') !== null || (id && document.querySelector(`label[for="${id}"]`)) || input.getAttribute('aria-label');
      expect(labelled, `input ${input.outerHTML.slice(0, 80)} has a label`).toBeTruthy();
    }
  });

  it('shows a locked supervisor and lets a technician unlock them', async () => {
    const { bridge, calls } = operatorsBridge();
    wrap(<Operators session={{ operatorId: 'technician', role: 'technician', signedInAt: '2026-11-23T09:00:00Z', idleTimeoutSeconds: 300 }} />, bridge);
    fireEvent.click(await screen.findByTestId('operator-supervisor-unlock'));
    await waitFor(() => expect(screen.getByTestId('operators-message').textContent).toContain('unlocked'));
    expect(calls).toContainEqual({ channel: 'kiosk:operators.unlock', request: { id: 'supervisor' } });
    await waitFor(() => expect(screen.queryByTestId('operator-supervisor-unlock')).toBeNull());
  });
});

describe('status bar and the bridge connection', () => {
  it('is not green while the kiosk core is away, and says to reopen after a restart', () => {
    const bar = (connection: 'online' | 'offline' | 'restarted') =>
      render(
        <I18nextProvider i18n={en}>
          <StatusBar kioskId="K-1" operatorName="clerk" sync={{ online: true, state: 'idle', backlog: 0, lastSuccessAt: null }} devices={[{ id: 'r', kind: 'fingerprint', label: 'R307', state: 'ready' }]} locale="en" connection={connection} />
        </I18nextProvider>,
      );
    bar('online');
    expect(screen.getByTestId('status-online').className).toContain('pill-ok');
    cleanup();
    bar('offline');
    expect(screen.getByTestId('status-online').className).not.toContain('pill-ok');
    expect(screen.getByTestId('status-online').textContent).toContain('not responding');
    expect(screen.queryByTestId('status-devices')).toBeNull();
    cleanup();
    bar('restarted');
    expect(screen.getByTestId('status-online').textContent).toContain('reopen');
  });
});
