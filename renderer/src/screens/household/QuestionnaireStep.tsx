// The household questionnaire, rendered from the configured definition (kiosk:household.config): one page per
// top-level group or repeat (questions outside groups share a page). Every change is saved at once
// (kiosk:household.saveAnswers, with the page), and main answers with the evaluation: which questions are relevant
// (skip logic), calculated values, constraint and required messages, how many instances a counted repeat needs.
// Resuming is reopening: the saved answers and page come back with the view.
import { useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../../main/contract/ipc';
import type { AnswersView, AnswerValueView, HouseholdView, QuestionnaireItemView, QuestionnaireView } from '../../../../main/contract/channels/household';
import { useBridge } from '../../kiosk-state';
import { formatNumber, normalizeDigits } from '../../format';
import { errorText } from '../enrollment/messages';

type Answers = AnswersView;

export interface QuestionnaireStepProps {
  locale: Locale;
  view: HouseholdView;
  definition: QuestionnaireView;
  onView: (v: HouseholdView) => void;
  onFinish: () => void;
}

/** Pages: each top-level group or repeat is a page; consecutive top-level questions and notes share one. */
export function questionnairePages(items: QuestionnaireItemView[]): QuestionnaireItemView[][] {
  const pages: QuestionnaireItemView[][] = [];
  let loose: QuestionnaireItemView[] = [];
  for (const it of items) {
    if (it.kind === 'calculate') continue;
    if (it.kind === 'group' || it.kind === 'repeat') {
      if (loose.length) pages.push(loose);
      loose = [];
      pages.push([it]);
    } else loose.push(it);
  }
  if (loose.length) pages.push(loose);
  return pages;
}

const clone = (a: Answers): Answers => JSON.parse(JSON.stringify(a)) as Answers;

/** Sets `value` at `path` ("members[2].m_age": 1-based instances) in a copy of `answers`. */
function setAt(answers: Answers, scope: (string | number)[], name: string, value: AnswerValueView | undefined): Answers {
  const out = clone(answers);
  let cur: Answers = out;
  for (let i = 0; i < scope.length; i += 2) {
    const list = (cur[scope[i] as string] ?? []) as Answers[];
    cur = list[scope[i + 1] as number]!;
  }
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) delete cur[name];
  else cur[name] = value;
  return out;
}

/** Every question path of a page (for "Next": touch them all). */
function pathsOf(items: QuestionnaireItemView[], answers: Answers, prefix: string): string[] {
  const out: string[] = [];
  for (const it of items) {
    if (it.kind === 'question') out.push(prefix + it.name);
    else if (it.kind === 'group') out.push(...pathsOf(it.items ?? [], answers, prefix));
    else if (it.kind === 'repeat') {
      out.push(prefix + it.name);
      const inst = (answers[it.name] ?? []) as Answers[];
      inst.forEach((a, i) => out.push(...pathsOf(it.items ?? [], a, `${prefix}${it.name}[${i + 1}].`)));
    }
  }
  return out;
}

function readJpeg(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error ?? new Error('read failed'));
    r.readAsDataURL(file);
  });
}

export function QuestionnaireStep({ locale, view, definition, onView, onFinish }: QuestionnaireStepProps) {
  const { t, i18n } = useTranslation();
  const bridge = useBridge();
  const q = view.questionnaire!;
  const [answers, setAnswers] = useState<Answers>(() => clone(q.answers));
  const [page, setPage] = useState(() => q.page);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [saving, setSaving] = useState(false);
  const [pageBlocked, setPageBlocked] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const latest = useRef(answers);
  latest.current = answers;
  // One save in flight at a time; changes made meanwhile are coalesced into the next one (fast typing writes once).
  const inflight = useRef(false);
  const queued = useRef<{ answers: Answers; page: number } | null>(null);
  const pages = useMemo(() => questionnairePages(definition.items), [definition]);
  const current = Math.min(page, pages.length - 1);
  const L = (l: { ar: string; en: string } | undefined) => (l ? l[locale] : '');
  const visible = useMemo(() => new Set(q.visible), [q.visible]);
  const heading = useRef<HTMLHeadingElement>(null);

  const save = async (next: Answers, nextPage: number) => {
    setSaving(true);
    if (inflight.current) {
      queued.current = { answers: next, page: nextPage };
      return;
    }
    inflight.current = true;
    let cur: { answers: Answers; page: number } | null = { answers: next, page: nextPage };
    try {
      while (cur) {
        const e = await bridge.invoke('kiosk:household.saveAnswers', { id: view.id, answers: cur.answers, page: cur.page });
        cur = queued.current;
        queued.current = null;
        if (!e.ok) setSaveError(errorText(e.error, t, (k) => i18n.exists(k)));
        else {
          setSaveError(null);
          if (!cur) onView(e.value);
        }
      }
    } finally {
      inflight.current = false;
      setSaving(false);
    }
  };

  const change = (scope: (string | number)[], name: string, path: string, value: AnswerValueView | undefined) => {
    const next = setAt(latest.current, scope, name, value);
    setAnswers(next);
    setTouched((s) => new Set(s).add(path));
    void save(next, current);
  };

  // A counted repeat (e.g. one instance per member): main says how many instances the count asks for.
  useEffect(() => {
    const resize = q.issues.filter((i) => i.code === 'REPEAT_COUNT' && i.expected !== undefined && !i.path.includes('.'));
    if (!resize.length) return;
    const next = clone(latest.current);
    for (const i of resize) {
      const list = ((next[i.question] ?? []) as Answers[]).slice(0, i.expected);
      while (list.length < i.expected!) list.push({});
      next[i.question] = list;
    }
    setAnswers(next);
    void save(next, current);
  }, [q.issues]);

  useEffect(() => heading.current?.focus(), [current]);

  const issuesAt = (path: string) => q.issues.filter((i) => i.path === path && i.code !== 'REPEAT_COUNT' && i.code !== 'UNKNOWN_ANSWER');
  const pagePaths = pathsOf(pages[current] ?? [], answers, '');
  const pageIssues = q.issues.filter((i) => pagePaths.includes(i.path) && i.code !== 'UNKNOWN_ANSWER');
  const go = (to: number) => {
    if (to > current && pageIssues.length) {
      setTouched((s) => new Set([...s, ...pagePaths]));
      setPageBlocked(true);
      return;
    }
    setPageBlocked(false);
    setPage(to);
    void save(latest.current, to);
  };

  const memberName = (i: number): string | null => {
    const m = view.members[i];
    if (!m) return null;
    // Sealed members keep no name on the kiosk: their relationship says who they are.
    if (!m.displayName) return t(`household.members.relationships.${m.relationship}`);
    return (locale === 'ar' ? m.displayName.ar : m.displayName.latin) ?? m.displayName.ar ?? m.displayName.latin;
  };

  const renderItems = (items: QuestionnaireItemView[], scopeAnswers: Answers, values: Answers | undefined, scope: (string | number)[], prefix: string, depth: number): ReactElement[] =>
    items.map((it) => {
      const path = prefix + it.name;
      if (it.kind === 'calculate') {
        const v = values?.[it.name];
        return v === undefined || v === null || typeof v === 'object' ? <span key={path} /> : (
          <p key={path} className="muted q-calc" data-testid={`q-${path}`} data-value={String(v)}>
            {t('household.questionnaire.calculated')}: <bdi dir="ltr">{`${it.name} = ${typeof v === 'number' ? Math.round(v * 100) / 100 : String(v)}`}</bdi>
          </p>
        );
      }
      if (it.kind === 'group') {
        const children = renderItems(it.items ?? [], scopeAnswers, values, scope, prefix, depth + 1);
        return (
          <fieldset key={path} className="q-group" data-testid={`q-group-${path}`}>
            {it.label && depth > 0 ? <legend>{L(it.label)}</legend> : null}
            {children}
          </fieldset>
        );
      }
      if (it.kind === 'repeat') {
        const inst = (scopeAnswers[it.name] ?? []) as Answers[];
        const instValues = (values?.[it.name] ?? []) as Answers[];
        const counted = !!it.count;
        return (
          <div key={path} className="q-repeat" data-testid={`q-repeat-${path}`} data-instances={inst.length}>
            {inst.map((a, i) => {
              const name = depth === 0 ? memberName(i) : null;
              return (
                <fieldset key={i} className="q-instance panel" data-testid={`q-instance-${path}-${i + 1}`}>
                  <legend>
                    {name ? t('household.questionnaire.instanceOf', { label: L(it.label), n: formatNumber(i + 1, locale), name }) : t('household.questionnaire.instance', { label: L(it.label), n: formatNumber(i + 1, locale) })}
                  </legend>
                  {renderItems(it.items ?? [], a, instValues[i], [...scope, it.name, i], `${path}[${i + 1}].`, depth + 1)}
                  {!counted ? (
                    <button type="button" className="btn" data-testid={`q-remove-${path}-${i + 1}`} onClick={() => {
                      const next = clone(latest.current);
                      let cur: Answers = next;
                      for (let k = 0; k < scope.length; k += 2) cur = ((cur[scope[k] as string] ?? []) as Answers[])[scope[k + 1] as number]!;
                      (cur[it.name] as Answers[]).splice(i, 1);
                      setAnswers(next);
                      void save(next, current);
                    }}>
                      {t('household.questionnaire.removeInstance')}
                    </button>
                  ) : null}
                </fieldset>
              );
            })}
            {!counted ? (
              <button type="button" className="btn" data-testid={`q-add-${path}`} onClick={() => {
                const next = clone(latest.current);
                let cur: Answers = next;
                for (let k = 0; k < scope.length; k += 2) cur = ((cur[scope[k] as string] ?? []) as Answers[])[scope[k + 1] as number]!;
                cur[it.name] = [...((cur[it.name] ?? []) as Answers[]), {}];
                setAnswers(next);
                void save(next, current);
              }}>
                {t('household.questionnaire.addInstance')} · {L(it.label)}
              </button>
            ) : null}
          </div>
        );
      }
      if (!visible.has(path)) return <span key={path} />;
      if (it.kind === 'note') {
        return (
          <p key={path} className="q-note" data-testid={`q-${path}`}>
            {L(it.label)}
          </p>
        );
      }
      const raw = scopeAnswers[it.name] as AnswerValueView | undefined;
      const issues = touched.has(path) ? issuesAt(path) : [];
      const id = `q-${path.replace(/[^A-Za-z0-9_-]/g, '_')}`;
      const invalid = issues.length > 0 || undefined;
      const described = issues.length ? `${id}-err` : undefined;
      let control: ReactElement;
      const set = (v: AnswerValueView | undefined) => change(scope, it.name, path, v);
      switch (it.type) {
        case 'integer':
        case 'decimal':
          control = (
            <input
              id={id}
              data-testid={`q-${path}`}
              inputMode={it.type === 'integer' ? 'numeric' : 'decimal'}
              dir="ltr"
              value={raw === undefined || raw === null ? '' : String(raw)}
              aria-invalid={invalid}
              aria-describedby={described}
              readOnly={it.readonly}
              onChange={(e) => {
                const s = normalizeDigits(e.target.value).trim();
                const n = Number(s);
                set(s === '' ? undefined : /^-?\d+(\.\d+)?$/.test(s) && Number.isFinite(n) ? n : s);
              }}
            />
          );
          break;
        case 'date':
          control = <input id={id} data-testid={`q-${path}`} type="date" dir="ltr" value={typeof raw === 'string' ? raw : ''} aria-invalid={invalid} aria-describedby={described} onChange={(e) => set(e.target.value || undefined)} />;
          break;
        case 'select_one':
        case 'select_multiple': {
          const list = definition.choiceLists[it.choices ?? ''] ?? [];
          const multi = it.type === 'select_multiple';
          const chosen = multi ? (Array.isArray(raw) ? (raw as string[]) : []) : typeof raw === 'string' ? [raw] : [];
          control = (
            <div className="q-choices" role={multi ? 'group' : 'radiogroup'} aria-labelledby={`${id}-label`} aria-invalid={invalid} aria-describedby={described}>
              {list.map((c) => (
                <label key={c.name} className={chosen.includes(c.name) ? 'q-choice q-chosen' : 'q-choice'}>
                  <input
                    type={multi ? 'checkbox' : 'radio'}
                    name={id}
                    data-testid={`q-${path}-${c.name}`}
                    checked={chosen.includes(c.name)}
                    onChange={(e) => {
                      if (!multi) set(c.name);
                      else set(e.target.checked ? [...chosen, c.name] : chosen.filter((x) => x !== c.name));
                    }}
                  />
                  <span>{L(c.label)}</span>
                </label>
              ))}
            </div>
          );
          break;
        }
        case 'geopoint': {
          const g = raw && typeof raw === 'object' && 'lat' in raw ? raw : null;
          control = (
            <div className="q-geo">
              <input data-testid={`q-${path}-lat`} dir="ltr" inputMode="decimal" aria-label={t('household.details.lat')} value={g ? String(g.lat) : ''} onChange={(e) => {
                const lat = Number(normalizeDigits(e.target.value));
                set(Number.isFinite(lat) && e.target.value !== '' ? { lat, lon: g?.lon ?? 0 } : undefined);
              }} />
              <input data-testid={`q-${path}-lon`} dir="ltr" inputMode="decimal" aria-label={t('household.details.lon')} value={g ? String(g.lon) : ''} onChange={(e) => {
                const lon = Number(normalizeDigits(e.target.value));
                set(Number.isFinite(lon) && e.target.value !== '' ? { lat: g?.lat ?? 0, lon } : undefined);
              }} />
              <button type="button" className="btn" data-testid={`q-${path}-gps`} onClick={() => navigator.geolocation?.getCurrentPosition((p) => set({ lat: p.coords.latitude, lon: p.coords.longitude, accuracy: p.coords.accuracy }), () => undefined, { timeout: 10_000 })}>
                {t('household.questionnaire.readGps')}
              </button>
            </div>
          );
          break;
        }
        case 'photo': {
          const has = raw && typeof raw === 'object' && 'ref' in raw;
          control = (
            <div className="q-photo">
              <input
                id={id}
                type="file"
                accept="image/jpeg"
                capture="environment"
                data-testid={`q-${path}`}
                onChange={(e) => {
                  const f = e.target.files?.[0];
                  if (!f) return;
                  void readJpeg(f).then(async (b64) => {
                    const r = await bridge.invoke('kiosk:household.photo', { id: view.id, question: it.name, jpegBase64: b64 });
                    if (r.ok) set({ ref: r.value.ref, sha256: r.value.sha256 });
                  });
                }}
              />
              {has ? (
                <span className="pill pill-ok" data-testid={`q-${path}-saved`}>
                  {t('household.questionnaire.photoSaved')}
                </span>
              ) : null}
            </div>
          );
          break;
        }
        default:
          control = <input id={id} data-testid={`q-${path}`} value={typeof raw === 'string' ? raw : raw === undefined || raw === null ? '' : String(raw)} aria-invalid={invalid} aria-describedby={described} onChange={(e) => set(e.target.value === '' ? undefined : e.target.value)} />;
      }
      return (
        <div key={path} className="field q-field" data-testid={`q-field-${path}`}>
          <label id={`${id}-label`} htmlFor={id}>
            {L(it.label)}
            {it.required === true ? <span className="muted"> ({t('household.questionnaire.required')})</span> : null}
          </label>
          {it.hint ? <span className="muted">{L(it.hint)}</span> : null}
          {control}
          {issues.length ? (
            <span id={`${id}-err`} className="error" data-testid={`q-error-${path}`}>
              {issues.map((i) => L(i.message)).join(' · ')}
            </span>
          ) : null}
        </div>
      );
    });

  const items = pages[current] ?? [];
  const title = items.length === 1 && items[0]!.label ? L(items[0]!.label) : L(definition.title);
  return (
    <section className="wizard-step questionnaire" aria-labelledby="q-title" data-testid="household-questionnaire" data-page={current} data-pages={pages.length}>
      <div className="review-head">
        <h2 id="q-title" tabIndex={-1} ref={heading}>
          {title}
        </h2>
        <span className="muted" data-testid="q-page">
          {t('household.questionnaire.page', { page: formatNumber(current + 1, locale), pages: formatNumber(pages.length, locale) })} · <span data-testid="q-saving" data-state={saving ? 'saving' : 'saved'}>{saving ? t('household.saving') : t('household.saved')}</span>
        </span>
      </div>
      {renderItems(items, answers, q.values, [], '', 0)}
      {saveError ? (
        <p role="alert" className="error" data-testid="q-save-error">
          {saveError}
        </p>
      ) : null}
      {pageBlocked && pageIssues.length ? (
        <p role="alert" className="blockers" data-testid="q-page-blocked">
          {t('household.questionnaire.fixPage')}
        </p>
      ) : null}
      <div className="wizard-actions">
        {current > 0 ? (
          <button type="button" className="btn" data-testid="q-back" onClick={() => go(current - 1)}>
            {t('household.questionnaire.back')}
          </button>
        ) : null}
        {current < pages.length - 1 ? (
          <button type="button" className="btn btn-primary" data-testid="q-next" onClick={() => go(current + 1)}>
            {t('household.questionnaire.next')}
          </button>
        ) : (
          <button type="button" className="btn btn-primary" data-testid="q-finish" onClick={() => (pageIssues.length ? go(current + 1) : onFinish())}>
            {t('household.questionnaire.finish')}
          </button>
        )}
      </div>
    </section>
  );
}
