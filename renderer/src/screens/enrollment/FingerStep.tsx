// The finger capture step: scanner choice, the hand diagram, capture in the configured order (slaps 4-4-2 on slap
// scanners, single fingers on single-finger sensors), live progress from the core, per-finger quality and feedback,
// retakes up to the configured number, exceptions with an optional photo, and the sequence check's warnings.
// Everything runs in main (kiosk:finger.*); this component only renders the capture session named `sessionId`.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CapturePlanView, FingerDeviceView, FingerProgress, FingerSessionView, FingerStateView } from '../../../../main/contract/channels/finger';
import type { KioskErrorShape, Locale } from '../../../../main/contract/ipc';
import { cameraProblemOf, grabFrame, openCamera, type CameraProblem } from '../../camera';
import { HandDiagram } from '../../components/HandDiagram';
import { humanError } from '../../errors';
import { formatNumber } from '../../format';
import { useBridge } from '../../kiosk-state';
import './FingerStep.css';

const SLAP_OF: Record<number, number> = { 1: 15, 6: 15, 2: 13, 3: 13, 4: 13, 5: 13, 7: 14, 8: 14, 9: 14, 10: 14 };
const EXCEPTION_KINDS = ['missing', 'amputated', 'bandaged', 'unable'] as const;
type ExceptionKind = (typeof EXCEPTION_KINDS)[number];

/** A finger already stored in the enrollment draft (saved after each capture, so it survives a kiosk restart). */
export interface SavedFinger {
  position: number;
  quality: number;
  attempts: number;
}

export interface FingerStepProps {
  /** The capture session (the enrollment draft id). */
  sessionId: string;
  locale: Locale;
  /** Called with every new session view (fingers saved in the draft merged in). */
  onChange?(view: FingerSessionView): void;
  /** Called after a capture, exception or reset changed the session (the wizard saves it to the draft). */
  onCaptured?(view: FingerSessionView): void;
  /** Fingers and exceptions the draft already holds: shown as done where the (new) session has nothing. */
  saved?: { fingers: SavedFinger[]; exceptions: { position: number; kind: string; reason: string }[] };
}

/** The session with what the draft already holds filled in where the session has nothing (after a restart). */
export function withSaved(session: FingerSessionView, saved: FingerStepProps['saved'], qualityMin: number): FingerSessionView {
  if (!saved || (!saved.fingers.length && !saved.exceptions.length)) return session;
  const fingers = session.fingers.map((f): FingerStateView => {
    if (f.state !== 'pending') return f;
    const kept = saved.fingers.find((x) => x.position === f.position);
    if (kept) return { ...f, state: 'captured', quality: kept.quality, lastQuality: kept.quality, attempts: kept.attempts, accepted: kept.quality >= qualityMin || kept.attempts >= f.maxAttempts, source: null };
    const ex = saved.exceptions.find((x) => x.position === f.position);
    if (ex && (EXCEPTION_KINDS as readonly string[]).includes(ex.kind)) return { ...f, state: 'excepted', exception: { kind: ex.kind as ExceptionKind, reason: ex.reason, hasPhoto: false } };
    return f;
  });
  return { ...session, fingers, complete: session.sequence.mismatches.length === 0 && fingers.every(isDone) };
}

/** Captured and accepted (or out of attempts), or excepted: nothing more to do for this finger. */
export function isDone(f: FingerStateView): boolean {
  return f.state === 'excepted' || (f.state === 'captured' && (f.accepted || f.attempts >= f.maxAttempts));
}

/** The step to take next: the clerk's chosen finger (or its slap), else the first unfinished step of the plan. */
export function nextStep(plan: CapturePlanView | null, session: FingerSessionView | null, selected: number | null): number | null {
  if (!plan || !session) return null;
  if (selected !== null) {
    if (plan.mode === 'single') return selected;
    return SLAP_OF[selected] ?? null;
  }
  const byPos = new Map(session.fingers.map((f) => [f.position, f]));
  for (const s of plan.steps) if (s.fingers.some((p) => { const f = byPos.get(p); return !f || !isDone(f); })) return s.step;
  return null;
}

function fileToBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

export function FingerStep({ sessionId, locale, onChange, onCaptured, saved }: FingerStepProps) {
  const { t, i18n } = useTranslation();
  const bridge = useBridge();
  const [devices, setDevices] = useState<FingerDeviceView[] | null>(null);
  const [deviceId, setDeviceId] = useState<string | null>(null);
  const [plan, setPlan] = useState<CapturePlanView | null>(null);
  const [session, setSession] = useState<FingerSessionView | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<FingerProgress | null>(null);
  const [error, setError] = useState<KioskErrorShape | null>(null);
  const [exceptionFor, setExceptionFor] = useState<number | null>(null);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const onCapturedRef = useRef(onCaptured);
  onCapturedRef.current = onCaptured;
  const captureButton = useRef<HTMLButtonElement>(null);
  const rawSession = useRef<FingerSessionView | null>(null);

  const errorText = (e: KioskErrorShape) => (i18n.exists(`fingers.errors.${e.code}`) ? t(`fingers.errors.${e.code}`) : humanError(e, t, (k) => i18n.exists(k), locale));
  const nameOf = (step: number) => (step > 10 ? t(`fingers.step.${step}`) : t(`fingers.finger.${step}`));

  const qualityMin = plan?.qualityMin ?? 40;
  const show = (raw: FingerSessionView, changed = false) => {
    rawSession.current = raw;
    const view = withSaved(raw, saved, qualityMin);
    setSession(view);
    onChangeRef.current?.(view);
    if (changed) onCapturedRef.current?.(view);
  };
  // What the draft holds can arrive after the session (the wizard's save answer): merge it in again.
  const savedKey = JSON.stringify(saved ?? null);
  useEffect(() => {
    if (rawSession.current) show(rawSession.current);
  }, [savedKey, qualityMin]);

  useEffect(() => {
    let live = true;
    void bridge.invoke('kiosk:finger.devices', {}).then((e) => {
      if (!live) return;
      if (!e.ok) return setError(e.error);
      setDevices(e.value.devices);
      const ready = e.value.devices.find((d) => d.state === 'ready');
      if (ready) setDeviceId((current) => current ?? ready.id);
    });
    void bridge.invoke('kiosk:finger.session', { sessionId }).then((e) => {
      if (live && e.ok) show(e.value);
    });
    const off = bridge.subscribe('kiosk:event.finger-progress', (p) => {
      if (p.sessionId === sessionId) setProgress(p);
    });
    return () => {
      live = false;
      off();
    };
  }, [bridge, sessionId]);

  useEffect(() => {
    if (!deviceId) return;
    let live = true;
    setPlan(null);
    void bridge.invoke('kiosk:finger.plan', { deviceId }).then((e) => {
      if (!live) return;
      if (e.ok) setPlan(e.value);
      else setError(e.error);
    });
    return () => {
      live = false;
    };
  }, [bridge, deviceId]);

  const step = nextStep(plan, session, selected);
  const stepFingers = step === null ? [] : step > 10 ? (plan?.steps.find((s) => s.step === step)?.fingers ?? []) : [step];
  const focus = selected ?? stepFingers[0] ?? null;
  const focusState = focus !== null ? session?.fingers.find((f) => f.position === focus) : undefined;
  const attemptsUsed = stepFingers.reduce((m, p) => Math.max(m, session?.fingers.find((f) => f.position === p)?.attempts ?? 0), 0);
  const isRetake = stepFingers.some((p) => session?.fingers.find((f) => f.position === p)?.state === 'captured');

  const capture = async () => {
    if (step === null || !deviceId || busy) return;
    setBusy(true);
    setError(null);
    setProgress(null);
    try {
      const e = await bridge.invoke('kiosk:finger.capture', { sessionId, deviceId, step: step as CapturePlanView['steps'][number]['step'] });
      if (!e.ok) return setError(e.error);
      show(e.value.session, true);
      // Stay on a finger that needs a retake; otherwise go on with the plan.
      const weak = e.value.captured.find((c) => { const f = e.value.session.fingers.find((x) => x.position === c.position); return f && !isDone(f); });
      setSelected(weak ? weak.position : null);
    } finally {
      setBusy(false);
      // Keyboard users stay where they were: on the capture button (next finger), or on "continue" once all are done.
      setTimeout(() => {
        const target = captureButton.current ?? document.querySelector<HTMLElement>('[data-testid="fingers-bind"]');
        if (target && document.activeElement !== target && (document.activeElement === document.body || document.activeElement === null || document.activeElement === captureButton.current)) target.focus();
      }, 0);
    }
  };

  const cancel = () => void bridge.invoke('kiosk:finger.cancel', { sessionId });

  const reset = async (position: number) => {
    const e = await bridge.invoke('kiosk:finger.reset', { sessionId, position });
    if (e.ok) show(e.value, true);
    else setError(e.error);
  };

  const mismatches = session?.sequence.mismatches ?? [];
  const ready = devices?.filter((d) => d.state === 'ready') ?? [];
  const phaseText = progress
    ? progress.phase === 'uploading'
      ? t('fingers.phase.uploading', { percent: `${formatNumber(progress.percent ?? 0, locale)}${locale === 'ar' ? '٪' : '%'}` })
      : t(`fingers.phase.${progress.phase}`)
    : null;

  return (
    <section className="finger-step" aria-labelledby="finger-step-title" data-testid="finger-step">
      <h3 id="finger-step-title">{t('fingers.title')}</h3>

      <div className="finger-step-device">
        {devices !== null && ready.length === 0 ? (
          <p className="error" role="alert" data-testid="finger-no-device">
            {t('fingers.noDevice')}
          </p>
        ) : null}
        {devices && devices.length > 0 ? (
          <label className="field">
            <span>{t('fingers.device')}</span>
            <select data-testid="finger-device" value={deviceId ?? ''} disabled={busy} onChange={(e) => setDeviceId(e.target.value)}>
              {devices.map((d) => (
                <option key={d.id} value={d.id} disabled={d.state !== 'ready'}>
                  {d.state === 'ready' ? `${d.model} — ${t(`fingers.mode.${d.mode}`)}` : t('fingers.deviceError', { device: d.model, detail: d.detail ?? d.state })}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>

      <HandDiagram
        fingers={(session?.fingers ?? []).map((f) => ({ ...f, mismatch: mismatches.some((m) => m.position === f.position) }))}
        selected={selected}
        onSelect={(p) => setSelected(p)}
        locale={locale}
        highlight={stepFingers}
        disabled={busy}
      />

      <div className="finger-step-actions">
        {session?.complete && selected === null ? (
          <p className="finger-step-done" role="status" data-testid="finger-complete">
            {t('fingers.allDone')}
          </p>
        ) : null}
        {step !== null && plan ? (
          <>
            <p className="finger-step-next" data-testid="finger-next">
              {t('fingers.next', { what: nameOf(step) })}
              {attemptsUsed > 0 ? ` · ${t('fingers.attempts', { n: formatNumber(Math.min(attemptsUsed + 1, plan.maxAttempts), locale), max: formatNumber(plan.maxAttempts, locale) })}` : ''}
            </p>
            {/* Not `disabled` while busy: a disabled button drops the keyboard focus to the page body. */}
            <button
              ref={captureButton}
              type="button"
              className="btn btn-primary"
              data-testid="finger-capture"
              aria-disabled={busy || undefined}
              disabled={!deviceId || attemptsUsed >= plan.maxAttempts}
              onClick={() => void capture()}
            >
              {t(isRetake ? 'fingers.retry' : 'fingers.capture', { what: nameOf(step) })}
            </button>
          </>
        ) : null}
        {busy ? (
          <button type="button" className="btn" data-testid="finger-cancel" onClick={cancel}>
            {t('fingers.cancel')}
          </button>
        ) : null}
        {focus !== null && !busy ? (
          <button type="button" className="btn" data-testid="finger-exception-open" onClick={() => setExceptionFor(focus)}>
            {t('fingers.exception.open')}
          </button>
        ) : null}
        {focusState && focusState.state !== 'pending' && !busy ? (
          <button type="button" className="btn" data-testid="finger-reset" onClick={() => void reset(focusState.position)}>
            {t('fingers.reset')}
          </button>
        ) : null}
      </div>

      <div className="finger-step-progress" role="status" aria-live="polite" data-testid="finger-progress">
        {busy || progress ? phaseText : null}
        {progress?.phase === 'uploading' ? <progress max={100} value={progress.percent ?? 0} /> : null}
      </div>

      {error ? (
        <p className="error" role="alert" data-testid="finger-error">
          {errorText(error)}
        </p>
      ) : null}

      {mismatches.length ? (
        <div className="finger-step-mismatch" role="alert" data-testid="finger-mismatch">
          <strong>{t('fingers.sequence.title')}</strong>
          <ul>
            {mismatches.map((m) => (
              <li key={m.position}>{t('fingers.sequence.mismatch', { position: t(`fingers.finger.${m.position}`), matched: t(`fingers.finger.${m.matchedPosition}`) })}</li>
            ))}
          </ul>
        </div>
      ) : null}

      {focusState ? <FingerDetail finger={focusState} locale={locale} sessionId={sessionId} /> : null}

      {exceptionFor !== null ? (
        <ExceptionDialog
          position={exceptionFor}
          onCancel={() => setExceptionFor(null)}
          onSave={async (kind, reason, photoBase64) => {
            const e = await bridge.invoke('kiosk:finger.exception', { sessionId, position: exceptionFor, kind, reason, ...(photoBase64 ? { photoBase64 } : {}) });
            if (!e.ok) return errorText(e.error);
            show(e.value, true);
            setExceptionFor(null);
            setSelected(null);
            return null;
          }}
        />
      ) : null}
    </section>
  );
}

/** The kept image of a captured finger, drawn from the grey pixels main sends (no data: URLs under the CSP). */
function FingerImage({ sessionId, finger }: { sessionId: string; finger: FingerStateView }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [image, setImage] = useState<{ width: number; height: number; grey: Uint8Array } | null>(null);
  useEffect(() => {
    let live = true;
    setImage(null);
    if (finger.state !== 'captured') return;
    void bridge.invoke('kiosk:finger.image', { sessionId, position: finger.position }).then((e) => {
      if (!live || !e.ok || !e.value) return;
      const { width, height, pixelsBase64 } = e.value;
      setImage({ width, height, grey: Uint8Array.from(atob(pixelsBase64), (c) => c.charCodeAt(0)) });
    });
    return () => {
      live = false;
    };
  }, [bridge, sessionId, finger.position, finger.state, finger.attempts, finger.quality]);
  // Drawn once the canvas has the image's size (setting width/height clears a canvas).
  useEffect(() => {
    const ctx = image ? canvas.current?.getContext('2d') : null;
    if (!image || !ctx) return;
    const rgba = new ImageData(image.width, image.height);
    for (let i = 0; i < image.width * image.height; i++) {
      const v = image.grey[i] ?? 255;
      rgba.data[i * 4] = v;
      rgba.data[i * 4 + 1] = v;
      rgba.data[i * 4 + 2] = v;
      rgba.data[i * 4 + 3] = 255;
    }
    ctx.putImageData(rgba, 0, 0);
  }, [image]);
  if (!image) return null;
  return <canvas ref={canvas} className="finger-image" width={image.width} height={image.height} role="img" aria-label={t('clerk.fingers.imageAlt', { finger: t(`fingers.finger.${finger.position}`) })} data-testid="finger-image" />;
}

function FingerDetail({ finger, locale, sessionId }: { finger: FingerStateView; locale: Locale; sessionId: string }) {
  const { t } = useTranslation();
  return (
    <div className="finger-detail" data-testid="finger-detail" data-position={finger.position}>
      <FingerImage sessionId={sessionId} finger={finger} />
      <strong>{t(`fingers.finger.${finger.position}`)}</strong> · {t(`fingers.state.${finger.state}`)}
      {finger.quality !== null ? (
        <div className="finger-quality">
          <span>{t('fingers.quality', { quality: formatNumber(finger.quality, locale) })}</span>
          <span className={`quality-bar${finger.accepted ? '' : ' quality-bar-low'}`} role="meter" aria-label={t('fingers.qualityLabel')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={finger.quality} data-testid="finger-quality">
            <span style={{ inlineSize: `${finger.quality}%` }} />
          </span>
          <span className="muted">{t('fingers.attempts', { n: formatNumber(finger.attempts, locale), max: formatNumber(finger.maxAttempts, locale) })}</span>
        </div>
      ) : null}
      {finger.exception ? <p>{t('fingers.exception.recorded', { kind: t(`fingers.exception.kinds.${finger.exception.kind}`), reason: finger.exception.reason })}</p> : null}
      {finger.feedback.length ? (
        <ul className="finger-feedback" data-testid="finger-feedback">
          {[...new Set(finger.feedback)].map((code) => (
            <li key={code}>{t(`fingers.feedback.${code}`, { defaultValue: code })}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function ExceptionDialog({ position, onCancel, onSave }: { position: number; onCancel(): void; onSave(kind: ExceptionKind, reason: string, photoBase64: string | null): Promise<string | null> }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<ExceptionKind>('missing');
  const [reason, setReason] = useState('');
  const [photo, setPhoto] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  const save = async () => {
    if (!reason.trim()) return setProblem(t('fingers.exception.reasonRequired'));
    setSaving(true);
    try {
      setProblem(await onSave(kind, reason.trim(), photo));
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="finger-dialog-backdrop">
      <div
        className="finger-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="finger-exception-title"
        data-testid="finger-exception-dialog"
        onKeyDown={(e) => {
          if (e.key === 'Escape') return onCancel();
          if (e.key !== 'Tab') return;
          // Keep the focus inside the modal dialog.
          const items = [...e.currentTarget.querySelectorAll<HTMLElement>('input, textarea, button, select')].filter((el) => !(el as HTMLButtonElement).disabled);
          const first = items[0], last = items[items.length - 1];
          const wrapTo = e.shiftKey ? (document.activeElement === first ? last : null) : document.activeElement === last ? first : null;
          if (!wrapTo) return;
          e.preventDefault();
          wrapTo.focus();
        }}
      >
        <h4 id="finger-exception-title">{t('fingers.exception.title', { finger: t(`fingers.finger.${position}`) })}</h4>
        <fieldset className="field">
          <legend>{t('fingers.exception.kind')}</legend>
          <div className="segmented">
            {EXCEPTION_KINDS.map((k, i) => (
              <label key={k} className="finger-kind">
                <input ref={i === 0 ? first : undefined} type="radio" name="finger-exception-kind" value={k} checked={kind === k} onChange={() => setKind(k)} data-testid={`finger-exception-kind-${k}`} />
                {t(`fingers.exception.kinds.${k}`)}
              </label>
            ))}
          </div>
        </fieldset>
        <label className="field">
          <span>{t('fingers.exception.reason')}</span>
          <textarea value={reason} maxLength={500} rows={3} onChange={(e) => setReason(e.target.value)} data-testid="finger-exception-reason" />
        </label>
        <label className="field">
          <span>{t('fingers.exception.photo')}</span>
          <input
            type="file"
            accept="image/jpeg"
            capture="environment"
            data-testid="finger-exception-photo"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              if (!file) return setPhoto(null);
              const b64 = await fileToBase64(file);
              // JPEG files start with FF D8 FF, i.e. "/9j/" in base64.
              if (!b64.startsWith('/9j/')) {
                setPhoto(null);
                return setProblem(t('fingers.exception.photoInvalid'));
              }
              setProblem(null);
              setPhoto(b64);
            }}
          />
          {photo ? <span className="muted" data-testid="finger-exception-photo-ok">{t('fingers.exception.photoAttached')}</span> : null}
        </label>
        <ExceptionCamera
          onPhoto={(b64) => {
            setProblem(null);
            setPhoto(b64);
          }}
        />
        {problem ? (
          <p className="error" role="alert" data-testid="finger-exception-error">
            {problem}
          </p>
        ) : null}
        <div className="finger-dialog-actions">
          <button type="button" className="btn btn-primary" disabled={saving} onClick={() => void save()} data-testid="finger-exception-save">
            {t('fingers.exception.save')}
          </button>
          <button type="button" className="btn" onClick={onCancel} data-testid="finger-exception-cancel">
            {t('fingers.exception.cancel')}
          </button>
        </div>
      </div>
    </div>
  );
}

/** Takes the exception photo with the kiosk camera (the one chosen in settings); the stream stops when closed. */
function ExceptionCamera({ onPhoto }: { onPhoto(base64: string): void }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<CameraProblem | null>(null);
  const video = useRef<HTMLVideoElement>(null);
  const stream = useRef<MediaStream | null>(null);

  useEffect(() => {
    if (!open) return;
    let live = true;
    void (async () => {
      try {
        const settings = await bridge.invoke('kiosk:settings.get', {});
        const s = await openCamera(settings.ok ? settings.value.cameraDeviceId : null);
        if (!live) return s.getTracks().forEach((tr) => tr.stop());
        stream.current = s;
        if (video.current) {
          video.current.srcObject = s;
          await video.current.play().catch(() => undefined);
        }
      } catch (error) {
        if (live) setProblem(cameraProblemOf(error));
      }
    })();
    return () => {
      live = false;
      stream.current?.getTracks().forEach((tr) => tr.stop());
      stream.current = null;
    };
  }, [open, bridge]);

  if (!open) {
    return (
      <button type="button" className="btn" data-testid="finger-exception-camera" onClick={() => (setProblem(null), setOpen(true))}>
        {t('fingers.exception.camera')}
      </button>
    );
  }
  return (
    <div className="finger-exception-camera">
      {problem ? (
        <p className="error" role="alert" data-testid="finger-exception-camera-problem">
          {t(`fingers.exception.cameraProblem.${problem}`)}
        </p>
      ) : (
        <video ref={video} muted playsInline className="finger-exception-video" />
      )}
      <div className="finger-dialog-actions">
        {!problem ? (
          <button
            type="button"
            className="btn btn-primary"
            data-testid="finger-exception-snap"
            onClick={async () => {
              const frame = video.current ? await grabFrame(video.current, 960, 0.85) : null;
              if (!frame) return;
              onPhoto(frame.base64);
              setOpen(false);
            }}
          >
            {t('fingers.exception.snap')}
          </button>
        ) : null}
        <button type="button" className="btn" onClick={() => setOpen(false)}>
          {t('fingers.exception.cameraClose')}
        </button>
      </div>
    </div>
  );
}
