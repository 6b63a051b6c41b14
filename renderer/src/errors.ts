// A failed call → a sentence for the person at the kiosk, in their language. Never the developer message main sends
// (`VALIDATION_FAILED: Invalid request for kiosk:…`): known codes have their own text, the rest a generic one naming
// the code for the technician. Wrong credentials say how many attempts are left once few remain — the same answer for
// an unknown id, so nothing tells whether an id exists.
import type { TFunction } from 'i18next';
import type { KioskErrorShape, Locale } from '../../main/contract/ipc';
import { formatDateTime, formatInteger } from './format';

/** Attempts left are shown from this many on (earlier a plain "wrong" is enough). */
export const ATTEMPTS_WARNING_FROM = 3;

export type ErrorContext = 'signIn' | 'supervisor' | 'general';

function documentLocale(): Locale {
  return typeof document !== 'undefined' && document.documentElement.lang === 'ar' ? 'ar' : 'en';
}

export function humanError(error: KioskErrorShape, t: TFunction, exists: (k: string) => boolean, locale: Locale = documentLocale(), context: ErrorContext = 'general'): string {
  const d = error.details ?? {};
  if (error.code === 'UNAUTHORIZED' && (d.reason === undefined || d.reason === 'bad_credentials')) {
    const base = context === 'signIn' ? t('signIn.wrong') : t('enrollment.errors.UNAUTHORIZED');
    const left = typeof d.attemptsLeft === 'number' ? d.attemptsLeft : null;
    return left !== null && left <= ATTEMPTS_WARNING_FROM ? `${base}. ${t('clerk.errors.attemptsLeft', { n: formatInteger(left, locale) })}` : base;
  }
  if (error.code === 'OPERATOR_LOCKED') {
    const until = typeof d.lockedUntil === 'string' ? formatDateTime(d.lockedUntil, locale) : '…';
    return t('clerk.errors.locked', { until });
  }
  if (exists(`clerk.errors.${error.code}`)) return t(`clerk.errors.${error.code}`);
  if (exists(`enrollment.errors.${error.code}`)) return t(`enrollment.errors.${error.code}`);
  return t('clerk.errors.generic', { code: error.code });
}

/** The form field a validation error is about (main's `details.field`, or the router's first issue path). */
export function errorField(error: KioskErrorShape): string | null {
  const d = error.details ?? {};
  if (typeof d.field === 'string') return d.field;
  const issues = Array.isArray(d.issues) ? (d.issues as { path?: unknown }[]) : [];
  const path = issues.find((i) => typeof i.path === 'string' && i.path)?.path;
  return typeof path === 'string' ? path.split('.')[0]! : null;
}
