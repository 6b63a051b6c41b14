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
import { PersonCard, personOfView, type PersonFacts } from './PersonCard';

const round = (x: number) => Math.round(x * 100) / 100;

function Candidate({ c, view, locale }: { c: DedupCandidateView; view: WorkflowView; locale: Locale }) {
  const { t } = useTranslation();
  const existing: PersonFacts = {
    photoBase64: c.photoBase64,
    nameAr: c.displayName?.ar ?? null,
    nameLatin: c.displayName?.latin ?? null,
    dateOfBirth: c.dateOfBirth ?? null,
    nationalNumber: c.nationalNumber ?? null,
    capturedBy: c.capturedBy ?? null,
    enrolledAt: c.enrolledAt ?? null,
  };
  const title = `${c.rid ? t('enrollment.dedup.candidateRid', { rid: c.rid }) : t('enrollment.dedup.candidate')} · ${t(`enrollment.dedup.source.${c.source}`)}`;
  return (
    <li className={`candidate candidate-${c.decision}`} data-testid="dedup-candidate" data-decision={c.decision} data-rid={c.rid ?? ''} data-source={c.source}>
      <div className="side-by-side">
        <PersonCard title={t('supervisor.person.thisPerson')} person={personOfView(view)} locale={locale} testId="dedup-probe" />
        <PersonCard title={title} person={existing} locale={locale} testId="dedup-existing">
          {c.detailsFrom ? (
            <p className="muted" data-testid="dedup-details-from">
              {t(`supervisor.detailsFrom.${c.detailsFrom}`)}
            </p>
          ) : null}
          {c.status ? (
            <p className="muted">
              {t('supervisor.person.status')}: {t(`enrollment.status.${c.status}`)}
            </p>
          ) : null}
        </PersonCard>
      </div>
      <section className="evidence" aria-label={t('supervisor.evidence.title')}>
        <p className="scores">
          <strong>{t(`enrollment.dedup.decision.${c.decision}`)}</strong> · {t('enrollment.dedup.llr', { llr: formatNumber(round(c.llr), locale) })}
        </p>
        <table className="evidence-table" data-testid="dedup-evidence">
          <thead>
            <tr>
              <th scope="col">{t('supervisor.evidence.finger')}</th>
              <th scope="col">{t('supervisor.evidence.score')}</th>
              <th scope="col">{t('supervisor.evidence.match')}</th>
            </tr>
          </thead>
          <tbody>
            <tr data-testid="dedup-face-score">
              <td>{t('supervisor.evidence.face')}</td>
              <td>{c.faceScore === null ? t('supervisor.evidence.notCompared') : formatNumber(round(c.faceScore), locale)}</td>
              <td>—</td>
            </tr>
            {c.fingerScores.map((f) => (
              <tr key={f.position} className={f.matched ? 'ok' : undefined} data-testid={`dedup-finger-${f.position}`}>
                <td>{t(`enrollment.fingerNames.${f.position}`)}</td>
                <td>{f.score === null ? t('supervisor.evidence.notCompared') : formatNumber(round(f.score), locale)}</td>
                <td>{f.matched ? t('supervisor.evidence.yes') : t('supervisor.evidence.no')}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p data-testid="dedup-matched-fingers">
          {c.matchedFingers.length ? t('enrollment.dedup.matchedFingers', { fingers: fingerList(c.matchedFingers.join(','), t) }) : t('enrollment.dedup.noMatchedFingers')}
        </p>
      </section>
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
      <p role="status" data-testid="dedup-state" data-searched={d.ranAt ? d.searched : undefined}>
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
            <Candidate key={c.id} c={c} view={view} locale={locale} />
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
