// Home: enrollment counts, device tiles and sync tile.
import { useTranslation } from 'react-i18next';
import type { DeviceStatus, Locale, SyncStatus } from '../../../main/contract/ipc';
import { formatDateTime, formatNumber } from '../format';
import { useEffect } from 'react';
import { useCall, useEvent } from '../kiosk-state';

export function Home({ locale, devices, sync }: { locale: Locale; devices: DeviceStatus[] | undefined; sync: SyncStatus | undefined }) {
  const { t } = useTranslation();
  const [summary, reload] = useCall('kiosk:home.summary', {});
  // The tiles follow every change (an approval, an upload, an acknowledgement), so they never disagree with the
  // sync panel: both count "waiting for upload" the same way in main (main/enrollment/counts.ts).
  const changed = useEvent('kiosk:event.enrollment-changed');
  useEffect(() => {
    if (changed || sync) reload();
  }, [changed, sync]);
  const counts = summary.status === 'ok' ? summary.value.counts : null;
  const tiles = [
    ['today', counts?.today],
    ['pendingApproval', counts?.pendingApproval],
    ['awaitingUpload', counts?.awaitingUpload],
    ['total', counts?.total],
  ] as const;
  const syncNow = sync ?? (summary.status === 'ok' ? summary.value.sync : undefined);
  const deviceList = devices ?? (summary.status === 'ok' ? summary.value.devices : []);
  return (
    <section aria-labelledby="home-title" className="screen">
      <h1 id="home-title">{t('home.title')}</h1>
      <div className="tiles" data-testid="count-tiles">
        {tiles.map(([key, value]) => (
          <div className="tile" key={key} data-testid={`count-${key}`}>
            <div className="tile-value">{value === undefined ? '—' : formatNumber(value, locale)}</div>
            <div className="tile-label">{t(`home.${key}`)}</div>
          </div>
        ))}
      </div>
      {summary.status === 'ok' && counts === null ? <p className="muted">{t('home.countsUnavailable')}</p> : null}
      {counts ? (
        <details className="counts-help" data-testid="counts-help">
          <summary>{t('supervisor.home.countsTitle')}</summary>
          <p>{t('supervisor.home.countsHelp')}</p>
        </details>
      ) : null}
      <div className="panels">
        <section className="panel" aria-labelledby="devices-title">
          <h2 id="devices-title">{t('home.devicesTitle')}</h2>
          <ul className="device-list">
            {deviceList.map((d) => (
              <li key={d.id} data-testid={`device-${d.id}`}>
                <span className={`dot dot-${d.state}`} aria-hidden="true" />
                <span className="device-label">{d.label}</span>
                <span className="device-state">{t(`deviceState.${d.state}`)}</span>
              </li>
            ))}
          </ul>
        </section>
        <section className="panel" aria-labelledby="sync-title">
          <h2 id="sync-title">{t('home.syncTitle')}</h2>
          {syncNow ? (
            <>
              <p data-testid="sync-state">{t(`syncState.${syncNow.state}`)}</p>
              <p>{syncNow.lastSuccessAt ? t('home.lastSync', { when: formatDateTime(syncNow.lastSuccessAt, locale) }) : t('home.neverSynced')}</p>
              <p data-testid="sync-backlog">{t('home.backlog', { n: formatNumber(syncNow.backlog, locale) })}</p>
            </>
          ) : null}
        </section>
      </div>
    </section>
  );
}
