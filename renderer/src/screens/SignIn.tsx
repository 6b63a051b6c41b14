// Sign-in: operator id + PIN, or operator id + an enrolled finger on a ready scanner. Digits may be typed as
// Arabic-Indic; they are normalised before sending.
import { useEffect, useState, type FormEvent } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { KioskErrorShape, Locale } from '../../../main/contract/ipc';
import type { DeviceStatus } from '../../../main/contract/channels/app';
import { humanError } from '../errors';
import { formatDateTime, normalizeDigits } from '../format';
import { useBridge, useEvent } from '../kiosk-state';

export interface SignInProps {
  /** Null while no store is open: the form explains that sign-in is not available yet. */
  onSubmit: ((operatorId: string, pin: string) => Promise<string | null>) | null;
  /** Fingerprint sign-in (kiosk:operators.fingerSignIn); resolves to an error message or null once signed in. */
  onFingerSignIn?: ((operatorId: string, deviceId: string) => Promise<string | null>) | null;
}

/** The message for a failed kiosk:operators.fingerSignIn, by the error code main returns. */
export function fingerSignInMessage(error: KioskErrorShape, t: TFunction, locale: Locale): string {
  const d = error.details ?? {};
  if (error.code === 'NO_OPERATOR_FINGERPRINT') return t('fingerSignIn.noFingerprint');
  if (error.code === 'OPERATOR_LOCKED' && typeof d.lockedUntil === 'string') return t('fingerSignIn.locked', { until: formatDateTime(d.lockedUntil, locale) });
  if (error.code === 'UNAUTHORIZED' || error.code === 'VALIDATION_FAILED') {
    return typeof d.attemptsLeft === 'number' && d.attemptsLeft > 0 ? t('fingerSignIn.noMatchLeft', { count: d.attemptsLeft }) : t('fingerSignIn.noMatch');
  }
  if (error.code === 'UNKNOWN_CHANNEL') return t('signIn.notAvailable');
  if (error.code === 'DEVICE_NO_FINGER' || error.code === 'DEVICE_TIMEOUT') return t('fingerSignIn.noFinger');
  if (error.code === 'FINGER_QUALITY_LOW') return t('fingerSignIn.quality');
  if (/^(DEVICE|FINGER)_/.test(error.code)) return t('fingerSignIn.deviceError', { code: error.code });
  return humanError(error, t, (k: string) => t(k) !== k, locale);
}

/** Ready fingerprint scanners, from the public home summary (the finger channels need a session) and its live event. */
function useReadyFingerDevices(): DeviceStatus[] {
  const bridge = useBridge();
  const [devices, setDevices] = useState<DeviceStatus[]>([]);
  const live = useEvent('kiosk:event.device-status');
  useEffect(() => {
    let on = true;
    void bridge.invoke('kiosk:home.summary', {}).then((e) => on && e.ok && setDevices(e.value.devices));
    return () => {
      on = false;
    };
  }, [bridge]);
  return (live ?? devices).filter((d) => d.kind === 'fingerprint' && d.state === 'ready');
}

export function SignIn({ onSubmit, onFingerSignIn = null }: SignInProps) {
  const { t } = useTranslation();
  const [operatorId, setOperatorId] = useState('');
  const [pin, setPin] = useState('');
  const [errors, setErrors] = useState<{ operatorId?: string; pin?: string; form?: string }>({});
  const fingerDevices = useReadyFingerDevices();
  const fingerDevice = onFingerSignIn ? fingerDevices[0] : undefined;
  const [scanning, setScanning] = useState(false);

  const fingerSignIn = async () => {
    if (!onFingerSignIn || !fingerDevice || scanning) return;
    const id = normalizeDigits(operatorId.trim()).toLowerCase();
    if (!id) return setErrors({ operatorId: t('fingerSignIn.needOperatorId') });
    setErrors({});
    setScanning(true);
    try {
      const error = await onFingerSignIn(id, fingerDevice.id);
      if (error) setErrors({ form: error });
    } finally {
      setScanning(false);
    }
  };

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
        <button type="submit" className="btn btn-primary btn-wide" data-testid="signin-submit" disabled={scanning}>
          {t('signIn.submit')}
        </button>
        {onFingerSignIn ? (
          fingerDevice ? (
            <button type="button" className="btn btn-wide" data-testid="signin-finger" onClick={() => void fingerSignIn()} disabled={scanning} aria-busy={scanning}>
              {t('fingerSignIn.button')}
            </button>
          ) : (
            <p className="muted" data-testid="signin-finger-unavailable">{t('fingerSignIn.noDevice')}</p>
          )
        ) : null}
        <p role="status" aria-live="polite" data-testid="signin-finger-status">
          {scanning && fingerDevice ? t('fingerSignIn.placeFinger', { device: fingerDevice.label }) : ''}
        </p>
      </form>
    </section>
  );
}
