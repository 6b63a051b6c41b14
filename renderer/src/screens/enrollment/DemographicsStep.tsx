// Personal data: a form generated from the ID schema (kiosk:workflow.formDefinition). Each change is checked in main
// (kiosk:workflow.checkDemographics: inline errors, age, what the national number encodes, Latin spelling
// suggestions) and saved to the draft shortly after typing stops, so nothing typed is lost on a power cut.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../../main/contract/ipc';
import type { DemographicsCheck, FieldError, FormField, LocationItem, WorkflowView } from '../../../../main/contract/channels/workflow';
import { formatNumber, normalizeDigits } from '../../format';
import { useBridge } from '../../kiosk-state';
import type { Act } from './act';
import { formatIsoDate, messageText } from './messages';
import { measureFrom } from './perf';
import { useStepHeading } from './useStepHeading';

const SAVE_AFTER_MS = 400;
const GROUPS = ['name', 'birth', 'identity', 'contact', 'address'] as const;
const DIGIT_TYPES = new Set(['digits', 'date', 'phone']);
// Errors that only mean "not finished yet" wait until the field is left (or "Next"); anything else wrong with what was
// typed shows while typing. No maxLength on the inputs: a long paste is kept whole and the tooLong error says so.
const UNFINISHED = new Set(['workflow.field.required', 'workflow.field.tooShort', 'workflow.field.length', 'workflow.nn.length', 'workflow.date.invalid', 'workflow.phone.invalid']);

type Check = Pick<DemographicsCheck, 'errors' | 'warnings' | 'derived' | 'suggestions'>;

export interface DemographicsStepProps {
  view: WorkflowView;
  fields: FormField[];
  locale: Locale;
  busy: boolean;
  act: Act;
}

function LocationSelect({
  field,
  parentCode,
  value,
  locale,
  invalid,
  describedBy,
  onChange,
}: {
  field: FormField;
  parentCode: string | null;
  value: string;
  locale: Locale;
  invalid: boolean;
  describedBy: string | undefined;
  onChange: (v: string) => void;
}) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const [items, setItems] = useState<LocationItem[]>([]);
  const level = field.location!.level;
  const needsParent = field.location!.parentField !== null;
  useEffect(() => {
    let live = true;
    if (needsParent && !parentCode) {
      setItems([]);
      return;
    }
    void bridge.invoke('kiosk:workflow.locations', { level, ...(parentCode ? { parent: parentCode } : {}) }).then((e) => {
      if (live && e.ok) setItems(e.value.items);
    });
    return () => {
      live = false;
    };
  }, [bridge, level, parentCode, needsParent]);
  return (
    <select
      id={`field-${field.name}`}
      data-testid={`demo-${field.name}`}
      value={value}
      disabled={needsParent && !parentCode}
      aria-invalid={invalid}
      aria-describedby={describedBy}
      aria-required={field.required}
      onChange={(e) => onChange(e.target.value)}
    >
      <option value="">{t('enrollment.demographics.choose')}</option>
      {items.map((i) => (
        <option key={i.code} value={i.code}>
          {locale === 'ar' ? i.nameAr : i.nameEn}
        </option>
      ))}
    </select>
  );
}

export function DemographicsStep({ view, fields, locale, busy, act }: DemographicsStepProps) {
  const { t, i18n } = useTranslation();
  const exists = (k: string) => i18n.exists(k);
  const bridge = useBridge();
  const heading = useStepHeading('demographics');
  const [values, setValues] = useState<Record<string, string>>(() => ({ ...view.demographics.values }));
  const [check, setCheck] = useState<Check>(() => ({ errors: view.errors, warnings: view.demographics.warnings, derived: view.demographics.derived, suggestions: view.demographics.suggestions }));
  // Errors show for fields the clerk has left (or that already hold a value), and for all after "Next" — never for
  // every empty required field the moment the step opens. What is wrong with the content itself (too long, digits
  // in a name) shows while typing.
  const [touched, setTouched] = useState<Set<string>>(() => new Set(Object.keys(view.demographics.values).filter((k) => view.demographics.values[k])));
  const [showAll, setShowAll] = useState(false);
  const [saveState, setSaveState] = useState<'idle' | 'saving' | 'saved'>('idle');
  const autoFilled = useRef<Record<string, string>>({});
  const seq = useRef(0);
  const saveTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(values);
  latest.current = values;

  const runCheck = (next: Record<string, string>, start: number) => {
    const mine = ++seq.current;
    void bridge.invoke('kiosk:workflow.checkDemographics', { values: next }).then((e) => {
      if (mine !== seq.current || !e.ok) return;
      setCheck({ errors: e.value.errors, warnings: e.value.warnings, derived: e.value.derived, suggestions: e.value.suggestions });
      // Latin names follow the Arabic ones until the clerk edits them.
      const fill: Record<string, string> = {};
      for (const f of fields) {
        const suggestion = e.value.suggestions[f.name];
        if (!f.transliterateFrom || !suggestion) continue;
        const current = latest.current[f.name] ?? '';
        if (current === '' || current === autoFilled.current[f.name]) {
          fill[f.name] = suggestion;
          autoFilled.current[f.name] = suggestion;
        }
      }
      if (Object.keys(fill).length) {
        const merged = { ...latest.current, ...fill };
        latest.current = merged;
        setValues(merged);
        scheduleSave(merged);
      }
      measureFrom('demographics-check', start);
    });
  };

  const save = async (next: Record<string, string>) => {
    setSaveState('saving');
    const ok = await act('kiosk:workflow.demographics', { id: view.id, values: next, submit: false }, undefined, { quiet: true });
    setSaveState(ok ? 'saved' : 'idle');
  };

  function scheduleSave(next: Record<string, string>) {
    if (saveTimer.current) clearTimeout(saveTimer.current);
    saveTimer.current = setTimeout(() => {
      saveTimer.current = null;
      void save(next);
    }, SAVE_AFTER_MS);
  }

  useEffect(
    () => () => {
      if (saveTimer.current) clearTimeout(saveTimer.current);
    },
    [],
  );

  const change = (field: FormField, raw: string) => {
    const start = performance.now();
    const value = DIGIT_TYPES.has(field.type) ? normalizeDigits(raw) : raw;
    const next = { ...latest.current, [field.name]: value };
    // A new parent area clears the areas below it.
    for (const f of fields) if (f.location?.parentField === field.name && next[f.name]) next[f.name] = '';
    for (const f of fields) if (f.location?.parentField && next[f.location.parentField] === '' && next[f.name]) next[f.name] = '';
    latest.current = next;
    setValues(next);
    // Choices (lists, radio buttons) are complete the moment they are made; typed fields count once left.
    if (field.type === 'enum' || field.type === 'location') setTouched((s) => new Set(s).add(field.name));
    runCheck(next, start);
    scheduleSave(next);
  };

  const submit = async () => {
    if (saveTimer.current) clearTimeout(saveTimer.current);
    saveTimer.current = null;
    setShowAll(true);
    submitted.current = true;
    const ok = await act('kiosk:workflow.demographics', { id: view.id, values: latest.current, submit: true }, 'demographics-submit');
    if (ok) setSaveState('saved');
  };

  // After "Next" the view carries main's verdict; adopt it and move focus to the first field in error.
  const submitted = useRef(false);
  useEffect(() => {
    if (!submitted.current) return;
    submitted.current = false;
    if (view.step !== 'demographics') return;
    setCheck((c) => ({ ...c, errors: view.errors }));
    const first = fields.find((f) => view.errors.some((e) => e.field === f.name));
    if (first) document.getElementById(`field-${first.name}`)?.focus();
    // Only when the answer to "Next" arrives.
  }, [view]);

  const touch = (name: string) => setTouched((s) => (s.has(name) ? s : new Set(s).add(name)));
  const errorsOf = (name: string): FieldError[] => check.errors.filter((e) => e.field === name && (showAll || touched.has(name) || (!UNFINISHED.has(e.key) && (values[name] ?? '') !== '')));
  const warningsOf = (name: string): FieldError[] => check.warnings.filter((e) => e.field === name);
  const visibleErrors = check.errors.filter((e) => showAll || touched.has(e.field));
  const nn = check.derived.nationalNumber;

  const renderInput = (f: FormField, invalid: boolean, describedBy: string | undefined) => {
    const common = {
      id: `field-${f.name}`,
      'data-testid': `demo-${f.name}`,
      value: values[f.name] ?? '',
      'aria-invalid': invalid,
      'aria-describedby': describedBy,
      'aria-required': f.required,
    };
    if (f.type === 'location') {
      const parent = f.location!.parentField;
      return (
        <LocationSelect
          field={f}
          parentCode={parent ? values[parent] || null : null}
          value={values[f.name] ?? ''}
          locale={locale}
          invalid={invalid}
          describedBy={describedBy}
          onChange={(v) => change(f, v)}
        />
      );
    }
    if (f.type === 'enum') {
      return (
        <div className="segmented" role="radiogroup" aria-labelledby={`label-${f.name}`} aria-invalid={invalid} aria-describedby={describedBy} id={`field-${f.name}`} tabIndex={-1}>
          {(f.values ?? []).map((v) => (
            <button
              key={v}
              type="button"
              role="radio"
              aria-checked={values[f.name] === v}
              className={values[f.name] === v ? 'btn btn-primary' : 'btn'}
              data-testid={`demo-${f.name}-${v}`}
              onClick={() => change(f, v)}
            >
              {exists(`enrollment.${f.name}.${v}`) ? t(`enrollment.${f.name}.${v}`) : v}
            </button>
          ))}
        </div>
      );
    }
    const latinOrDigits = f.script === 'latin' || f.type !== 'text';
    return (
      <input
        {...common}
        type={f.type === 'phone' ? 'tel' : 'text'}
        inputMode={f.inputMode === 'date' ? 'numeric' : f.inputMode}
        dir={latinOrDigits ? 'ltr' : f.script === 'arabic' ? 'rtl' : undefined}
        lang={f.script === 'latin' ? 'en' : f.script === 'arabic' ? 'ar' : undefined}
        placeholder={f.type === 'date' ? t('enrollment.demographics.datePlaceholder') : undefined}
        autoComplete="off"
        onBlur={() => touch(f.name)}
        onChange={(e) => change(f, e.target.value)}
      />
    );
  };

  return (
    <section aria-labelledby="demographics-title" className="wizard-step" data-testid="wizard-demographics">
      <h2 id="demographics-title" tabIndex={-1} ref={heading}>
        {t('enrollment.demographics.title')}
      </h2>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div className="form-groups">
          {GROUPS.map((g) => {
            const inGroup = fields.filter((f) => f.group === g);
            if (!inGroup.length) return null;
            return (
              <fieldset key={g} className="form-group">
                <legend>{t(`enrollment.demographics.groups.${g}`)}</legend>
                {inGroup.map((f) => {
                  const errs = errorsOf(f.name);
                  const warns = warningsOf(f.name);
                  const suggestion = f.transliterateFrom ? check.suggestions[f.name] : undefined;
                  const hints: string[] = [];
                  if (f.type === 'date') hints.push(`hint-${f.name}`);
                  if (errs.length) hints.push(`err-${f.name}`);
                  if (warns.length) hints.push(`warn-${f.name}`);
                  const describedBy = hints.length ? hints.join(' ') : undefined;
                  return (
                    <div className="field" key={f.name}>
                      <label htmlFor={`field-${f.name}`} id={`label-${f.name}`}>
                        {exists(f.labelKey) ? t(f.labelKey) : f.name}
                        {f.required ? <span className="muted"> ({t('enrollment.demographics.required')})</span> : null}
                      </label>
                      {renderInput(f, errs.length > 0, describedBy)}
                      {f.type === 'date' ? (
                        <span id={`hint-${f.name}`} className="muted">
                          {check.derived.age !== null && !errs.length
                            ? t('enrollment.demographics.age', { age: formatNumber(check.derived.age, locale) })
                            : t('enrollment.demographics.dateHint')}
                        </span>
                      ) : null}
                      {suggestion && suggestion !== (values[f.name] ?? '') ? (
                        <span className="suggestion">
                          <span lang="en" dir="ltr">
                            {t('enrollment.demographics.suggestion', { latin: suggestion })}
                          </span>{' '}
                          <button type="button" className="btn btn-small" data-testid={`demo-suggest-${f.name}`} onClick={() => change(f, suggestion)}>
                            {t('enrollment.demographics.useSuggestion')}
                          </button>
                        </span>
                      ) : null}
                      {f.nationalNumberRule && nn && !errs.length ? (
                        <span className="muted" data-testid="demo-nn-decoded">
                          {t('enrollment.demographics.nnDecoded', {
                            date: formatIsoDate(nn.dateOfBirth, locale),
                            sex: t(`enrollment.sex.${nn.sex}`),
                            governorate: nn.governorateName ? (locale === 'ar' ? nn.governorateName.nameAr : nn.governorateName.nameEn) : nn.governorate,
                          })}
                        </span>
                      ) : null}
                      {errs.length ? (
                        <span id={`err-${f.name}`} className="error" data-testid={`demo-err-${f.name}`}>
                          {errs.map((e) => messageText(e, t, locale, exists)).join(' · ')}
                        </span>
                      ) : null}
                      {warns.length ? (
                        <span id={`warn-${f.name}`} className="warning" data-testid={`demo-warn-${f.name}`}>
                          {warns.map((e) => messageText(e, t, locale, exists)).join(' · ')}
                        </span>
                      ) : null}
                    </div>
                  );
                })}
              </fieldset>
            );
          })}
        </div>
        {showAll && visibleErrors.length ? (
          <p role="alert" className="error" data-testid="demo-summary">
            {t('enrollment.demographics.errorsSummary', { count: formatNumber(new Set(visibleErrors.map((e) => e.field)).size, locale) })}
          </p>
        ) : null}
        <div className="wizard-actions">
          <span className="muted" role="status" data-testid="demo-save-state">
            {saveState === 'saving' ? t('enrollment.saving') : saveState === 'saved' ? t('enrollment.saved') : ''}
          </span>
          <button type="submit" className="btn btn-primary" data-testid="demo-next" disabled={busy}>
            {t('enrollment.next')}
          </button>
        </div>
      </form>
    </section>
  );
}
