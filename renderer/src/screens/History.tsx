// This kiosk's enrollments, newest first; search by RID or by national number (main looks it up through the blind
// index; only what the store still holds). Approved records can have their receipt reprinted.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../main/contract/ipc';
import type { HistoryItem } from '../../../main/contract/channels/workflow';
import { normalizeDigits } from '../format';
import { useBridge } from '../kiosk-state';
import { EnrollmentList } from './enrollment/EnrollmentList';
import { errorText } from './enrollment/messages';
import { ReceiptCard, useReceipt } from './enrollment/ReceiptStep';
import { useStepHeading } from './enrollment/useStepHeading';

export function History({ locale, onOpen }: { locale: Locale; onOpen: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  const bridge = useBridge();
  const heading = useStepHeading('history');
  const [rid, setRid] = useState('');
  const [nn, setNn] = useState('');
  const [items, setItems] = useState<HistoryItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reprint, setReprint] = useState<string | null>(null);
  const { receipt, error: receiptError } = useReceipt(reprint, locale);

  const search = async (query: { rid?: string; nationalNumber?: string }) => {
    setError(null);
    const e = await bridge.invoke('kiosk:workflow.history', { ...query, limit: 100 });
    if (e.ok) setItems(e.value.items);
    else setError(errorText(e.error, t, (k) => i18n.exists(k)));
  };

  useEffect(() => {
    void search({});
  }, [bridge]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setReprint(null);
    const r = normalizeDigits(rid.trim());
    const n = normalizeDigits(nn.trim());
    void search({ ...(r ? { rid: r } : {}), ...(n ? { nationalNumber: n } : {}) });
  };

  return (
    <section className="screen" aria-labelledby="history-title" data-testid="history">
      <h1 id="history-title" tabIndex={-1} ref={heading}>
        {t('enrollment.history.title')}
      </h1>
      <form className="search-form" onSubmit={submit} noValidate aria-describedby="history-hint">
        <label className="field">
          <span>{t('enrollment.history.rid')}</span>
          <input data-testid="history-rid" dir="ltr" value={rid} onChange={(e) => setRid(e.target.value)} autoComplete="off" />
        </label>
        <label className="field">
          <span>{t('enrollment.history.nationalNumber')}</span>
          <input data-testid="history-nn" dir="ltr" inputMode="numeric" value={nn} onChange={(e) => setNn(normalizeDigits(e.target.value))} autoComplete="off" />
        </label>
        <div className="search-actions">
          <button type="submit" className="btn btn-primary" data-testid="history-search">
            {t('enrollment.history.search')}
          </button>
          <button
            type="button"
            className="btn"
            data-testid="history-clear"
            onClick={() => {
              setRid('');
              setNn('');
              setReprint(null);
              void search({});
            }}
          >
            {t('enrollment.history.clear')}
          </button>
        </div>
      </form>
      <p id="history-hint" className="muted">
        {t('enrollment.history.searchHint')}
      </p>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      {items ? (
        items.length ? (
          <EnrollmentList
            items={items}
            locale={locale}
            testId="history"
            actions={(item) => [
              ...(item.receiptAvailable ? [{ label: t('enrollment.history.reprint'), testId: `history-reprint-${item.rid}`, onClick: () => setReprint(item.id) }] : []),
              ...(item.status === 'draft' || item.status === 'pending_approval' || item.status === 'rejected'
                ? [{ label: t('enrollment.history.open'), testId: `history-open-${item.rid}`, onClick: () => onOpen(item.id) }]
                : []),
            ]}
          />
        ) : (
          <p className="muted" data-testid="history-empty">
            {t('enrollment.history.empty')}
          </p>
        )
      ) : null}
      {reprint ? (
        <section className="panel" aria-label={t('enrollment.receipt.title')} data-testid="history-receipt">
          {receiptError ? <p className="error">{receiptError}</p> : receipt ? <ReceiptCard receipt={receipt} locale={locale} onDone={() => setReprint(null)} /> : <p role="status">{t('enrollment.receipt.loading')}</p>}
        </section>
      ) : null}
    </section>
  );
}
