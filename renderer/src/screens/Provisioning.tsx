// The technician's first-run wizard: one section per checklist item, the checklist with every failure explained
// (the message key main sends with each typed error) and waivers with a reason, then "in service". Every step runs
// in main (kiosk:provisioning.*); roles are enforced there.
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { KioskErrorShape, Locale } from '../../../main/contract/ipc';
import type { ChecklistItemView, ProvisioningViewShape } from '../../../main/contract/channels/provisioning';
import { formatDateTime } from '../format';
import { useBridge } from '../kiosk-state';

type DeviceKind = 'r30x' | 'gt511c3' | 'sbi';
interface Found {
  serial: { enumerated: boolean; ports: { path: string; bridge?: string; vendorId?: string; productId?: string }[] };
  sbi: { port: number; deviceId: string; status: string; model: string | null }[];
  configured?: { id: string; kind: string; label: string; state: string; detail?: string }[];
}

/** The explanation of a typed error: its message key with the error's details, else the generic text. */
export function explain(t: TFunction, e: { code: string; message: string; details?: Record<string, unknown> }): string {
  const key = typeof e.details?.messageKey === 'string' ? e.details.messageKey : null;
  const values = Object.fromEntries(Object.entries(e.details ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]));
  return key && t(key, { ...values, defaultValue: '' }) ? t(key, values) : t('provisioning.errors.generic', { message: e.message });
}

/** Mean-free grey-level spread of a grabbed frame (a covered lens or dead feed is flat). */
function greyStdDev(data: Uint8ClampedArray): number {
  let sum = 0;
  let sq = 0;
  const n = data.length / 4;
  for (let i = 0; i < data.length; i += 4) {
    const g = 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
    sum += g;
    sq += g * g;
  }
  const mean = sum / n;
  return Math.sqrt(Math.max(0, sq / n - mean * mean));
}

async function grabFrame(deviceId: string): Promise<{ width: number; height: number; greyStdDev: number; label: string }> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: deviceId ? { deviceId: { exact: deviceId }, width: { ideal: 1280 } } : { width: { ideal: 1280 } }, audio: false });
  try {
    const video = document.createElement('video');
    video.muted = true;
    video.srcObject = stream;
    await video.play();
    await new Promise((r) => setTimeout(r, 300));
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(video, 0, 0);
    const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
    return { width: canvas.width, height: canvas.height, greyStdDev: greyStdDev(img.data), label: stream.getVideoTracks()[0]?.label ?? '' };
  } finally {
    stream.getTracks().forEach((tr) => tr.stop());
  }
}

function Item({ item, t, locale, onWaive, children }: { item: ChecklistItemView; t: TFunction; locale: Locale; onWaive: ((reason: string) => void) | null; children?: ReactNode }) {
  const [reason, setReason] = useState('');
  const tone = item.status === 'ok' ? 'pill-ok' : item.status === 'waived' ? 'pill-demo' : 'pill-off';
  return (
    <section className="card prov-item" data-testid={`prov-item-${item.id}`} aria-labelledby={`prov-${item.id}-title`}>
      <h2 id={`prov-${item.id}-title`}>
        {t(`provisioning.items.${item.id}`)}{' '}
        <span className={`pill ${tone}`} data-testid={`prov-status-${item.id}`} data-status={item.status}>
          {t(`provisioning.status.${item.status}`)}
        </span>
      </h2>
      {item.status === 'failed' && item.error ? (
        <p role="alert" className="bad" data-testid={`prov-error-${item.id}`} data-code={item.error.code}>
          {explain(t, { code: item.error.code, message: item.error.message, details: { ...item.error.details, messageKey: item.error.messageKey } })}{' '}
          <span className="muted">{t('provisioning.errorCode', { code: item.error.code })}</span>
        </p>
      ) : null}
      {item.waiver ? <p className="muted">{t('provisioning.waive.by', { by: item.waiver.by, reason: item.waiver.reason })} · {formatDateTime(item.waiver.at, locale)}</p> : null}
      {children}
      {onWaive && item.status !== 'ok' && item.status !== 'waived' ? (
        <div className="row">
          <label className="field">
            <span>{t('provisioning.waive.reason')}</span>
            <input value={reason} onChange={(e) => setReason(e.target.value)} data-testid={`prov-waive-reason-${item.id}`} maxLength={200} />
          </label>
          <button type="button" className="btn" data-testid={`prov-waive-${item.id}`} onClick={() => onWaive(reason)}>
            {t('provisioning.waive.action')}
          </button>
        </div>
      ) : null}
    </section>
  );
}

export function Provisioning({ locale, onLocale, onInService }: { locale: Locale; onLocale: (l: Locale) => void; onInService: () => void }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const [view, setView] = useState<ProvisioningViewShape | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [mode, setMode] = useState<'online' | 'offline'>('online');
  const [url, setUrl] = useState('');
  const [token, setToken] = useState('');
  const [fingerprint, setFingerprint] = useState('');
  const [bundleDir, setBundleDir] = useState('');
  const [station, setStation] = useState('');
  const [extraPath, setExtraPath] = useState('');
  const [found, setFound] = useState<Found | null>(null);
  const [kinds, setKinds] = useState<Record<string, DeviceKind>>({});
  const [cameras, setCameras] = useState<MediaDeviceInfo[]>([]);
  const [camera, setCamera] = useState('');

  const refresh = async () => {
    const e = await bridge.invoke('kiosk:provisioning.state', {});
    if (e.ok) setView(e.value);
  };
  useEffect(() => {
    void refresh();
    void navigator.mediaDevices?.enumerateDevices?.().then(
      (all) => setCameras(all.filter((d) => d.kind === 'videoinput')),
      () => setCameras([]),
    );
  }, [bridge]);

  /** Runs a step; on failure the item carries the explanation (state is re-read either way). */
  const step = async (fn: () => Promise<{ ok: true; value: ProvisioningViewShape } | { ok: false; error: KioskErrorShape }>) => {
    setBusy(true);
    setMessage(null);
    try {
      const e = await fn();
      if (e.ok) setView(e.value);
      else {
        setMessage(explain(t, e.error));
        await refresh();
      }
    } finally {
      setBusy(false);
    }
  };

  if (!view) return <p role="status">{t('provisioning.working')}</p>;
  const item = (id: ChecklistItemView['id']) => view.items.find((i) => i.id === id)!;
  const waive = (id: ChecklistItemView['id']) => (reason: string) => void step(() => bridge.invoke('kiosk:provisioning.waive', { item: id, reason }));
  const registered = item('registration').status === 'ok';
  const dl = item('downloads').detail as { versions?: { config?: number }; operators?: number; galleryEntries?: number; revokedOperators?: number };
  const reg = item('registration').detail as { registry?: string; serial?: string };

  const testDevice = (id: string, kind: DeviceKind, target: { path?: string; port?: number }) => void step(() => bridge.invoke('kiosk:provisioning.testDevice', { id, kind, ...target }));
  const discover = async () => {
    setBusy(true);
    const e = await bridge.invoke('kiosk:provisioning.discoverDevices', { serialPaths: extraPath.trim() ? [extraPath.trim()] : [] });
    setBusy(false);
    if (e.ok) setFound(e.value);
    else setMessage(explain(t, e.error));
  };
  const testCamera = async () => {
    try {
      const f = await grabFrame(camera);
      await step(() => bridge.invoke('kiosk:provisioning.cameraTest', { ok: true, deviceId: camera, label: f.label || t('provisioning.camera.defaultCamera'), width: f.width, height: f.height, greyStdDev: f.greyStdDev }));
    } catch (err) {
      await step(() => bridge.invoke('kiosk:provisioning.cameraTest', { ok: false, reason: String((err as Error)?.name ?? err).slice(0, 200) }));
    }
  };

  return (
    <section aria-labelledby="prov-title" className="screen" data-testid="provisioning" aria-busy={busy}>
      <h1 id="prov-title">{t('provisioning.title')}</h1>
      <p>{t('provisioning.intro', { kioskId: view.kioskId, centreId: view.centreId })}</p>
      {view.inService && view.inServiceAt ? (
        <p role="status" className="ok" data-testid="prov-in-service">
          {t('provisioning.inService', { at: formatDateTime(view.inServiceAt, locale) })}
        </p>
      ) : null}
      {busy ? <p role="status">{t('provisioning.working')}</p> : null}
      {message ? (
        <p role="alert" className="bad" data-testid="prov-message">
          {message}
        </p>
      ) : null}

      <Item item={item('language')} t={t} locale={locale} onWaive={null}>
        <div className="segmented" role="radiogroup" aria-label={t('provisioning.language.choose')}>
          {(['ar', 'en'] as const).map((l) => (
            <button
              key={l}
              type="button"
              role="radio"
              aria-checked={locale === l}
              lang={l}
              className={locale === l ? 'btn btn-primary' : 'btn'}
              data-testid={`prov-locale-${l}`}
              onClick={() => {
                onLocale(l);
                void step(() => bridge.invoke('kiosk:provisioning.setLanguage', { locale: l }));
              }}
            >
              {l === 'ar' ? 'العربية' : 'English'}
            </button>
          ))}
        </div>
      </Item>

      <Item item={item('registration')} t={t} locale={locale} onWaive={null}>
        {registered ? <p data-testid="prov-registered">{t('provisioning.registration.done', { registry: reg.registry ?? '', serial: reg.serial ?? '' })}</p> : null}
        {!view.inService ? (
          <>
            <div className="segmented" role="radiogroup">
              {(['online', 'offline'] as const).map((m) => (
                <button key={m} type="button" role="radio" aria-checked={mode === m} className={mode === m ? 'btn btn-primary' : 'btn'} data-testid={`prov-mode-${m}`} onClick={() => setMode(m)}>
                  {t(`provisioning.registration.${m}`)}
                </button>
              ))}
            </div>
            {mode === 'online' ? (
              <>
                <label className="field">
                  <span>{t('provisioning.registration.url')}</span>
                  <input value={url} onChange={(e) => setUrl(e.target.value)} dir="ltr" inputMode="url" data-testid="prov-url" />
                </label>
                <label className="field">
                  <span>{t('provisioning.registration.token')}</span>
                  <input value={token} onChange={(e) => setToken(e.target.value)} dir="ltr" autoComplete="off" data-testid="prov-token" />
                </label>
              </>
            ) : (
              <label className="field">
                <span>{t('provisioning.registration.bundleDir')}</span>
                <input value={bundleDir} onChange={(e) => setBundleDir(e.target.value)} dir="ltr" data-testid="prov-bundle-dir" />
              </label>
            )}
            <label className="field">
              <span>{t('provisioning.registration.fingerprint')}</span>
              <input value={fingerprint} onChange={(e) => setFingerprint(e.target.value)} dir="ltr" autoComplete="off" data-testid="prov-fingerprint" />
            </label>
            <button
              type="button"
              className="btn btn-primary"
              disabled={busy}
              data-testid="prov-register"
              onClick={() =>
                void step(() =>
                  mode === 'online'
                    ? bridge.invoke('kiosk:provisioning.register', { registryUrl: url.trim(), token: token.trim(), registryKeyFingerprint: fingerprint.trim() })
                    : bridge.invoke('kiosk:provisioning.applyBundle', { dir: bundleDir.trim(), registryKeyFingerprint: fingerprint.trim() }),
                )
              }
            >
              {mode === 'online' ? t('provisioning.registration.register') : t('provisioning.registration.applyBundle')}
            </button>
          </>
        ) : null}
      </Item>

      <Item item={item('downloads')} t={t} locale={locale} onWaive={null}>
        {item('downloads').status === 'ok' ? (
          <p data-testid="prov-downloads-done">{t('provisioning.downloads.done', { config: dl.versions?.config ?? '–', operators: dl.operators ?? 0, gallery: dl.galleryEntries ?? 0, revoked: dl.revokedOperators ?? 0 })}</p>
        ) : null}
        {registered && view.source === 'online' && !view.inService ? (
          <button type="button" className="btn" disabled={busy} data-testid="prov-download" onClick={() => void step(() => bridge.invoke('kiosk:provisioning.download', {}))}>
            {t('provisioning.downloads.run')}
          </button>
        ) : null}
      </Item>

      <Item item={item('site')} t={t} locale={locale} onWaive={waive('site')}>
        <p>
          {t('provisioning.site.centre')}: <bdi>{view.centreId}</bdi>
          {view.stationId ? (
            <>
              {' · '}
              {t('provisioning.site.station')}: <bdi data-testid="prov-station-current">{view.stationId}</bdi>
            </>
          ) : null}
        </p>
        <label className="field">
          <span>{t('provisioning.site.station')}</span>
          {view.stations ? (
            <select value={station} onChange={(e) => setStation(e.target.value)} data-testid="prov-station">
              <option value="" />
              {view.stations.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          ) : (
            <input value={station} onChange={(e) => setStation(e.target.value)} dir="ltr" data-testid="prov-station" />
          )}
        </label>
        <button type="button" className="btn" disabled={busy || !station} data-testid="prov-station-save" onClick={() => void step(() => bridge.invoke('kiosk:provisioning.setStation', { stationId: station }))}>
          {t('provisioning.site.save')}
        </button>
      </Item>

      <Item item={item('fingerprint')} t={t} locale={locale} onWaive={waive('fingerprint')}>
        <ul data-testid="prov-assigned">
          {view.fingerprintDevices.map((d) => (
            <li key={d.id} data-testid={`prov-device-${d.id}`} data-ok={d.test?.ok ? 'true' : 'false'}>
              <bdi>
                {d.id} · {d.kind} · {d.path ?? d.port}
              </bdi>{' '}
              {d.test?.ok ? t('provisioning.devices.passed', { model: d.test.model ?? '', width: d.test.width ?? 0, height: d.test.height ?? 0, ppi: d.test.ppi ?? 0 }) : d.test?.error ? explain(t, { ...d.test.error, details: { ...d.test.error.details, messageKey: d.test.error.messageKey } }) : null}{' '}
              <button type="button" className="btn" onClick={() => void step(() => bridge.invoke('kiosk:provisioning.removeDevice', { id: d.id }))}>
                {t('provisioning.devices.remove')}
              </button>
            </li>
          ))}
        </ul>
        <label className="field">
          <span>{t('provisioning.devices.extraPath')}</span>
          <input value={extraPath} onChange={(e) => setExtraPath(e.target.value)} dir="ltr" data-testid="prov-serial-path" />
        </label>
        <button type="button" className="btn" disabled={busy} data-testid="prov-discover" onClick={() => void discover()}>
          {t('provisioning.devices.discover')}
        </button>
        {found ? (
          <ul data-testid="prov-found">
            {!found.serial.enumerated ? <li className="muted">{t('provisioning.devices.serialUnavailable')}</li> : null}
            {(found.configured ?? []).map((c) => (
              <li key={`configured-${c.id}`} data-testid={`prov-found-configured-${c.id}`}>
                <bdi>{c.label}</bdi> — {t('provisioning.devices.configured', { id: c.id, kind: c.kind })} · {t(`deviceState.${c.state}`, { defaultValue: c.state })}
              </li>
            ))}
            {found.serial.ports.length + found.sbi.length + (found.configured?.length ?? 0) === 0 ? <li>{t('provisioning.devices.none')}</li> : null}
            {found.serial.ports.map((p, i) => (
              <li key={p.path} data-testid={`prov-found-serial-${i}`}>
                <bdi>
                  {p.path}
                  {p.bridge ? ` (${p.bridge})` : ''}
                </bdi>{' '}
                <select aria-label={t('provisioning.devices.kind')} value={kinds[p.path] ?? 'r30x'} onChange={(e) => setKinds({ ...kinds, [p.path]: e.target.value as DeviceKind })}>
                  <option value="r30x">R30x</option>
                  <option value="gt511c3">GT-511C3</option>
                </select>{' '}
                <button type="button" className="btn btn-primary" disabled={busy} data-testid={`prov-test-serial-${i}`} onClick={() => testDevice(`scanner-${i + 1}`, kinds[p.path] ?? 'r30x', { path: p.path })}>
                  {t('provisioning.devices.test')}
                </button>
              </li>
            ))}
            {found.sbi.map((d) => (
              <li key={d.port} data-testid={`prov-found-sbi-${d.port}`}>
                {t('provisioning.devices.sbi', { model: d.model ?? d.deviceId, port: d.port, status: d.status })}{' '}
                <button type="button" className="btn btn-primary" disabled={busy} data-testid={`prov-test-sbi-${d.port}`} onClick={() => testDevice(`sbi-${d.port}`, 'sbi', { port: d.port })}>
                  {t('provisioning.devices.test')}
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        {busy ? <p className="muted">{t('provisioning.devices.testing')}</p> : null}
      </Item>

      <Item item={item('camera')} t={t} locale={locale} onWaive={waive('camera')}>
        {view.camera ? <p data-testid="prov-camera-done">{t('provisioning.camera.passed', { label: view.camera.label, width: view.camera.width, height: view.camera.height })}</p> : null}
        <label className="field">
          <span>{t('provisioning.camera.choose')}</span>
          <select value={camera} onChange={(e) => setCamera(e.target.value)} data-testid="prov-camera-select">
            <option value="">{t('provisioning.camera.defaultCamera')}</option>
            {cameras.map((c, i) => (
              <option key={c.deviceId || i} value={c.deviceId}>
                {c.label || `${t('provisioning.camera.choose')} ${i + 1}`}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="btn" disabled={busy} data-testid="prov-camera-test" onClick={() => void testCamera()}>
          {t('provisioning.camera.test')}
        </button>
      </Item>

      <Item item={item('models')} t={t} locale={locale} onWaive={waive('models')}>
        {item('models').status === 'ok' ? <p>{t('provisioning.models.done', { models: String((item('models').detail as { models?: number }).models ?? '') })}</p> : null}
        <button type="button" className="btn" disabled={busy} data-testid="prov-models" onClick={() => void step(() => bridge.invoke('kiosk:provisioning.checkModels', {}))}>
          {t('provisioning.models.check')}
        </button>
      </Item>

      <Item item={item('clock')} t={t} locale={locale} onWaive={waive('clock')}>
        {item('clock').status === 'ok' ? (
          <p>
            {(item('clock').detail as { reference?: string }).reference === 'bundle'
              ? t('provisioning.clock.offline', { at: formatDateTime(String((item('clock').detail as { bundleCreatedAt?: string }).bundleCreatedAt ?? ''), locale) })
              : t('provisioning.clock.done', { skew: Math.abs(Number((item('clock').detail as { skewSeconds?: number }).skewSeconds ?? 0)) })}
          </p>
        ) : null}
        <button
          type="button"
          className="btn"
          disabled={busy || !registered}
          aria-describedby={!registered ? 'prov-clock-why' : undefined}
          data-testid="prov-clock"
          onClick={() => void step(() => bridge.invoke('kiosk:provisioning.checkClock', {}))}
        >
          {t('provisioning.clock.check')}
        </button>
        {!registered ? (
          <p id="prov-clock-why" className="muted" data-testid="prov-clock-why">
            {t('provisioning.clock.needsRegistration')}
          </p>
        ) : null}
      </Item>

      <section className="card" aria-labelledby="prov-checklist-title">
        <h2 id="prov-checklist-title">{t('provisioning.checklist')}</h2>
        <ul data-testid="prov-checklist">
          {view.items.map((i) => (
            <li key={i.id} data-testid={`prov-check-${i.id}`} data-status={i.status}>
              {t(`provisioning.items.${i.id}`)}: {t(`provisioning.status.${i.status}`)}
            </li>
          ))}
        </ul>
        {!view.inService ? (
          <>
            {!view.ready ? <p className="muted">{t('provisioning.notReady')}</p> : null}
            <button
              type="button"
              className="btn btn-primary btn-wide"
              disabled={busy || !view.ready}
              data-testid="prov-enter-service"
              onClick={() =>
                void step(async () => {
                  const e = await bridge.invoke('kiosk:provisioning.enterService', {});
                  if (e.ok) onInService();
                  return e;
                })
              }
            >
              {t('provisioning.enterService')}
            </button>
          </>
        ) : null}
      </section>
    </section>
  );
}
