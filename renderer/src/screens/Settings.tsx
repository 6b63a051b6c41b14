// Settings: language (switchable at any time) and camera choice.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../main/contract/ipc';
import { useBridge } from '../kiosk-state';

export function Settings({ locale, version, onLocale }: { locale: Locale; version: string | null; onLocale: (l: Locale) => void }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const [cameras, setCameras] = useState<MediaDeviceInfo[]>([]);
  const [camera, setCamera] = useState<string>('');
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    void bridge.invoke('kiosk:settings.get', {}).then((e) => {
      if (e.ok) setCamera(e.value.cameraDeviceId ?? '');
    });
    void navigator.mediaDevices?.enumerateDevices?.().then(
      (all) => setCameras(all.filter((d) => d.kind === 'videoinput')),
      () => setCameras([]),
    );
  }, [bridge]);

  const chooseCamera = async (id: string) => {
    setCamera(id);
    const e = await bridge.invoke('kiosk:settings.update', { cameraDeviceId: id || null });
    setSaved(e.ok);
  };

  return (
    <section aria-labelledby="settings-title" className="screen">
      <h1 id="settings-title">{t('settings.title')}</h1>
      <fieldset className="field">
        <legend>{t('settings.language')}</legend>
        <div className="segmented" role="radiogroup" aria-label={t('settings.language')}>
          {(['ar', 'en'] as const).map((l) => (
            <button
              key={l}
              type="button"
              role="radio"
              aria-checked={locale === l}
              className={locale === l ? 'btn btn-primary' : 'btn'}
              data-testid={`locale-${l}`}
              lang={l}
              onClick={() => onLocale(l)}
            >
              {l === 'ar' ? t('settings.arabic') : t('settings.english')}
            </button>
          ))}
        </div>
      </fieldset>
      <label className="field">
        <span>{t('settings.camera')}</span>
        <select value={camera} onChange={(e) => void chooseCamera(e.target.value)} data-testid="camera-select">
          <option value="">{t('settings.cameraDefault')}</option>
          {cameras.map((c, i) => (
            <option key={c.deviceId || i} value={c.deviceId}>
              {c.label || `${t('settings.camera')} ${i + 1}`}
            </option>
          ))}
        </select>
      </label>
      {saved ? <p role="status">{t('settings.saved')}</p> : null}
      {version ? <p className="muted">{t('settings.version', { version })}</p> : null}
    </section>
  );
}
