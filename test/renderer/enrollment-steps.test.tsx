// The wizard's step screens against an in-memory bridge. The demographics check answers with main's real form
// generator and checker (main/workflow/form.ts over the default ID schema and the bundled master data), so the
// screen is tested against the messages main really returns.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KioskBridgeApi } from '../../main/contract/ipc';
import type { WorkflowView } from '../../main/contract/channels/workflow';
import type { DemographicsCheck, FormField, LocationItem } from '../../main/contract/channels/workflow';
import { compileIdSchema, type CompiledIdSchema } from '../../main/enrollment/id-schema';
import { makeEgNationalNumber } from '../../main/enrollment/egypt-national-number';
import { createI18n } from '../../renderer/src/i18n';
import { BridgeContext } from '../../renderer/src/kiosk-state';
import { ConsentStep } from '../../renderer/src/screens/enrollment/ConsentStep';
import { DedupStep } from '../../renderer/src/screens/enrollment/DedupStep';
import { DemographicsStep } from '../../renderer/src/screens/enrollment/DemographicsStep';
import { Stepper } from '../../renderer/src/screens/enrollment/Stepper';
import type { Act } from '../../renderer/src/screens/enrollment/act';

// main/workflow/form.ts and master-data.ts use Node modules, which the renderer's type program does not know:
// they are loaded by path at run time (vitest runs them) and typed here by what the test uses.
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

function bridgeDouble() {
  const calls: { channel: string; request: unknown }[] = [];
  const bridge: KioskBridgeApi = {
    async invoke(channel, request) {
      calls.push({ channel, request });
      if (channel === 'kiosk:workflow.checkDemographics') {
        return { ok: true, value: checkDemographics(schema, (request as { values: Record<string, string> }).values, { today, locations }) } as never;
      }
      if (channel === 'kiosk:workflow.locations') {
        const r = request as { level: 'governorate' | 'district' | 'locality'; parent?: string };
        return { ok: true, value: { level: r.level, items: locations.list(r.level, r.parent), version: locations.version, source: 'bundled' } } as never;
      }
      return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: '' } } as never;
    },
    subscribe: () => () => undefined,
  };
  return { bridge, calls };
}

function view(patch: Partial<WorkflowView> = {}): WorkflowView {
  return {
    id: '01JDXXXXXXXXXXXXXXXXXXXXXX',
    rid: '1001-0001-2026-0001',
    status: 'draft',
    rev: 1,
    step: 'demographics',
    steps: [],
    actions: ['demographics.save', 'demographics.submit', 'goTo'],
    errors: [],
    blockers: [],
    notices: [],
    operatorId: 'clerk',
    createdAt: today.toISOString(),
    updatedAt: today.toISOString(),
    consent: null,
    demographics: { values: {}, derived: { age: null, nationalNumber: null }, suggestions: {}, warnings: [] },
    face: null,
    fingers: { captured: [], exceptions: [], missing: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], sequenceCheck: null },
    dedup: { state: 'not_run', ranAt: null, searched: 0, candidates: [], operatorMatch: null, adjudication: null },
    approval: null,
    receiptAvailable: false,
    ...patch,
  };
}

function wrap(node: ReactNode, bridge: KioskBridgeApi, locale: 'ar' | 'en' = 'ar') {
  return render(
    <BridgeContext.Provider value={bridge}>
      <I18nextProvider i18n={createI18n(locale)}>{node}</I18nextProvider>
    </BridgeContext.Provider>,
  );
}

afterEach(cleanup);

describe('consent step', () => {
  it('needs agreement and a method, then sends the method; focus lands on its heading', () => {
    const onAccept = vi.fn();
    wrap(<ConsentStep text={'الفقرة الأولى\n\nالفقرة الثانية'} version="eg-consent-2026.1" accepted={null} busy={false} onAccept={onAccept} />, bridgeDouble().bridge);
    expect(document.activeElement?.id).toBe('consent-title');
    fireEvent.click(screen.getByTestId('consent-next'));
    expect(screen.getByTestId('consent-error').textContent).toBe('أكّد موافقة الشخص قبل المتابعة');
    fireEvent.click(screen.getByTestId('consent-agree'));
    fireEvent.click(screen.getByTestId('consent-next'));
    expect(screen.getByTestId('consent-error').textContent).toBe('اختر طريقة الموافقة');
    fireEvent.click(screen.getByTestId('consent-method-thumbprint'));
    fireEvent.click(screen.getByTestId('consent-next'));
    expect(onAccept).toHaveBeenCalledWith('thumbprint');
    expect(screen.getByTestId('consent-version').textContent).toContain('eg-consent-2026.1');
  });
});

describe('demographics step', () => {
  it('is generated from the ID schema, suggests Latin names, accepts Arabic-Indic digits and explains errors in Arabic', async () => {
    const { bridge, calls } = bridgeDouble();
    const acts: { channel: string; request: unknown }[] = [];
    const actFn: Act = async (channel, request) => {
      acts.push({ channel, request });
      return true;
    };
    wrap(<DemographicsStep view={view()} fields={fields} locale="ar" busy={false} act={actFn} />, bridge);
    for (const f of fields) expect(screen.getByTestId(f.type === 'enum' ? `demo-${f.name}-${f.values![0]}` : `demo-${f.name}`)).toBeTruthy();
    expect(document.activeElement?.id).toBe('demographics-title');

    fireEvent.change(screen.getByTestId('demo-givenNameAr'), { target: { value: 'محمد' } });
    await waitFor(() => expect((screen.getByTestId('demo-givenNameLatin') as HTMLInputElement).value).toBe('Mohamed'));

    // Arabic-Indic digits are normalised before they are checked and saved.
    const nn = makeEgNationalNumber('1987-03-14', '01', 'M', 17);
    const indic = nn.replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d)));
    fireEvent.change(screen.getByTestId('demo-nationalNumber'), { target: { value: indic } });
    await waitFor(() => expect(screen.getByTestId('demo-nn-decoded').textContent).toContain('ذكر'));
    const last = calls.filter((c) => c.channel === 'kiosk:workflow.checkDemographics').at(-1)!.request as { values: Record<string, string> };
    expect(last.values.nationalNumber).toBe(nn);

    // A wrong check digit is explained, in Arabic, next to the field.
    const wrong = nn.slice(0, 13) + String((Number(nn[13]) + 1) % 10);
    fireEvent.change(screen.getByTestId('demo-nationalNumber'), { target: { value: wrong } });
    await waitFor(() => expect(screen.getByTestId('demo-err-nationalNumber').textContent).toContain('رقم التحقق'));
    expect(screen.getByTestId('demo-nationalNumber').getAttribute('aria-invalid')).toBe('true');

    // Date of birth in the future.
    fireEvent.change(screen.getByTestId('demo-dateOfBirth'), { target: { value: '٢٩٩٩-٠١-٠١' } });
    await waitFor(() => expect(screen.getByTestId('demo-err-dateOfBirth').textContent).toBe('لا يمكن أن يكون تاريخ الميلاد في المستقبل'));

    // Sex disagreeing with the national number.
    fireEvent.change(screen.getByTestId('demo-nationalNumber'), { target: { value: nn } });
    fireEvent.change(screen.getByTestId('demo-dateOfBirth'), { target: { value: '1987-03-14' } });
    fireEvent.click(screen.getByTestId('demo-sex-F'));
    await waitFor(() => expect(document.body.textContent).toContain('الرقم القومي يدل على ذكر لكن النموذج يقول أنثى'));

    // Location pickers: districts appear once a governorate is chosen.
    fireEvent.change(screen.getByTestId('demo-governorateCode'), { target: { value: '01' } });
    await waitFor(() => expect((screen.getByTestId('demo-districtCode') as HTMLSelectElement).options.length).toBeGreaterThan(1));

    // Next sends everything typed, with submit.
    fireEvent.click(screen.getByTestId('demo-next'));
    await waitFor(() => expect(acts.some((a) => a.channel === 'kiosk:workflow.demographics' && (a.request as { submit: boolean }).submit)).toBe(true));
  });

  it('moves focus to the first field main reports in error after Next', async () => {
    const { bridge } = bridgeDouble();
    const current = { v: view() };
    let rerender: (v: WorkflowView) => void = () => undefined;
    const actFn: Act = async () => {
      current.v = view({ rev: 2, errors: [{ field: 'dateOfBirth', key: 'workflow.date.future', params: {} }] });
      rerender(current.v);
      return true;
    };
    const r = wrap(<DemographicsStep view={current.v} fields={fields} locale="en" busy={false} act={actFn} />, bridge, 'en');
    rerender = (v) =>
      r.rerender(
        <BridgeContext.Provider value={bridge}>
          <I18nextProvider i18n={createI18n('en')}>
            <DemographicsStep view={v} fields={fields} locale="en" busy={false} act={actFn} />
          </I18nextProvider>
        </BridgeContext.Provider>,
      );
    await act(async () => {
      fireEvent.click(screen.getByTestId('demo-next'));
    });
    await waitFor(() => expect(document.activeElement?.id).toBe('field-dateOfBirth'));
    expect(screen.getByTestId('demo-err-dateOfBirth').textContent).toBe('The date of birth cannot be in the future');
    expect(screen.getByTestId('demo-summary').textContent).toBe('Fields that need attention: 1');
  });
});

describe('dedup step', () => {
  const candidate = {
    id: 'c1',
    source: 'local' as const,
    decision: 'possible_duplicate' as const,
    llr: 14.2,
    faceScore: 0.91,
    matchedFingers: [2, 7],
    fingerScores: [
      { position: 2, score: 61, matched: true },
      { position: 7, score: 55, matched: true },
    ],
    rid: '1001-0001-2026-0007',
    status: 'sealed' as const,
    photoBase64: null,
    displayName: null,
  };

  it('shows the match side by side, flags an operator match, and needs a supervisor decision', async () => {
    const acts: { channel: string; request: unknown }[] = [];
    const actFn: Act = async (channel, request) => {
      acts.push({ channel, request });
      return true;
    };
    const v = view({
      step: 'dedup',
      actions: ['dedup.run', 'dedup.adjudicate', 'goTo'],
      blockers: [{ key: 'workflow.block.possibleDuplicate', params: { count: 1 } }],
      dedup: { state: 'possible_duplicate', ranAt: today.toISOString(), searched: 12, candidates: [candidate], operatorMatch: { operatorId: 'clerk2', signedIn: false, decision: 'possible_duplicate', llr: 9 }, adjudication: null },
    });
    wrap(<DedupStep view={v} locale="en" busy={false} act={actFn} />, bridgeDouble().bridge, 'en');
    expect(screen.getByTestId('dedup-candidate').getAttribute('data-rid')).toBe('1001-0001-2026-0007');
    expect(screen.getByTestId('dedup-matched-fingers').textContent).toBe('Matching fingers: Right index and Left index');
    expect(screen.getByTestId('dedup-operator-match').textContent).toContain('clerk2');
    expect(screen.getByTestId('dedup-blockers').textContent).toBe('Possible duplicates: 1 — a supervisor must decide');
    expect(screen.queryByTestId('dedup-next')).toBeNull();
    fireEvent.change(screen.getByTestId('adjudicate-operator'), { target: { value: 'supervisor' } });
    fireEvent.change(screen.getByTestId('adjudicate-pin'), { target: { value: '٢٢٢٢' } });
    fireEvent.change(screen.getByTestId('adjudicate-reason'), { target: { value: 'documents differ' } });
    fireEvent.click(screen.getByTestId('adjudicate-submit'));
    expect(screen.getByTestId('adjudicate-error')).toBeTruthy();
    expect(acts).toHaveLength(0);
    fireEvent.click(screen.getByTestId('adjudicate-not_duplicate'));
    fireEvent.click(screen.getByTestId('adjudicate-submit'));
    expect(acts[0]).toEqual({
      channel: 'kiosk:workflow.adjudicate',
      request: { id: v.id, supervisor: { operatorId: 'supervisor', pin: '2222' }, decision: 'not_duplicate', reason: 'documents differ' },
    });
  });
});

describe('stepper', () => {
  it('lets the clerk go back to reached steps only, and marks the current one', () => {
    const onGo = vi.fn();
    wrap(
      <Stepper
        steps={[
          { id: 'consent', reachable: true, done: true },
          { id: 'demographics', reachable: true, done: false },
          { id: 'face', reachable: false, done: false },
        ]}
        current="demographics"
        locale="ar"
        onGo={onGo}
      />,
      bridgeDouble().bridge,
    );
    expect(screen.getByTestId('step-demographics').getAttribute('aria-current')).toBe('step');
    expect((screen.getByTestId('step-face') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId('step-consent'));
    expect(onGo).toHaveBeenCalledWith('consent');
    expect(screen.getByTestId('step-face').textContent).toContain('٣');
  });
});
