// The enrollment wizard: renders the WorkflowView main returns (current step, reachable steps, allowed actions,
// errors, blockers) and sends the clerk's actions. Opening an existing draft lands on its persisted step.
import { useCallback, useEffect, useRef, useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale, RequestOf } from '../../../../main/contract/ipc';
import type { SessionView } from '../../../../main/contract/channels/auth';
import type { FormDefinition, WorkflowView } from '../../../../main/contract/channels/workflow';
import { useBridge, useCall, useEvent } from '../../kiosk-state';
import { DemoPersonControl } from './DemoPersonControl';
import type { Act, ActOptions, ViewChannel } from './act';
import { ApprovalStep } from './ApprovalStep';
import { ConsentStep } from './ConsentStep';
import { DedupStep } from './DedupStep';
import { DemographicsStep } from './DemographicsStep';
import { FaceStep } from './FaceStep';
import { FingersStep } from './FingersStep';
import { errorText } from './messages';
import { measureFrom } from './perf';
import { ReceiptStep } from './ReceiptStep';
import { ReviewStep } from './ReviewStep';
import { Stepper } from './Stepper';

export interface EnrollmentWizardProps {
  locale: Locale;
  session: SessionView;
  /** An existing enrollment to open (resume); null starts a new one. */
  enrollmentId: string | null;
  cameraDeviceId: string | null;
  onExit: () => void;
  /** Called with the id once a new enrollment exists (the frame remembers it for navigation). */
  onOpened?: (id: string) => void;
}

/** Abandons a draft (the person left, or it was started by mistake); the reason is audited in main. */
function AbandonForm({ id, onAbandoned }: { id: string; onAbandoned: () => void }) {
  const { t, i18n } = useTranslation();
  const bridge = useBridge();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!open) {
    return (
      <button type="button" className="btn" data-testid="wizard-abandon" onClick={() => setOpen(true)}>
        {t('enrollment.abandon')}
      </button>
    );
  }
  const submit = async () => {
    if (reason.trim().length < 3) return setError(t('enrollment.supervisor.reasonHint'));
    const e = await bridge.invoke('kiosk:workflow.abandon', { id, reason: reason.trim() });
    if (e.ok) onAbandoned();
    else setError(errorText(e.error, t, (k) => i18n.exists(k)));
  };
  return (
    <form
      className="abandon-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label className="field">
        <span>{t('enrollment.abandonReason')}</span>
        <input data-testid="wizard-abandon-reason" value={reason} maxLength={500} autoFocus onChange={(e) => setReason(e.target.value)} />
      </label>
      <button type="submit" className="btn btn-danger" data-testid="wizard-abandon-confirm">
        {t('enrollment.abandonConfirm')}
      </button>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
    </form>
  );
}

export function EnrollmentWizard({ locale, session, enrollmentId, cameraDeviceId, onExit, onOpened }: EnrollmentWizardProps) {
  const { t, i18n } = useTranslation();
  const exists = (k: string) => i18n.exists(k);
  const bridge = useBridge();
  const [view, setView] = useState<WorkflowView | null>(null);
  const [form, setForm] = useState<FormDefinition | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const viewRef = useRef<WorkflowView | null>(null);
  const busyRef = useRef(false);
  busyRef.current = busy;
  // Set when the enrollment was closed elsewhere (e.g. a supervisor decided "same person" on another screen).
  const [closed, setClosed] = useState<null | 'duplicate' | 'gone'>(null);
  const [info] = useCall('kiosk:app.info', {});
  const demo = info.status === 'ok' && info.value.demo;
  const changed = useEvent('kiosk:event.enrollment-changed');

  const adopt = useCallback((next: WorkflowView) => {
    const cur = viewRef.current;
    // Answers can arrive out of order (a background save racing "Next"): never go back to an older revision.
    if (cur && cur.id === next.id && next.rev < cur.rev) return;
    viewRef.current = next;
    setView(next);
  }, []);

  useEffect(() => {
    let live = true;
    void bridge.invoke('kiosk:workflow.formDefinition', {}).then((e) => {
      if (!live) return;
      if (e.ok) setForm(e.value);
      else setError(errorText(e.error, t, exists));
    });
    const start = performance.now();
    const open = enrollmentId ? bridge.invoke('kiosk:workflow.get', { id: enrollmentId }) : bridge.invoke('kiosk:workflow.start', {});
    void open.then((e) => {
      if (!live) return;
      if (!e.ok) return setError(errorText(e.error, t, exists));
      adopt(e.value);
      if (!enrollmentId) onOpened?.(e.value.id);
      measureFrom(enrollmentId ? 'open' : 'start', start);
    });
    return () => {
      live = false;
    };
  }, [bridge, enrollmentId]);

  // Someone else decides (a supervisor on another screen, sealing after approval): follow the record's changes while
  // this screen waits for them, so the clerk never reads a stale "a supervisor must decide".
  useEffect(() => {
    const v = viewRef.current;
    if (!changed || !v || changed.id !== v.id || busyRef.current) return;
    const waiting =
      v.status === 'pending_approval' ||
      v.status === 'approved' ||
      (v.status === 'draft' && v.step === 'dedup' && (v.dedup.state === 'possible_duplicate' || v.dedup.state === 'duplicate' || v.dedup.operatorMatch !== null) && !v.dedup.adjudication);
    if (!waiting) return;
    void bridge.invoke('kiosk:workflow.get', { id: v.id }).then((e) => {
      if (e.ok) adopt(e.value);
      // Purged while it waited at the duplicate check: a supervisor decided it is the same person.
      else if (e.error.code === 'ENROLLMENT_CLOSED' || e.error.code === 'NOT_FOUND') setClosed(v.step === 'dedup' ? 'duplicate' : 'gone');
    });
  }, [changed, bridge, adopt]);

  const act: Act = useCallback(
    async <C extends ViewChannel>(channel: C, request: RequestOf<C>, measure?: string, options: ActOptions = {}) => {
      const start = performance.now();
      if (!options.quiet) {
        setBusy(true);
        setError(null);
        // The visible response to the action: the busy indicator is painted (the answer may take longer: dedup, sealing).
        if (measure) measureFrom(`${measure}.feedback`, start);
      }
      try {
        const e = await bridge.invoke(channel, request);
        if (!e.ok) {
          if (!options.quiet) setError(errorText(e.error, t, exists));
          // A stale revision or a record changed elsewhere: show the current state.
          if (e.error.code === 'REVISION_CONFLICT' && viewRef.current) {
            const fresh = await bridge.invoke('kiosk:workflow.get', { id: viewRef.current.id });
            if (fresh.ok) adopt(fresh.value);
          }
          return false;
        }
        adopt(e.value as WorkflowView);
        if (measure) measureFrom(measure, start);
        return true;
      } finally {
        if (!options.quiet) setBusy(false);
      }
    },
    [bridge, t],
  ) as Act;

  if (!view || !form) {
    return (
      <section className="screen" aria-labelledby="wizard-title" data-testid="wizard-loading">
        <h1 id="wizard-title">{t('enrollment.title')}</h1>
        {error ? (
          <p role="alert" className="error" data-testid="wizard-error">
            {error}
          </p>
        ) : (
          <p role="status">{t('enrollment.busy')}</p>
        )}
      </section>
    );
  }

  const consentText = form.consent.texts.find((x) => x.language === locale) ?? form.consent.texts[0];
  const supervisorId = session.role === 'supervisor' ? session.operatorId : undefined;
  const stepProps = { view, locale, busy, act };
  let body: ReactElement;
  const duplicateStop = closed === 'duplicate' || (view.status === 'purged' && view.dedup.adjudication?.decision === 'duplicate');
  if (closed || view.status === 'purged') {
    body = (
      <section className="wizard-step" data-testid="wizard-closed">
        <p role="status" className="panel" data-testid="wizard-closed-text">
          {duplicateStop ? t('supervisor.closed.duplicate') : t('supervisor.closed.gone')}
        </p>
        {duplicateStop && view.dedup.adjudication ? (
          <p className="muted">
            {t('enrollment.dedup.adjudicated', { supervisorId: view.dedup.adjudication.supervisorId, decision: t('enrollment.dedup.adjudication.duplicate'), reason: view.dedup.adjudication.reason })}
          </p>
        ) : null}
      </section>
    );
  } else switch (view.step) {
    case 'consent':
      body = (
        <ConsentStep
          key={view.id}
          text={consentText?.body ?? ''}
          version={consentText?.version ?? ''}
          accepted={view.consent ? { method: view.consent.method, version: view.consent.textVersion } : null}
          busy={busy}
          onAccept={(method) => void act('kiosk:workflow.consent', { id: view.id, language: consentText?.language ?? locale, textVersion: consentText?.version ?? '', method }, 'consent')}
        />
      );
      break;
    case 'demographics':
      body = <DemographicsStep key={view.id} {...stepProps} fields={form.fields} />;
      break;
    case 'face':
      body = <FaceStep key={view.id} {...stepProps} cameraDeviceId={cameraDeviceId} />;
      break;
    case 'fingers':
      body = <FingersStep key={view.id} {...stepProps} />;
      break;
    case 'dedup':
      body = <DedupStep key={view.id} {...stepProps} {...(supervisorId ? { supervisorId } : {})} />;
      break;
    case 'review':
      body = <ReviewStep key={view.id} {...stepProps} fields={form.fields} />;
      break;
    case 'approval':
      body = <ApprovalStep key={view.id} {...stepProps} {...(supervisorId ? { supervisorId } : {})} onLater={onExit} />;
      break;
    case 'receipt':
      body = <ReceiptStep key={view.id} id={view.id} locale={locale} onDone={onExit} />;
      break;
  }

  return (
    <section className="screen wizard" aria-labelledby="wizard-title" aria-busy={busy || undefined} data-testid="wizard" data-step={view.step} data-status={view.status} data-id={view.id} data-rev={view.rev}>
      <div className="wizard-head">
        <h1 id="wizard-title">{t('enrollment.title')}</h1>
        <span className="muted rid" dir="ltr" data-testid="wizard-rid">
          {view.rid}
        </span>
        <span className="wizard-busy" role="status" data-testid="wizard-busy">
          {busy ? t('enrollment.busy') : ''}
        </span>
      </div>
      <Stepper
        steps={view.steps.map((s) => ({ id: s.step, reachable: s.canGoTo, done: s.state === 'done' }))}
        current={view.step}
        locale={locale}
        onGo={(step) => void act('kiosk:workflow.goTo', { id: view.id, step: step as WorkflowView['step'] }, 'goTo')}
      />
      {error ? (
        <p role="alert" className="error" data-testid="wizard-error">
          {error}
        </p>
      ) : null}
      {body}
      {demo && view.status === 'draft' && (view.step === 'face' || view.step === 'fingers') ? <DemoPersonControl id={view.id} /> : null}
      {busy ? (
        // Where the clerk is looking, whatever the scroll position (approving and sealing take seconds).
        <div className="busy-overlay no-print" data-testid="wizard-busy-overlay" aria-hidden="true">
          <span className="spinner" />
          {t('enrollment.busy')}
        </div>
      ) : null}
      <div className="wizard-foot no-print">
        <button type="button" className="btn" data-testid="wizard-exit" onClick={onExit}>
          {t('enrollment.exit')}
        </button>
        {view.actions.includes('abandon') ? <AbandonForm id={view.id} onAbandoned={onExit} /> : null}
      </div>
    </section>
  );
}
