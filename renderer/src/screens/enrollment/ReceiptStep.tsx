// Receipt: RID, name, dates, centre, photo and the QR code of the RID, signed by the kiosk key. The PDF comes from
// main (kiosk:workflow.receipt); the clerk prints (window.print → Electron print / browser print dialog) or saves it.
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../../main/contract/ipc';
import type { ReceiptView } from '../../../../main/contract/channels/workflow';
import { base64ToBlobUrl } from '../../camera';
import { formatDateTime } from '../../format';
import { useBridge } from '../../kiosk-state';
import { errorText } from './messages';
import { useStepHeading } from './useStepHeading';
import { Base64Image } from './useBlobUrl';

export function ReceiptCard({ receipt, locale, onDone }: { receipt: ReceiptView; locale: Locale; onDone?: () => void }) {
  const { t } = useTranslation();
  const pdfUrl = useMemo(() => base64ToBlobUrl(receipt.pdfBase64, 'application/pdf'), [receipt.pdfBase64]);
  useEffect(() => () => URL.revokeObjectURL(pdfUrl), [pdfUrl]);
  const d = receipt.data;
  const name = locale === 'ar' ? d.nameAr ?? d.nameLatin : d.nameLatin ?? d.nameAr;
  return (
    <div className="receipt" data-testid="receipt">
      <div className="receipt-card">
        <div className="receipt-main">
          <dl className="review-list">
            <div className="review-row">
              <dt>{t('enrollment.receipt.rid')}</dt>
              <dd className="rid">
                <bdi data-testid="receipt-rid">{d.rid}</bdi>
              </dd>
            </div>
            <div className="review-row">
              <dt>{t('enrollment.receipt.name')}</dt>
              <dd>
                <bdi data-testid="receipt-name">{name ?? '—'}</bdi>
              </dd>
            </div>
            <div className="review-row">
              <dt>{t('enrollment.receipt.date')}</dt>
              <dd>{formatDateTime(d.enrolledAt, locale)}</dd>
            </div>
            <div className="review-row">
              <dt>{t('enrollment.receipt.approvedAt')}</dt>
              <dd>{formatDateTime(d.approvedAt, locale)}</dd>
            </div>
            <div className="review-row">
              <dt>{t('enrollment.receipt.centre')}</dt>
              <dd>
                <bdi>{receipt.info?.centre ?? d.centreId}</bdi>
              </dd>
            </div>
            <div className="review-row">
              <dt>{t('enrollment.receipt.kiosk')}</dt>
              <dd>
                <bdi>{d.kioskId}</bdi>
              </dd>
            </div>
          </dl>
          {receipt.info ? (
            <div className="receipt-info" data-testid="receipt-info">
              <h3>{t('clerk.receipt.nextSteps')}</h3>
              <p>{receipt.info.nextSteps}</p>
              <h3>{t('clerk.receipt.contact')}</h3>
              <p>
                {receipt.info.contact}
                {receipt.info.contactPhone ? (
                  <>
                    {' '}
                    <bdi dir="ltr">{receipt.info.contactPhone}</bdi>
                  </>
                ) : null}
              </p>
            </div>
          ) : null}
          <p className="muted small" dir="auto" data-testid="receipt-signature">
            {t('enrollment.receipt.signature', { fingerprint: receipt.kioskPublicKeyFingerprint })}
          </p>
        </div>
        <div className="receipt-images">
          {receipt.photoJpegBase64 ? <Base64Image className="receipt-photo" base64={receipt.photoJpegBase64} type="image/jpeg" alt={t('enrollment.receipt.photo')} data-testid="receipt-photo" /> : null}
          <Base64Image className="receipt-qr" base64={receipt.qrPngBase64} type="image/png" alt={t('enrollment.receipt.qr')} data-testid="receipt-qr" />
        </div>
      </div>
      {!receipt.pdfHasArabic ? <p className="muted no-print">{t('enrollment.receipt.pdfNoArabic')}</p> : null}
      <div className="wizard-actions no-print">
        <button type="button" className="btn" data-testid="receipt-print" onClick={() => window.print()}>
          {t('enrollment.receipt.print')}
        </button>
        <a className="btn" href={pdfUrl} download={`receipt-${d.rid}.pdf`} data-testid="receipt-download">
          {t('enrollment.receipt.download')}
        </a>
        {onDone ? (
          <button type="button" className="btn btn-primary" data-testid="receipt-done" onClick={onDone}>
            {t('enrollment.receipt.done')}
          </button>
        ) : null}
      </div>
    </div>
  );
}

/** Loads the signed receipt of an approved enrollment (also used to reprint from history). */
export function useReceipt(id: string | null, language?: Locale): { receipt: ReceiptView | null; error: string | null } {
  const { t, i18n } = useTranslation();
  const bridge = useBridge();
  const [receipt, setReceipt] = useState<ReceiptView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!id) return;
    let live = true;
    setReceipt(null);
    // The PDF in the language on screen (main lays the same signed receipt out again).
    void bridge.invoke('kiosk:workflow.receipt', { id, ...(language ? { language } : {}) }).then((e) => {
      if (!live) return;
      if (e.ok) setReceipt(e.value);
      else setError(errorText(e.error, t, (k) => i18n.exists(k)));
    });
    return () => {
      live = false;
    };
  }, [bridge, id, language]);
  return { receipt, error };
}

export function ReceiptStep({ id, locale, onDone }: { id: string; locale: Locale; onDone: () => void }) {
  const { t } = useTranslation();
  const heading = useStepHeading('receipt');
  const { receipt, error } = useReceipt(id, locale);
  return (
    <section aria-labelledby="receipt-title" className="wizard-step" data-testid="wizard-receipt">
      <h2 id="receipt-title" tabIndex={-1} ref={heading}>
        {t('enrollment.receipt.title')}
      </h2>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : receipt ? (
        <ReceiptCard receipt={receipt} locale={locale} onDone={onDone} />
      ) : (
        <p role="status">{t('enrollment.receipt.loading')}</p>
      )}
    </section>
  );
}
