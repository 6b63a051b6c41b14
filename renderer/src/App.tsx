// The renderer frame: navigation, screens, status bar; language switch re-renders everything in place.
import { useEffect, useMemo, useState } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import type { KioskBridgeApi, Locale } from '../../main/contract/ipc';
import { StatusBar } from './components/StatusBar';
import { applyDocumentLocale, createI18n } from './i18n';
import { BridgeContext, useCall, useEvent } from './kiosk-state';
import { Home } from './screens/Home';
import { Settings } from './screens/Settings';
import { SignIn } from './screens/SignIn';

type Screen = 'signIn' | 'home' | 'settings';

function Frame({ locale, setLocale }: { locale: Locale; setLocale: (l: Locale) => void }) {
  const { t } = useTranslation();
  const [screen, setScreen] = useState<Screen>('home');
  const [info] = useCall('kiosk:app.info', {});
  const devices = useEvent('kiosk:event.device-status');
  const sync = useEvent('kiosk:event.sync-progress');
  const appInfo = info.status === 'ok' ? info.value : null;

  const nav: [Screen, string][] = [
    ['home', t('nav.home')],
    ['signIn', t('nav.signIn')],
    ['settings', t('nav.settings')],
  ];
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="top-bar">
        <span className="app-title">{t('app.title')}</span>
        {appInfo?.demo ? <span className="pill pill-demo">{t('app.demo')}</span> : null}
        <nav aria-label={t('app.title')}>
          {nav.map(([id, label]) => (
            <button
              key={id}
              type="button"
              className={screen === id ? 'btn btn-primary' : 'btn'}
              aria-current={screen === id ? 'page' : undefined}
              data-testid={`nav-${id}`}
              onClick={() => setScreen(id)}
            >
              {label}
            </button>
          ))}
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {screen === 'home' ? <Home locale={locale} devices={devices} sync={sync} /> : null}
        {screen === 'signIn' ? <SignIn onSubmit={null} /> : null}
        {screen === 'settings' ? <Settings locale={locale} version={appInfo?.version ?? null} onLocale={setLocale} /> : null}
      </main>
      <StatusBar kioskId={appInfo?.kioskId ?? null} operatorName={null} sync={sync} devices={devices} locale={locale} />
    </div>
  );
}

export function App({ bridge, initialLocale = 'ar' }: { bridge: KioskBridgeApi; initialLocale?: Locale }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const i18n = useMemo(() => createI18n(initialLocale), [initialLocale]);

  useEffect(() => {
    applyDocumentLocale(locale);
    void i18n.changeLanguage(locale);
  }, [i18n, locale]);

  useEffect(() => {
    void bridge.invoke('kiosk:settings.get', {}).then((e) => {
      if (e.ok) setLocaleState(e.value.locale);
    });
    return bridge.subscribe('kiosk:event.settings', (s) => setLocaleState(s.locale));
  }, [bridge]);

  const setLocale = (l: Locale) => {
    setLocaleState(l);
    void bridge.invoke('kiosk:settings.update', { locale: l });
  };

  return (
    <BridgeContext.Provider value={bridge}>
      <I18nextProvider i18n={i18n}>
        <Frame locale={locale} setLocale={setLocale} />
      </I18nextProvider>
    </BridgeContext.Provider>
  );
}
