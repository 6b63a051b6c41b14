// The enrollment part of the home screen: start a new enrollment, resume unfinished drafts, and for supervisors
// the number of enrollments waiting for approval or adjudication.
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../../main/contract/ipc';
import type { SessionView } from '../../../../main/contract/channels/auth';
import { formatNumber } from '../../format';
import { useCall } from '../../kiosk-state';
import { EnrollmentList } from './EnrollmentList';

export interface EnrollmentHomeProps {
  locale: Locale;
  session: SessionView;
  onStart: () => void;
  onOpen: (id: string) => void;
  onQueue: (queue: 'approvals' | 'adjudication') => void;
}

export function EnrollmentHome({ locale, session, onStart, onOpen, onQueue }: EnrollmentHomeProps) {
  const { t } = useTranslation();
  const staff = session.role === 'clerk' || session.role === 'supervisor';
  const [drafts] = useCall('kiosk:workflow.drafts', { limit: 20 });
  const supervisor = session.role === 'supervisor';
  const [approvals] = useCall('kiosk:workflow.approvalQueue', {});
  const [adjudications] = useCall('kiosk:workflow.adjudicationQueue', {});
  if (!staff) return null;
  return (
    <section className="panel enrollment-home" aria-labelledby="enroll-home-title" data-testid="enrollment-home">
      <div className="review-head">
        <h2 id="enroll-home-title">{t('enrollment.home.drafts')}</h2>
        <button type="button" className="btn btn-primary" data-testid="enroll-start" onClick={onStart}>
          {t('enrollment.home.start')}
        </button>
      </div>
      {drafts.status === 'ok' ? (
        drafts.value.items.length ? (
          <EnrollmentList
            items={drafts.value.items}
            locale={locale}
            testId="drafts"
            actions={(item) => [{ label: t('enrollment.home.resume'), testId: `resume-${item.rid}`, onClick: () => onOpen(item.id) }]}
          />
        ) : (
          <p className="muted" data-testid="drafts-empty">
            {t('enrollment.home.noDrafts')}
          </p>
        )
      ) : null}
      {supervisor ? (
        <div className="segmented">
          <button type="button" className="btn" data-testid="home-approvals" onClick={() => onQueue('approvals')}>
            {t('enrollment.home.approvals', { n: formatNumber(approvals.status === 'ok' ? approvals.value.items.length : 0, locale) })}
          </button>
          <button type="button" className="btn" data-testid="home-adjudications" onClick={() => onQueue('adjudication')}>
            {t('enrollment.home.adjudications', { n: formatNumber(adjudications.status === 'ok' ? adjudications.value.items.length : 0, locale) })}
          </button>
        </div>
      ) : null}
    </section>
  );
}
