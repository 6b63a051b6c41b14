// A list of enrollments (drafts, queues, history rows) with their flags and one action each.
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../../main/contract/ipc';
import type { HistoryItem } from '../../../../main/contract/channels/workflow';
import { formatDateTime, formatNumber } from '../../format';

export function displayName(item: Pick<HistoryItem, 'displayName'>, locale: Locale): string | null {
  const n = item.displayName;
  if (!n) return null;
  return locale === 'ar' ? n.ar ?? n.latin : n.latin ?? n.ar;
}

export interface EnrollmentListProps {
  items: HistoryItem[];
  locale: Locale;
  testId: string;
  actions: (item: HistoryItem) => { label: string; testId: string; onClick: () => void }[];
}

export function EnrollmentList({ items, locale, testId, actions }: EnrollmentListProps) {
  const { t } = useTranslation();
  if (!items.length) {
    return (
      <p className="muted" data-testid={`${testId}-empty`}>
        {t('enrollment.queue.empty')}
      </p>
    );
  }
  return (
    <table className="enrollment-table" data-testid={testId}>
      <thead>
        <tr>
          <th scope="col">{t('enrollment.history.columns.rid')}</th>
          <th scope="col">{t('enrollment.history.columns.name')}</th>
          <th scope="col">{t('enrollment.history.columns.status')}</th>
          <th scope="col">{t('enrollment.history.columns.updated')}</th>
          <th scope="col">{t('enrollment.history.columns.operator')}</th>
          <th scope="col">{t('enrollment.history.columns.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => {
          const name = displayName(item, locale);
          const flags = [
            item.flags.possibleDuplicate ? t('enrollment.queue.flags.possibleDuplicate') : null,
            item.flags.operatorMatch ? t('enrollment.queue.flags.operatorMatch') : null,
            item.flags.faceOverride ? t('enrollment.queue.flags.faceOverride') : null,
            item.flags.exceptions ? t('enrollment.queue.flags.exceptions', { n: formatNumber(item.flags.exceptions, locale) }) : null,
          ].filter((f): f is string => f !== null);
          return (
            <tr key={item.id} data-testid={`${testId}-row`} data-rid={item.rid} data-id={item.id} data-status={item.status}>
              {/* Isolated, not dir=ltr on the cell: Latin ids keep the column's alignment in Arabic (no ragged column). */}
              <td className="rid">
                <bdi dir="ltr">{item.rid}</bdi>
              </td>
              <td>
                {name ? <bdi>{name}</bdi> : (item.status === 'draft' ? t('enrollment.home.unnamed') : t('enrollment.history.sealedNoName'))}
                {flags.length ? (
                  <ul className="flags">
                    {flags.map((f) => (
                      <li key={f} className="pill pill-warn">
                        {f}
                      </li>
                    ))}
                  </ul>
                ) : null}
              </td>
              <td>
                {t(`enrollment.status.${item.status}`)}
                {item.status === 'draft' ? ` · ${t(`enrollment.steps.${item.step}`)}` : ''}
              </td>
              <td>{formatDateTime(item.updatedAt, locale)}</td>
              <td>
                <bdi dir="ltr">{item.operatorId}</bdi>
              </td>
              <td className="row-actions">
                {actions(item).map((a) => (
                  <button key={a.testId} type="button" className="btn btn-small" data-testid={a.testId} onClick={a.onClick}>
                    {a.label}
                  </button>
                ))}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
