// The screen lock: covers the kiosk (the screens underneath stay mounted, so an open enrollment keeps its state)
// until the signed-in operator re-enters the PIN. Main refuses every privileged call while locked.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

const OVERLAY = { position: 'fixed', inset: 0, zIndex: 1000, background: '#f4f6f8', display: 'grid', placeItems: 'center' } as const;

export function LockScreen({ operatorId, onUnlock, onSignOut }: { operatorId: string; onUnlock: (pin: string) => Promise<boolean>; onSignOut: () => void }) {
  const { t } = useTranslation();
  const [pin, setPin] = useState('');
  const [wrong, setWrong] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await onUnlock(pin);
    setPin('');
    setWrong(!ok);
  };
  return (
    <div className="lock-screen" style={OVERLAY} role="dialog" aria-modal="true" aria-labelledby="lock-title" data-testid="lock-screen">
      <form className="screen" onSubmit={(e) => void submit(e)}>
        <h1 id="lock-title">{t('lock.title')}</h1>
        <p>{t('lock.body', { operator: operatorId })}</p>
        <label className="field">
          <span>{t('lock.pin')}</span>
          <input type="password" inputMode="numeric" autoComplete="off" autoFocus value={pin} onChange={(e) => setPin(e.target.value)} data-testid="lock-pin" />
        </label>
        {wrong ? <p role="alert">{t('lock.wrong')}</p> : null}
        <button type="submit" className="btn btn-primary" disabled={pin.length < 4} data-testid="lock-unlock">
          {t('lock.unlock')}
        </button>
        <button type="button" className="btn" onClick={onSignOut}>
          {t('lock.signOut')}
        </button>
      </form>
    </div>
  );
}
