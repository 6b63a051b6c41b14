// Face: the live capture (guidance overlay, auto-capture, retake; quality report and PAD result) from the face
// screen; "use this photo" binds the core's last capture to the draft. A failed check or a suspected spoof blocks
// until a supervisor overrides with a reason; a person who cannot be photographed gets a supervised exception.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../../main/contract/ipc';
import type { WorkflowView } from '../../../../main/contract/channels/workflow';
import { formatNumber } from '../../format';
import { FaceCapture, type FaceCaptureResult } from '../FaceCapture';
import type { Act } from './act';
import { messageText } from './messages';
import { SupervisorForm } from './SupervisorForm';
import { useStepHeading } from './useStepHeading';
import { Base64Image } from './useBlobUrl';

export interface FaceStepProps {
  view: WorkflowView;
  locale: Locale;
  cameraDeviceId: string | null;
  busy: boolean;
  act: Act;
}

// Supervisor actions (override, exception) are offered on the clerk's screen whatever the signed-in role: the
// supervisor's own credentials go with the request and main checks them.
const OVERRIDABLE = new Set(['workflow.block.faceChecksFailed', 'workflow.block.facePadSuspected']);

function OverridePanel({ view, busy, act, onDone }: { view: WorkflowView; busy: boolean; act: Act; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <section className="panel" aria-labelledby="face-override-title" data-testid="face-override-panel">
      <h3 id="face-override-title">{t('enrollment.face.overrideTitle')}</h3>
      <p className="muted">{t('enrollment.face.overrideHint')}</p>
      <SupervisorForm
        prefix="face-override"
        submitLabel={t('enrollment.face.overrideSubmit')}
        withReason
        busy={busy}
        onSubmit={(supervisor, reason) => void act('kiosk:workflow.face', { id: view.id, override: { supervisor, reason } }, 'face-override').then((ok) => ok && onDone())}
      />
    </section>
  );
}

function BoundFace({ view, locale, busy, act, onRetake }: FaceStepProps & { onRetake: () => void }) {
  const { t, i18n } = useTranslation();
  const heading = useStepHeading('face-bound');
  const face = view.face!;
  const next = view.steps.find((s) => s.step === 'fingers');
  return (
    <section aria-labelledby="face-bound-title" className="wizard-step" data-testid="wizard-face-bound">
      <h2 id="face-bound-title" tabIndex={-1} ref={heading}>
        {t('enrollment.face.title')}
      </h2>
      <div className="face-result">
        {face.imageBase64 ? <Base64Image className="token-image" base64={face.imageBase64} type="image/jpeg" alt={t('face.token')} data-testid="face-bound-image" /> : null}
        <div>
          {face.exception ? (
            <p data-testid="face-exception">{t('enrollment.face.excepted', { kind: t(`enrollment.face.exceptionKinds.${face.exception.kind}`), reason: face.exception.reason })}</p>
          ) : (
            <p data-testid="face-bound">{t('enrollment.face.bound')}</p>
          )}
          {face.report ? <p>{t('enrollment.face.score', { score: formatNumber(face.report.unifiedScore, locale) })}</p> : null}
          {face.report && face.report.failed.length ? (
            <p className="warning">{t('enrollment.face.failedChecks', { checks: face.report.failed.map((c) => (i18n.exists(`measures.${c}`) ? t(`measures.${c}`) : c)).join('، ') })}</p>
          ) : null}
          {face.pad ? <p data-testid="face-bound-pad">{t('enrollment.face.pad', { decision: t(`face.${face.pad.decision}`) })}</p> : null}
          {face.override ? <p data-testid="face-override">{t('enrollment.face.overridden', { supervisorId: face.override.supervisorId, reason: face.override.reason })}</p> : null}
          {view.notices.map((n) => (
            <p key={n.key} className="notice">
              {messageText(n, t, locale, (k) => i18n.exists(k))}
            </p>
          ))}
          {view.step === 'face' && view.blockers.length ? (
            <ul className="blockers" data-testid="face-blockers">
              {view.blockers.map((b) => (
                <li key={b.key}>{messageText(b, t, locale, (k) => i18n.exists(k))}</li>
              ))}
            </ul>
          ) : null}
          <div className="wizard-actions">
            <button type="button" className="btn" data-testid="face-new" disabled={busy} onClick={onRetake}>
              {t('enrollment.face.retake')}
            </button>
            {next?.canGoTo ? (
              <button type="button" className="btn btn-primary" data-testid="face-next" disabled={busy} onClick={() => void act('kiosk:workflow.goTo', { id: view.id, step: 'fingers' }, 'goTo')}>
                {t('enrollment.next')}
              </button>
            ) : null}
          </div>
        </div>
      </div>
      {view.step === 'face' && view.status === 'draft' && view.blockers.some((b) => OVERRIDABLE.has(b.key)) ? (
        <OverridePanel view={view} busy={busy} act={act} onDone={() => undefined} />
      ) : null}
    </section>
  );
}

export function FaceStep(props: FaceStepProps) {
  const { view, locale, cameraDeviceId, busy, act } = props;
  const { t, i18n } = useTranslation();
  const [retaking, setRetaking] = useState(false);
  const [captured, setCaptured] = useState<FaceCaptureResult | null>(null);
  const [showException, setShowException] = useState(false);
  // Blockers (failed checks, suspected spoof) matter once the clerk tried to use this capture.
  const [tried, setTried] = useState(false);
  const [exceptionKind, setExceptionKind] = useState<'unable' | 'missing'>('unable');
  const bound = view.face && (view.face.imageBase64 || view.face.exception) && !retaking;
  if (bound) return <BoundFace {...props} onRetake={() => setRetaking(true)} />;

  const overridable = view.blockers.filter((b) => OVERRIDABLE.has(b.key));
  const use = async () => {
    setTried(true);
    const ok = await act('kiosk:workflow.face', { id: view.id }, 'face-bind');
    if (ok) setRetaking(false);
  };

  return (
    <div className="wizard-step" data-testid="wizard-face">
      <FaceCapture
        locale={locale}
        cameraDeviceId={cameraDeviceId}
        embedded
        onCaptured={(c) => {
          setCaptured(c);
          setTried(false);
        }}
      />
      {view.blockers.length && captured && tried ? (
        <ul className="blockers" data-testid="face-blockers">
          {view.blockers.map((b) => (
            <li key={b.key}>{messageText(b, t, locale, (k) => i18n.exists(k))}</li>
          ))}
        </ul>
      ) : null}
      {view.capturePolicy?.child ? (
        <p className="panel" role="note" data-testid="face-child-note">
          {t('household.face.childNote', { age: formatNumber(view.capturePolicy.childAgeYears, locale) })}
        </p>
      ) : null}
      <div className="wizard-actions">
        {captured ? (
          <button type="button" className="btn btn-primary" data-testid="face-use" disabled={busy} onClick={() => void use()}>
            {t('enrollment.face.use')}
          </button>
        ) : null}
        {view.capturePolicy?.child ? (
          <button type="button" className="btn" data-testid="face-skip" disabled={busy} onClick={() => void act('kiosk:workflow.face', { id: view.id, skip: true }, 'face-skip')}>
            {t('household.face.skip')}
          </button>
        ) : null}
        <button type="button" className="btn" data-testid="face-exception-toggle" aria-expanded={showException} onClick={() => setShowException((s) => !s)}>
          {t('enrollment.face.showException')}
        </button>
      </div>
      {captured && tried && overridable.length ? <OverridePanel view={view} busy={busy} act={act} onDone={() => setRetaking(false)} /> : null}
      {showException ? (
        <section className="panel" aria-labelledby="face-exception-title" data-testid="face-exception-panel">
          <h3 id="face-exception-title">{t('enrollment.face.exceptionTitle')}</h3>
          <SupervisorForm
            prefix="face-exception"
            submitLabel={t('enrollment.face.exceptionSubmit')}
            withReason
            busy={busy}
            onSubmit={(supervisor, reason) =>
              void act('kiosk:workflow.faceException', { id: view.id, kind: exceptionKind, reason, supervisor }, 'face-exception').then((ok) => ok && setRetaking(false))
            }
          >
            <div className="segmented" role="radiogroup" aria-label={t('enrollment.face.exceptionTitle')}>
              {(['unable', 'missing'] as const).map((k) => (
                <button key={k} type="button" role="radio" aria-checked={exceptionKind === k} className={exceptionKind === k ? 'btn btn-primary' : 'btn'} onClick={() => setExceptionKind(k)}>
                  {t(`enrollment.face.exceptionKinds.${k}`)}
                </button>
              ))}
            </div>
          </SupervisorForm>
        </section>
      ) : null}
    </div>
  );
}
