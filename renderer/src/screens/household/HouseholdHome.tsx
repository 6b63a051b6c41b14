// The households of this kiosk (newest first): start a new one, or reopen one where it was left.
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../../main/contract/ipc';
import { formatDateTime, formatNumber } from '../../format';
import { useCall } from '../../kiosk-state';
import './household.css';

export function HouseholdHome({ locale, onNew, onOpen }: { locale: Locale; onNew: () => void; onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const [list] = useCall('kiosk:household.list', { limit: 50 });
  return (
    <section className="screen" aria-labelledby="hh-list-title" data-testid="household-home">
      <div className="review-head">
        <h1 id="hh-list-title">{t('household.listTitle')}</h1>
        <button type="button" className="btn btn-primary" data-testid="household-new" onClick={onNew}>
          {t('household.new')}
        </button>
      </div>
      {list.status === 'ok' && list.value.items.length === 0 ? <p className="muted" data-testid="household-none">{t('household.none')}</p> : null}
      {list.status === 'ok' && list.value.items.length ? (
        <table className="hh-members" data-testid="household-list">
          <tbody>
            {list.value.items.map((h) => (
              <tr key={h.id} data-testid={`household-item-${h.id}`}>
                <td>{(locale === 'ar' ? h.headName?.ar : h.headName?.latin) ?? h.headName?.ar ?? '—'}</td>
                <td>{t('household.membersCount', { n: formatNumber(h.members, locale) })}</td>
                <td>{t(`household.steps.${h.step}`)}</td>
                <td>{h.complete ? <span className="pill pill-ok">{t('household.complete')}</span> : <span className="pill pill-warn">{t('household.inProgress')}</span>}</td>
                <td className="muted">{formatDateTime(h.updatedAt, locale)}</td>
                <td>
                  <button type="button" className="btn" data-testid={`household-open-${h.id}`} onClick={() => onOpen(h.id)}>
                    {t('household.open')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
