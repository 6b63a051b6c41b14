// Consent: the text in the current language with its version; the clerk accepts on the person's behalf and records
// how consent was given (signed paper, verbal, thumbprint).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStepHeading } from './useStepHeading';

export type ConsentMethod = 'signed_paper' | 'verbal' | 'thumbprint';
export const CONSENT_METHODS: ConsentMethod[] = ['signed_paper', 'verbal', 'thumbprint'];

export interface ConsentStepProps {
  text: string;
  version: string;
  accepted: { method: ConsentMethod; version: string } | null;
  busy: boolean;
  onAccept: (method: ConsentMethod) => void;
}

export function ConsentStep({ text, version, accepted, busy, onAccept }: ConsentStepProps) {
  const { t } = useTranslation();
  const heading = useStepHeading('consent');
  const [method, setMethod] = useState<ConsentMethod | null>(accepted?.method ?? null);
  const [agreed, setAgreed] = useState(accepted !== null);
  const [error, setError] = useState<string | null>(null);

  const submit = () => {
    if (!agreed) return setError(t('enrollment.consent.mustAgree'));
    if (!method) return setError(t('enrollment.consent.mustChooseMethod'));
    setError(null);
    onAccept(method);
  };

  return (
    <section aria-labelledby="consent-title" className="wizard-step" data-testid="wizard-consent">
      <h2 id="consent-title" tabIndex={-1} ref={heading}>
        {t('enrollment.consent.title')}
      </h2>
      <div className="consent-text" data-testid="consent-text" tabIndex={0} aria-label={t('enrollment.consent.textLabel')}>
        {text.split(/\n{2,}/).map((p, i) => (
          <p key={i}>{p}</p>
        ))}
      </div>
      <p className="muted" data-testid="consent-version">
        {t('enrollment.consent.version', { version })}
      </p>
      <fieldset className="field">
        <legend>{t('enrollment.consent.method')}</legend>
        <div className="segmented" role="radiogroup" aria-label={t('enrollment.consent.method')}>
          {CONSENT_METHODS.map((m) => (
            <button
              key={m}
              type="button"
              role="radio"
              aria-checked={method === m}
              className={method === m ? 'btn btn-primary' : 'btn'}
              data-testid={`consent-method-${m}`}
              onClick={() => setMethod(m)}
            >
              {t(`enrollment.consent.methods.${m}`)}
            </button>
          ))}
        </div>
      </fieldset>
      <label className="check-field">
        <input type="checkbox" checked={agreed} onChange={(e) => setAgreed(e.target.checked)} data-testid="consent-agree" />
        <span>{t('enrollment.consent.agree')}</span>
      </label>
      {error ? (
        <p role="alert" className="error" data-testid="consent-error">
          {error}
        </p>
      ) : null}
      <div className="wizard-actions">
        <button type="button" className="btn btn-primary" data-testid="consent-next" disabled={busy} onClick={submit}>
          {t('enrollment.next')}
        </button>
      </div>
    </section>
  );
}
