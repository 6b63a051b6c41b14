// The Diagnostics screen and the lock screen against an in-memory bridge (the renderer's only dependency).
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KioskBridgeApi } from '../../main/contract/ipc';
import type { DiagnosticsReportView } from '../../main/contract/channels/diagnostics';
import { App } from '../../renderer/src/App';
import { LockScreen } from '../../renderer/src/components/LockScreen';
import { createI18n } from '../../renderer/src/i18n';
import { BridgeContext } from '../../renderer/src/kiosk-state';
import { Diagnostics } from '../../renderer/src/screens/Diagnostics';

const MB = 1024 * 1024;
const report: DiagnosticsReportView = {
  format: 'kiosk-diagnostics',
  version: 1,
  generatedAt: '2026-11-23T10:00:00.000Z',
  kioskId: 'K-TEST-01',
  centreId: 'C-1',
  demo: false,
  ok: false,
  checks: [
    { id: 'store.integrity', status: 'ok', detail: 'SQLite integrity_check: ok' },
    { id: 'disk', status: 'fail', detail: 'only 40 MB free' },
  ],
  versions: { app: '0.1.0', node: '20.19.0' },
  models: [{ id: 'detect', file: 'fr_detect.onnx', status: 'ok', sha256: 'abcdef0123456789' }],
  disk: { freeBytes: 40 * MB, totalBytes: 1000 * MB, level: 'block', warnBelowBytes: 500 * MB, blockBelowBytes: 100 * MB },
  store: { initialised: true, integrity: 'ok', audit: { ok: true, entries: 12, checkpoints: 1, firstBroken: null }, userVersion: 4, sizeBytes: 1, counts: null },
  keyMode: { mode: 'key-file', weak: true },
  sync: { state: 'offline', backlog: 3, lastSuccessAt: null },
  devices: [{ id: 'r30x', kind: 'fingerprint', label: 'r30x /dev/ttyUSB0', state: 'disconnected' }],
};

function bridgeWith(calls: { channel: string; request: unknown }[]): KioskBridgeApi {
  return {
    async invoke(channel, request) {
      calls.push({ channel, request });
      if (channel === 'kiosk:diagnostics.run') return { ok: true, value: report } as never;
      if (channel === 'kiosk:diagnostics.export') return { ok: true, value: { dir: '/media/usb/kiosk-diagnostics-K-TEST-01', files: 4 } } as never;
      if (channel === 'kiosk:diagnostics.factoryReset') {
        const r = request as { pin: string };
        return (r.pin === '3333' ? { ok: true, value: { at: report.generatedAt, leftovers: [] } } : { ok: false, error: { code: 'UNAUTHORIZED', message: '' } }) as never;
      }
      return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: '' } } as never;
    },
    subscribe: () => () => undefined,
  };
}

function renderDiagnostics(role: 'supervisor' | 'technician', calls: { channel: string; request: unknown }[], locale: 'ar' | 'en' = 'en') {
  return render(
    <BridgeContext.Provider value={bridgeWith(calls)}>
      <I18nextProvider i18n={createI18n(locale)}>
        <Diagnostics locale={locale} session={{ operatorId: 'op', role, signedInAt: report.generatedAt, idleTimeoutSeconds: 300 }} kioskId="K-TEST-01" />
      </I18nextProvider>
    </BridgeContext.Provider>,
  );
}

afterEach(cleanup);

describe('Diagnostics screen', () => {
  it('lists every check with its status, the blocked disk, the weak key mode and the backlog', async () => {
    renderDiagnostics('supervisor', []);
    expect((await screen.findByTestId('diagnostics-summary')).textContent).toContain('Some checks failed');
    const items = screen.getByTestId('diagnostics-checks').querySelectorAll('li');
    expect([...items].map((li) => li.getAttribute('data-status'))).toEqual(['ok', 'fail']);
    expect(screen.getByTestId('diagnostics-disk').textContent).toContain('New enrollments are blocked');
    expect(screen.getByText(/Key protection: key-file/).textContent).toContain('weak');
    expect(screen.getByText(/Backlog 3/)).toBeTruthy();
    expect(screen.getByTestId('diagnostics-devices').textContent).toContain('r30x /dev/ttyUSB0 — disconnected');
    // Supervisors see no export or reset.
    expect(screen.queryByTestId('diagnostics-export')).toBeNull();
    expect(screen.queryByTestId('reset-open')).toBeNull();
  });

  it('renders in Arabic', async () => {
    renderDiagnostics('supervisor', [], 'ar');
    expect(await screen.findByRole('heading', { name: 'التشخيص' })).toBeTruthy();
    expect((await screen.findByTestId('diagnostics-summary')).textContent).toContain('فشلت');
  });

  it('technicians export a bundle and factory-reset only with the typed kiosk id and their PIN', async () => {
    const calls: { channel: string; request: unknown }[] = [];
    renderDiagnostics('technician', calls);
    fireEvent.change(await screen.findByTestId('diagnostics-export-to'), { target: { value: '/media/usb' } });
    fireEvent.click(screen.getByTestId('diagnostics-export'));
    expect(await screen.findByText(/Bundle written to \/media\/usb/)).toBeTruthy();
    expect(calls.find((c) => c.channel === 'kiosk:diagnostics.export')?.request).toEqual({ to: '/media/usb' });
    fireEvent.click(screen.getByTestId('reset-open'));
    fireEvent.change(screen.getByTestId('reset-confirm'), { target: { value: 'K-OTHER' } });
    fireEvent.change(screen.getByTestId('reset-pin'), { target: { value: '3333' } });
    fireEvent.click(screen.getByTestId('reset-confirm-button'));
    expect((await screen.findByTestId('reset-message')).textContent).toContain('does not match');
    expect(calls.some((c) => c.channel === 'kiosk:diagnostics.factoryReset')).toBe(false);
    fireEvent.change(screen.getByTestId('reset-confirm'), { target: { value: 'K-TEST-01' } });
    fireEvent.change(screen.getByTestId('reset-pin'), { target: { value: '1234' } });
    fireEvent.click(screen.getByTestId('reset-confirm-button'));
    await waitFor(() => expect(screen.getByTestId('reset-message').textContent).toBe('Wrong PIN'));
    fireEvent.change(screen.getByTestId('reset-pin'), { target: { value: '3333' } });
    fireEvent.click(screen.getByTestId('reset-confirm-button'));
    await waitFor(() => expect(screen.getByTestId('reset-message').textContent).toContain('was reset'));
    expect(calls.filter((c) => c.channel === 'kiosk:diagnostics.factoryReset').at(-1)?.request).toEqual({ confirm: 'K-TEST-01', pin: '3333' });
  });
});

describe('lock screen', () => {
  it('keeps the lock until the right PIN', async () => {
    const tried: string[] = [];
    render(
      <I18nextProvider i18n={createI18n('en')}>
        <LockScreen operatorId="clerk" onUnlock={async (pin) => (tried.push(pin), pin === '1111')} onSignOut={() => undefined} />
      </I18nextProvider>,
    );
    expect(screen.getByRole('dialog').textContent).toContain('clerk locked this kiosk');
    fireEvent.change(screen.getByTestId('lock-pin'), { target: { value: '9999' } });
    fireEvent.click(screen.getByTestId('lock-unlock'));
    expect(await screen.findByText('Wrong PIN')).toBeTruthy();
    fireEvent.change(screen.getByTestId('lock-pin'), { target: { value: '1111' } });
    fireEvent.click(screen.getByTestId('lock-unlock'));
    await waitFor(() => expect(tried).toEqual(['9999', '1111']));
    await waitFor(() => expect(screen.queryByText('Wrong PIN')).toBeNull());
  });
});

describe('frame: idle sign-out and lock followed from main', () => {
  it('returns to sign-in with a notice when main ended the session, and shows the lock when main says locked', async () => {
    let lockState = { signedIn: true, locked: false, operatorId: 'clerk', role: 'clerk' };
    const session = { operatorId: 'clerk', role: 'clerk', signedInAt: report.generatedAt, idleTimeoutSeconds: 300 };
    const bridge: KioskBridgeApi = {
      async invoke(channel) {
        if (channel === 'kiosk:auth.session') return { ok: true, value: { session } } as never;
        if (channel === 'kiosk:lock.state') return { ok: true, value: lockState } as never;
        if (channel === 'kiosk:settings.get') return { ok: true, value: { locale: 'en', cameraDeviceId: null } } as never;
        if (channel === 'kiosk:app.info') return { ok: true, value: { name: 'k', version: '1', kioskId: 'K-TEST-01', centreId: 'C', demo: false, shell: 'browser', defaultLocale: 'en' } } as never;
        return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: '' } } as never;
      },
      subscribe: () => () => undefined,
    };
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      render(<App bridge={bridge} initialLocale="en" />);
      await screen.findByTestId('nav-lock');
      lockState = { ...lockState, locked: true };
      await vi.advanceTimersByTimeAsync(10_500);
      expect(await screen.findByTestId('lock-screen')).toBeTruthy();
      lockState = { signedIn: false, locked: false, operatorId: null as unknown as string, role: null as unknown as string };
      await vi.advanceTimersByTimeAsync(10_500);
      expect((await screen.findByTestId('idle-notice')).textContent).toContain('Signed out after inactivity');
      expect(screen.queryByTestId('lock-screen')).toBeNull();
      expect(screen.getByTestId('signin-operator')).toBeTruthy();
    } finally {
      vi.useRealTimers();
    }
  });
});
