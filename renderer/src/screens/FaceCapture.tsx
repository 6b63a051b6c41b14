// Live face capture: preview with guidance overlay, analysis of downscaled frames in the core, auto-capture after
// N consecutive compliant frames, manual capture and retake; the final frame is re-analysed at full resolution.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FaceReportView } from '../../../main/contract/channels/face';
import type { Locale } from '../../../main/contract/ipc';
import { base64ToBlobUrl, cameraProblemOf, grabFrame, openCamera, type CameraProblem } from '../camera';
import { formatNumber } from '../format';
import { useBridge } from '../kiosk-state';

// Live frames are capped at 1280 px: at 640 px the face crop is so small that the head-pose estimate swings by
// 10–20° with JPEG noise alone (measured on lacamoire_2: 13–31° at 640 px vs 7° at 1280 px).
const PREVIEW_WIDTH = 1280;

interface Captured {
  report: FaceReportView;
  pad: { score: number; decision: 'bona_fide' | 'attack_suspected'; challenge?: 'passed' | 'failed' } | null;
  tokenUrl: string | null;
  auto: boolean;
}

/** What the enrollment wizard learns of a capture (the core keeps the image and embedding for kiosk:workflow.face). */
export interface FaceCaptureResult {
  report: FaceReportView;
  pad: Captured['pad'];
  auto: boolean;
}

export interface FaceCaptureProps {
  locale: Locale;
  cameraDeviceId: string | null;
  /** Embedded in the enrollment wizard: an h2 that takes focus, and the capture/retake reported to the wizard. */
  embedded?: boolean;
  onCaptured?: (result: FaceCaptureResult | null) => void;
}

export function FaceCapture({ locale, cameraDeviceId, embedded = false, onCaptured }: FaceCaptureProps) {
  const { t, i18n } = useTranslation();
  const bridge = useBridge();
  const videoRef = useRef<HTMLVideoElement>(null);
  const [problem, setProblem] = useState<CameraProblem | 'models' | null>(null);
  const [report, setReport] = useState<FaceReportView | null>(null);
  const [streak, setStreak] = useState(0);
  const [fps, setFps] = useState(0);
  const [captured, setCaptured] = useState<Captured | null>(null);
  const [busy, setBusy] = useState(false);
  const [captureError, setCaptureError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [challenge, setChallenge] = useState<{ direction: 'left' | 'right' | null; remainingMs: number } | null>(null);
  const capturingRef = useRef(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (embedded) headingRef.current?.focus();
  }, [embedded]);

  // The passive liveness cue was not sure: ask for a head turn to a side main picked, and stream live frames to main
  // until it says passed or failed (timeout). The preview stays live meanwhile.
  const runChallenge = async (video: HTMLVideoElement, pad: NonNullable<Captured['pad']>): Promise<Captured['pad']> => {
    const start = await bridge.invoke('kiosk:face.challengeStart', {});
    if (!start.ok) return pad;
    setChallenge({ direction: start.value.direction, remainingMs: start.value.timeoutMs });
    try {
      for (;;) {
        const frame = await grabFrame(video, PREVIEW_WIDTH, 0.8);
        if (!frame) {
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        const r = await bridge.invoke('kiosk:face.challengeFrame', { image: frame.base64, scale: frame.scale });
        if (!r.ok) return { ...pad, challenge: 'failed' };
        if (r.value.state === 'passed') return { ...pad, decision: 'bona_fide', challenge: 'passed' };
        if (r.value.state === 'failed') return { ...pad, decision: 'attack_suspected', challenge: 'failed' };
        setChallenge({ direction: start.value.direction, remainingMs: r.value.remainingMs });
      }
    } finally {
      setChallenge(null);
    }
  };

  const capture = async (auto: boolean) => {
    const video = videoRef.current;
    if (!video || capturingRef.current) return;
    capturingRef.current = true;
    setBusy(true);
    try {
      const frame = await grabFrame(video, null, 0.92);
      if (!frame) return;
      const e = await bridge.invoke('kiosk:face.capture', { image: frame.base64 });
      if (!e.ok) {
        if (e.error.code.startsWith('MODEL_')) setProblem('models');
        else setCaptureError(t('errors.generic', { code: e.error.code }));
        // Back to the live preview so the clerk can try again.
        setAttempt((a) => a + 1);
        return;
      }
      setCaptureError(null);
      let pad: Captured['pad'] = e.value.pad ? { score: e.value.pad.score, decision: e.value.pad.decision } : null;
      if (e.value.pad?.challengeRequired) pad = await runChallenge(video, pad!);
      setCaptured({ report: e.value.report, pad, tokenUrl: e.value.tokenJpeg ? base64ToBlobUrl(e.value.tokenJpeg, 'image/jpeg') : null, auto });
      onCaptured?.({ report: e.value.report, pad, auto });
    } finally {
      capturingRef.current = false;
      setBusy(false);
    }
  };

  useEffect(() => {
    if (captured) return;
    let stream: MediaStream | null = null;
    let live = true;
    let consecutive = 0;
    const times: number[] = [];
    setStreak(0);
    void (async () => {
      try {
        stream = await openCamera(cameraDeviceId);
      } catch (error) {
        if (live) setProblem(cameraProblemOf(error));
        return;
      }
      if (!live) return stream.getTracks().forEach((tr) => tr.stop());
      stream.getVideoTracks()[0]?.addEventListener('ended', () => live && setProblem('unplugged'));
      const video = videoRef.current!;
      video.srcObject = stream;
      await video.play().catch(() => undefined);
      setProblem(null);
      while (live && !capturingRef.current) {
        const frame = await grabFrame(video, PREVIEW_WIDTH, 0.8);
        if (!frame) {
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        const e = await bridge.invoke('kiosk:face.analyzeFrame', { image: frame.base64, scale: frame.scale });
        if (!live) break;
        if (!e.ok) {
          // Models missing or still loading: say so and keep trying (a technician may provision them meanwhile).
          setProblem(e.error.code.startsWith('MODEL_') ? 'models' : null);
          await new Promise((r) => setTimeout(r, e.error.code.startsWith('MODEL_') ? 2000 : 200));
          continue;
        }
        const now = performance.now();
        times.push(now);
        while (times.length && now - times[0]! > 2000) times.shift();
        setFps(times.length > 1 ? ((times.length - 1) * 1000) / (now - times[0]!) : 0);
        setProblem(null);
        setReport(e.value.report);
        consecutive = e.value.report.pass ? consecutive + 1 : 0;
        setStreak(consecutive);
        if (consecutive >= e.value.autoCaptureFrames) {
          await capture(true);
          break;
        }
      }
    })();
    return () => {
      live = false;
      stream?.getTracks().forEach((tr) => tr.stop());
    };
    // capture is stable for the purpose of this loop (it reads refs only)
  }, [bridge, cameraDeviceId, captured, attempt]);

  const box = report && report.primary >= 0 ? report.faces[report.primary] : undefined;
  const guidance = problem
    ? t(`face.${problem}`)
    : challenge
      ? t(challenge.direction === 'right' ? 'face.challengeTurnRight' : 'face.challengeTurnLeft')
      : captureError
        ? captureError
        : report
          ? report.pass
            ? t('face.ready')
            : t(report.messages[0] ?? 'face.notFound')
          : t('face.starting');
  const failing = report ? Object.values(report.measures).filter((m) => !m.pass).length : 0;

  return (
    <section aria-labelledby="face-title" className="screen">
      {embedded ? (
        <h2 id="face-title" tabIndex={-1} ref={headingRef}>
          {t('face.title')}
        </h2>
      ) : (
        <h1 id="face-title">{t('face.title')}</h1>
      )}
      {captured ? (
        <div className="face-result" data-testid="face-result">
          {captured.tokenUrl ? <img src={captured.tokenUrl} alt={t('face.token')} className="token-image" data-testid="face-token" /> : null}
          <div>
            <p data-testid="face-captured">{captured.auto ? t('face.autoCaptured') : t('face.captured')}</p>
            <p>{t('face.score', { score: formatNumber(captured.report.unifiedScore, locale) })}</p>
            {captured.pad ? (
              <p data-testid="face-pad" data-challenge={captured.pad.challenge ?? ''}>
                {t('face.pad', { decision: t(`face.${captured.pad.decision}`), score: formatNumber(Math.round(captured.pad.score * 100) / 100, locale) })}
              </p>
            ) : null}
            {captured.pad?.challenge ? (
              <p data-testid="face-challenge-result">{t('face.challengeAsked', { result: t(captured.pad.challenge === 'passed' ? 'face.challengePassed' : 'face.challengeFailed') })}</p>
            ) : null}
            <ul className="check-list">
              {captured.report.messages.map((m) => (
                <li key={m}>{t(m)}</li>
              ))}
            </ul>
            <button
              type="button"
              className="btn"
              data-testid="face-retake"
              onClick={() => {
                if (captured.tokenUrl) URL.revokeObjectURL(captured.tokenUrl);
                setCaptured(null);
                setReport(null);
                onCaptured?.(null);
              }}
            >
              {t('face.retake')}
            </button>
          </div>
        </div>
      ) : (
        <div className="camera">
          <div className="camera-view">
            <video ref={videoRef} muted playsInline data-testid="face-video" />
            <div className="oval-guide" aria-hidden="true" />
            {box && report ? (
              <div
                className={report.pass ? 'face-box face-box-ok' : 'face-box'}
                aria-hidden="true"
                style={{
                  left: `${(box.x1 / report.width) * 100}%`,
                  top: `${(box.y1 / report.height) * 100}%`,
                  width: `${((box.x2 - box.x1) / report.width) * 100}%`,
                  height: `${((box.y2 - box.y1) / report.height) * 100}%`,
                }}
              />
            ) : null}
          </div>
          <div className="camera-side">
            <p role="status" aria-live="polite" className={problem ? 'error guidance' : challenge ? 'guidance guidance-challenge' : 'guidance'} data-testid="face-guidance" data-challenge={challenge?.direction ?? ''}>
              {guidance}
            </p>
            <button type="button" className="btn btn-primary btn-wide" data-testid="face-capture" disabled={busy || !!problem} onClick={() => void capture(false)}>
              {t('face.capture')}
            </button>
            <p className="muted" data-testid="face-fps" data-fps={fps.toFixed(1)} data-streak={streak}>
              {t('face.fps', { fps: formatNumber(Math.round(fps * 10) / 10, locale) })}
            </p>
            {report ? (
              <details className="face-checks" data-testid="face-checks-details">
                <summary>{t('face.allChecks', { failed: formatNumber(failing, locale) })}</summary>
                <ul className="check-list" data-testid="face-checks">
                  {Object.entries(report.measures).map(([id, m]) => (
                    <li key={id} className={m.pass ? 'ok' : 'bad'} data-testid={`face-check-${id}`} data-raw={m.raw ?? ''}>
                      <span aria-hidden="true">{m.pass ? '✓' : '✗'}</span> {i18n.exists(`measures.${id}`) ? t(`measures.${id}`) : id}
                      {!m.pass && m.messageKey ? ` — ${t(m.messageKey)}` : ''}
                    </li>
                  ))}
                </ul>
              </details>
            ) : null}
          </div>
        </div>
      )}
    </section>
  );
}
