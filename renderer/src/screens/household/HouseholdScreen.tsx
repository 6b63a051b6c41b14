// The household wizard: address and dwelling → members (each enrolled with the enrollment wizard) → questionnaire →
// summary. Main keeps the step and every answer (kiosk:household.*); reopening a household lands where it was.
import { useEffect, useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../../main/contract/ipc';
import type { HouseholdDetailsInput, HouseholdListItem, HouseholdStep, HouseholdView, QuestionnaireView } from '../../../../main/contract/channels/household';
import type { LocationItem } from '../../../../main/contract/channels/workflow';
import { formatNumber, normalizeDigits } from '../../format';
import { useBridge } from '../../kiosk-state';
import { errorText } from '../enrollment/messages';
import { SupervisorForm, type SupervisorCredentials } from '../enrollment/SupervisorForm';
import { QuestionnaireStep } from './QuestionnaireStep';
import './household.css';

export interface HouseholdScreenProps {
  locale: Locale;
  /** An existing household (resume) or null for a new one. */
  householdId: string | null;
  onOpened: (id: string) => void;
  /** Opens a member's enrollment in the enrollment wizard (returns here when the clerk leaves it). */
  onOpenMember: (enrollmentId: string) => void;
  onExit: () => void;
}

const DWELLING_TYPES = ['apartment', 'rural_house', 'urban_house', 'shared_room', 'informal', 'other'] as const;
const TENURES = ['owned', 'rented', 'free', 'other'] as const;
const STEPS: HouseholdStep[] = ['details', 'members', 'questionnaire', 'summary'];

function DetailsStep({ locale, initial, busy, submitLabel, onSubmit }: { locale: Locale; initial: HouseholdDetailsInput | null; busy: boolean; submitLabel: string; onSubmit: (d: HouseholdDetailsInput) => void }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const [v, setV] = useState({
    governorate: initial?.address.governorate ?? '',
    district: initial?.address.district ?? '',
    village: initial?.address.village ?? '',
    street: initial?.address.street ?? '',
    landmark: initial?.address.landmark ?? '',
    lat: initial?.geolocation ? String(initial.geolocation.lat) : '',
    lon: initial?.geolocation ? String(initial.geolocation.lon) : '',
    accuracy: initial?.geolocation?.accuracy !== undefined ? String(initial.geolocation.accuracy) : '',
    type: initial?.dwelling.type ?? '',
    tenure: initial?.dwelling.tenure ?? '',
    rooms: initial?.dwelling.rooms !== undefined ? String(initial.dwelling.rooms) : '',
  });
  const [govs, setGovs] = useState<LocationItem[]>([]);
  const [districts, setDistricts] = useState<LocationItem[]>([]);
  const [gps, setGps] = useState<string | null>(null);
  const [tried, setTried] = useState(false);
  useEffect(() => {
    void bridge.invoke('kiosk:workflow.locations', { level: 'governorate' }).then((e) => e.ok && setGovs(e.value.items));
  }, [bridge]);
  useEffect(() => {
    if (!v.governorate) return setDistricts([]);
    void bridge.invoke('kiosk:workflow.locations', { level: 'district', parent: v.governorate }).then((e) => e.ok && setDistricts(e.value.items));
  }, [bridge, v.governorate]);
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV((x) => ({ ...x, [k]: e.target.value }));
  const name = (i: LocationItem) => (locale === 'ar' ? i.nameAr : i.nameEn);
  const num = (s: string) => Number(normalizeDigits(s).trim());
  const missing = !v.governorate || !v.district || !v.type;
  const submit = () => {
    setTried(true);
    if (missing) return;
    const lat = num(v.lat);
    const lon = num(v.lon);
    const acc = num(v.accuracy);
    onSubmit({
      address: { governorate: v.governorate, district: v.district, ...(v.village ? { village: v.village } : {}), ...(v.street ? { street: v.street } : {}), ...(v.landmark ? { landmark: v.landmark } : {}) },
      ...(v.lat && v.lon && Number.isFinite(lat) && Number.isFinite(lon) ? { geolocation: { lat, lon, ...(v.accuracy && Number.isFinite(acc) ? { accuracy: acc } : {}) } } : {}),
      dwelling: { type: v.type, ...(v.tenure ? { tenure: v.tenure } : {}), ...(v.rooms && Number.isInteger(num(v.rooms)) ? { rooms: num(v.rooms) } : {}) },
    });
  };
  const readGps = () => {
    if (!navigator.geolocation) return setGps(t('household.details.gpsUnavailable'));
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setV((x) => ({ ...x, lat: p.coords.latitude.toFixed(6), lon: p.coords.longitude.toFixed(6), accuracy: String(Math.round(p.coords.accuracy)) }));
        setGps(t('household.details.gpsRead', { m: formatNumber(Math.round(p.coords.accuracy), locale) }));
      },
      () => setGps(t('household.details.gpsUnavailable')),
      { timeout: 10_000 },
    );
  };
  return (
    <form className="wizard-step household-details" data-testid="household-details" noValidate onSubmit={(e) => { e.preventDefault(); submit(); }}>
      <div className="hh-columns">
        <fieldset className="panel">
          <legend>{t('household.details.address')}</legend>
          <label className="field">
            <span>{t('household.details.governorate')}</span>
            <select data-testid="hh-governorate" value={v.governorate} aria-invalid={(tried && !v.governorate) || undefined} onChange={(e) => setV((x) => ({ ...x, governorate: e.target.value, district: '' }))}>
              <option value="">{t('household.details.choose')}</option>
              {govs.map((g) => <option key={g.code} value={g.code}>{name(g)}</option>)}
            </select>
          </label>
          <label className="field">
            <span>{t('household.details.district')}</span>
            <select data-testid="hh-district" value={v.district} aria-invalid={(tried && !v.district) || undefined} onChange={set('district')}>
              <option value="">{t('household.details.choose')}</option>
              {districts.map((g) => <option key={g.code} value={g.code}>{name(g)}</option>)}
            </select>
          </label>
          <label className="field"><span>{t('household.details.village')}</span><input data-testid="hh-village" value={v.village} maxLength={128} onChange={set('village')} /></label>
          <label className="field"><span>{t('household.details.street')}</span><input data-testid="hh-street" value={v.street} maxLength={256} onChange={set('street')} /></label>
          <label className="field"><span>{t('household.details.landmark')}</span><input data-testid="hh-landmark" value={v.landmark} maxLength={256} onChange={set('landmark')} /></label>
        </fieldset>
        <div>
          <fieldset className="panel">
            <legend>{t('household.details.location')}</legend>
            <div className="hh-geo">
              <label className="field"><span>{t('household.details.lat')}</span><input data-testid="hh-lat" dir="ltr" inputMode="decimal" value={v.lat} onChange={set('lat')} /></label>
              <label className="field"><span>{t('household.details.lon')}</span><input data-testid="hh-lon" dir="ltr" inputMode="decimal" value={v.lon} onChange={set('lon')} /></label>
              <label className="field"><span>{t('household.details.accuracy')}</span><input data-testid="hh-accuracy" dir="ltr" inputMode="numeric" value={v.accuracy} onChange={set('accuracy')} /></label>
            </div>
            <button type="button" className="btn" data-testid="hh-gps" onClick={readGps}>{t('household.details.readGps')}</button>
            {gps ? <p role="status" className="muted" data-testid="hh-gps-status">{gps}</p> : null}
          </fieldset>
          <fieldset className="panel">
            <legend>{t('household.details.dwelling')}</legend>
            <label className="field">
              <span>{t('household.details.type')}</span>
              <select data-testid="hh-type" value={v.type} aria-invalid={(tried && !v.type) || undefined} onChange={set('type')}>
                <option value="">{t('household.details.choose')}</option>
                {DWELLING_TYPES.map((x) => <option key={x} value={x}>{t(`household.details.types.${x}`)}</option>)}
              </select>
            </label>
            <div className="hh-geo">
              <label className="field">
                <span>{t('household.details.tenure')}</span>
                <select data-testid="hh-tenure" value={v.tenure} onChange={set('tenure')}>
                  <option value="">{t('household.details.choose')}</option>
                  {TENURES.map((x) => <option key={x} value={x}>{t(`household.details.tenures.${x}`)}</option>)}
                </select>
              </label>
              <label className="field"><span>{t('household.details.rooms')}</span><input data-testid="hh-rooms" dir="ltr" inputMode="numeric" value={v.rooms} onChange={set('rooms')} /></label>
            </div>
          </fieldset>
        </div>
      </div>
      {tried && missing ? <p role="alert" className="error" data-testid="hh-details-missing">{t('household.details.required')}</p> : null}
      <div className="wizard-actions">
        <button type="submit" className="btn btn-primary" data-testid="hh-details-submit" disabled={busy}>{submitLabel}</button>
      </div>
    </form>
  );
}

type MemberRelationship = 'spouse' | 'child' | 'parent' | 'other';
export interface MoveRequest {
  enrollmentId: string;
  toHouseholdId: string;
  relationship: MemberRelationship;
  reason: string;
  supervisor: SupervisorCredentials;
}

/** Moving a member to another household: a supervisor's own ID and PIN and a reason (audited in main). */
function MoveMemberPanel({ view, enrollmentId, locale, busy, onMove, onCancel }: { view: HouseholdView; enrollmentId: string; locale: Locale; busy: boolean; onMove: (m: MoveRequest) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const [others, setOthers] = useState<HouseholdListItem[] | null>(null);
  const [to, setTo] = useState('');
  const [rel, setRel] = useState<MemberRelationship>('other');
  useEffect(() => {
    void bridge.invoke('kiosk:household.list', { limit: 200 }).then((e) => setOthers(e.ok ? e.value.items.filter((h) => h.id !== view.id) : []));
  }, [bridge, view.id]);
  const label = (h: HouseholdListItem) => {
    const head = h.headName ? (locale === 'ar' ? h.headName.ar : h.headName.latin) ?? h.headName.ar : null;
    return `${head ?? t('household.move.noHead')} · ${h.governorate} / ${h.district} · ${h.id.slice(-6)}`;
  };
  return (
    <section className="panel" aria-labelledby="hh-move-title" data-testid="hh-move-panel">
      <h3 id="hh-move-title">{t('household.move.title')}</h3>
      <p className="muted">{t('household.move.explain')}</p>
      <SupervisorForm
        prefix="hh-move"
        submitLabel={t('household.move.submit')}
        withReason
        busy={busy}
        validate={() => (to ? null : t('household.move.chooseHousehold'))}
        onSubmit={(supervisor, reason) => onMove({ enrollmentId, toHouseholdId: to, relationship: rel, reason, supervisor })}
      >
        <div className="supervisor-fields">
          <label className="field">
            <span>{t('household.move.to')}</span>
            <select data-testid="hh-move-to" value={to} disabled={!others} onChange={(e) => setTo(e.target.value)}>
              <option value="">{others && others.length === 0 ? t('household.move.noOther') : t('household.move.choose')}</option>
              {(others ?? []).map((h) => (
                <option key={h.id} value={h.id}>
                  {label(h)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t('household.move.as')}</span>
            <select data-testid="hh-move-relationship" value={rel} onChange={(e) => setRel(e.target.value as MemberRelationship)}>
              {(['spouse', 'child', 'parent', 'other'] as const).map((r) => <option key={r} value={r}>{t(`household.members.relationships.${r}`)}</option>)}
            </select>
          </label>
        </div>
      </SupervisorForm>
      <button type="button" className="btn" data-testid="hh-move-cancel" onClick={onCancel}>{t('household.move.cancel')}</button>
    </section>
  );
}

function MembersStep({ view, locale, busy, onAdd, onOpenMember, onNext, onMove }: { view: HouseholdView; locale: Locale; busy: boolean; onAdd: (r: MemberRelationship) => void; onOpenMember: (id: string) => void; onNext: () => void; onMove: (m: MoveRequest) => Promise<boolean> }) {
  const { t } = useTranslation();
  const [rel, setRel] = useState<MemberRelationship>('spouse');
  const [moving, setMoving] = useState<string | null>(null);
  return (
    <section className="wizard-step" aria-labelledby="hh-members-title" data-testid="household-members">
      <h2 id="hh-members-title">{t('household.members.title')}</h2>
      <table className="hh-members" data-testid="hh-members-table">
        <thead>
          <tr>
            <th>{t('household.members.relationship')}</th>
            <th>{t('household.members.nameCol')}</th>
            <th>RID</th>
            <th>{t('household.members.statusCol')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {view.members.map((m, i) => {
            const name = m.displayName ? (locale === 'ar' ? m.displayName.ar : m.displayName.latin) ?? m.displayName.ar : null;
            return (
              <tr key={m.enrollmentId} data-testid={`hh-member-${i}`} data-relationship={m.relationship} data-status={m.status ?? ''} data-id={m.enrollmentId}>
                <td>{t(`household.members.relationships.${m.relationship}`)}</td>
                <td>
                  {name ?? <span className="muted">{m.status === 'sealed' || m.status === 'uploaded' || m.status === 'acknowledged' ? t('household.members.sealedNoName') : t('household.members.noName')}</span>}
                  {m.child ? <div className="muted small" data-testid={`hh-member-${i}-child`}>{t('household.members.child', { age: formatNumber(view.childAgeYears, locale) })}</div> : null}
                </td>
                <td dir="ltr" className="rid">{m.rid}</td>
                <td>{m.status ? <span className={m.status === 'sealed' || m.status === 'uploaded' || m.status === 'acknowledged' ? 'pill pill-ok' : 'pill pill-warn'}>{t(`household.members.status.${m.status}`)}</span> : null}</td>
                <td className="hh-row-actions">
                  <button type="button" className="btn" data-testid={`hh-member-${i}-open`} onClick={() => onOpenMember(m.enrollmentId)}>
                    {m.status === 'draft' ? t('household.members.continue') : t('household.members.view')}
                  </button>
                  {m.relationship !== 'head' ? (
                    <button type="button" className="btn" data-testid={`hh-member-${i}-move`} aria-expanded={moving === m.enrollmentId} aria-controls="hh-move-title" onClick={() => setMoving((x) => (x === m.enrollmentId ? null : m.enrollmentId))}>
                      {t('household.move.open')}
                    </button>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {moving ? (
        <MoveMemberPanel key={moving} view={view} enrollmentId={moving} locale={locale} busy={busy} onCancel={() => setMoving(null)} onMove={(m) => void onMove(m).then((ok) => ok && setMoving(null))} />
      ) : null}
      <div className="wizard-actions hh-add">
        <label className="field">
          <span>{t('household.members.addAs')}</span>
          <select data-testid="hh-add-relationship" value={rel} onChange={(e) => setRel(e.target.value as typeof rel)}>
            {(['spouse', 'child', 'parent', 'other'] as const).map((r) => <option key={r} value={r}>{t(`household.members.relationships.${r}`)}</option>)}
          </select>
        </label>
        <button type="button" className="btn" data-testid="hh-add-member" disabled={busy} onClick={() => onAdd(rel)}>{t('household.members.add')}</button>
        <button type="button" className="btn btn-primary" data-testid="hh-members-next" disabled={busy} onClick={onNext}>
          {view.questionnaire ? t('household.members.toQuestionnaire') : t('household.members.toSummary')}
        </button>
      </div>
    </section>
  );
}

function SummaryStep({ view, locale, onOpenMember }: { view: HouseholdView; locale: Locale; onOpenMember: (id: string) => void }) {
  const { t } = useTranslation();
  const pmt = view.questionnaire?.pmt ?? null;
  return (
    <section className="wizard-step" aria-labelledby="hh-summary-title" data-testid="household-summary" data-complete={view.blockers.length === 0}>
      <h2 id="hh-summary-title">{t('household.summary.title')}</h2>
      {view.questionnaire ? (
        <div className="panel" data-testid="hh-pmt" data-score={pmt ? String(pmt.score) : ''}>
          {pmt ? (
            <>
              <p className="hh-score">{t('household.summary.pmt', { score: formatNumber(Math.round(pmt.score * 1000) / 1000, locale) })}</p>
              {pmt.eligible !== null ? <p><span className={pmt.eligible ? 'pill pill-ok' : 'pill pill-warn'}>{pmt.eligible ? t('household.summary.eligible') : t('household.summary.notEligible')}</span></p> : null}
              <p className="muted">{t('household.summary.pmtNote')}</p>
            </>
          ) : (
            <p className="muted">{t('household.summary.noPmt')}</p>
          )}
        </div>
      ) : null}
      {view.blockers.length ? (
        <ul className="blockers" data-testid="hh-blockers">
          {view.blockers.map((b) => <li key={b.key}>{t(b.key, Object.fromEntries(Object.entries(b.params).map(([k, x]) => [k, typeof x === 'number' ? formatNumber(x, locale) : x])))}</li>)}
        </ul>
      ) : (
        <p role="status" className="panel" data-testid="hh-ready">{t('household.summary.ready')}</p>
      )}
      <ul className="hh-summary-members">
        {view.members.map((m, i) => (
          <li key={m.enrollmentId}>
            <button type="button" className="btn" data-testid={`hh-summary-member-${i}`} onClick={() => onOpenMember(m.enrollmentId)}>
              {t(`household.members.relationships.${m.relationship}`)} · {(m.displayName ? (locale === 'ar' ? m.displayName.ar : m.displayName.latin) : null) ?? (m.rid ?? t('household.members.noName'))} · {m.status ? t(`household.members.status.${m.status}`) : ''}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function HouseholdScreen({ locale, householdId, onOpened, onOpenMember, onExit }: HouseholdScreenProps) {
  const { t, i18n } = useTranslation();
  const bridge = useBridge();
  const [view, setView] = useState<HouseholdView | null>(null);
  const [definition, setDefinition] = useState<QuestionnaireView | null>(null);
  const [configLoaded, setConfigLoaded] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const exists = (k: string) => i18n.exists(k);

  useEffect(() => {
    void bridge.invoke('kiosk:household.config', {}).then((e) => {
      if (e.ok) setDefinition(e.value.questionnaire);
      setConfigLoaded(true);
    });
    if (householdId) {
      void bridge.invoke('kiosk:household.get', { id: householdId }).then((e) => (e.ok ? setView(e.value) : setError(errorText(e.error, t, exists))));
    }
  }, [bridge, householdId]);

  const run = async <T,>(p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } }>): Promise<T | null> => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const e = await p;
      if (!e.ok) {
        setError(exists(`household.errors.${e.error.code}`) ? t(`household.errors.${e.error.code}`) : errorText(e.error, t, exists));
        return null;
      }
      return e.value;
    } finally {
      setBusy(false);
    }
  };

  const goTo = async (step: HouseholdStep) => {
    if (!view) return;
    const v = await run(bridge.invoke('kiosk:household.goTo', { id: view.id, step }));
    if (v) setView(v);
  };

  let body: ReactElement;
  if (!configLoaded || (householdId && !view)) {
    body = <p role="status">{error ?? t('household.loading')}</p>;
  } else if (!view) {
    body = (
      <DetailsStep
        locale={locale}
        initial={null}
        busy={busy}
        submitLabel={t('household.details.createAndHead')}
        onSubmit={(details) =>
          void run(bridge.invoke('kiosk:household.create', { details })).then((r) => {
            if (!r) return;
            setView(r.household);
            onOpened(r.household.id);
            onOpenMember(r.headEnrollmentId);
          })
        }
      />
    );
  } else {
    switch (view.step) {
      case 'details':
        body = <DetailsStep locale={locale} initial={view.details} busy={busy} submitLabel={t('household.details.save')} onSubmit={(details) => void run(bridge.invoke('kiosk:household.updateDetails', { id: view.id, details })).then((v) => v && goTo('members'))} />;
        break;
      case 'members':
        body = (
          <MembersStep
            view={view}
            locale={locale}
            busy={busy}
            onOpenMember={onOpenMember}
            onAdd={(relationship) =>
              void run(bridge.invoke('kiosk:household.addMember', { id: view.id, relationship })).then((r) => {
                if (!r) return;
                setView(r.household);
                onOpenMember(r.enrollmentId);
              })
            }
            onNext={() => void goTo(view.questionnaire ? 'questionnaire' : 'summary')}
            onMove={async (m) => {
              const v = await run(bridge.invoke('kiosk:household.moveMember', { id: view.id, ...m }));
              if (v) {
                setView(v);
                setNotice(t('household.move.done'));
              }
              return !!v;
            }}
          />
        );
        break;
      case 'questionnaire':
        body = definition && view.questionnaire ? <QuestionnaireStep key={view.id} locale={locale} view={view} definition={definition} onView={setView} onFinish={() => void goTo('summary')} /> : <p className="muted">{t('household.questionnaire.notConfigured')}</p>;
        break;
      case 'summary':
        body = <SummaryStep view={view} locale={locale} onOpenMember={onOpenMember} />;
        break;
    }
  }

  return (
    <section className="screen wizard household" aria-labelledby="hh-title" aria-busy={busy || undefined} data-testid="household" data-step={view?.step ?? 'details'} data-id={view?.id ?? ''}>
      <div className="wizard-head">
        <h1 id="hh-title">{t('household.title')}</h1>
        {view ? <span className="muted">{[view.details.address.village, view.details.address.street].filter(Boolean).join('، ')}</span> : null}
      </div>
      <nav className="stepper" aria-label={t('household.title')}>
        <ol>
          {STEPS.filter((s) => s !== 'questionnaire' || definition).map((s, i) => {
            const current = (view?.step ?? 'details') === s;
            return (
              <li key={s} className={current ? 'current' : ''}>
                <button type="button" className={current ? 'btn btn-primary' : 'btn'} data-testid={`hh-step-${s}`} aria-current={current ? 'step' : undefined} disabled={!view || busy} onClick={() => void goTo(s)}>
                  {formatNumber(i + 1, locale)}. {t(`household.steps.${s}`)}
                </button>
              </li>
            );
          })}
        </ol>
      </nav>
      {error ? <p role="alert" className="error" data-testid="household-error">{error}</p> : null}
      {notice ? <p role="status" data-testid="household-notice">{notice}</p> : null}
      {body}
      <div className="wizard-foot no-print">
        <button type="button" className="btn" data-testid="household-exit" onClick={onExit}>{t('household.exit')}</button>
      </div>
    </section>
  );
}
