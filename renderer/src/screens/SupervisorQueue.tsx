// Supervisor queues: enrollments waiting for approval, and drafts blocked on a possible duplicate. Opening one shows
// it in the wizard at its step (approval: review + approve/reject; adjudication: side by side + decision).
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../main/contract/ipc';
import { useEffect } from 'react';
import { useCall, useEvent } from '../kiosk-state';
import { EnrollmentList } from './enrollment/EnrollmentList';
import { errorText } from './enrollment/messages';
import { useStepHeading } from './enrollment/useStepHeading';

const QUEUES = {
  approvals: { channel: 'kiosk:workflow.approvalQueue', title: 'enrollment.queue.approvalsTitle', testId: 'approval-queue' },
  adjudications: { channel: 'kiosk:workflow.adjudicationQueue', title: 'enrollment.queue.adjudicationTitle', testId: 'adjudication-queue' },
} as const;

function SupervisorQueue({ kind, heading: headingKey, locale, onOpen }: { kind: keyof typeof QUEUES; heading: 'approvals' | 'adjudication'; locale: Locale; onOpen: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  const q = QUEUES[kind];
  const heading = useStepHeading(headingKey);
  const [queue, reload] = useCall(q.channel, {});
  // A decision on another screen (or a new submission) changes the queue: follow it.
  const changed = useEvent('kiosk:event.enrollment-changed');
  useEffect(() => {
    if (changed) reload();
  }, [changed]);
  return (
    <section className="screen" aria-labelledby={`${headingKey}-title`} data-testid={q.testId}>
      <h1 id={`${headingKey}-title`} tabIndex={-1} ref={heading}>
        {t(q.title)}
      </h1>
      {queue.status === 'error' ? (
        <p role="alert" className="error">
          {errorText(queue.error, t, (k) => i18n.exists(k))}
        </p>
      ) : null}
      {queue.status === 'ok' ? (
        <EnrollmentList items={queue.value.items} locale={locale} testId={kind} actions={(item) => [{ label: t('enrollment.queue.open'), testId: `${kind}-open-${item.rid}`, onClick: () => onOpen(item.id) }]} />
      ) : null}
    </section>
  );
}

export function ApprovalQueue(props: { locale: Locale; onOpen: (id: string) => void }) {
  return <SupervisorQueue kind="approvals" heading="approvals" {...props} />;
}

export function Adjudication(props: { locale: Locale; onOpen: (id: string) => void }) {
  return <SupervisorQueue kind="adjudications" heading="adjudication" {...props} />;
}
