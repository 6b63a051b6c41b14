// The always-visible status bar: kiosk id, operator, online/offline, devices.
import { useTranslation } from 'react-i18next';
import type { DeviceStatus, Locale, SyncStatus } from '../../../main/contract/ipc';
import type { BridgeConnection } from '../bridge/ws-bridge';
import { formatNumber } from '../format';

export interface StatusBarProps {
  kioskId: string | null;
  operatorName: string | null;
  sync: SyncStatus | undefined;
  devices: DeviceStatus[] | undefined;
  locale: Locale;
  /** The page's link to the kiosk core: while it is down nothing below is current. */
  connection?: BridgeConnection;
}

export function StatusBar({ kioskId, operatorName, sync, devices, locale, connection = 'online' }: StatusBarProps) {
  const { t } = useTranslation();
  if (connection === 'offline' || connection === 'restarted') {
    return (
      <footer className="status-bar status-bar-down" role="status" aria-live="polite" data-testid="status-bar" data-connection={connection}>
        <span data-testid="status-kiosk">{kioskId ? t('status.kiosk', { id: kioskId }) : '…'}</span>
        <span data-testid="status-online" className="pill pill-err">
          {t(`clerk.connection.${connection}.pill`)}
        </span>
      </footer>
    );
  }
  const ready = devices?.filter((d) => d.state === 'ready').length ?? 0;
  const total = devices?.length ?? 0;
  return (
    <footer className="status-bar" role="status" aria-live="polite" data-testid="status-bar" data-connection={connection}>
      <span data-testid="status-kiosk">{kioskId ? t('status.kiosk', { id: kioskId }) : '…'}</span>
      <span data-testid="status-operator">{operatorName ? t('status.operator', { name: operatorName }) : t('status.noOperator')}</span>
      <span data-testid="status-online" className={sync?.online ? 'pill pill-ok' : 'pill pill-off'}>
        {sync?.online ? t('status.online') : t('status.offline')}
        {sync ? ` · ${t(`syncState.${sync.state}`)}` : ''}
      </span>
      <span data-testid="status-devices">
        {t('status.devices', { ready: formatNumber(ready, locale), total: formatNumber(total, locale) })}
      </span>
    </footer>
  );
}
