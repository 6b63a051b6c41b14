// The always-visible status bar: kiosk id, operator, online/offline, devices.
import { useTranslation } from 'react-i18next';
import type { DeviceStatus, Locale, SyncStatus } from '../../../main/contract/ipc';
import { formatNumber } from '../format';

export interface StatusBarProps {
  kioskId: string | null;
  operatorName: string | null;
  sync: SyncStatus | undefined;
  devices: DeviceStatus[] | undefined;
  locale: Locale;
}

export function StatusBar({ kioskId, operatorName, sync, devices, locale }: StatusBarProps) {
  const { t } = useTranslation();
  const ready = devices?.filter((d) => d.state === 'ready').length ?? 0;
  const total = devices?.length ?? 0;
  return (
    <footer className="status-bar" role="status" aria-live="polite" data-testid="status-bar">
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
