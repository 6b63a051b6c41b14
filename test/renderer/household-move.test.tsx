// Moving a household member from the members step against an in-memory bridge: only non-heads can be moved, the
// destination must be chosen, the supervisor's ID, PIN and reason go to main in one typed request, a refusal from
// main is shown in the clerk's language, and after the move the member list is main's answer.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it } from 'vitest';
import type { HouseholdListItem, HouseholdView } from '../../main/contract/channels/household';
import type { KioskBridgeApi } from '../../main/contract/ipc';
import { createI18n } from '../../renderer/src/i18n';
import { BridgeContext } from '../../renderer/src/kiosk-state';
import { HouseholdScreen } from '../../renderer/src/screens/household/HouseholdScreen';

const now = '2026-12-04T10:00:00.000Z';
const FROM = '01JDAAAAAAAAAAAAAAAAAAAAAA';
const TO = '01JDBBBBBBBBBBBBBBBBBBBBBB';
const head = { enrollmentId: 'E1', relationship: 'head' as const, rid: 'R1', status: 'draft' as const, step: 'review' as const, displayName: { ar: 'محمود عبدالله', latin: 'Mahmoud Abdallah' }, dateOfBirth: '1987-03-14', child: false };
const child = { enrollmentId: 'E2', relationship: 'child' as const, rid: 'R2', status: 'draft' as const, step: 'demographics' as const, displayName: { ar: 'سارة محمود', latin: 'Sara Mahmoud' }, dateOfBirth: '2015-01-02', child: false };

function view(members: HouseholdView['members']): HouseholdView {
  return {
    id: FROM,
    rev: 1,
    step: 'members',
    details: { address: { governorate: '24', district: '2402' }, dwelling: { type: 'rural_house' } },
    members,
    operatorId: 'clerk',
    createdAt: now,
    updatedAt: now,
    childAgeYears: 5,
    questionnaire: null,
    blockers: [],
  };
}
const item = (id: string, ar: string): HouseholdListItem => ({ id, step: 'members', governorate: '24', district: '2402', members: 1, headName: { ar, latin: null }, operatorId: 'clerk', updatedAt: now, complete: false });

afterEach(cleanup);

describe('moving a household member', () => {
  it('asks for the destination, relationship, supervisor and reason, shows a refusal and then main’s member list', async () => {
    const moves: unknown[] = [];
    let refuse = true;
    const bridge: KioskBridgeApi = {
      invoke: (async (channel: string, req: Record<string, unknown>) => {
        if (channel === 'kiosk:household.config') return { ok: true, value: { questionnaire: null, childAgeYears: 5 } };
        if (channel === 'kiosk:household.get') return { ok: true, value: view([head, child]) };
        if (channel === 'kiosk:household.list') return { ok: true, value: { items: [item(FROM, 'محمود عبدالله'), item(TO, 'علي حسن')] } };
        if (channel === 'kiosk:household.moveMember') {
          moves.push(req);
          if (refuse) {
            refuse = false;
            return { ok: false, error: { code: 'SUPERVISOR_REQUIRED', message: 'clerk is not a supervisor' } };
          }
          return { ok: true, value: view([head]) };
        }
        return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: channel } };
      }) as KioskBridgeApi['invoke'],
      subscribe: () => () => undefined,
    };
    render(
      <BridgeContext.Provider value={bridge}>
        <I18nextProvider i18n={createI18n('ar')}>
          <HouseholdScreen locale="ar" householdId={FROM} onOpened={() => undefined} onOpenMember={() => undefined} onExit={() => undefined} />
        </I18nextProvider>
      </BridgeContext.Provider>,
    );
    await screen.findByTestId('hh-member-1');
    // The head has no move button; the child has one, a disclosure.
    expect(screen.queryByTestId('hh-member-0-move')).toBeNull();
    const open = screen.getByTestId('hh-member-1-move');
    expect(open.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(open);
    expect(open.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByTestId('hh-move-panel').textContent).toContain('النقل إلى أسرة أخرى');
    // The current household is not offered as a destination.
    await waitFor(() => expect(screen.getByTestId('hh-move-to').querySelectorAll('option')).toHaveLength(2));
    expect(screen.getByTestId('hh-move-to').textContent).toContain('علي حسن');
    expect(screen.getByTestId('hh-move-to').textContent).not.toContain('محمود عبدالله');

    fireEvent.change(screen.getByTestId('hh-move-operator'), { target: { value: 'supervisor' } });
    fireEvent.change(screen.getByTestId('hh-move-pin'), { target: { value: '٢٢٢٢' } });
    fireEvent.change(screen.getByTestId('hh-move-reason'), { target: { value: 'تسكن مع جدّيها الآن' } });
    fireEvent.click(screen.getByTestId('hh-move-submit'));
    // No destination chosen: nothing sent.
    expect(screen.getByTestId('hh-move-error').textContent).toBe('اختر الأسرة المنقول إليها');
    expect(moves).toHaveLength(0);

    fireEvent.change(screen.getByTestId('hh-move-to'), { target: { value: TO } });
    fireEvent.change(screen.getByTestId('hh-move-relationship'), { target: { value: 'other' } });
    fireEvent.click(screen.getByTestId('hh-move-submit'));
    await waitFor(() => expect(screen.getByTestId('household-error').textContent).toContain('لا يوافق على هذا إلا مشرف'));
    expect(moves[0]).toEqual({ id: FROM, enrollmentId: 'E2', toHouseholdId: TO, relationship: 'other', reason: 'تسكن مع جدّيها الآن', supervisor: { operatorId: 'supervisor', pin: '2222' } });
    expect(screen.getByTestId('hh-member-1')).toBeTruthy();

    fireEvent.change(screen.getByTestId('hh-move-pin'), { target: { value: '2222' } });
    fireEvent.click(screen.getByTestId('hh-move-submit'));
    await waitFor(() => expect(screen.queryByTestId('hh-member-1')).toBeNull());
    expect(moves).toHaveLength(2);
    expect(screen.queryByTestId('hh-move-panel')).toBeNull();
    expect(screen.getByTestId('household-notice').textContent).toContain('سجل التدقيق');
  });
});
