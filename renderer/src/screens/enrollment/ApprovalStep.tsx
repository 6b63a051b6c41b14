// Supervisor approval: a supervisor signs in on this screen (own ID + PIN) and approves or rejects with a reason,
// or the clerk leaves it for the approval queue. A rejected draft can be reopened to correct it.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../../main/contract/ipc';
import type { WorkflowView } from '../../../../main/contract/channels/workflow';
import type { Act } from './act';
import { messageText } from './messages';
import { CaseFile } from './CaseFile';
import { SupervisorForm } from './SupervisorForm';
import { useStepHeading } from './useStepHeading';

export interface ApprovalStepProps {
  view: WorkflowView;
  locale: Locale;
  busy: boolean;
  act: Act;
  supervisorId?: string;
  onLater: () => void;
}

export function ApprovalStep({ view, locale, busy, act, supervisorId, onLater }: ApprovalStepProps) {
  const { t, i18n } = useTranslation();
  const heading = useStepHeading('approval');
  const [mode, setMode] = useState<'approve' | 'reject'>('approve');
  // A supervisor approves on this screen with their own credentials (checked in main), whoever is signed in.
  const canApprove = view.status === 'pending_approval';
  const canReject = view.status === 'pending_approval';
  const firstEditable = view.steps.find((s) => s.canGoTo && s.step !== 'approval');
  return (
    <section aria-labelledby="approval-title" className="wizard-step" data-testid="wizard-approval">
      <h2 id="approval-title" tabIndex={-1} ref={heading}>
        {t('enrollment.approval.title')}
      </h2>
      {view.approval ? (
        <p role="status" data-testid="approval-result">
          {view.approval.decision === 'approved'
            ? t('enrollment.approval.approved', { supervisorId: view.approval.supervisorId })
            : t('enrollment.approval.rejected', { supervisorId: view.approval.supervisorId, reason: view.approval.reason ?? '' })}
        </p>
      ) : (
        <p data-testid="approval-waiting">{t('enrollment.approval.waiting')}</p>
      )}
      {view.blockers.length ? (
        <ul className="blockers">
          {view.blockers.map((b) => (
            <li key={b.key}>{messageText(b, t, locale, (k) => i18n.exists(k))}</li>
          ))}
        </ul>
      ) : null}
      {view.status === 'pending_approval' || view.status === 'rejected' ? <CaseFile view={view} locale={locale} /> : null}
      {canApprove || canReject ? (
        <div className="panel">
          <div className="segmented" role="radiogroup" aria-label={t('enrollment.approval.title')}>
            {canApprove ? (
              <button type="button" role="radio" aria-checked={mode === 'approve'} className={mode === 'approve' ? 'btn btn-primary' : 'btn'} data-testid="approval-mode-approve" onClick={() => setMode('approve')}>
                {t('enrollment.approval.approve')}
              </button>
            ) : null}
            {canReject ? (
              <button type="button" role="radio" aria-checked={mode === 'reject'} className={mode === 'reject' ? 'btn btn-primary' : 'btn'} data-testid="approval-mode-reject" onClick={() => setMode('reject')}>
                {t('enrollment.approval.reject')}
              </button>
            ) : null}
          </div>
          {mode === 'approve' ? (
            <SupervisorForm
              key="approve"
              prefix="approve"
              submitLabel={t('enrollment.approval.approve')}
              withReason={false}
              busy={busy}
              defaultOperatorId={supervisorId}
              onSubmit={(supervisor) => void act('kiosk:workflow.approve', { id: view.id, supervisor }, 'approve')}
            />
          ) : (
            <SupervisorForm
              key="reject"
              prefix="reject"
              submitLabel={t('enrollment.approval.reject')}
              withReason
              reasonLabel={t('enrollment.approval.rejectReason')}
              danger
              busy={busy}
              defaultOperatorId={supervisorId}
              onSubmit={(supervisor, reason) => void act('kiosk:workflow.reject', { id: view.id, supervisor, reason }, 'reject')}
            />
          )}
        </div>
      ) : null}
      <div className="wizard-actions">
        {view.status === 'rejected' && firstEditable ? (
          <button type="button" className="btn" data-testid="approval-reopen" disabled={busy} onClick={() => void act('kiosk:workflow.goTo', { id: view.id, step: 'review' }, 'goTo')}>
            {t('enrollment.approval.reopen')}
          </button>
        ) : null}
        <button type="button" className="btn" data-testid="approval-later" onClick={onLater}>
          {t('enrollment.approval.later')}
        </button>
      </div>
    </section>
  );
}
