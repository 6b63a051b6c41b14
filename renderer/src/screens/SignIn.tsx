// Sign-in: operator id + PIN. Digits may be typed as Arabic-Indic; they are normalised before sending.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { normalizeDigits } from '../format';

export interface SignInProps {
  /** Null while no store is open: the form explains that sign-in is not available yet. */
  onSubmit: ((operatorId: string, pin: string) => Promise<string | null>) | null;
}

export function SignIn({ onSubmit }: SignInProps) {
  const { t } = useTranslation();
  const [operatorId, setOperatorId] = useState('');
  const [pin, setPin] = useState('');
  const [errors, setErrors] = useState<{ operatorId?: string; pin?: string; form?: string }>({});

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const id = normalizeDigits(operatorId.trim()).toLowerCase();
    const p = normalizeDigits(pin);
    const next: typeof errors = {};
    if (!id) next.operatorId = t('signIn.required');
    if (!/^\d{4,8}$/.test(p)) next.pin = t('signIn.pinDigits');
    if (!onSubmit) next.form = t('signIn.notAvailable');
    setErrors(next);
    if (Object.keys(next).length || !onSubmit) return;
    const error = await onSubmit(id, p);
    if (error) setErrors({ form: error });
  };

  return (
    <section aria-labelledby="signin-title" className="screen narrow">
      <h1 id="signin-title">{t('signIn.title')}</h1>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <label className="field">
          <span>{t('signIn.operatorId')}</span>
          <input
            name="operatorId"
            data-testid="signin-operator"
            value={operatorId}
            onChange={(e) => setOperatorId(normalizeDigits(e.target.value))}
            autoComplete="username"
            inputMode="text"
            aria-invalid={!!errors.operatorId}
            aria-describedby={errors.operatorId ? 'err-operator' : undefined}
          />
          {errors.operatorId ? <span id="err-operator" className="error">{errors.operatorId}</span> : null}
        </label>
        <label className="field">
          <span>{t('signIn.pin')}</span>
          <input
            name="pin"
            type="password"
            data-testid="signin-pin"
            value={pin}
            onChange={(e) => setPin(normalizeDigits(e.target.value))}
            autoComplete="current-password"
            inputMode="numeric"
            aria-invalid={!!errors.pin}
            aria-describedby={errors.pin ? 'err-pin' : 'pin-hint'}
          />
          <span id="pin-hint" className="muted">{t('signIn.digitsHint')}</span>
          {errors.pin ? <span id="err-pin" className="error">{errors.pin}</span> : null}
        </label>
        {errors.form ? <p role="alert" className="error" data-testid="signin-error">{errors.form}</p> : null}
        <button type="submit" className="btn btn-primary btn-wide" data-testid="signin-submit">
          {t('signIn.submit')}
        </button>
      </form>
    </section>
  );
}
