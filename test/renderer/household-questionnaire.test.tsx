// The questionnaire step against an in-memory bridge: pages from the definition, only the questions main says are
// relevant are shown, the definition's own constraint message in the current language, a counted repeat grows to the
// number main asks for (one instance per member, named after the member), and every change is saved with the page.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it } from 'vitest';
import type { HouseholdView, QuestionnaireView } from '../../main/contract/channels/household';
import type { KioskBridgeApi } from '../../main/contract/ipc';
import { createI18n } from '../../renderer/src/i18n';
import { BridgeContext } from '../../renderer/src/kiosk-state';
import { QuestionnaireStep, questionnairePages } from '../../renderer/src/screens/household/QuestionnaireStep';
import { HOUSEHOLD_QUESTIONNAIRE } from '../helpers/household-questionnaire';

const def = JSON.parse(JSON.stringify({ ...HOUSEHOLD_QUESTIONNAIRE, hasPmt: true })) as QuestionnaireView;
const now = '2026-12-04T10:00:00.000Z';

function view(q: Partial<NonNullable<HouseholdView['questionnaire']>>): HouseholdView {
  return {
    id: '01JDAAAAAAAAAAAAAAAAAAAAAA',
    rev: 1,
    step: 'questionnaire',
    details: { address: { governorate: '24', district: '2402' }, dwelling: { type: 'rural_house' } },
    members: [{ enrollmentId: 'E1', relationship: 'head', rid: 'R1', status: 'draft', step: 'review', displayName: { ar: 'محمود عبدالله', latin: 'Mahmoud Abdallah' }, dateOfBirth: '1987-03-14', child: false }],
    operatorId: 'clerk',
    createdAt: now,
    updatedAt: now,
    childAgeYears: 5,
    questionnaire: { id: 'hh_e2e', version: '1', answers: {}, page: 0, answeredOn: '2026-12-04', complete: false, issues: [], visible: ['rooms', 'water', 'hh_size', 'assets'], values: {}, pmt: null, ...q },
    blockers: [],
  };
}

afterEach(cleanup);

describe('questionnaire step', () => {
  it('splits the definition into pages: top-level groups and repeats alone, loose questions together', () => {
    expect(questionnairePages(def.items).map((p) => p.map((i) => i.name))).toEqual([['dwelling'], ['hh_size'], ['members'], ['assets_group']]);
  });

  it('shows relevant questions only, the constraint message of the definition, grows a counted repeat and saves with the page', async () => {
    const saved: { answers: unknown; page: number }[] = [];
    let current = view({ issues: [{ path: 'rooms', question: 'rooms', code: 'CONSTRAINT', message: { ar: 'بين 1 و20 غرفة', en: 'Between 1 and 20 rooms' } }] });
    const bridge: KioskBridgeApi = {
      invoke: (async (channel: string, req: { answers: unknown; page: number }) => {
        if (channel === 'kiosk:household.saveAnswers') saved.push({ answers: req.answers, page: req.page });
        return { ok: true, value: current };
      }) as KioskBridgeApi['invoke'],
      subscribe: () => () => undefined,
    };
    const i18n = createI18n('en');
    let shown = current;
    const r = render(
      <BridgeContext.Provider value={bridge}>
        <I18nextProvider i18n={i18n}>
          <QuestionnaireStep locale="en" view={shown} definition={def} onView={(v) => (shown = v)} onFinish={() => undefined} />
        </I18nextProvider>
      </BridgeContext.Provider>,
    );
    expect(screen.queryByTestId('q-water_other')).toBeNull();
    fireEvent.change(screen.getByTestId('q-rooms'), { target: { value: '25' } });
    await waitFor(() => expect(saved.at(-1)).toEqual({ answers: { rooms: 25 }, page: 0 }));
    expect(screen.getByTestId('q-error-rooms').textContent).toBe('Between 1 and 20 rooms');

    // On the members page, main asks for 1 instance (hh_size = 1): the screen adds it, named after the member.
    current = view({ page: 2, answers: { rooms: 2, hh_size: 1 }, visible: ['rooms', 'water', 'hh_size', 'members[1].m_dob'], issues: [{ path: 'members', question: 'members', code: 'REPEAT_COUNT', message: { ar: 'يلزم 1', en: '1 entries are needed' }, expected: 1 }] });
    r.rerender(
      <BridgeContext.Provider value={bridge}>
        <I18nextProvider i18n={i18n}>
          <QuestionnaireStep key="2" locale="en" view={current} definition={def} onView={(v) => (shown = v)} onFinish={() => undefined} />
        </I18nextProvider>
      </BridgeContext.Provider>,
    );
    await waitFor(() => expect(saved.at(-1)).toEqual({ answers: { rooms: 2, hh_size: 1, members: [{}] }, page: 2 }));
    expect(screen.getByTestId('q-instance-members-1').textContent).toContain('Member 1: Mahmoud Abdallah');
    expect(screen.getByTestId('q-members[1].m_dob')).toBeTruthy();
    expect(shown).toBeTruthy();
  });
});
