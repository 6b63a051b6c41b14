// SyncOutcomes against an in-memory bridge answering kiosk:sync.outcomes (the screen's only dependency; the real
// channel is tested in test/node/sync-service/outcomes.test.ts). Arabic and English.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncOutcomeView } from '../../main/contract/channels/sync';
import type { KioskBridgeApi, Locale } from '../../main/contract/ipc';
import { createI18n } from '../../renderer/src/i18n';
import { BridgeContext } from '../../renderer/src/kiosk-state';
import { SyncOutcomes } from '../../renderer/src/screens/SyncOutcomes';

afterEach(cleanup);

const outcomes: SyncOutcomeView[] = [
  {
    recordId: 'R1',
    rid: 'C-01.K-1.20261123.0002.4',
    kind: 'duplicate',
    action: 'review',
    reason: null,
    duplicateOf: 'C-02.K-7.20250101.0001.7',
    decidedAt: '2026-11-23T10:00:00.000Z',
    sealedAt: '2026-11-23T09:00:00.000Z',
    evidence: {
      decision: 'duplicate',
      candidateRid: 'C-02.K-7.20250101.0001.7',
      llr: 27.5,
      thresholds: { possibleLlr: 9.21, duplicateLlr: 13.82 },
      face: { score: 0.81, llr: 11.2, available: true },
      fingers: [
        { position: 2, score: 100, llr: 8, matched: true },
        { position: 7, score: null, llr: 0, matched: false },
      ],
      matchedFingers: [2],
      probeMissing: [],
    },
  },
  { recordId: 'R2', rid: null, kind: 'rejected', action: 'reenroll', reason: 'PART_NOT_JPEG:face.jpg', duplicateOf: null, decidedAt: '2026-11-23T10:05:00.000Z', sealedAt: '2026-11-23T09:05:00.000Z', evidence: null },
];

function bridgeOf(answer: () => unknown, calls: string[]): KioskBridgeApi {
  return {
    async invoke(channel) {
      calls.push(channel);
      return answer() as never;
    },
    subscribe: () => () => undefined,
  };
}

function show(locale: Locale, bridge: KioskBridgeApi) {
  const i18n = createI18n(locale);
  render(
    <I18nextProvider i18n={i18n}>
      <BridgeContext.Provider value={bridge}>
        <SyncOutcomes locale={locale} />
      </BridgeContext.Provider>
    </I18nextProvider>,
  );
}

describe('SyncOutcomes', () => {
  it('shows central duplicates with their evidence and rejections needing re-enrollment (English)', async () => {
    const calls: string[] = [];
    show('en', bridgeOf(() => ({ ok: true, value: { outcomes, counts: { duplicate: 1, rejected: 1 } } }), calls));
    await waitFor(() => expect(screen.getAllByTestId('sync-outcome')).toHaveLength(2));
    expect(calls).toEqual(['kiosk:sync.outcomes']);
    const actions = screen.getAllByTestId('outcome-action').map((e) => e.textContent);
    expect(actions[0]).toContain('C-02.K-7.20250101.0001.7');
    expect(actions[1]).toBe('Re-enrollment needed');
    expect(screen.getByTestId('outcome-evidence').textContent).toContain('similarity 0.81');
    expect(screen.getByTestId('outcome-finger-2').textContent).toContain('match');
    expect(screen.getByTestId('outcome-finger-7').textContent).toContain('not compared');
    expect(screen.getByText('PART_NOT_JPEG:face.jpg')).toBeTruthy();
    fireEvent.click(screen.getByTestId('sync-outcomes-refresh'));
    await waitFor(() => expect(calls).toHaveLength(2));
  });

  it('speaks Arabic and reports errors and an empty list', async () => {
    show('ar', bridgeOf(() => ({ ok: true, value: { outcomes: [], counts: { duplicate: 0, rejected: 0 } } }), []));
    await waitFor(() => expect(screen.getByTestId('sync-outcomes-none').textContent).toBe('لا توجد نتائج تحتاج إلى متابعة.'));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('نتائج السجل المركزي');
    cleanup();
    show('en', bridgeOf(() => ({ ok: false, error: { code: 'FORBIDDEN_ROLE', message: 'no' } }), []));
    await waitFor(() => expect(screen.getByTestId('sync-outcomes-error').textContent).toContain('FORBIDDEN_ROLE'));
  });
});
