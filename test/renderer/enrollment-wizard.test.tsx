// The wizard inside the frame against an in-memory core: a clerk with an open draft lands on its step after signing
// in, the stepper goes back with kiosk:workflow.goTo, and the core's refusals are shown in the current language.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelName, KioskBridgeApi } from '../../main/contract/ipc';
import type { FormDefinition, HistoryItem, WorkflowStep, WorkflowView } from '../../main/contract/channels/workflow';
import { WORKFLOW_STEPS } from '../../main/contract/channels/workflow';
import { App } from '../../renderer/src/App';

const ID = '01JDAAAAAAAAAAAAAAAAAAAAAA';
const now = '2026-11-23T12:00:00.000Z';

function viewAt(step: WorkflowStep, patch: Partial<WorkflowView> = {}): WorkflowView {
  const at = WORKFLOW_STEPS.indexOf(step);
  return {
    id: ID,
    rid: 'C-DEMO.K-DEMO-01.20261123.000001.08',
    status: 'draft',
    rev: 3,
    step,
    steps: WORKFLOW_STEPS.map((s, i) => ({ step: s, state: i < at ? 'done' : i === at ? 'current' : 'pending', canGoTo: i <= at })),
    actions: ['goTo', 'abandon'],
    errors: [],
    blockers: [],
    notices: [],
    operatorId: 'clerk',
    createdAt: now,
    updatedAt: now,
    consent: { language: 'ar', textVersion: 'eg-consent-2026.1', method: 'verbal', acceptedAt: now },
    demographics: { values: { givenNameAr: 'محمد' }, derived: { age: null, nationalNumber: null }, suggestions: {}, warnings: [] },
    face: null,
    fingers: { captured: [], exceptions: [], missing: [], sequenceCheck: null },
    dedup: { state: 'clear', ranAt: now, searched: 3, candidates: [], operatorMatch: null, adjudication: null },
    approval: null,
    receiptAvailable: false,
    ...patch,
  };
}

const form: FormDefinition = {
  idSchema: { id: 'eg-civil-v1', version: 1 },
  fields: [{ name: 'givenNameAr', type: 'text', required: true, labelKey: 'workflow.form.givenNameAr', group: 'name', script: 'arabic', inputMode: 'text' }],
  consent: { texts: [{ language: 'ar', version: 'eg-consent-2026.1', title: 'الموافقة', body: 'نص الموافقة' }], methods: ['signed_paper', 'verbal', 'thumbprint'] },
  fingers: { positions: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], maxAttempts: 3 },
  steps: [...WORKFLOW_STEPS],
};

function core(initial: WorkflowView) {
  let view = initial;
  const calls: { channel: string; request: unknown }[] = [];
  const draft: HistoryItem = {
    id: ID,
    rid: initial.rid,
    status: 'draft',
    step: initial.step,
    createdAt: now,
    updatedAt: now,
    operatorId: 'clerk',
    supervisorId: null,
    displayName: { ar: 'محمد', latin: null },
    receiptAvailable: false,
    flags: { operatorMatch: false, faceOverride: false, exceptions: 0, possibleDuplicate: false },
  };
  const ok = (value: unknown) => ({ ok: true, value }) as never;
  const answers: Partial<Record<ChannelName, (req: never) => unknown>> = {
    'kiosk:app.info': () => ok({ name: 'k', version: '1', kioskId: 'K-TEST-01', centreId: 'C-1', demo: true, shell: 'browser', defaultLocale: 'ar' }),
    'kiosk:settings.get': () => ok({ locale: 'ar', cameraDeviceId: null }),
    'kiosk:home.summary': () => ok({ counts: null, devices: [], sync: { online: true, state: 'idle', backlog: 0, lastSuccessAt: null } }),
    'kiosk:auth.session': () => ok({ session: null }),
    'kiosk:auth.signIn': () => ok({ operatorId: 'clerk', role: 'clerk', signedInAt: now, idleTimeoutSeconds: 300, pinChangeRequired: false }),
    'kiosk:workflow.drafts': () => ok({ items: [draft] }),
    'kiosk:workflow.formDefinition': () => ok(form),
    'kiosk:workflow.get': () => ok(view),
    'kiosk:workflow.locations': () => ok({ level: 'governorate', items: [], version: 'x', source: 'bundled' }),
    'kiosk:workflow.goTo': (req: { step: WorkflowStep }) => {
      view = viewAt(req.step, { rev: view.rev + 1 });
      return ok(view);
    },
    'kiosk:workflow.abandon': () => ok({ id: ID, status: 'purged' }),
    'kiosk:workflow.approve': () => ({ ok: false, error: { code: 'UNAUTHORIZED', message: 'bad_credentials' } }) as never,
  };
  const bridge: KioskBridgeApi = {
    async invoke(channel, request) {
      calls.push({ channel, request });
      const answer = answers[channel];
      return answer ? (answer(request as never) as never) : ({ ok: false, error: { code: 'UNKNOWN_CHANNEL', message: '' } } as never);
    },
    subscribe: () => () => undefined,
  };
  return { bridge, calls };
}

async function signInAsClerk() {
  fireEvent.change(await screen.findByTestId('signin-operator'), { target: { value: 'clerk' } });
  fireEvent.change(screen.getByTestId('signin-pin'), { target: { value: '1111' } });
  fireEvent.click(screen.getByTestId('signin-submit'));
}

afterEach(cleanup);

describe('enrollment wizard in the frame', () => {
  it('lands a clerk with an open draft on its step, and goes back with the stepper', async () => {
    const { bridge, calls } = core(viewAt('review'));
    render(<App bridge={bridge} />);
    await signInAsClerk();
    await waitFor(() => expect(screen.getByTestId('wizard').getAttribute('data-step')).toBe('review'));
    expect(calls.find((c) => c.channel === 'kiosk:workflow.get')?.request).toEqual({ id: ID });
    // Focus is on the step's heading, so the clerk (and a screen reader) starts at the top of the step.
    await waitFor(() => expect(document.activeElement?.id).toBe('review-title'));
    expect(screen.getByTestId('step-review').getAttribute('aria-current')).toBe('step');
    expect((screen.getByTestId('step-approval') as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(screen.getByTestId('step-consent'));
    await waitFor(() => expect(screen.getByTestId('wizard').getAttribute('data-step')).toBe('consent'));
    expect(calls.find((c) => c.channel === 'kiosk:workflow.goTo')?.request).toEqual({ id: ID, step: 'consent' });
    expect(screen.getByTestId('consent-text').textContent).toBe('نص الموافقة');
    await waitFor(() => expect(document.activeElement?.id).toBe('consent-title'));

    // The person left: the draft is abandoned with a reason, and the clerk is back home.
    fireEvent.click(screen.getByTestId('wizard-abandon'));
    fireEvent.change(screen.getByTestId('wizard-abandon-reason'), { target: { value: 'غادر الشخص' } });
    fireEvent.click(screen.getByTestId('wizard-abandon-confirm'));
    await waitFor(() => expect(screen.queryByTestId('wizard')).toBeNull());
    expect(calls.find((c) => c.channel === 'kiosk:workflow.abandon')?.request).toEqual({ id: ID, reason: 'غادر الشخص' });
  });

  it('shows the core refusing a wrong supervisor PIN in Arabic, and keeps the enrollment where it was', async () => {
    const { bridge, calls } = core(viewAt('approval', { status: 'pending_approval' }));
    render(<App bridge={bridge} />);
    await signInAsClerk();
    await waitFor(() => expect(screen.getByTestId('wizard').getAttribute('data-step')).toBe('approval'));
    fireEvent.change(screen.getByTestId('approve-operator'), { target: { value: 'supervisor' } });
    fireEvent.change(screen.getByTestId('approve-pin'), { target: { value: '٩٩٩٩' } });
    fireEvent.click(screen.getByTestId('approve-submit'));
    expect((await screen.findByTestId('wizard-error')).textContent).toBe('رقم المشرف أو الرقم السري غير صحيح');
    expect(calls.find((c) => c.channel === 'kiosk:workflow.approve')?.request).toEqual({ id: ID, supervisor: { operatorId: 'supervisor', pin: '9999' } });
    expect(screen.getByTestId('wizard').getAttribute('data-step')).toBe('approval');
  });
});
