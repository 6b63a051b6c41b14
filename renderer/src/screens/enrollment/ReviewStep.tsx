// Review: everything on one screen with an edit link per section (back to that step); the clerk confirms and the
// enrollment goes to supervisor approval.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../../main/contract/ipc';
import type { FormField, WorkflowStep, WorkflowView } from '../../../../main/contract/channels/workflow';
import { formatDateTime, formatNumber } from '../../format';
import type { Act } from './act';
import { fingerList, formatIsoDate, messageText } from './messages';
import { useLocationNames } from './useLocationNames';
import { useStepHeading } from './useStepHeading';
import { Base64Image } from './useBlobUrl';

export interface ReviewStepProps {
  view: WorkflowView;
  fields: FormField[];
  locale: Locale;
  busy: boolean;
  act: Act;
}

export function ReviewStep({ view, fields, locale, busy, act }: ReviewStepProps) {
  const { t, i18n } = useTranslation();
  const exists = (k: string) => i18n.exists(k);
  const heading = useStepHeading('review');
  const values = view.demographics.values;
  const places = useLocationNames(fields, values, locale);
  const canGo = (s: WorkflowStep) => view.steps.find((x) => x.step === s)?.canGoTo ?? false;

  const section = (step: WorkflowStep, body: ReactNode) => (
    <section className="review-section" aria-labelledby={`review-${step}`} data-testid={`review-${step}`}>
      <div className="review-head">
        <h3 id={`review-${step}`}>{t(`enrollment.steps.${step}`)}</h3>
        {canGo(step) && view.status === 'draft' ? (
          <button type="button" className="btn btn-small" data-testid={`review-edit-${step}`} disabled={busy} onClick={() => void act('kiosk:workflow.goTo', { id: view.id, step }, 'goTo')}>
            {t('enrollment.review.edit', { section: t(`enrollment.steps.${step}`) })}
          </button>
        ) : null}
      </div>
      {body}
    </section>
  );

  const valueText = (f: FormField): string => {
    const v = values[f.name] ?? '';
    if (!v) return '—';
    if (f.type === 'enum') return exists(`enrollment.${f.name}.${v}`) ? t(`enrollment.${f.name}.${v}`) : v;
    if (f.type === 'location') return places[f.name] ?? v;
    if (f.type === 'date') return formatIsoDate(v, locale);
    return v;
  };

  return (
    <section aria-labelledby="review-title" className="wizard-step" data-testid="wizard-review">
      <h2 id="review-title" tabIndex={-1} ref={heading}>
        {t('enrollment.review.title')}
      </h2>
      <p className="muted">{t('enrollment.review.intro')}</p>
      <div className="review-grid">
        {section(
          'consent',
          view.consent ? (
            <p>
              {t('enrollment.review.consent', { method: t(`enrollment.consent.methods.${view.consent.method}`), version: view.consent.textVersion })} · {formatDateTime(view.consent.acceptedAt, locale)}
            </p>
          ) : (
            <p className="error">{t('workflow.block.consentMissing')}</p>
          ),
        )}
        {section(
          'demographics',
          <dl className="review-list">
            {fields.map((f) => (
              <div key={f.name} className="review-row">
                <dt>{exists(f.labelKey) ? t(f.labelKey) : f.name}</dt>
                {/* The value is isolated (bdi), the cell keeps the page direction: every value lines up at the column's start. */}
                <dd>
                  <bdi data-testid={`review-value-${f.name}`} dir={f.script === 'latin' || f.type === 'digits' || f.type === 'phone' ? 'ltr' : 'auto'}>
                    {valueText(f)}
                  </bdi>
                </dd>
              </div>
            ))}
            {view.demographics.derived.age !== null ? (
              <div className="review-row">
                <dt>{t('enrollment.demographics.groups.birth')}</dt>
                <dd>{t('enrollment.demographics.age', { age: formatNumber(view.demographics.derived.age, locale) })}</dd>
              </div>
            ) : null}
          </dl>,
        )}
        {section(
          'face',
          view.face?.imageBase64 ? (
            <Base64Image className="review-photo" base64={view.face.imageBase64} type="image/jpeg" alt={t('face.token')} data-testid="review-photo" />
          ) : view.face?.exception ? (
            <p>{t('enrollment.face.excepted', { kind: t(`enrollment.face.exceptionKinds.${view.face.exception.kind}`), reason: view.face.exception.reason })}</p>
          ) : (
            <p className="error">{t('enrollment.review.noFace')}</p>
          ),
        )}
        {section(
          'fingers',
          <>
            <p data-testid="review-fingers">{t('enrollment.fingers.captured', { n: formatNumber(view.fingers.captured.length, locale) })}</p>
            {view.fingers.exceptions.length ? (
              <ul>
                {view.fingers.exceptions.map((e) => (
                  <li key={e.position}>
                    {fingerList(String(e.position), t, locale)}: {t(`enrollment.exceptionKinds.${e.kind}`)} — {e.reason}
                  </li>
                ))}
              </ul>
            ) : null}
          </>,
        )}
        {section(
          'dedup',
          <p>
            {view.dedup.state === 'clear'
              ? t('enrollment.dedup.clear')
              : view.dedup.adjudication
                ? t('enrollment.dedup.adjudicated', {
                    supervisorId: view.dedup.adjudication.supervisorId,
                    decision: t(`enrollment.dedup.adjudication.${view.dedup.adjudication.decision}`),
                    reason: view.dedup.adjudication.reason,
                  })
                : t(`enrollment.dedup.${view.dedup.state === 'unavailable' ? 'unavailable' : 'notRun'}`)}
          </p>,
        )}
      </div>
      {view.notices.length ? (
        <ul className="notices">
          {view.notices.map((n) => (
            <li key={n.key}>{messageText(n, t, locale, exists)}</li>
          ))}
        </ul>
      ) : null}
      {view.blockers.length ? (
        <ul className="blockers" data-testid="review-blockers">
          {view.blockers.map((b) => (
            <li key={b.key}>{messageText(b, t, locale, exists)}</li>
          ))}
        </ul>
      ) : null}
      <div className="wizard-actions">
        <button
          type="button"
          className="btn btn-primary"
          data-testid="review-confirm"
          disabled={busy || !view.actions.includes('review.confirm')}
          onClick={() => void act('kiosk:workflow.confirm', { id: view.id }, 'confirm')}
        >
          {t('enrollment.review.confirm')}
        </button>
      </div>
    </section>
  );
}
