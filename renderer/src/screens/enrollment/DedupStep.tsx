// Duplicate check: runs in main once the biometrics are in. A possible duplicate is shown side by side (photos,
// matched fingers, scores) and blocks the enrollment until a supervisor decides; a match with an operator is flagged.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../../main/contract/ipc';
import type { DedupCandidateView, WorkflowView } from '../../../../main/contract/channels/workflow';
import { formatNumber } from '../../format';
import type { Act } from './act';
import { fingerList, messageText } from './messages';
import { SupervisorForm } from './SupervisorForm';
import { useStepHeading } from './useStepHeading';
import { Base64Image } from './useBlobUrl';

const round = (x: number) => Math.round(x * 100) / 100;

function Candidate({ c, probePhoto, locale }: { c: DedupCandidateView; probePhoto: string | null; locale: Locale }) {
  const { t } = useTranslation();
  const name = c.displayName ? (locale === 'ar' ? c.displayName.ar ?? c.displayName.latin : c.displayName.latin ?? c.displayName.ar) : null;
  return (
    <li className={`candidate candidate-${c.decision}`} data-testid="dedup-candidate" data-decision={c.decision} data-rid={c.rid ?? ''}>
      <div className="side-by-side">
        <figure>
          {probePhoto ? <Base64Image base64={probePhoto} type="image/jpeg" alt={t('enrollment.dedup.probe')} /> : <div className="no-photo">{t('enrollment.review.noFace')}</div>}
          <figcaption>{t('enrollment.dedup.probe')}</figcaption>
        </figure>
        <figure>
          {c.photoBase64 ? (
            <Base64Image base64={c.photoBase64} type="image/jpeg" alt={t('enrollment.dedup.candidate')} data-testid="dedup-candidate-photo" />
          ) : (
            <div className="no-photo">{t('enrollment.dedup.noPhoto')}</div>
          )}
          <figcaption>
            {c.rid ? t('enrollment.dedup.candidateRid', { rid: c.rid }) : t('enrollment.dedup.candidate')} · {t(`enrollment.dedup.source.${c.source}`)}
            {name ? <span className="candidate-name"> · {name}</span> : null}
          </figcaption>
        </figure>
      </div>
      <dl className="scores">
        <dt>{t(`enrollment.dedup.decision.${c.decision}`)}</dt>
        <dd>{t('enrollment.dedup.llr', { llr: formatNumber(round(c.llr), locale) })}</dd>
        {c.faceScore !== null ? <dd data-testid="dedup-face-score">{t('enrollment.dedup.faceScore', { score: formatNumber(round(c.faceScore), locale) })}</dd> : null}
        <dd data-testid="dedup-matched-fingers">
          {c.matchedFingers.length ? t('enrollment.dedup.matchedFingers', { fingers: fingerList(c.matchedFingers.join(','), t) }) : t('enrollment.dedup.noMatchedFingers')}
        </dd>
      </dl>
      {c.fingerScores.length ? (
        <ul className="finger-scores">
          {c.fingerScores.map((f) => (
            <li key={f.position} className={f.matched ? 'ok' : undefined}>
              {t('enrollment.dedup.fingerScore', { finger: t(`enrollment.fingerNames.${f.position}`), score: f.score === null ? '—' : formatNumber(round(f.score), locale) })}
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

export interface DedupStepProps {
  view: WorkflowView;
  locale: Locale;
  busy: boolean;
  act: Act;
  /** The signed-in supervisor (adjudication queue): pre-fills the supervisor ID. */
  supervisorId?: string;
}

export function DedupStep({ view, locale, busy, act, supervisorId }: DedupStepProps) {
  const { t, i18n } = useTranslation();
  const exists = (k: string) => i18n.exists(k);
  const heading = useStepHeading('dedup');
  const [decision, setDecision] = useState<'not_duplicate' | 'duplicate' | null>(null);
  const d = view.dedup;
  // The supervisor decides on this screen with their own credentials (checked in main), whoever is signed in.
  const needsDecision = view.status === 'draft' && !d.adjudication && (d.state === 'possible_duplicate' || d.state === 'duplicate' || d.operatorMatch !== null);
  const review = view.steps.find((s) => s.step === 'review');
  return (
    <section aria-labelledby="dedup-title" className="wizard-step" data-testid="wizard-dedup" data-state={d.state}>
      <h2 id="dedup-title" tabIndex={-1} ref={heading}>
        {t('enrollment.dedup.title')}
      </h2>
      <p role="status" data-testid="dedup-state">
        {d.state === 'not_run'
          ? t('enrollment.dedup.notRun')
          : d.state === 'unavailable'
            ? t('enrollment.dedup.unavailable')
            : d.state === 'clear'
              ? t('enrollment.dedup.clear')
              : d.state === 'adjudicated' && d.adjudication
                ? t('enrollment.dedup.adjudicated', { supervisorId: d.adjudication.supervisorId, decision: t(`enrollment.dedup.adjudication.${d.adjudication.decision}`), reason: d.adjudication.reason })
                : t(`enrollment.dedup.decision.${d.state === 'duplicate' ? 'duplicate' : 'possible_duplicate'}`)}
        {d.ranAt ? ` — ${t('enrollment.dedup.searched', { n: formatNumber(d.searched, locale) })}` : ''}
      </p>
      {d.operatorMatch ? (
        <p role="alert" className="error" data-testid="dedup-operator-match">
          {t('enrollment.dedup.operatorMatch', { operatorId: d.operatorMatch.operatorId })}
        </p>
      ) : null}
      {d.candidates.length ? (
        <ul className="candidates">
          {d.candidates.map((c) => (
            <Candidate key={c.id} c={c} probePhoto={view.face?.imageBase64 ?? null} locale={locale} />
          ))}
        </ul>
      ) : null}
      {view.blockers.length ? (
        <ul className="blockers" data-testid="dedup-blockers">
          {view.blockers.map((b) => (
            <li key={b.key}>{messageText(b, t, locale, exists)}</li>
          ))}
        </ul>
      ) : null}
      {needsDecision ? (
        <section className="panel" aria-labelledby="adjudicate-title" data-testid="dedup-adjudicate">
          <h3 id="adjudicate-title">{t('enrollment.dedup.adjudicateTitle')}</h3>
          <p>{t('enrollment.dedup.blocked')}</p>
          <SupervisorForm
            prefix="adjudicate"
            submitLabel={t('enrollment.dedup.decide')}
            withReason
            busy={busy}
            defaultOperatorId={supervisorId}
            danger={decision === 'duplicate'}
            validate={() => (decision ? null : t('enrollment.dedup.blocked'))}
            onSubmit={(supervisor, reason) => void act('kiosk:workflow.adjudicate', { id: view.id, supervisor, decision: decision!, reason }, 'adjudicate')}
          >
            <div className="segmented" role="radiogroup" aria-label={t('enrollment.dedup.adjudicateTitle')}>
              {(['not_duplicate', 'duplicate'] as const).map((k) => (
                <button
                  key={k}
                  type="button"
                  role="radio"
                  aria-checked={decision === k}
                  className={decision === k ? 'btn btn-primary' : 'btn'}
                  data-testid={`adjudicate-${k}`}
                  onClick={() => setDecision(k)}
                >
                  {k === 'duplicate' ? t('enrollment.dedup.duplicate') : t('enrollment.dedup.notDuplicate')}
                </button>
              ))}
            </div>
          </SupervisorForm>
        </section>
      ) : null}
      <div className="wizard-actions">
        {view.actions.includes('dedup.run') && view.status === 'draft' ? (
          <button type="button" className="btn" data-testid="dedup-run" disabled={busy} onClick={() => void act('kiosk:workflow.dedup', { id: view.id }, 'dedup')}>
            {d.state === 'not_run' ? t('enrollment.dedup.title') : t('enrollment.dedup.run')}
          </button>
        ) : null}
        {review?.canGoTo ? (
          <button type="button" className="btn btn-primary" data-testid="dedup-next" disabled={busy} onClick={() => void act('kiosk:workflow.goTo', { id: view.id, step: 'review' }, 'goTo')}>
            {t('enrollment.next')}
          </button>
        ) : null}
      </div>
    </section>
  );
}
