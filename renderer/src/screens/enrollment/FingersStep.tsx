// Fingers: the capture screen of the finger helper (hand diagram, per-finger quality, retries, exceptions, sequence
// check) works on a capture session named after this draft. Every capture, exception or reset is saved to the draft
// at once (kiosk:workflow.fingers with save), so a kiosk restart loses no finger; "continue" binds the session and
// leaves the step. One count, from one source, says how far the clerk is; what is missing shows only when they try to
// continue too early — and then says exactly which fingers.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../../main/contract/ipc';
import type { FingerSessionView } from '../../../../main/contract/channels/finger';
import type { WorkflowView } from '../../../../main/contract/channels/workflow';
import { formatNumber } from '../../format';
import { FingerStep, isDone } from './FingerStep';
import type { Act } from './act';
import { fingerList, messageText } from './messages';
import { useStepHeading } from './useStepHeading';

export interface FingersStepProps {
  view: WorkflowView;
  locale: Locale;
  busy: boolean;
  act: Act;
}

export function FingersStep({ view, locale, busy, act }: FingersStepProps) {
  const { t, i18n } = useTranslation();
  const heading = useStepHeading('fingers');
  const dedup = view.steps.find((s) => s.step === 'dedup');
  const [session, setSession] = useState<FingerSessionView | null>(null);
  // How many times "continue" was pressed too early: each press moves the focus to what is missing, after React has
  // rendered it (a timer could run before the render and leave the focus on the button).
  const [triedEarly, setTriedEarly] = useState(0);
  const [tried, setTried] = useState(false);
  const missingRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (triedEarly > 0) missingRef.current?.focus();
  }, [triedEarly]);
  const complete = session?.complete ?? false;
  // One source for every number on this screen: the capture session (with what the draft holds merged in).
  const captured = session?.fingers.filter((f) => f.state === 'captured').length ?? view.fingers.captured.length;
  const done = session?.fingers.filter((f) => isDone(f)).length ?? view.fingers.captured.length + view.fingers.exceptions.length;
  const excepted = session?.fingers.filter((f) => f.state === 'excepted').length ?? view.fingers.exceptions.length;
  const missing = session ? session.fingers.filter((f) => !isDone(f)).map((f) => f.position) : view.fingers.missing;
  const attempts = session?.fingers.reduce((n, f) => n + f.attempts, 0) ?? 0;

  const save = () => void act('kiosk:workflow.fingers', { id: view.id, save: true }, undefined, { quiet: true });
  const proceed = async () => {
    setTried(true);
    if (!complete) {
      // Nothing is sent: say what is left, where the clerk is looking.
      setTriedEarly((n) => n + 1);
      return;
    }
    await act('kiosk:workflow.fingers', { id: view.id }, 'fingers-bind');
  };

  if (view.capturePolicy?.child) {
    // A household member under the configured age gives no fingerprints (issue 19).
    return (
      <section className="wizard-step" aria-labelledby="fingers-title" data-testid="wizard-fingers" data-child="true">
        <h2 id="fingers-title" tabIndex={-1} ref={heading}>
          {t('enrollment.fingers.title')}
        </h2>
        <p className="panel" role="note" data-testid="fingers-child-note">
          {t('household.fingers.childNote', { age: formatNumber(view.capturePolicy.childAgeYears, locale) })}
        </p>
        <div className="wizard-actions">
          <button type="button" className="btn btn-primary" data-testid="fingers-skip" disabled={busy || !view.actions.includes('fingers.bind')} onClick={() => void act('kiosk:workflow.fingers', { id: view.id }, 'fingers-bind')}>
            {t('household.fingers.skip')}
          </button>
        </div>
      </section>
    );
  }

  return (
    <section className="wizard-step" aria-labelledby="fingers-title" data-testid="wizard-fingers">
      <h2 id="fingers-title" tabIndex={-1} ref={heading}>
        {t('enrollment.fingers.title')}
      </h2>
      <FingerStep
        sessionId={view.id}
        locale={locale}
        saved={{ fingers: view.fingers.captured, exceptions: view.fingers.exceptions }}
        onChange={setSession}
        onCaptured={save}
      />
      <p data-testid="fingers-bound-count" data-captured={captured} data-done={done} data-attempts={attempts} data-excepted={excepted}>
        {t('clerk.fingers.count', { done: formatNumber(done, locale), total: formatNumber(10, locale) })}
        {excepted ? ` · ${t('enrollment.fingers.exceptions', { n: formatNumber(excepted, locale) })}` : ''}
      </p>
      {tried && !complete ? (
        <div className="blockers" role="alert" tabIndex={-1} ref={missingRef} data-testid="fingers-missing">
          {missing.length
            ? t('clerk.fingers.stillMissing', { n: formatNumber(missing.length, locale), fingers: fingerList(missing.join(','), t, locale) })
            : t('clerk.fingers.retakesOpen')}
        </div>
      ) : null}
      {tried && complete && view.blockers.length ? (
        <ul className="blockers" data-testid="fingers-blockers">
          {view.blockers.map((b) => (
            <li key={b.key}>{messageText(b, t, locale, (k) => i18n.exists(k))}</li>
          ))}
        </ul>
      ) : null}
      <div className="wizard-actions">
        {dedup?.canGoTo && view.fingers.missing.length === 0 ? (
          <button type="button" className="btn" data-testid="fingers-next" disabled={busy} onClick={() => void act('kiosk:workflow.goTo', { id: view.id, step: 'dedup' }, 'goTo')}>
            {t('enrollment.next')}
          </button>
        ) : null}
        <button
          type="button"
          className={complete ? 'btn btn-primary' : 'btn'}
          data-testid="fingers-bind"
          aria-disabled={busy || undefined}
          disabled={!view.actions.includes('fingers.bind')}
          onClick={() => {
            if (!busy) void proceed();
          }}
        >
          {t('enrollment.fingers.bind')}
        </button>
      </div>
    </section>
  );
}
