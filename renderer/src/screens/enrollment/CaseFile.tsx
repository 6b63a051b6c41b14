// What a supervisor approves: the person (photo, names, date of birth, national number, who captured), the face
// checks (quality, liveness, override or exception), every finger (quality, attempts), the exceptions with their
// photos, and the duplicate-check decision. Rendered above the approve/reject form.
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../../main/contract/ipc';
import type { WorkflowView } from '../../../../main/contract/channels/workflow';
import { formatNumber } from '../../format';
import { fingerList } from './messages';
import { PersonCard, personOfView } from './PersonCard';
import { Base64Image } from './useBlobUrl';

export function CaseFile({ view, locale }: { view: WorkflowView; locale: Locale }) {
  const { t, i18n } = useTranslation();
  const n = (x: number) => formatNumber(Math.round(x), locale);
  const f = view.face;
  const checks = (list: string[]) => list.map((c) => (i18n.exists(`measures.${c}`) ? t(`measures.${c}`) : c)).join('، ');
  const d = view.dedup;
  return (
    <section className="panel case-file" aria-labelledby="case-file-title" data-testid="case-file">
      <h3 id="case-file-title">{t('supervisor.caseFile.title')}</h3>
      <div className="case-grid">
        <PersonCard title={t('supervisor.person.thisPerson')} person={personOfView(view)} locale={locale} testId="case-person" />
        <div className="case-facts">
          <h4>{t('supervisor.caseFile.face')}</h4>
          <ul data-testid="case-face">
            {f?.report ? <li>{t('supervisor.caseFile.faceQuality', { score: n(f.report.unifiedScore), result: f.report.pass ? t('supervisor.caseFile.pass') : t('supervisor.caseFile.fail', { checks: checks(f.report.failed) }) })}</li> : null}
            {f?.pad ? <li>{t('supervisor.caseFile.pad', { decision: t(`supervisor.caseFile.padDecision.${f.pad.decision}`) })}</li> : null}
            {f?.override ? (
              <li className="pill pill-warn" data-testid="case-face-override">
                {t('supervisor.caseFile.override', { supervisorId: f.override.supervisorId, reason: f.override.reason })}
              </li>
            ) : null}
            {f?.exception ? (
              <li className="pill pill-warn">{t('supervisor.caseFile.faceException', { kind: t(`enrollment.face.exceptionKinds.${f.exception.kind}`), reason: f.exception.reason })}</li>
            ) : null}
          </ul>
          <h4>{t('supervisor.caseFile.fingers')}</h4>
          <ul className="finger-qualities" data-testid="case-fingers">
            {view.fingers.captured.map((c) => (
              <li key={c.position}>
                {t(`enrollment.fingerNames.${c.position}`)}: {t('supervisor.caseFile.fingerQuality', { q: n(c.quality), n: n(c.attempts) })}
              </li>
            ))}
          </ul>
          {view.fingers.sequenceCheck && !view.fingers.sequenceCheck.passed ? (
            <p className="error">{t('supervisor.caseFile.sequence', { positions: fingerList(view.fingers.sequenceCheck.problems.map((p) => p.position).join(','), t) })}</p>
          ) : null}
          <h4>{t('supervisor.caseFile.exceptions')}</h4>
          {view.fingers.exceptions.length ? (
            <ul className="case-exceptions" data-testid="case-exceptions">
              {view.fingers.exceptions.map((e) => (
                <li key={e.position} className="pill-warn">
                  <span>
                    {t(`enrollment.fingerNames.${e.position}`)}: {t(`enrollment.exceptionKinds.${e.kind}`)} — {e.reason}
                  </span>
                  {e.photoBase64 ? <Base64Image base64={e.photoBase64} type="image/jpeg" alt={t('supervisor.caseFile.exceptionPhoto')} className="exception-photo" data-testid={`case-exception-photo-${e.position}`} /> : null}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted" data-testid="case-exceptions-none">
              {t('supervisor.caseFile.noExceptions')}
            </p>
          )}
          <h4>{t('supervisor.caseFile.dedup')}</h4>
          <p data-testid="case-dedup">
            {d.adjudication
              ? t('enrollment.dedup.adjudicated', { supervisorId: d.adjudication.supervisorId, decision: t(`enrollment.dedup.adjudication.${d.adjudication.decision}`), reason: d.adjudication.reason })
              : d.state === 'clear'
                ? `${t('enrollment.dedup.clear')} — ${t('enrollment.dedup.searched', { n: formatNumber(d.searched, locale) })}`
                : t(`enrollment.dedup.${d.state === 'unavailable' ? 'unavailable' : 'notRun'}`)}
          </p>
        </div>
      </div>
    </section>
  );
}
