// Demo mode only: who the emulated fingerprint sensor presents for this enrollment — a new synthetic person (the
// default) or the same person as an earlier enrollment, to show a duplicate on purpose (kiosk:demo.*).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBridge } from '../../kiosk-state';
import { errorText } from './messages';

export function DemoPersonControl({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const bridge = useBridge();
  const [sameAs, setSameAs] = useState<string | null>(null);
  const [rid, setRid] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void bridge.invoke('kiosk:demo.person', { id }).then((e) => e.ok && setSameAs(e.value.sameAsRid));
  }, [bridge, id]);
  const choose = async (value: string | null) => {
    const e = await bridge.invoke('kiosk:demo.samePerson', { id, rid: value });
    if (e.ok) {
      setSameAs(e.value.sameAsRid);
      setError(null);
    } else setError(errorText(e.error, t, (k) => i18n.exists(k)));
  };
  return (
    <details className="panel demo-person" data-testid="demo-person">
      <summary>
        <span className="pill pill-demo">{t('app.demo')}</span> {t('supervisor.demo.title')}
      </summary>
      <p className="muted">{t('supervisor.demo.hint')}</p>
      <p role="status" data-testid="demo-person-state">
        {sameAs ? t('supervisor.demo.current', { rid: sameAs }) : t('supervisor.demo.currentNew')}
      </p>
      <form
        className="demo-person-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void choose(rid.trim() || null);
        }}
      >
        <label className="field">
          <span>{t('supervisor.demo.rid')}</span>
          <input data-testid="demo-person-rid" dir="ltr" value={rid} autoComplete="off" onChange={(e) => setRid(e.target.value)} />
        </label>
        <button type="submit" className="btn" data-testid="demo-person-same">
          {t('supervisor.demo.same')}
        </button>
        {sameAs ? (
          <button type="button" className="btn" data-testid="demo-person-new" onClick={() => void choose(null)}>
            {t('supervisor.demo.reset')}
          </button>
        ) : null}
      </form>
      {error ? (
        <p role="alert" className="error" data-testid="demo-person-error">
          {error}
        </p>
      ) : null}
    </details>
  );
}
