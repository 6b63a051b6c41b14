// The renderer frame against an in-memory bridge (the renderer's only dependency, so a test double is right here).
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelName, EventName, KioskBridgeApi } from '../../main/contract/ipc';
import { App } from '../../renderer/src/App';

function memoryBridge() {
  let settings = { locale: 'ar' as 'ar' | 'en', cameraDeviceId: null as string | null };
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const calls: string[] = [];
  let session: { operatorId: string; role: 'clerk'; signedInAt: string; idleTimeoutSeconds: number } | null = null;
  const values: Partial<Record<ChannelName, () => unknown>> = {
    'kiosk:app.info': () => ({ name: 'k', version: '9.9.9', kioskId: 'K-TEST-01', centreId: 'C-1', demo: true, shell: 'browser', defaultLocale: 'ar' }),
    'kiosk:home.summary': () => ({
      counts: { today: 12, pendingApproval: 2, awaitingUpload: 1, total: 340 },
      devices: [{ id: 'r30x', kind: 'fingerprint', label: 'R307', state: 'ready' }],
      sync: { online: false, state: 'offline', backlog: 1, lastSuccessAt: null },
    }),
    'kiosk:settings.get': () => settings,
  };
  const bridge: KioskBridgeApi = {
    async invoke(channel, request) {
      calls.push(channel);
      if (channel === 'kiosk:auth.signIn') {
        const r = request as { operatorId: string; pin: string };
        if (r.operatorId === 'clerk' && r.pin === '1111') {
          session = { operatorId: 'clerk', role: 'clerk', signedInAt: new Date(0).toISOString(), idleTimeoutSeconds: 300 };
          return { ok: true, value: session } as never;
        }
        if (r.operatorId === 'locked') return { ok: false, error: { code: 'OPERATOR_LOCKED', message: '', details: { lockedUntil: '2026-11-23T10:00:00.000Z' } } } as never;
        return { ok: false, error: { code: 'UNAUTHORIZED', message: '' } } as never;
      }
      if (channel === 'kiosk:auth.session') return { ok: true, value: { session } } as never;
      if (channel === 'kiosk:auth.signOut') {
        session = null;
        return { ok: true, value: { signedOut: true } } as never;
      }
      if (channel === 'kiosk:settings.update') {
        settings = { ...settings, ...(request as object) };
        return { ok: true, value: settings } as never;
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
  return { bridge, calls, emit: (e: EventName, p: unknown) => listeners.get(e)?.forEach((l) => l(p)) };
}

afterEach(cleanup);

async function signIn(id = 'clerk', pin = '1111') {
  fireEvent.change(await screen.findByTestId('signin-operator'), { target: { value: id } });
  fireEvent.change(screen.getByTestId('signin-pin'), { target: { value: pin } });
  fireEvent.click(screen.getByTestId('signin-submit'));
}

describe('renderer frame', () => {
  it('starts in Arabic, right to left, with Arabic-Indic numbers', async () => {
    const { bridge } = memoryBridge();
    render(<App bridge={bridge} />);
    expect(await screen.findByRole('heading', { name: 'تسجيل الدخول' })).toBeTruthy();
    await signIn();
    expect(await screen.findByRole('heading', { name: 'الرئيسية' })).toBeTruthy();
    expect(document.documentElement.dir).toBe('rtl');
    expect(document.documentElement.lang).toBe('ar');
    await waitFor(() => expect(screen.getByTestId('count-total').textContent).toContain('٣٤٠'));
    expect((await screen.findByTestId('status-kiosk')).textContent).toContain('K-TEST-01');
  });

  it('switches to English from settings and persists the choice through the bridge', async () => {
    const { bridge, calls } = memoryBridge();
    render(<App bridge={bridge} />);
    fireEvent.click(await screen.findByTestId('nav-settings'));
    fireEvent.click(await screen.findByTestId('locale-en'));
    expect(await screen.findByRole('heading', { name: 'Settings' })).toBeTruthy();
    expect(document.documentElement.dir).toBe('ltr');
    expect(calls).toContain('kiosk:settings.update');
    fireEvent.click(screen.getByTestId('nav-signIn'));
    await signIn();
    await waitFor(() => expect(screen.getByTestId('count-total').textContent).toContain('340'));
  });

  it('a language chosen before the stored settings arrive is not overwritten by them', async () => {
    const { bridge } = memoryBridge();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const slow: KioskBridgeApi = {
      ...bridge,
      async invoke(channel, request) {
        // The stored locale (ar) is read before the switch but answered after it.
        const answer = bridge.invoke(channel, request);
        if (channel === 'kiosk:settings.get') await gate;
        return answer;
      },
    };
    render(<App bridge={slow} />);
    fireEvent.click(await screen.findByTestId('nav-settings'));
    fireEvent.click(await screen.findByTestId('locale-en'));
    expect(await screen.findByRole('heading', { name: 'Settings' })).toBeTruthy();
    await act(async () => {
      release();
      await gate;
    });
    await waitFor(() => expect(document.documentElement.lang).toBe('en'));
    expect(screen.getByRole('heading', { name: 'Settings' })).toBeTruthy();
  });

  it('shows device and sync events in the status bar', async () => {
    const { bridge, emit } = memoryBridge();
    render(<App bridge={bridge} />);
    await signIn();
    await screen.findByTestId('count-total');
    act(() => {
      emit('kiosk:event.device-status', [
        { id: 'a', kind: 'fingerprint', label: 'A', state: 'ready' },
        { id: 'b', kind: 'camera', label: 'B', state: 'disconnected' },
      ]);
      emit('kiosk:event.sync-progress', { online: true, state: 'syncing', backlog: 4, lastSuccessAt: null });
    });
    expect(screen.getByTestId('status-devices').textContent).toContain('١ من ٢');
    expect(screen.getByTestId('status-online').textContent).toContain('متصل');
    expect(screen.getByTestId('status-operator').textContent).toContain('clerk');
  });

  it('validates the sign-in form and accepts Arabic-Indic digits', async () => {
    const { bridge } = memoryBridge();
    render(<App bridge={bridge} />);
    const pin = screen.getByTestId('signin-pin') as HTMLInputElement;
    fireEvent.change(pin, { target: { value: '١٢٣٤' } });
    expect(pin.value).toBe('1234');
    fireEvent.click(screen.getByTestId('signin-submit'));
    expect(await screen.findByText('هذا الحقل مطلوب')).toBeTruthy();
    await signIn('clerk', '9999');
    expect((await screen.findByTestId('signin-error')).textContent).toBe('رقم الموظف أو الرقم السري غير صحيح');
    await signIn('locked', '1234');
    expect((await screen.findByTestId('signin-error')).textContent).toContain('مقفل');
    await signIn('CLERK', '١١١١');
    expect(await screen.findByRole('heading', { name: 'الرئيسية' })).toBeTruthy();
    fireEvent.click(screen.getByTestId('nav-signOut'));
    expect(await screen.findByRole('heading', { name: 'تسجيل الدخول' })).toBeTruthy();
  });
});
