// Issue 17 item 13: while an action runs (approving and sealing take seconds) the wizard shows a busy sign that stays
// in view whatever the scroll position (a fixed overlay), and marks itself aria-busy; it goes when the answer comes.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it } from 'vitest';
import type { KioskBridgeApi } from '../../main/contract/ipc';
import type { FormDefinition, WorkflowView } from '../../main/contract/channels/workflow';
import { WORKFLOW_STEPS } from '../../main/contract/channels/workflow';
import { createI18n } from '../../renderer/src/i18n';
import { BridgeContext } from '../../renderer/src/kiosk-state';
import { EnrollmentWizard } from '../../renderer/src/screens/enrollment/EnrollmentWizard';

afterEach(cleanup);
const ID = '01JDAAAAAAAAAAAAAAAAAAAAAA';
const now = '2026-11-23T12:00:00.000Z';
const review: WorkflowView = {
  id: ID, rid: 'C-DEMO.K-DEMO-01.20261123.000001.08', status: 'draft', rev: 3, step: 'review',
  steps: WORKFLOW_STEPS.map((s, i) => ({ step: s, state: i < 5 ? 'done' : i === 5 ? 'current' : 'pending', canGoTo: i <= 5 })),
  actions: ['goTo', 'review.confirm'], errors: [], blockers: [], notices: [], operatorId: 'clerk', createdAt: now, updatedAt: now,
  consent: { language: 'ar', textVersion: 'eg-consent-2026.1', method: 'verbal', acceptedAt: now },
  demographics: { values: {}, derived: { age: null, nationalNumber: null }, suggestions: {}, warnings: [] }, face: null,
  fingers: { captured: [], exceptions: [], missing: [], sequenceCheck: null },
  dedup: { state: 'clear', ranAt: now, searched: 3, candidates: [], operatorMatch: null, adjudication: null }, approval: null, receiptAvailable: false,
};
const form: FormDefinition = {
  idSchema: { id: 'eg-civil-v1', version: 1 },
  fields: [],
  consent: { texts: [{ language: 'ar', version: 'eg-consent-2026.1', title: 'الموافقة', body: 'نص' }], methods: ['signed_paper', 'verbal', 'thumbprint'] },
  fingers: { positions: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], maxAttempts: 3 },
  steps: [...WORKFLOW_STEPS],
};

describe('busy sign', () => {
  it('shows a fixed busy overlay while the action runs, and removes it after', async () => {
    let release: (() => void) | null = null;
    const bridge: KioskBridgeApi = {
      async invoke(channel) {
        if (channel === 'kiosk:workflow.formDefinition') return { ok: true, value: form } as never;
        if (channel === 'kiosk:workflow.get') return { ok: true, value: review } as never;
        if (channel === 'kiosk:workflow.confirm') {
          await new Promise<void>((r) => (release = r));
          return { ok: true, value: { ...review, rev: 4, step: 'approval', status: 'pending_approval' } } as never;
        }
        return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: '' } } as never;
      },
      subscribe: () => () => undefined,
    };
    render(
      <BridgeContext.Provider value={bridge}>
        <I18nextProvider i18n={createI18n('ar')}>
          <EnrollmentWizard locale="ar" session={{ operatorId: 'clerk', role: 'clerk', signedInAt: now, idleTimeoutSeconds: 300 }} enrollmentId={ID} cameraDeviceId={null} onExit={() => undefined} />
        </I18nextProvider>
      </BridgeContext.Provider>,
    );
    fireEvent.click(await screen.findByTestId('review-confirm'));
    const overlay = await screen.findByTestId('wizard-busy-overlay');
    expect(overlay.className).toContain('busy-overlay');
    expect(screen.getByTestId('wizard').getAttribute('aria-busy')).toBe('true');
    await act(async () => release?.());
    await waitFor(() => expect(screen.queryByTestId('wizard-busy-overlay')).toBeNull());
    expect(screen.getByTestId('wizard').getAttribute('aria-busy')).toBeNull();
  });
});
