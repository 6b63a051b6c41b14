// FingerStep against an in-memory bridge that plays the finger channels (the renderer's only dependency, so a test
// double is right here; the real service is tested in test/node/capture against the device emulators).
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it } from 'vitest';
import type { CapturePlanView, FingerDeviceView, FingerProgress, FingerSessionView, FingerStateView } from '../../main/contract/channels/finger';
import type { KioskBridgeApi } from '../../main/contract/ipc';
import { createI18n } from '../../renderer/src/i18n';
import { BridgeContext } from '../../renderer/src/kiosk-state';
import { FingerStep, nextStep } from '../../renderer/src/screens/enrollment/FingerStep';

afterEach(cleanup);

type Script = { quality: number; feedback?: string[] }[] | { error: string };

function emptyFinger(position: number): FingerStateView {
  return { position, state: 'pending', quality: null, lastQuality: null, feedback: [], attempts: 0, maxAttempts: 3, accepted: false, minutiae: null, source: null, exception: null };
}

function fakeCore(options: { devices?: FingerDeviceView[]; mode?: 'single' | 'slap' } = {}) {
  const mode = options.mode ?? 'single';
  const devices = options.devices ?? [{ id: 'r30x', kind: 'r30x', model: 'R307', mode, state: 'ready' }];
  const plan: CapturePlanView = {
    deviceId: devices[0]?.id ?? 'none',
    mode,
    steps: mode === 'single' ? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((p) => ({ step: p, fingers: [p] })) : [{ step: 14, fingers: [7, 8, 9, 10] }, { step: 13, fingers: [2, 3, 4, 5] }, { step: 15, fingers: [1, 6] }],
    maxAttempts: 3,
    qualityMin: 40,
  };
  const session: FingerSessionView = { sessionId: 'D1', fingers: Array.from({ length: 10 }, (_, i) => emptyFinger(i + 1)), sequence: { checked: 0, mismatches: [] }, complete: false };
  const listeners = new Set<(p: FingerProgress) => void>();
  const calls: { channel: string; request: Record<string, unknown> }[] = [];
  const scripts: Script[] = [];
  let release: (() => void) | null = null;
  let hold = false;
  const snapshot = () => structuredClone(session);
  const emit = (p: Omit<FingerProgress, 'sessionId' | 'deviceId'>) => listeners.forEach((l) => l({ sessionId: 'D1', deviceId: plan.deviceId, ...p }));

  const bridge: KioskBridgeApi = {
    async invoke(channel, request) {
      const r = request as Record<string, unknown>;
      calls.push({ channel, request: r });
      switch (channel) {
        case 'kiosk:finger.devices':
          return { ok: true, value: { devices } } as never;
        case 'kiosk:finger.plan':
          return { ok: true, value: plan } as never;
        case 'kiosk:finger.session':
          return { ok: true, value: snapshot() } as never;
        case 'kiosk:finger.cancel':
          release?.();
          return { ok: true, value: { cancelled: true } } as never;
        case 'kiosk:finger.capture': {
          const step = r.step as number;
          emit({ step, phase: 'place_finger' });
          if (hold) await new Promise<void>((res) => (release = res));
          const script = scripts.shift() ?? [{ quality: 80 }];
          if ('error' in script) {
            emit({ step, phase: 'failed', code: script.error });
            return { ok: false, error: { code: script.error, message: '' } } as never;
          }
          const positions = plan.steps.find((s) => s.step === step)?.fingers ?? [step];
          const captured = positions.map((p, i) => {
            const f = session.fingers[p - 1]!;
            const q = script[i]?.quality ?? 80;
            f.attempts++;
            f.lastQuality = q;
            const kept = f.quality === null || q > f.quality;
            if (kept) Object.assign(f, { state: 'captured', quality: q, accepted: q >= 40, feedback: [...(script[i]?.feedback ?? []), ...(q < 40 ? ['LOW_QUALITY'] : [])], source: step });
            emit({ step, phase: 'captured', position: p, quality: q, attempt: f.attempts });
            return { position: p, quality: q, feedback: f.feedback, attempt: f.attempts, kept };
          });
          session.complete = session.fingers.every((f) => f.state === 'excepted' || (f.state === 'captured' && (f.accepted || f.attempts >= 3)));
          return { ok: true, value: { session: snapshot(), captured } } as never;
        }
        case 'kiosk:finger.exception': {
          const f = session.fingers[(r.position as number) - 1]!;
          Object.assign(f, { state: 'excepted', quality: null, exception: { kind: r.kind, reason: r.reason, hasPhoto: typeof r.photoBase64 === 'string' } });
          return { ok: true, value: snapshot() } as never;
        }
        case 'kiosk:finger.reset': {
          session.fingers[(r.position as number) - 1] = emptyFinger(r.position as number);
          return { ok: true, value: snapshot() } as never;
        }
        default:
          return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: '' } } as never;
      }
    },
    subscribe(event, listener) {
      if (event !== 'kiosk:event.finger-progress') return () => undefined;
      const l = listener as (p: FingerProgress) => void;
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return {
    bridge,
    calls,
    session,
    script: (s: Script) => scripts.push(s),
    holdCaptures: () => (hold = true),
    release: () => release?.(),
    emit,
  };
}

function wrap(node: ReactNode, bridge: KioskBridgeApi, locale: 'ar' | 'en') {
  return render(
    <BridgeContext.Provider value={bridge}>
      <I18nextProvider i18n={createI18n(locale)}>{node}</I18nextProvider>
    </BridgeContext.Provider>,
  );
}

describe('FingerStep', () => {
  it('Arabic: captures in plan order with live progress, shows quality, moves on to the next finger', async () => {
    const core = fakeCore();
    core.holdCaptures();
    wrap(<FingerStep sessionId="D1" locale="ar" />, core.bridge, 'ar');
    const button = await screen.findByRole('button', { name: 'التقاط إبهام اليد اليمنى' });
    expect(screen.getByTestId('finger-next').textContent).toBe('التالي: إبهام اليد اليمنى');
    fireEvent.click(button);
    await waitFor(() => expect(screen.getByTestId('finger-progress').textContent).toBe('ضع الإصبع على الماسح'));
    expect(screen.getByTestId('finger-cancel')).toBeTruthy();
    act(() => core.emit({ step: 1, phase: 'uploading', percent: 40 }));
    expect(screen.getByTestId('finger-progress').textContent).toContain('جارٍ قراءة الصورة… ٤٠٪');
    await act(async () => core.release());
    await screen.findByRole('button', { name: 'التقاط سبابة اليد اليمنى' });
    expect(core.calls.find((c) => c.channel === 'kiosk:finger.capture')!.request).toEqual({ sessionId: 'D1', deviceId: 'r30x', step: 1 });
    expect(screen.getByTestId('finger-1').getAttribute('data-state')).toBe('captured');
    expect(screen.getByTestId('finger-1').getAttribute('aria-label')).toBe('إبهام اليد اليمنى: ملتقطة، الجودة ٨٠');
    expect(screen.getByTestId('finger-progress').textContent).toBe('تم الالتقاط');
  });

  it('a weak capture stays on the finger with feedback and a retake; attempts are counted up to the maximum', async () => {
    const core = fakeCore();
    core.script([{ quality: 20, feedback: ['TOO_FEW_MINUTIAE'] }]);
    core.script([{ quality: 10 }]);
    core.script([{ quality: 15 }]);
    wrap(<FingerStep sessionId="D1" locale="en" />, core.bridge, 'en');
    fireEvent.click(await screen.findByRole('button', { name: 'Capture Right thumb' }));
    const retake = await screen.findByRole('button', { name: 'Retake Right thumb' });
    expect(screen.getByTestId('finger-detail').getAttribute('data-position')).toBe('1');
    expect(screen.getByTestId('finger-feedback').textContent).toContain('Too few ridge details');
    expect(screen.getByTestId('finger-feedback').textContent).toContain('Quality is below the minimum');
    expect(screen.getByTestId('finger-quality').getAttribute('aria-valuenow')).toBe('20');
    expect(screen.getByTestId('finger-next').textContent).toContain('Attempt 2 of 3');
    fireEvent.click(retake);
    await waitFor(() => expect(screen.getByTestId('finger-next').textContent).toContain('Attempt 3 of 3'));
    // The best attempt (20) is kept, not the later 10.
    expect(screen.getByTestId('finger-quality').getAttribute('aria-valuenow')).toBe('20');
    fireEvent.click(screen.getByRole('button', { name: 'Retake Right thumb' }));
    // Out of attempts: the finger counts as done and the plan moves on.
    await screen.findByRole('button', { name: 'Capture Right index finger' });
    expect(core.calls.filter((c) => c.channel === 'kiosk:finger.capture')).toHaveLength(3);
  });

  it('records an exception through the dialog (reason required) and skips that finger', async () => {
    const core = fakeCore();
    wrap(<FingerStep sessionId="D1" locale="en" />, core.bridge, 'en');
    fireEvent.click(await screen.findByTestId('finger-3'));
    fireEvent.click(screen.getByTestId('finger-exception-open'));
    const dialog = screen.getByRole('dialog', { name: 'Exception for Right middle finger' });
    expect(document.activeElement).toBe(screen.getByTestId('finger-exception-kind-missing'));
    fireEvent.click(screen.getByTestId('finger-exception-save'));
    expect(screen.getByTestId('finger-exception-error').textContent).toBe('Write a short explanation.');
    fireEvent.click(screen.getByTestId('finger-exception-kind-bandaged'));
    fireEvent.change(screen.getByTestId('finger-exception-reason'), { target: { value: 'burn dressing' } });
    fireEvent.click(screen.getByTestId('finger-exception-save'));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(dialog).toBeTruthy();
    expect(core.calls.find((c) => c.channel === 'kiosk:finger.exception')!.request).toEqual({ sessionId: 'D1', position: 3, kind: 'bandaged', reason: 'burn dressing' });
    expect(screen.getByTestId('finger-3').getAttribute('data-state')).toBe('excepted');
    // Escape closes the dialog without saving.
    fireEvent.click(screen.getByTestId('finger-4'));
    fireEvent.click(screen.getByTestId('finger-exception-open'));
    // Tab stays inside the modal dialog.
    const cancelButton = screen.getByTestId('finger-exception-cancel');
    cancelButton.focus();
    fireEvent.keyDown(cancelButton, { key: 'Tab' });
    expect(document.activeElement).toBe(screen.getByTestId('finger-exception-kind-missing'));
    fireEvent.keyDown(document.activeElement!, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(cancelButton);
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(core.calls.filter((c) => c.channel === 'kiosk:finger.exception')).toHaveLength(1);
  });

  it('exception photo: a JPEG file is attached and sent; other files are refused; no camera is reported', async () => {
    const core = fakeCore();
    wrap(<FingerStep sessionId="D1" locale="en" />, core.bridge, 'en');
    fireEvent.click(await screen.findByTestId('finger-5'));
    fireEvent.click(screen.getByTestId('finger-exception-open'));
    const input = screen.getByTestId('finger-exception-photo') as HTMLInputElement;
    const png = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a])], 'x.png', { type: 'image/png' });
    fireEvent.change(input, { target: { files: [png] } });
    expect((await screen.findByTestId('finger-exception-error')).textContent).toBe('The photo must be a JPEG image.');
    const jpegBytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0xff, 0xd9]);
    fireEvent.change(input, { target: { files: [new File([jpegBytes], 'x.jpg', { type: 'image/jpeg' })] } });
    await screen.findByTestId('finger-exception-photo-ok');
    fireEvent.click(screen.getByTestId('finger-exception-kind-amputated'));
    fireEvent.change(screen.getByTestId('finger-exception-reason'), { target: { value: 'amputated at the first joint' } });
    // The kiosk camera is the other way to take the photo; without one the dialog says so.
    fireEvent.click(screen.getByTestId('finger-exception-camera'));
    expect((await screen.findByTestId('finger-exception-camera-problem')).textContent).toBe('No camera found.');
    fireEvent.click(screen.getByTestId('finger-exception-save'));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const sent = core.calls.find((c) => c.channel === 'kiosk:finger.exception')!.request;
    expect(sent).toMatchObject({ position: 5, kind: 'amputated', reason: 'amputated at the first joint', photoBase64: btoa(String.fromCharCode(...jpegBytes)) });
  });

  it('slap scanner: 4-4-2 steps, and a sequence mismatch is shown as an alert', async () => {
    const core = fakeCore({ mode: 'slap', devices: [{ id: 'sbi', kind: 'sbi', model: 'SBI slap', mode: 'slap', state: 'ready' }] });
    wrap(<FingerStep sessionId="D1" locale="ar" />, core.bridge, 'ar');
    fireEvent.click(await screen.findByRole('button', { name: 'التقاط الأصابع الأربعة لليد اليسرى' }));
    await screen.findByRole('button', { name: 'التقاط الأصابع الأربعة لليد اليمنى' });
    expect([7, 8, 9, 10].map((p) => screen.getByTestId(`finger-${p}`).getAttribute('data-state'))).toEqual(['captured', 'captured', 'captured', 'captured']);
    core.session.sequence.mismatches.push({ position: 3, matchedPosition: 2, score: 70, claimedScore: 5 });
    fireEvent.click(screen.getByRole('button', { name: 'التقاط الأصابع الأربعة لليد اليمنى' }));
    const alert = await screen.findByTestId('finger-mismatch');
    expect(alert.textContent).toContain('الوسطى اليمنى يشبه سبابة اليد اليمنى');
    expect(screen.getByTestId('finger-3').className).toContain('hand-finger-mismatch');
  });

  it('device errors get clear messages; no ready scanner says so; cancel goes to the core', async () => {
    const core = fakeCore();
    core.script({ error: 'DEVICE_NO_FINGER' });
    wrap(<FingerStep sessionId="D1" locale="en" />, core.bridge, 'en');
    fireEvent.click(await screen.findByRole('button', { name: 'Capture Right thumb' }));
    expect((await screen.findByTestId('finger-error')).textContent).toBe('No finger was placed in time. Try again.');
    expect(screen.getByTestId('finger-progress').textContent).toBe('Capture failed');
    core.holdCaptures();
    fireEvent.click(screen.getByRole('button', { name: 'Capture Right thumb' }));
    fireEvent.click(await screen.findByTestId('finger-cancel'));
    await waitFor(() => expect(core.calls.some((c) => c.channel === 'kiosk:finger.cancel')).toBe(true));
    cleanup();
    const none = fakeCore({ devices: [{ id: 'r30x', kind: 'r30x', model: 'r30x', mode: 'single', state: 'error', detail: 'DEVICE_NOT_FOUND' }] });
    wrap(<FingerStep sessionId="D1" locale="en" />, none.bridge, 'en');
    expect((await screen.findByTestId('finger-no-device')).textContent).toContain('No fingerprint scanner is ready');
    expect(screen.queryByTestId('finger-capture')).toBeNull();
  });

  it('nextStep: the chosen finger (or its slap) first, else the first unfinished step', () => {
    const plan: CapturePlanView = { deviceId: 'x', mode: 'slap', steps: [{ step: 14, fingers: [7, 8, 9, 10] }, { step: 13, fingers: [2, 3, 4, 5] }, { step: 15, fingers: [1, 6] }], maxAttempts: 3, qualityMin: 40 };
    const s: FingerSessionView = { sessionId: 'D', fingers: Array.from({ length: 10 }, (_, i) => emptyFinger(i + 1)), sequence: { checked: 0, mismatches: [] }, complete: false };
    expect(nextStep(plan, s, null)).toBe(14);
    expect(nextStep(plan, s, 6)).toBe(15);
    for (const p of [7, 8, 9]) s.fingers[p - 1] = { ...emptyFinger(p), state: 'captured', quality: 60, accepted: true, attempts: 1 };
    s.fingers[9] = { ...emptyFinger(10), state: 'excepted' };
    expect(nextStep(plan, s, null)).toBe(13);
    expect(nextStep({ ...plan, mode: 'single' }, s, 4)).toBe(4);
    expect(nextStep(null, s, null)).toBeNull();
  });
});
