// Locale formatting and digit normalisation (inputs accept Arabic-Indic and Eastern Arabic-Indic digits).
import type { Locale } from '../../main/contract/ipc';
import { LOCALES } from './i18n';

/** Maps ٠-٩ (U+0660–0669) and ۰-۹ (U+06F0–06F9) to 0-9; leaves everything else unchanged. */
export function normalizeDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) & 0xf));
}

export function formatNumber(value: number, locale: Locale): string {
  return new Intl.NumberFormat(LOCALES[locale].intl).format(value);
}

/** A whole number without grouping separators: years, counts of characters, codes. */
export function formatInteger(value: number, locale: Locale): string {
  return new Intl.NumberFormat(LOCALES[locale].intl, { useGrouping: false, maximumFractionDigits: 0 }).format(value);
}

export function formatDateTime(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(LOCALES[locale].intl, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}
