// Supervisor: drafts blocked on a possible duplicate. Opening one shows the side-by-side comparison and the decision.
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../main/contract/ipc';
import { useCall } from '../kiosk-state';
import { EnrollmentList } from './enrollment/EnrollmentList';
import { errorText } from './enrollment/messages';
import { useStepHeading } from './enrollment/useStepHeading';

export function Adjudication({ locale, onOpen }: { locale: Locale; onOpen: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  const heading = useStepHeading('adjudication');
  const [queue] = useCall('kiosk:workflow.adjudicationQueue', {});
  return (
    <section className="screen" aria-labelledby="adjudication-title" data-testid="adjudication-queue">
      <h1 id="adjudication-title" tabIndex={-1} ref={heading}>
        {t('enrollment.queue.adjudicationTitle')}
      </h1>
      {queue.status === 'error' ? (
        <p role="alert" className="error">
          {errorText(queue.error, t, (k) => i18n.exists(k))}
        </p>
      ) : null}
      {queue.status === 'ok' ? (
        <EnrollmentList items={queue.value.items} locale={locale} testId="adjudications" actions={(item) => [{ label: t('enrollment.queue.open'), testId: `adjudications-open-${item.rid}`, onClick: () => onOpen(item.id) }]} />
      ) : null}
    </section>
  );
}
