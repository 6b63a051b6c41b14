// Operators (technicians: every role; supervisors: clerks): create with a temporary PIN, give a new temporary PIN,
// deactivate, enrol a finger on a scanner of this kiosk. SetOwnPin is the first-sign-in screen for an operator
// holding a temporary PIN. Roles are enforced in main; this only hides.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionView } from '../../../main/contract/channels/auth';
import type { KioskErrorShape, Locale } from '../../../main/contract/ipc';
import { errorField, humanError } from '../errors';
import { formatNumber, normalizeDigits } from '../format';
import { useBridge, useCall } from '../kiosk-state';

type Role = SessionView['role'];
type NewField = 'id' | 'displayName' | 'temporaryPin';
const ID_PATTERN = /^[a-z0-9][a-z0-9._-]{1,31}$/;
const PIN_PATTERN = /^\d{4,8}$/;

/** What is wrong with the new-operator form, per field, before anything is sent (the same rules main applies). */
export function newOperatorProblems(form: { id: string; displayName: string; temporaryPin: string }): Partial<Record<NewField, string>> {
  const out: Partial<Record<NewField, string>> = {};
  if (!ID_PATTERN.test(form.id.trim())) out.id = 'clerk.operators.idRule';
  if (!form.displayName.trim() || form.displayName.trim().length > 80) out.displayName = 'clerk.operators.nameRule';
  if (!PIN_PATTERN.test(normalizeDigits(form.temporaryPin))) out.temporaryPin = 'clerk.operators.pinRule';
  return out;
}

export function Operators({ session, locale = 'ar' }: { session: SessionView; locale?: Locale }) {
  const { t, i18n } = useTranslation();
  const exists = (k: string) => i18n.exists(k);
  const [problems, setProblems] = useState<Partial<Record<NewField, string>>>({});
  const bridge = useBridge();
  const [list, reload] = useCall('kiosk:operators.list', {});
  const [form, setForm] = useState({ id: '', displayName: '', role: 'clerk' as Role, temporaryPin: '' });
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pins, setPins] = useState<Record<string, string>>({});
  const [deviceId, setDeviceId] = useState('');
  const roles: Role[] = session.role === 'technician' ? ['clerk', 'supervisor', 'technician'] : ['clerk'];

  // One message at a time: a success replaces an earlier error (and clears the field errors).
  const report = (e: { ok: true } | { ok: false; error: KioskErrorShape }, okText: string) => {
    setMessage(e.ok ? { ok: true, text: okText } : { ok: false, text: humanError(e.error, t, exists) });
    if (e.ok) setProblems({});
    reload();
  };
  const create = async () => {
    const local = newOperatorProblems(form);
    setProblems(local);
    if (Object.keys(local).length) return setMessage(null);
    const e = await bridge.invoke('kiosk:operators.create', { ...form, id: form.id.trim(), displayName: form.displayName.trim(), temporaryPin: normalizeDigits(form.temporaryPin) });
    if (!e.ok) {
      const field = errorField(e.error);
      const onField: NewField | null = e.error.code === 'CONFLICT' ? 'id' : field === 'id' || field === 'displayName' ? field : field === 'temporaryPin' || field === 'pin' ? 'temporaryPin' : null;
      if (onField) {
        setProblems({ [onField]: e.error.code === 'CONFLICT' ? 'clerk.operators.exists' : onField === 'id' ? 'clerk.operators.idRule' : onField === 'displayName' ? 'clerk.operators.nameRule' : 'clerk.operators.pinRule' });
        return setMessage(null);
      }
    }
    report(e, t('operators.created', { id: form.id.trim() }));
    if (e.ok) setForm({ id: '', displayName: '', role: 'clerk', temporaryPin: '' });
  };
  const fieldProps = (name: NewField) => ({
    'aria-invalid': problems[name] ? true : undefined,
    'aria-describedby': problems[name] ? `operators-new-${name}-error` : undefined,
  });
  const fieldError = (name: NewField) =>
    problems[name] ? (
      <span className="error" id={`operators-new-${name}-error`} data-testid={`operators-new-${name}-error`}>
        {t(problems[name])}
      </span>
    ) : null;

  return (
    <section aria-labelledby="operators-title" className="screen" data-testid="operators">
      <h1 id="operators-title">{t('operators.title')}</h1>
      {message ? (
        <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'ok' : 'bad'} data-testid="operators-message">
          {message.text}
        </p>
      ) : null}
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <label className="field">
          <span>{t('operators.id')}</span>
          <input value={form.id} onChange={(e) => setForm({ ...form, id: e.target.value })} dir="ltr" autoComplete="off" data-testid="operators-new-id" {...fieldProps('id')} />
          {fieldError('id')}
        </label>
        <label className="field">
          <span>{t('operators.name')}</span>
          <input value={form.displayName} onChange={(e) => setForm({ ...form, displayName: e.target.value })} dir="auto" data-testid="operators-new-name" {...fieldProps('displayName')} />
          {fieldError('displayName')}
        </label>
        <label className="field">
          <span>{t('operators.role')}</span>
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })} data-testid="operators-new-role">
            {roles.map((r) => (
              <option key={r} value={r}>
                {t(`roles.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('operators.temporaryPin')}</span>
          <input value={form.temporaryPin} onChange={(e) => setForm({ ...form, temporaryPin: e.target.value })} inputMode="numeric" type="password" autoComplete="new-password" dir="ltr" data-testid="operators-new-pin" {...fieldProps('temporaryPin')} />
          {fieldError('temporaryPin')}
        </label>
        <button type="submit" className="btn btn-primary" data-testid="operators-create">
          {t('operators.create')}
        </button>
      </form>
      <label className="field">
        <span>{t('operators.device')}</span>
        <input value={deviceId} onChange={(e) => setDeviceId(e.target.value)} dir="ltr" data-testid="operators-device" />
      </label>
      {list.status === 'ok' && list.value.operators.length === 0 ? <p>{t('operators.empty')}</p> : null}
      {list.status === 'ok' ? (
        <ul className="card" data-testid="operators-list">
          {list.value.operators.map((o) => (
            <li key={o.id} data-testid={`operator-${o.id}`} data-active={o.active} data-pin={o.pinState}>
              <bdi>
                <strong>{o.id}</strong> · {o.displayName}
              </bdi>{' '}
              · {t(`roles.${o.role}`)} · {o.active ? t('operators.active') : t('operators.inactive')} · {t(`operators.pinState.${o.pinState}`)}
              {o.locked ? (
                <>
                  {' · '}
                  <strong className="error" data-testid={`operator-${o.id}-locked`}>
                    {t('operators.locked')}
                  </strong>
                </>
              ) : null}{' '}
              · {t('clerk.operators.fingers', { n: formatNumber(o.fingerprints, locale) })}
              {o.locked && o.id !== session.operatorId && (session.role === 'technician' || o.role !== 'technician') ? (
                <button type="button" className="btn btn-small" data-testid={`operator-${o.id}-unlock`} onClick={() => void bridge.invoke('kiosk:operators.unlock', { id: o.id }).then((e) => report(e, t('clerk.operators.unlocked', { id: o.id })))}>
                  {t('clerk.operators.unlock')}
                </button>
              ) : null}
              {o.active && o.id !== session.operatorId && (session.role === 'technician' || o.role === 'clerk') ? (
                <div className="row-actions">
                  <label htmlFor={`operator-${o.id}-pin`} className="muted">
                    {t('clerk.operators.newPinFor', { id: o.id })}
                  </label>
                  <input
                    id={`operator-${o.id}-pin`}
                    value={pins[o.id] ?? ''}
                    onChange={(e) => setPins({ ...pins, [o.id]: e.target.value })}
                    inputMode="numeric"
                    type="password"
                    autoComplete="new-password"
                    dir="ltr"
                    data-testid={`operator-${o.id}-pin`}
                  />
                  <button type="button" className="btn" data-testid={`operator-${o.id}-reset`} onClick={() => void bridge.invoke('kiosk:operators.resetPin', { id: o.id, temporaryPin: pins[o.id] ?? '' }).then((e) => report(e, t('operators.done')))}>
                    {t('operators.resetPin')}
                  </button>
                  <button type="button" className="btn" data-testid={`operator-${o.id}-deactivate`} onClick={() => void bridge.invoke('kiosk:operators.deactivate', { id: o.id }).then((e) => report(e, t('operators.done')))}>
                    {t('operators.deactivate')}
                  </button>
                  <button
                    type="button"
                    className="btn"
                    disabled={!deviceId.trim()}
                    data-testid={`operator-${o.id}-finger`}
                    onClick={() => void bridge.invoke('kiosk:operators.enrolFinger', { id: o.id, deviceId: deviceId.trim(), position: 2 }).then((e) => report(e, t('operators.done')))}
                  >
                    {t('operators.enrolFinger')}
                  </button>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

export function SetOwnPin({ onDone }: { onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const bridge = useBridge();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    if (next !== again) return setError(t('operators.setPin.mismatch'));
    const e = await bridge.invoke('kiosk:operators.setOwnPin', { currentPin: current, newPin: next });
    if (e.ok) return onDone();
    const key = { PIN_TOO_SIMPLE: 'tooSimple', PIN_UNCHANGED: 'unchanged', UNAUTHORIZED: 'wrong' }[e.error.code];
    setError(key ? t(`operators.setPin.${key}`) : humanError(e.error, t, (k) => i18n.exists(k)));
  };
  return (
    <section aria-labelledby="setpin-title" className="screen narrow" data-testid="set-own-pin">
      <h1 id="setpin-title">{t('operators.setPin.title')}</h1>
      <p>{t('operators.setPin.intro')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        {(
          [
            ['current', current, setCurrent],
            ['next', next, setNext],
            ['confirm', again, setAgain],
          ] as const
        ).map(([k, v, set]) => (
          <label className="field" key={k}>
            <span>{t(`operators.setPin.${k}`)}</span>
            <input value={v} onChange={(e) => set(e.target.value)} type="password" inputMode="numeric" autoComplete={k === 'current' ? 'current-password' : 'new-password'} dir="ltr" data-testid={`setpin-${k}`} />
          </label>
        ))}
        {error ? (
          <p role="alert" className="bad" data-testid="setpin-error">
            {error}
          </p>
        ) : null}
        <button type="submit" className="btn btn-primary btn-wide" data-testid="setpin-save">
          {t('operators.setPin.save')}
        </button>
      </form>
    </section>
  );
}
