// The renderer frame: navigation, screens, status bar; language switch re-renders everything in place.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { TFunction } from 'i18next';
import { I18nextProvider, useTranslation } from 'react-i18next';
import type { KioskBridgeApi, KioskErrorShape, Locale } from '../../main/contract/ipc';
import type { SessionView } from '../../main/contract/channels/auth';
import { onCameraUse } from './camera';
import { humanError } from './errors';
import { LockScreen } from './components/LockScreen';
import { StatusBar } from './components/StatusBar';
import { applyDocumentLocale, createI18n } from './i18n';
import { BridgeContext, useBridge, useCall, useConnection, useEvent } from './kiosk-state';
import { Adjudication, ApprovalQueue } from './screens/SupervisorQueue';
import { EnrollmentHome } from './screens/enrollment/EnrollmentHome';
import { EnrollmentWizard } from './screens/enrollment/EnrollmentWizard';
import { HouseholdHome } from './screens/household/HouseholdHome';
import { HouseholdScreen } from './screens/household/HouseholdScreen';
import { Diagnostics } from './screens/Diagnostics';
import { FaceCapture } from './screens/FaceCapture';
import { History } from './screens/History';
import { Operators, SetOwnPin } from './screens/Operators';
import { Provisioning } from './screens/Provisioning';
import { Home } from './screens/Home';
import { Settings } from './screens/Settings';
import { SignIn, fingerSignInMessage } from './screens/SignIn';
import { SyncOutcomes } from './screens/SyncOutcomes';

type Screen = 'signIn' | 'home' | 'face' | 'settings' | 'enroll' | 'households' | 'household' | 'approvals' | 'adjudication' | 'history' | 'diagnostics' | 'outcomes' | 'provisioning' | 'operators' | 'setPin';
const STAFF_SCREENS: Screen[] = ['home', 'face', 'enroll', 'households', 'household', 'approvals', 'adjudication', 'history'];

function signInMessage(error: KioskErrorShape, t: TFunction, locale: Locale, exists: (k: string) => boolean): string {
  if (error.code === 'VALIDATION_FAILED') return t('signIn.wrong');
  if (error.code === 'UNKNOWN_CHANNEL') return t('signIn.notAvailable');
  return humanError(error, t, exists, locale, 'signIn');
}

function Frame({ locale, setLocale }: { locale: Locale; setLocale: (l: Locale) => void }) {
  const { t, i18n } = useTranslation();
  const bridge = useBridge();
  const [screen, setScreen] = useState<Screen>('signIn');
  const [session, setSession] = useState<SessionView | null>(null);
  const [locked, setLocked] = useState(false);
  const [idleNotice, setIdleNotice] = useState(false);
  const connection = useConnection();
  // The browser owns the camera: tell main when a screen opens or closes it (status bar, home, diagnostics).
  useEffect(() => onCameraUse((u) => void bridge.invoke('kiosk:devices.camera', u)), [bridge]);
  const wasAway = useRef(false);
  // Back from a lost connection: the core decides whether the sign-in survived (same shell) or not.
  useEffect(() => {
    if (connection === 'offline') wasAway.current = true;
    if (connection !== 'online' || !wasAway.current) return;
    wasAway.current = false;
    void bridge.invoke('kiosk:auth.session', {}).then((e) => {
      if (e.ok && e.value.session) return;
      setSession(null);
      setLocked(false);
      setScreen('signIn');
    });
  }, [connection, bridge]);
  // Outside demo mode a kiosk not yet in service opens in the technician's set-up wizard.
  const [prov, reloadProv] = useCall('kiosk:provisioning.status', {});
  const unprovisioned = prov.status === 'ok' && !prov.value.demo && !prov.value.inService;
  // Idle sign-out and the screen lock are decided in main; the frame follows the session state.
  useEffect(() => {
    if (!session) return;
    const timer = setInterval(() => {
      void bridge.invoke('kiosk:lock.state', {}).then((e) => {
        if (!e.ok) return;
        if (!e.value.signedIn) {
          setSession(null);
          setLocked(false);
          setIdleNotice(true);
          setScreen('signIn');
        } else setLocked(e.value.locked);
      });
    }, 10_000);
    return () => clearInterval(timer);
  }, [bridge, session]);
  const lockScreen = async () => {
    const e = await bridge.invoke('kiosk:lock.engage', {});
    if (e.ok) setLocked(true);
  };
  const unlock = async (pin: string): Promise<boolean> => {
    const e = await bridge.invoke('kiosk:lock.unlock', { pin });
    if (e.ok && !e.value.locked) setLocked(false);
    return e.ok && !e.value.locked;
  };
  // The enrollment the wizard shows (null: a new one); `n` remounts the wizard when another one is opened.
  const [enrollment, setEnrollment] = useState<{ id: string | null; n: number }>({ id: null, n: 0 });
  const openEnrollment = (id: string | null) => {
    setEnrollment((e) => ({ id, n: e.n + 1 }));
    setScreen('enroll');
  };
  // The household the clerk works on (the wizard returns there after a member's enrollment); `n` remounts it.
  const [household, setHousehold] = useState<{ id: string | null; n: number; active: boolean }>({ id: null, n: 0, active: false });
  const openHousehold = (id: string | null) => {
    setHousehold((h) => ({ id, n: h.n + 1, active: true }));
    setScreen('household');
  };

  // Bumped by every navigation: a landing still looking up drafts does not override where the operator went meanwhile.
  const navigations = useRef(0);
  // Role-based landing: an operator with an unfinished draft resumes it at its step; others start at home.
  const land = async (s: SessionView) => {
    const epoch = navigations.current;
    if (s.pinChangeRequired) return setScreen('setPin');
    // The draft is looked up before any screen shows, so home never flashes up and then jumps into the wizard.
    if (!unprovisioned && (s.role === 'clerk' || s.role === 'supervisor')) {
      // A household left in its questionnaire resumes there (its members' enrollments are opened from it).
      const hh = await bridge.invoke('kiosk:household.list', { limit: 20 });
      const open = hh.ok ? hh.value.items.find((h) => h.operatorId === s.operatorId && h.step === 'questionnaire') : undefined;
      if (navigations.current !== epoch) return;
      if (open) return openHousehold(open.id);
      const e = await bridge.invoke('kiosk:workflow.drafts', { limit: 5 });
      const mine = e.ok ? e.value.items.find((d) => d.operatorId === s.operatorId) : undefined;
      if (navigations.current !== epoch) return;
      if (mine) return openEnrollment(mine.id);
    }
    setScreen(unprovisioned && s.role === 'technician' ? 'provisioning' : 'home');
  };

  useEffect(() => {
    void bridge.invoke('kiosk:auth.session', {}).then((e) => {
      if (e.ok && e.value.session) {
        setSession(e.value.session);
        void land(e.value.session);
      }
    });
  }, [bridge]);

  const signedIn = (s: SessionView) => {
    setIdleNotice(false);
    setSession(s);
    void land(s);
  };
  const signIn = async (operatorId: string, pin: string): Promise<string | null> => {
    const e = await bridge.invoke('kiosk:auth.signIn', { operatorId, pin });
    if (!e.ok) return signInMessage(e.error, t, locale, (k) => i18n.exists(k));
    signedIn(e.value);
    return null;
  };
  // Same landing as the PIN path; only the credential and its error messages differ.
  const fingerSignIn = async (operatorId: string, deviceId: string): Promise<string | null> => {
    const e = await bridge.invoke('kiosk:operators.fingerSignIn', { operatorId, deviceId });
    if (!e.ok) return fingerSignInMessage(e.error, t, locale);
    signedIn(e.value);
    return null;
  };

  const signOut = async () => {
    await bridge.invoke('kiosk:auth.signOut', {});
    setSession(null);
    setLocked(false);
    setEnrollment((x) => ({ id: null, n: x.n + 1 }));
    setHousehold((h) => ({ id: null, n: h.n + 1, active: false }));
    setScreen('signIn');
  };
  const [info] = useCall('kiosk:app.info', {});
  const devices = useEvent('kiosk:event.device-status');
  const sync = useEvent('kiosk:event.sync-progress');
  const appInfo = info.status === 'ok' ? info.value : null;
  const settingsEvent = useEvent('kiosk:event.settings');
  const [cameraDeviceId, setCameraDeviceId] = useState<string | null>(null);
  useEffect(() => {
    void bridge.invoke('kiosk:settings.get', {}).then((e) => e.ok && setCameraDeviceId(e.value.cameraDeviceId));
  }, [bridge]);
  useEffect(() => {
    if (settingsEvent) setCameraDeviceId(settingsEvent.cameraDeviceId);
  }, [settingsEvent]);

  const staff = session?.role === 'clerk' || session?.role === 'supervisor';
  const nav: [Screen, string][] = session && !session.pinChangeRequired
    ? [
        ['home', t('nav.home')],
        ...(staff ? ([['enroll', t('enrollment.nav.enroll')], ['households', t('household.nav')]] as [Screen, string][]) : []),
        ...(session.role === 'supervisor'
          ? ([
              ['approvals', t('enrollment.nav.approvals')],
              ['adjudication', t('enrollment.nav.adjudication')],
            ] as [Screen, string][])
          : []),
        ...(staff ? ([['history', t('enrollment.nav.history')]] as [Screen, string][]) : []),
        ['face', t('nav.face')],
        ...(session.role === 'supervisor' ? ([['outcomes', t('sync.nav')]] as [Screen, string][]) : []),
        ...(session.role !== 'clerk' ? ([['diagnostics', t('diagnostics.nav')]] as [Screen, string][]) : []),
        ...(session.role === 'technician' ? ([['provisioning', t('provisioning.nav')]] as [Screen, string][]) : []),
        ...(session.role !== 'clerk' ? ([['operators', t('operators.nav')]] as [Screen, string][]) : []),
        ['settings', t('nav.settings')],
      ]
    : [
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
              onClick={() => {
                navigations.current++;
                setHousehold((h) => ({ ...h, active: false }));
                setScreen(id);
              }}
            >
              {label}
            </button>
          ))}
          {session ? (
            <button type="button" className="btn" data-testid="nav-lock" onClick={() => void lockScreen()}>
              {t('lock.lock')}
            </button>
          ) : null}
          {session ? (
            <button type="button" className="btn" data-testid="nav-signOut" onClick={() => void signOut()}>
              {t('nav.signOut')}
            </button>
          ) : null}
        </nav>
      </header>
      {connection === 'offline' || connection === 'restarted' ? (
        <div className={connection === 'restarted' ? 'connection-banner connection-restarted' : 'connection-banner'} role="alert" data-testid="connection-banner" data-state={connection}>
          <strong>{t(`clerk.connection.${connection}.title`)}</strong> {t(`clerk.connection.${connection}.body`)}
        </div>
      ) : null}
      <main id="main" tabIndex={-1} aria-hidden={locked || undefined}>
        {screen === 'home' && session ? <Home locale={locale} devices={devices} sync={sync} /> : null}
        {screen === 'home' && session ? (
          <EnrollmentHome locale={locale} session={session} onStart={() => openEnrollment(null)} onOpen={(id) => openEnrollment(id)} onQueue={(q) => setScreen(q)} />
        ) : null}
        {screen === 'enroll' && session ? (
          <EnrollmentWizard
            key={enrollment.n}
            locale={locale}
            session={session}
            enrollmentId={enrollment.id}
            cameraDeviceId={cameraDeviceId}
            onOpened={(id) => setEnrollment((e) => ({ ...e, id }))}
            onExit={() => {
              setEnrollment((e) => ({ id: null, n: e.n + 1 }));
              if (household.active) {
                setHousehold((h) => ({ ...h, n: h.n + 1 }));
                setScreen('household');
              } else setScreen('home');
            }}
          />
        ) : null}
        {screen === 'households' && session ? <HouseholdHome locale={locale} onNew={() => openHousehold(null)} onOpen={(id) => openHousehold(id)} /> : null}
        {screen === 'household' && session ? (
          <HouseholdScreen
            key={household.n}
            locale={locale}
            householdId={household.id}
            onOpened={(id) => setHousehold((h) => ({ ...h, id }))}
            onOpenMember={(id) => openEnrollment(id)}
            onExit={() => {
              setHousehold((h) => ({ id: null, n: h.n + 1, active: false }));
              setScreen('households');
            }}
          />
        ) : null}
        {screen === 'approvals' && session ? <ApprovalQueue locale={locale} onOpen={(id) => openEnrollment(id)} /> : null}
        {screen === 'adjudication' && session ? <Adjudication locale={locale} onOpen={(id) => openEnrollment(id)} /> : null}
        {screen === 'history' && session ? <History locale={locale} onOpen={(id) => openEnrollment(id)} /> : null}
        {screen === 'outcomes' && session?.role === 'supervisor' ? <SyncOutcomes locale={locale} /> : null}
        {screen === 'face' && session ? <FaceCapture locale={locale} cameraDeviceId={cameraDeviceId} /> : null}
        {screen === 'signIn' || (STAFF_SCREENS.includes(screen) && !session) ? <SignIn onSubmit={signIn} onFingerSignIn={fingerSignIn} /> : null}
        {idleNotice && !session ? (
          <p role="status" data-testid="idle-notice">
            {t('lock.idle')}
          </p>
        ) : null}
        {screen === 'diagnostics' && session && session.role !== 'clerk' ? <Diagnostics locale={locale} session={session} kioskId={appInfo?.kioskId ?? null} /> : null}
        {unprovisioned && session?.role !== 'technician' ? (
          <p role="status" data-testid="not-in-service">
            {t('provisioning.notInService')}
          </p>
        ) : null}
        {screen === 'setPin' && session?.pinChangeRequired ? <SetOwnPin onDone={() => void land({ ...session, pinChangeRequired: false }).then(() => setSession({ ...session, pinChangeRequired: false }))} /> : null}
        {screen === 'provisioning' && session?.role === 'technician' ? <Provisioning locale={locale} onLocale={setLocale} onInService={reloadProv} /> : null}
        {screen === 'operators' && session && session.role !== 'clerk' ? <Operators session={session} locale={locale} /> : null}
        {screen === 'settings' ? <Settings locale={locale} version={appInfo?.version ?? null} onLocale={setLocale} /> : null}
      </main>
      {session && locked ? <LockScreen operatorId={session.operatorId} onUnlock={unlock} onSignOut={() => void signOut()} /> : null}
      <StatusBar kioskId={appInfo?.kioskId ?? null} operatorName={session ? `${session.operatorId} · ${t(`roles.${session.role}`)}` : null} sync={sync} devices={devices} locale={locale} connection={connection} />
    </div>
  );
}

export function App({ bridge, initialLocale = 'ar' }: { bridge: KioskBridgeApi; initialLocale?: Locale }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const localeChosen = useRef(false);
  const i18n = useMemo(() => createI18n(initialLocale), [initialLocale]);

  useEffect(() => {
    applyDocumentLocale(locale);
    void i18n.changeLanguage(locale);
  }, [i18n, locale]);

  useEffect(() => {
    void bridge.invoke('kiosk:settings.get', {}).then((e) => {
      // A language chosen while this answer was on its way wins over the stored one.
      if (e.ok && !localeChosen.current) setLocaleState(e.value.locale);
    });
    return bridge.subscribe('kiosk:event.settings', (s) => setLocaleState(s.locale));
  }, [bridge]);

  const setLocale = (l: Locale) => {
    localeChosen.current = true;
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
