// The wizard's stepper: every step the clerk has reached is a button (back navigation); later steps are inert.
// An ordered list, so screen readers announce "step n of m"; the current step carries aria-current.
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../format';
import type { Locale } from '../../../../main/contract/ipc';

export interface StepperItem {
  id: string;
  /** The clerk may go back to it (reached before, and the workflow allows editing it). */
  reachable: boolean;
  done: boolean;
}

export function Stepper({ steps, current, locale, onGo }: { steps: StepperItem[]; current: string; locale: Locale; onGo: (id: string) => void }) {
  const { t } = useTranslation();
  return (
    <nav aria-label={t('enrollment.stepper.label')} className="stepper">
      <ol>
        {steps.map((s, i) => {
          const isCurrent = s.id === current;
          const label = t(`enrollment.steps.${s.id}`);
          return (
            <li key={s.id} className={isCurrent ? 'step step-current' : s.done ? 'step step-done' : 'step'}>
              <button
                type="button"
                className="step-btn"
                data-testid={`step-${s.id}`}
                aria-current={isCurrent ? 'step' : undefined}
                disabled={!s.reachable || isCurrent}
                onClick={() => onGo(s.id)}
              >
                <span className="step-num" aria-hidden="true">
                  {s.done && !isCurrent ? '✓' : formatNumber(i + 1, locale)}
                </span>
                <span className="step-label">{label}</span>
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
