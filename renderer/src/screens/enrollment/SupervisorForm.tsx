// A supervisor's own ID + PIN (and a reason where the action needs one), entered on the clerk's screen. Main checks
// the credentials and the role; wrong PINs count toward the supervisor's lockout.
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { normalizeDigits } from '../../format';

export interface SupervisorCredentials {
  operatorId: string;
  pin: string;
}

export interface SupervisorFormProps {
  /** Prefix of ids and data-testids (several forms may share a screen). */
  prefix: string;
  submitLabel: string;
  withReason: boolean;
  reasonLabel?: string;
  busy: boolean;
  /** Pre-filled supervisor ID (the signed-in supervisor in the queues). */
  defaultOperatorId?: string;
  danger?: boolean;
  children?: ReactNode;
  /** Extra check before sending (e.g. a decision must be chosen); returns an error text or null. */
  validate?: () => string | null;
  onSubmit: (credentials: SupervisorCredentials, reason: string) => void;
}

export function SupervisorForm({ prefix, submitLabel, withReason, reasonLabel, busy, defaultOperatorId = '', danger, children, validate, onSubmit }: SupervisorFormProps) {
  const { t } = useTranslation();
  const [operatorId, setOperatorId] = useState(defaultOperatorId);
  const [pin, setPin] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);

  const submit = () => {
    const id = normalizeDigits(operatorId.trim()).toLowerCase();
    const p = normalizeDigits(pin);
    if (!id || !/^\d{4,8}$/.test(p)) return setError(withReason ? t('enrollment.supervisor.required') : t('enrollment.supervisor.credentialsRequired'));
    if (withReason && reason.trim().length < 3) return setError(t('enrollment.supervisor.required'));
    const extra = validate?.() ?? null;
    if (extra) return setError(extra);
    setError(null);
    onSubmit({ operatorId: id, pin: p }, reason.trim());
    setPin('');
  };

  return (
    <form
      className="supervisor-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {children}
      <div className="supervisor-fields">
        <label className="field">
          <span>{t('enrollment.supervisor.operatorId')}</span>
          <input id={`${prefix}-operator`} data-testid={`${prefix}-operator`} value={operatorId} autoComplete="off" dir="ltr" onChange={(e) => setOperatorId(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('enrollment.supervisor.pin')}</span>
          <input
            id={`${prefix}-pin`}
            data-testid={`${prefix}-pin`}
            type="password"
            inputMode="numeric"
            autoComplete="off"
            dir="ltr"
            value={pin}
            onChange={(e) => setPin(normalizeDigits(e.target.value))}
          />
        </label>
      </div>
      {withReason ? (
        <label className="field">
          <span>{reasonLabel ?? t('enrollment.supervisor.reason')}</span>
          <textarea id={`${prefix}-reason`} data-testid={`${prefix}-reason`} value={reason} rows={2} maxLength={500} aria-describedby={`${prefix}-reason-hint`} onChange={(e) => setReason(e.target.value)} />
          <span id={`${prefix}-reason-hint`} className="muted">
            {t('enrollment.supervisor.reasonHint')}
          </span>
        </label>
      ) : null}
      {error ? (
        <p role="alert" className="error" data-testid={`${prefix}-error`}>
          {error}
        </p>
      ) : null}
      <button type="submit" className={danger ? 'btn btn-danger' : 'btn btn-primary'} data-testid={`${prefix}-submit`} disabled={busy}>
        {submitLabel}
      </button>
    </form>
  );
}
