// Supervisor: enrollments waiting for approval. Opening one shows it at the approval step (review + approve/reject).
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../main/contract/ipc';
import { useCall } from '../kiosk-state';
import { EnrollmentList } from './enrollment/EnrollmentList';
import { errorText } from './enrollment/messages';
import { useStepHeading } from './enrollment/useStepHeading';

export function ApprovalQueue({ locale, onOpen }: { locale: Locale; onOpen: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  const heading = useStepHeading('approvals');
  const [queue] = useCall('kiosk:workflow.approvalQueue', {});
  return (
    <section className="screen" aria-labelledby="approvals-title" data-testid="approval-queue">
      <h1 id="approvals-title" tabIndex={-1} ref={heading}>
        {t('enrollment.queue.approvalsTitle')}
      </h1>
      {queue.status === 'error' ? (
        <p role="alert" className="error">
          {errorText(queue.error, t, (k) => i18n.exists(k))}
        </p>
      ) : null}
      {queue.status === 'ok' ? (
        <EnrollmentList items={queue.value.items} locale={locale} testId="approvals" actions={(item) => [{ label: t('enrollment.queue.open'), testId: `approvals-open-${item.rid}`, onClick: () => onOpen(item.id) }]} />
      ) : null}
    </section>
  );
}
