// Registry outcomes for the supervisor (issue 10): central duplicates with the registry's per-modality evidence, and
// rejections that need the person to be enrolled again. Data: kiosk:sync.outcomes (supervisor only, checked in main).
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../main/contract/ipc';
import type { SyncOutcomeView } from '../../../main/contract/channels/sync';
import { formatDateTime, formatNumber } from '../format';
import { useCall } from '../kiosk-state';

const fixed = (x: number, digits = 2) => x.toFixed(digits);

function Evidence({ o, locale }: { o: SyncOutcomeView; locale: Locale }) {
  const { t } = useTranslation();
  const e = o.evidence;
  if (!e) return null;
  return (
    <div className="outcome-evidence" data-testid="outcome-evidence">
      <h3>{t('sync.evidence')}</h3>
      <ul>
        <li>{e.face?.available && e.face.score !== null ? t('sync.face', { score: fixed(e.face.score), llr: fixed(e.face.llr, 1) }) : t('sync.faceMissing')}</li>
        {e.fingers.map((f) => (
          <li key={f.position} data-testid={`outcome-finger-${f.position}`}>
            {f.score === null
              ? t('sync.fingerNotCompared', { position: formatNumber(f.position, locale) })
              : t('sync.finger', { position: formatNumber(f.position, locale), score: fixed(f.score, 0), llr: fixed(f.llr, 1), matched: f.matched ? t('sync.matched') : '' })}
          </li>
        ))}
        <li>{t('sync.fused', { llr: fixed(e.llr, 1), threshold: fixed(e.thresholds.duplicateLlr, 1) })}</li>
        {e.probeMissing.length ? <li>{t('sync.missing', { list: e.probeMissing.join(', ') })}</li> : null}
      </ul>
    </div>
  );
}

export function SyncOutcomes({ locale }: { locale: Locale }) {
  const { t } = useTranslation();
  const [state, reload] = useCall('kiosk:sync.outcomes', { limit: 200 });
  return (
    <section className="screen" aria-labelledby="sync-outcomes-title" data-testid="sync-outcomes">
      <h1 id="sync-outcomes-title" tabIndex={-1}>
        {t('sync.title')}
      </h1>
      <p>{t('sync.intro')}</p>
      <button type="button" className="btn" data-testid="sync-outcomes-refresh" onClick={reload}>
        {t('sync.refresh')}
      </button>
      {state.status === 'loading' ? <p role="status">{t('sync.loading')}</p> : null}
      {state.status === 'error' ? (
        <p role="alert" data-testid="sync-outcomes-error">
          {t('sync.error', { code: state.error.code })}
        </p>
      ) : null}
      {state.status === 'ok' ? (
        <>
          <p data-testid="sync-outcomes-counts">{t('sync.counts', { duplicate: formatNumber(state.value.counts.duplicate, locale), rejected: formatNumber(state.value.counts.rejected, locale) })}</p>
          {state.value.outcomes.length === 0 ? <p data-testid="sync-outcomes-none">{t('sync.none')}</p> : null}
          <ul className="outcome-list">
            {state.value.outcomes.map((o) => (
              <li key={o.recordId} className={`outcome outcome-${o.kind}`} data-testid="sync-outcome">
                <h2>{t(`sync.kind.${o.kind}`)}</h2>
                <p className="outcome-action" data-testid="outcome-action">
                  {o.action === 'review' ? t('sync.action.review', { rid: o.duplicateOf ?? '—' }) : t('sync.action.reenroll')}
                </p>
                <dl>
                  <dt>{t('sync.rid')}</dt>
                  <dd dir="ltr">{o.rid ?? o.recordId}</dd>
                  {o.duplicateOf ? (
                    <>
                      <dt>{t('sync.duplicateOf')}</dt>
                      <dd dir="ltr">{o.duplicateOf}</dd>
                    </>
                  ) : null}
                  {o.reason ? (
                    <>
                      <dt>{t('sync.reason')}</dt>
                      <dd dir="ltr">{o.reason}</dd>
                    </>
                  ) : null}
                  <dt>{t('sync.decidedAt')}</dt>
                  <dd>{formatDateTime(o.decidedAt, locale)}</dd>
                </dl>
                <Evidence o={o} locale={locale} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
