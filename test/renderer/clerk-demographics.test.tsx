// Issue 17 item 10 and part of 11: the demographics step as a clerk meets it — no red fields when it opens, errors
// after a field is left, a long paste kept whole with a message, day-first dates, no check digit given away, years
// without a thousands separator, lists joined the language's own way. Checked against main's real form checker.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it } from 'vitest';
import type { KioskBridgeApi } from '../../main/contract/ipc';
import type { DemographicsCheck, FormField, LocationItem, WorkflowView } from '../../main/contract/channels/workflow';
import { compileIdSchema, type CompiledIdSchema } from '../../main/enrollment/id-schema';
import { makeEgNationalNumber } from '../../main/enrollment/egypt-national-number';
import { createI18n } from '../../renderer/src/i18n';
import { BridgeContext } from '../../renderer/src/kiosk-state';
import { DemographicsStep } from '../../renderer/src/screens/enrollment/DemographicsStep';
import { fingerList, messageText } from '../../renderer/src/screens/enrollment/messages';
import type { Act } from '../../renderer/src/screens/enrollment/act';

interface Locations {
  version: string;
  list(level: 'governorate' | 'district' | 'locality', parent?: string): LocationItem[];
}
const formModule = '../../main/workflow/form';
const masterDataModule = '../../main/workflow/master-data';
const { checkDemographics, formFields } = (await import(/* @vite-ignore */ formModule)) as {
  checkDemographics(schema: CompiledIdSchema, values: Record<string, string>, o: { today: Date; locations: Locations }): DemographicsCheck;
  formFields(schema: CompiledIdSchema): FormField[];
};
const { LocationMasterData } = (await import(/* @vite-ignore */ masterDataModule)) as { LocationMasterData: new (dataDir: string | null) => Locations };

const schema = compileIdSchema();
const fields = formFields(schema);
const locations = new LocationMasterData(null);
const today = new Date('2026-11-23T12:00:00Z');

const bridge: KioskBridgeApi = {
  async invoke(channel, request) {
    if (channel === 'kiosk:workflow.checkDemographics') return { ok: true, value: checkDemographics(schema, (request as { values: Record<string, string> }).values, { today, locations }) } as never;
    if (channel === 'kiosk:workflow.locations') {
      const r = request as { level: 'governorate' | 'district' | 'locality'; parent?: string };
      return { ok: true, value: { level: r.level, items: locations.list(r.level, r.parent), version: locations.version, source: 'bundled' } } as never;
    }
    return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: '' } } as never;
  },
  subscribe: () => () => undefined,
};

function view(): WorkflowView {
  // What main answers when the step opens on an empty draft: every required field already in `errors`.
  const opened = checkDemographics(schema, {}, { today, locations });
  return {
    id: '01JDXXXXXXXXXXXXXXXXXXXXXX', rid: '1001-0001-2026-0001', status: 'draft', rev: 1, step: 'demographics', steps: [],
    actions: ['demographics.save', 'demographics.submit', 'goTo'], errors: opened.errors, blockers: [], notices: [], operatorId: 'clerk',
    createdAt: today.toISOString(), updatedAt: today.toISOString(), consent: null,
    demographics: { values: {}, derived: { age: null, nationalNumber: null }, suggestions: {}, warnings: [] },
    face: null, fingers: { captured: [], exceptions: [], missing: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], sequenceCheck: null },
    dedup: { state: 'not_run', ranAt: null, searched: 0, candidates: [], operatorMatch: null, adjudication: null },
    approval: null, receiptAvailable: false,
  };
}

const act: Act = async () => true;
function wrap(node: ReactNode, locale: 'ar' | 'en') {
  document.documentElement.lang = locale;
  return render(
    <BridgeContext.Provider value={bridge}>
      <I18nextProvider i18n={createI18n(locale)}>{node}</I18nextProvider>
    </BridgeContext.Provider>,
  );
}
afterEach(cleanup);

describe('demographics as a clerk meets it', () => {
  it('opens with no field in error; a required field shows red only once it is left empty', async () => {
    wrap(<DemographicsStep view={view()} fields={fields} locale="en" busy={false} act={act} />, 'en');
    expect(document.querySelectorAll('[aria-invalid="true"]').length).toBe(0);
    expect(screen.queryByTestId('demo-err-givenNameAr')).toBeNull();
    const input = screen.getByTestId('demo-givenNameAr');
    fireEvent.focus(input);
    fireEvent.blur(input);
    await waitFor(() => expect(screen.getByTestId('demo-err-givenNameAr').textContent).toBe('This field is required'));
    expect(screen.queryByTestId('demo-err-familyNameAr')).toBeNull();
  });

  it('keeps a 250-character paste whole and says it is too long; refuses digits in a name', async () => {
    wrap(<DemographicsStep view={view()} fields={fields} locale="en" busy={false} act={act} />, 'en');
    const input = screen.getByTestId('demo-givenNameAr') as HTMLInputElement;
    expect(input.hasAttribute('maxlength')).toBe(false);
    fireEvent.change(input, { target: { value: 'ب'.repeat(250) } });
    expect(input.value.length).toBe(250);
    await waitFor(() => expect(screen.getByTestId('demo-err-givenNameAr').textContent).toBe('At most 60 characters (this has 250): shorten it — nothing was cut off'));
    fireEvent.change(input, { target: { value: 'محمد٣' } });
    await waitFor(() => expect(screen.getByTestId('demo-err-givenNameAr').textContent).toBe('A name has no digits'));
  });

  it('accepts ٢١/٥/١٩٩٠ (day first, Arabic-Indic digits) and shows the age', async () => {
    wrap(<DemographicsStep view={view()} fields={fields} locale="ar" busy={false} act={act} />, 'ar');
    const date = screen.getByTestId('demo-dateOfBirth') as HTMLInputElement;
    expect(date.placeholder).toBe('يوم/شهر/سنة');
    fireEvent.change(date, { target: { value: '٢١/٥/١٩٩٠' } });
    fireEvent.blur(date);
    await waitFor(() => expect(screen.getByText(/العمر/)).toBeTruthy());
    expect(screen.queryByTestId('demo-err-dateOfBirth')).toBeNull();
  });

  it('a wrong check digit is explained without the expected digit', async () => {
    wrap(<DemographicsStep view={view()} fields={fields} locale="en" busy={false} act={act} />, 'en');
    const nn = makeEgNationalNumber('1987-03-14', '01', 'M', 17);
    const wrong = nn.slice(0, 13) + String((Number(nn[13]) + 1) % 10);
    fireEvent.change(screen.getByTestId('demo-nationalNumber'), { target: { value: wrong } });
    await waitFor(() => expect(screen.getByTestId('demo-err-nationalNumber').textContent).toContain('check digit'));
    expect(screen.getByTestId('demo-err-nationalNumber').textContent).not.toMatch(/expected|\d/);
  });
});

describe('numbers and lists in each language', () => {
  it('writes years without a thousands separator', () => {
    const ar = createI18n('ar');
    const text = messageText({ key: 'workflow.date.tooOld', params: { minYear: 1900 } }, ar.t, 'ar', (k) => ar.exists(k));
    expect(text).toContain('١٩٠٠');
    expect(text).not.toContain('٬');
    const en = createI18n('en');
    expect(messageText({ key: 'workflow.date.tooOld', params: { minYear: 1900 } }, en.t, 'en', (k) => en.exists(k))).toBe('The year must be 1900 or later');
  });
  it('joins lists with the language\'s own conjunction (no Arabic comma in English)', () => {
    const en = createI18n('en');
    const english = fingerList('1,2,3', en.t, 'en');
    expect(english).not.toContain('،');
    expect(english).toMatch(/, .* and /);
    const ar = createI18n('ar');
    expect(fingerList('1,2,3', ar.t, 'ar')).toContain(' و');
  });
});
