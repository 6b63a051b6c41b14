// The ten finger positions (ISO/IEC 19794-4: 1 right thumb … 5 right little, 6 left thumb … 10 left little) as two
// hands seen from above, palms down: the left hand on the left, the right hand on the right, in every language (a
// picture of the hands is never mirrored). Each finger shows its state (pending / captured with a quality bar /
// exception). One tab stop (roving tabindex); arrow keys move to the finger visually left or right, Home/End go to the
// first/last finger in reading order (so in Arabic Home is the right little finger), Enter/Space/click/tap select.
import { useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { FingerStateView } from '../../../main/contract/channels/finger';
import type { Locale } from '../../../main/contract/ipc';
import { formatNumber } from '../format';
import './HandDiagram.css';

/** Left to right on screen: left little … left thumb, right thumb … right little. */
export const VISUAL_ORDER = [10, 9, 8, 7, 6, 1, 2, 3, 4, 5] as const;
const LEFT_HAND = [10, 9, 8, 7, 6] as const;
const RIGHT_HAND = [1, 2, 3, 4, 5] as const;
/** Relative finger lengths (thumbs sit lower and shorter). */
const LENGTH: Record<number, number> = { 1: 0.55, 2: 0.85, 3: 1, 4: 0.9, 5: 0.7, 6: 0.55, 7: 0.85, 8: 1, 9: 0.9, 10: 0.7 };

export type HandFinger = Pick<FingerStateView, 'position' | 'state' | 'quality' | 'accepted'> & { mismatch?: boolean };

export interface HandDiagramProps {
  fingers: readonly HandFinger[];
  selected: number | null;
  onSelect(position: number): void;
  locale: Locale;
  /** Fingers the current step will capture (highlighted). */
  highlight?: readonly number[];
  disabled?: boolean;
}

export function HandDiagram({ fingers, selected, onSelect, locale, highlight = [], disabled = false }: HandDiagramProps) {
  const { t, i18n } = useTranslation();
  const refs = useRef(new Map<number, HTMLButtonElement>());
  const rtl = i18n.dir(locale) === 'rtl';
  const byPos = new Map(fingers.map((f) => [f.position, f]));
  const focusable = selected ?? VISUAL_ORDER[rtl ? VISUAL_ORDER.length - 1 : 0];

  const move = (to: number) => {
    onSelect(to);
    refs.current.get(to)?.focus();
  };

  const onKeyDown = (position: number, e: KeyboardEvent<HTMLButtonElement>) => {
    const i = VISUAL_ORDER.indexOf(position as (typeof VISUAL_ORDER)[number]);
    const last = VISUAL_ORDER.length - 1;
    let to: number | undefined;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') to = VISUAL_ORDER[Math.min(last, i + 1)];
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') to = VISUAL_ORDER[Math.max(0, i - 1)];
    else if (e.key === 'Home') to = VISUAL_ORDER[rtl ? last : 0];
    else if (e.key === 'End') to = VISUAL_ORDER[rtl ? 0 : last];
    if (to === undefined) return;
    e.preventDefault();
    move(to);
  };

  const finger = (position: number) => {
    const f = byPos.get(position);
    const state = f?.state ?? 'pending';
    const name = t(`fingers.finger.${position}`);
    const label =
      f?.quality !== null && f?.quality !== undefined && state === 'captured'
        ? t('fingers.fingerStatusQuality', { finger: name, state: t(`fingers.state.${state}`), quality: formatNumber(f.quality, locale) })
        : t('fingers.fingerStatus', { finger: name, state: t(`fingers.state.${state}`) });
    const classes = ['hand-finger', `hand-finger-${state}`];
    if (f?.accepted === false && state === 'captured') classes.push('hand-finger-low');
    if (f?.mismatch) classes.push('hand-finger-mismatch');
    if (highlight.includes(position)) classes.push('hand-finger-next');
    if (selected === position) classes.push('hand-finger-selected');
    return (
      <button
        key={position}
        ref={(el) => {
          if (el) refs.current.set(position, el);
          else refs.current.delete(position);
        }}
        type="button"
        className={classes.join(' ')}
        style={{ blockSize: `${Math.round(LENGTH[position]! * 100)}%` }}
        data-testid={`finger-${position}`}
        data-state={state}
        aria-label={label}
        aria-pressed={selected === position}
        tabIndex={position === focusable ? 0 : -1}
        disabled={disabled}
        onClick={() => onSelect(position)}
        onKeyDown={(e) => onKeyDown(position, e)}
      >
        <span className="hand-finger-number" aria-hidden="true">
          {formatNumber(position, locale)}
        </span>
        {state === 'captured' && f?.quality !== null && f?.quality !== undefined ? (
          <span className="hand-finger-bar" role="meter" aria-label={t('fingers.qualityLabel')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={f.quality}>
            <span className="hand-finger-bar-fill" style={{ blockSize: `${Math.max(4, f.quality)}%` }} />
          </span>
        ) : null}
        {state === 'excepted' ? (
          <span className="hand-finger-mark" aria-hidden="true">
            ×
          </span>
        ) : null}
      </button>
    );
  };

  return (
    // The picture keeps its physical layout in both directions; only the text around it follows the language.
    <div className="hand-diagram" role="group" aria-label={t('fingers.diagramLabel')} data-testid="hand-diagram" dir="ltr">
      <div className="hand" role="group" aria-label={t('fingers.hands.left')} data-testid="hand-left">
        <div className="hand-fingers">{LEFT_HAND.map(finger)}</div>
        <div className="hand-palm" dir={rtl ? 'rtl' : 'ltr'}>
          {t('fingers.hands.left')}
        </div>
      </div>
      <div className="hand" role="group" aria-label={t('fingers.hands.right')} data-testid="hand-right">
        <div className="hand-fingers">{RIGHT_HAND.map(finger)}</div>
        <div className="hand-palm" dir={rtl ? 'rtl' : 'ltr'}>
          {t('fingers.hands.right')}
        </div>
      </div>
    </div>
  );
}
