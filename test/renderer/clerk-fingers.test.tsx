// Issue 17 items 5, 7 (renderer side) and 15: the fingers step tells one story — one count, "all done" only when
// it is, what is missing only when the clerk tries to continue early (and then which fingers); each capture is saved
// to the draft at once; fingers the draft already holds (after a kiosk restart) show as done; the captured image is
// shown; the keyboard focus stays on the capture button. Against an in-memory bridge playing the finger channels.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it } from 'vitest';
import type { CapturePlanView, FingerSessionView, FingerStateView } from '../../main/contract/channels/finger';
import type { WorkflowView } from '../../main/contract/channels/workflow';
import type { KioskBridgeApi } from '../../main/contract/ipc';
import { createI18n } from '../../renderer/src/i18n';
import { BridgeContext } from '../../renderer/src/kiosk-state';
import { FingersStep } from '../../renderer/src/screens/enrollment/FingersStep';
import type { Act } from '../../renderer/src/screens/enrollment/act';

afterEach(cleanup);
const ID = '01JDXXXXXXXXXXXXXXXXXXXXXX';

function pending(position: number): FingerStateView {
  return { position, state: 'pending', quality: null, lastQuality: null, feedback: [], attempts: 0, maxAttempts: 3, accepted: false, minutiae: null, source: null, exception: null };
}

function fake() {
  const plan: CapturePlanView = { deviceId: 'r30x', mode: 'single', steps: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((p) => ({ step: p as 1, fingers: [p] })), maxAttempts: 3, qualityMin: 40 };
  const session: FingerSessionView = { sessionId: ID, fingers: Array.from({ length: 10 }, (_, i) => pending(i + 1)), sequence: { checked: 0, mismatches: [] }, complete: false };
  const calls: string[] = [];
  const bridge: KioskBridgeApi = {
    async invoke(channel, request) {
      calls.push(channel);
      const r = request as { step?: number; position?: number };
      switch (channel) {
        case 'kiosk:finger.devices':
          return { ok: true, value: { devices: [{ id: 'r30x', kind: 'r30x', model: 'R307', mode: 'single', state: 'ready' }] } } as never;
        case 'kiosk:finger.plan':
          return { ok: true, value: plan } as never;
        case 'kiosk:finger.session':
          return { ok: true, value: structuredClone(session) } as never;
        case 'kiosk:finger.image':
          return { ok: true, value: { width: 4, height: 4, pixelsBase64: btoa(String.fromCharCode(...new Array(16).fill(128))) } } as never;
        case 'kiosk:finger.capture': {
          const f = session.fingers[r.step! - 1]!;
          Object.assign(f, { state: 'captured', quality: 80, lastQuality: 80, attempts: f.attempts + 1, accepted: true, source: r.step });
          session.complete = session.fingers.every((x) => x.state !== 'pending');
          return { ok: true, value: { session: structuredClone(session), captured: [{ position: r.step, quality: 80, feedback: [], attempt: f.attempts, kept: true }] } } as never;
        }
      }
      return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: '' } } as never;
    },
    subscribe: () => () => undefined,
  };
  return { bridge, calls, session };
}

function view(patch: Partial<WorkflowView['fingers']> = {}): WorkflowView {
  return {
    id: ID, rid: '1001-0001-2026-0001', status: 'draft', rev: 1, step: 'fingers', steps: [], actions: ['fingers.bind', 'goTo'],
    errors: [], blockers: [{ key: 'workflow.block.fingersMissing', params: { positions: '1,2,3,4,5,6,7,8,9,10' } }], notices: [], operatorId: 'clerk',
    createdAt: '2026-11-23T12:00:00Z', updatedAt: '2026-11-23T12:00:00Z', consent: null,
    demographics: { values: {}, derived: { age: null, nationalNumber: null }, suggestions: {}, warnings: [] },
    face: null, fingers: { captured: [], exceptions: [], missing: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], sequenceCheck: null, ...patch },
    dedup: { state: 'not_run', ranAt: null, searched: 0, candidates: [], operatorMatch: null, adjudication: null }, approval: null, receiptAvailable: false,
  };
}

function mount(v: WorkflowView, bridge: KioskBridgeApi, acts: { channel: string; request: unknown }[]) {
  const actFn: Act = async (channel, request) => {
    acts.push({ channel, request });
    return true;
  };
  return render(
    <BridgeContext.Provider value={bridge}>
      <I18nextProvider i18n={createI18n('en')}>
        <FingersStep view={v} locale="en" busy={false} act={actFn} />
      </I18nextProvider>
    </BridgeContext.Provider>,
  );
}

describe('fingers step for the clerk', () => {
  it('with no finger: no "all done", no missing list until Continue; Continue says which fingers and sends nothing', async () => {
    const { bridge } = fake();
    const acts: { channel: string; request: unknown }[] = [];
    mount(view(), bridge, acts);
    await screen.findByTestId('finger-capture');
    expect(screen.queryByTestId('finger-complete')).toBeNull();
    expect(screen.queryByTestId('fingers-missing')).toBeNull();
    expect(screen.queryByTestId('fingers-blockers')).toBeNull();
    expect(screen.getByTestId('fingers-bound-count').textContent).toContain('0 of 10');
    fireEvent.click(screen.getByTestId('fingers-bind'));
    const alert = await screen.findByTestId('fingers-missing');
    expect(alert.getAttribute('role')).toBe('alert');
    expect(alert.textContent).toContain('Right thumb');
    expect(alert.textContent).toContain('(10)');
    expect(acts.filter((a) => a.channel === 'kiosk:workflow.fingers')).toEqual([]);
  });

  it('saves each capture to the draft, counts from the same source as "all done", shows the image, keeps the focus', async () => {
    const { bridge } = fake();
    const acts: { channel: string; request: unknown }[] = [];
    mount(view(), bridge, acts);
    const button = await screen.findByTestId('finger-capture');
    button.focus();
    await act(async () => {
      fireEvent.click(button);
    });
    await waitFor(() => expect(acts).toContainEqual({ channel: 'kiosk:workflow.fingers', request: { id: ID, save: true } }));
    expect(screen.getByTestId('fingers-bound-count').textContent).toContain('1 of 10');
    await waitFor(() => expect(document.activeElement?.getAttribute('data-testid')).toBe('finger-capture'));
    for (let i = 0; i < 9; i++) {
      await act(async () => {
        fireEvent.click(screen.getByTestId('finger-capture'));
      });
    }
    await screen.findByTestId('finger-complete');
    expect(screen.getByTestId('fingers-bound-count').textContent).toContain('10 of 10');
    expect(acts.filter((a) => (a.request as { save?: boolean }).save).length).toBe(10);
    // Focus moved to "continue" once there is nothing left to capture.
    await waitFor(() => expect(document.activeElement?.getAttribute('data-testid')).toBe('fingers-bind'));
    fireEvent.click(screen.getByTestId('finger-5'));
    await screen.findByTestId('finger-image');
    fireEvent.click(screen.getByTestId('fingers-bind'));
    await waitFor(() => expect(acts.at(-1)).toEqual({ channel: 'kiosk:workflow.fingers', request: { id: ID } }));
  });

  it('after a kiosk restart, fingers saved in the draft show as done and are not asked for again', async () => {
    const { bridge } = fake();
    const acts: { channel: string; request: unknown }[] = [];
    const saved = [1, 2, 3, 4, 5, 6].map((position) => ({ position, quality: 70, attempts: 1 }));
    mount(view({ captured: saved, missing: [7, 8, 9, 10] }), bridge, acts);
    await waitFor(() => expect(screen.getByTestId('fingers-bound-count').textContent).toContain('6 of 10'));
    await waitFor(() => expect(screen.getByTestId('finger-next').textContent).toContain('Left index'));
  });
});
