// Diagnostics (supervisor, technician): every check of `kiosk doctor --full`, the diagnostics export and — for
// technicians — the factory reset with typed confirmation and PIN. Roles are enforced in main; this only hides.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../main/contract/ipc';
import type { SessionView } from '../../../main/contract/channels/auth';
import { formatDateTime, formatNumber } from '../format';
import { checkDetail, checkName } from './diagnostic-checks';
import { humanError } from '../errors';
import { useBridge, useCall } from '../kiosk-state';

const MB = 1024 * 1024;

export function Diagnostics({ locale, session, kioskId }: { locale: Locale; session: SessionView; kioskId: string | null }) {
  const { t, i18n } = useTranslation();
  const exists = (k: string) => i18n.exists(k);
  const bridge = useBridge();
  const [report, rerun] = useCall('kiosk:diagnostics.run', {});
  const [exportTo, setExportTo] = useState('');
  const [exportMsg, setExportMsg] = useState<string | null>(null);
  const [resetOpen, setResetOpen] = useState(false);
  const [confirm, setConfirm] = useState('');
  const [pin, setPin] = useState('');
  const [resetMsg, setResetMsg] = useState<string | null>(null);
  const technician = session.role === 'technician';

  const doExport = async () => {
    const e = await bridge.invoke('kiosk:diagnostics.export', exportTo.trim() ? { to: exportTo.trim() } : {});
    setExportMsg(e.ok ? t('diagnostics.exported', { dir: e.value.dir, files: formatNumber(e.value.files, locale) }) : humanError(e.error, t, exists, locale));
  };

  const doReset = async () => {
    if (confirm.trim() !== kioskId) {
      setResetMsg(t('diagnostics.reset.wrongConfirm'));
      return;
    }
    const e = await bridge.invoke('kiosk:diagnostics.factoryReset', { confirm: confirm.trim(), pin });
    setPin('');
    setResetMsg(e.ok ? t('diagnostics.reset.done') : e.error.code === 'UNAUTHORIZED' ? t('lock.wrong') : humanError(e.error, t, exists, locale));
  };

  return (
    <section aria-labelledby="diagnostics-title" className="screen" data-testid="diagnostics">
      <h1 id="diagnostics-title">{t('diagnostics.title')}</h1>
      <button type="button" className="btn" onClick={rerun} data-testid="diagnostics-run">
        {t('diagnostics.run')}
      </button>
      {report.status === 'loading' ? <p role="status">{t('diagnostics.running')}</p> : null}
      {report.status === 'error' ? <p role="alert">{humanError(report.error, t, exists, locale)}</p> : null}
      {report.status === 'ok' ? (
        <>
          <p role="status" className={report.value.ok ? 'ok' : 'bad'} data-testid="diagnostics-summary">
            {report.value.ok ? t('diagnostics.allGood') : t('diagnostics.hasFailures')}
          </p>
          <h2>{t('diagnostics.checks')}</h2>
          <ul className="check-list" data-testid="diagnostics-checks">
            {report.value.checks.map((c) => {
              const detail = checkDetail(c, report.value, t, locale);
              return (
                <li key={c.id} className={c.status === 'ok' ? 'ok' : c.status === 'fail' ? 'bad' : undefined} data-check={c.id} data-status={c.status}>
                  <strong>{t(`diagnostics.status.${c.status}`)}</strong> <bdi>{checkName(c.id, t, exists)}</bdi> — {detail.translated ? <bdi>{detail.text}</bdi> : <bdi lang="en" dir="ltr">{detail.text}</bdi>}
                </li>
              );
            })}
          </ul>
          <h2>{t('diagnostics.disk')}</h2>
          <p data-testid="diagnostics-disk">
            {t('diagnostics.diskValue', { free: formatNumber(Math.floor(report.value.disk.freeBytes / MB), locale), total: formatNumber(Math.floor(report.value.disk.totalBytes / MB), locale) })}
            {report.value.disk.level === 'block' ? <strong role="alert"> {t('diagnostics.diskBlocked')}</strong> : null}
          </p>
          <h2>{t('diagnostics.store')}</h2>
          <ul className="check-list">
            <li>{t('diagnostics.integrity', { state: t(`clerk.checks.integrity.${report.value.store.integrity}`) })}</li>
            {report.value.store.audit ? (
              <li className={report.value.store.audit.ok ? 'ok' : 'bad'}>
                {report.value.store.audit.firstBroken
                  ? t('diagnostics.auditBroken', { seq: formatNumber(report.value.store.audit.firstBroken.seq, locale) })
                  : t('diagnostics.audit', { entries: formatNumber(report.value.store.audit.entries, locale), checkpoints: formatNumber(report.value.store.audit.checkpoints, locale) })}
              </li>
            ) : null}
            {report.value.keyMode ? (
              <li className={report.value.keyMode.weak ? 'bad' : 'ok'}>
                {t('diagnostics.keyMode', { mode: report.value.keyMode.mode })} {report.value.keyMode.weak ? `— ${t('diagnostics.keyWeak')}` : ''}
              </li>
            ) : null}
          </ul>
          <h2>{t('diagnostics.sync')}</h2>
          <p>
            {t('diagnostics.syncValue', {
              backlog: formatNumber(report.value.sync.backlog, locale),
              last: report.value.sync.lastSuccessAt ? formatDateTime(report.value.sync.lastSuccessAt, locale) : t('diagnostics.never'),
            })}
          </p>
          {report.value.devices.length ? (
            <>
              <h2>{t('diagnostics.devices')}</h2>
              <ul className="check-list" data-testid="diagnostics-devices">
                {report.value.devices.map((d) => (
                  <li key={d.id} className={d.state === 'ready' ? 'ok' : d.state === 'error' ? 'bad' : undefined}>
                    <bdi dir="ltr">{d.label}</bdi> — {t(`diagnostics.deviceState.${d.state}`)}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <h2>{t('diagnostics.versions')}</h2>
          <p dir="ltr">
            {Object.entries(report.value.versions)
              .map(([k, v]) => `${k} ${v}`)
              .join(' · ')}
          </p>
          <h2>{t('diagnostics.models')}</h2>
          <p dir="ltr">{report.value.models.map((m) => `${m.file} ${m.sha256 ? m.sha256.slice(0, 12) : m.status}`).join(' · ')}</p>
        </>
      ) : null}
      {technician ? (
        <>
          <h2>{t('diagnostics.export')}</h2>
          <label className="field">
            <span>{t('diagnostics.exportTo')}</span>
            <input dir="ltr" value={exportTo} onChange={(e) => setExportTo(e.target.value)} data-testid="diagnostics-export-to" />
          </label>
          <button type="button" className="btn" onClick={() => void doExport()} data-testid="diagnostics-export">
            {t('diagnostics.export')}
          </button>
          {exportMsg ? <p role="status">{exportMsg}</p> : null}
          <h2>{t('diagnostics.reset.title')}</h2>
          <p>{t('diagnostics.reset.warning')}</p>
          {!resetOpen ? (
            <button type="button" className="btn btn-danger" onClick={() => setResetOpen(true)} data-testid="reset-open">
              {t('diagnostics.reset.start')}
            </button>
          ) : (
            <div className="field">
              <label className="field">
                <span>{t('diagnostics.reset.confirmLabel', { kioskId: kioskId ?? '' })}</span>
                <input dir="ltr" value={confirm} onChange={(e) => setConfirm(e.target.value)} data-testid="reset-confirm" autoComplete="off" />
              </label>
              <label className="field">
                <span>{t('diagnostics.reset.pinLabel')}</span>
                <input type="password" inputMode="numeric" value={pin} onChange={(e) => setPin(e.target.value)} data-testid="reset-pin" autoComplete="off" />
              </label>
              <button type="button" className="btn btn-danger" disabled={!confirm || pin.length < 4} onClick={() => void doReset()} data-testid="reset-confirm-button">
                {t('diagnostics.reset.confirm')}
              </button>
              <button type="button" className="btn" onClick={() => (setResetOpen(false), setConfirm(''), setPin(''), setResetMsg(null))}>
                {t('diagnostics.reset.cancel')}
              </button>
            </div>
          )}
          {resetMsg ? (
            <p role="alert" data-testid="reset-message">
              {resetMsg}
            </p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
