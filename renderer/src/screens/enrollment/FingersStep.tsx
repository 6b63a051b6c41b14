// Fingers: the capture screen of the finger helper (hand diagram, per-finger quality, retries, exceptions, sequence
// check) works on a capture session named after this draft; "continue" binds that session to the draft in main.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../../main/contract/ipc';
import type { WorkflowView } from '../../../../main/contract/channels/workflow';
import { formatNumber } from '../../format';
import { FingerStep } from './FingerStep';
import type { Act } from './act';
import { messageText } from './messages';
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
  // The capture session says when every position is captured or excepted: then "continue" is the next move.
  const [complete, setComplete] = useState(false);
  return (
    <section className="wizard-step" aria-labelledby="fingers-title" data-testid="wizard-fingers">
      <h2 id="fingers-title" tabIndex={-1} ref={heading}>
        {t('enrollment.fingers.title')}
      </h2>
      <FingerStep sessionId={view.id} locale={locale} onChange={(s) => setComplete(s.complete)} />
      <p data-testid="fingers-bound-count">
        {t('enrollment.fingers.captured', { n: formatNumber(view.fingers.captured.length, locale) })}
        {view.fingers.exceptions.length ? ` · ${t('enrollment.fingers.exceptions', { n: formatNumber(view.fingers.exceptions.length, locale) })}` : ''}
      </p>
      {view.blockers.length ? (
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
        <button type="button" className={complete ? 'btn btn-primary' : 'btn'} data-testid="fingers-bind" disabled={busy || !view.actions.includes('fingers.bind')} onClick={() => void act('kiosk:workflow.fingers', { id: view.id }, 'fingers-bind')}>
          {t('enrollment.fingers.bind')}
        </button>
      </div>
    </section>
  );
}
