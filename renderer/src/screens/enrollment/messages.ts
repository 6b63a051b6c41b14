// Turns the workflow's message keys + params into text in the current language: parameters that are themselves
// codes (sex M/F, finger positions, face measures, location levels, dates) are translated too.
import type { TFunction } from 'i18next';
import type { KioskErrorShape, Locale } from '../../../../main/contract/ipc';
import type { WorkflowMessage } from '../../../../main/contract/channels/workflow';
import { formatInteger, formatNumber } from '../../format';
import { humanError } from '../../errors';
import { LOCALES } from '../../i18n';

export function formatIsoDate(date: string, locale: Locale): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  const d = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return date;
  return new Intl.DateTimeFormat(LOCALES[locale].intl, { dateStyle: 'long', timeZone: 'UTC' }).format(d);
}

/** "a, b and c" in the language's own way (Arabic: "أ و ب و ج" with its comma; English: commas and "and"). */
export function listText(items: string[], locale: Locale): string {
  return new Intl.ListFormat(LOCALES[locale].intl, { style: 'long', type: 'conjunction' }).format(items);
}

/** The language the document is shown in (callers that do not pass the locale). */
function documentLocale(): Locale {
  return typeof document !== 'undefined' && document.documentElement.lang === 'ar' ? 'ar' : 'en';
}

export function fingerList(value: string | number, t: TFunction, locale: Locale = documentLocale()): string {
  return listText(
    String(value)
      .split(/[,\s]+/)
      .filter(Boolean)
      .map((p) => (/^\d+$/.test(p) ? t(`enrollment.fingerNames.${Number(p)}`) : p)),
    locale,
  );
}

/** Years and other identifiers are written without a thousands separator (١٩٠٠, not ١٬٩٠٠). */
const UNGROUPED = new Set(['minYear', 'year', 'length', 'max', 'min', 'digit', 'code']);

function param(name: string, value: string | number, t: TFunction, locale: Locale, exists: (k: string) => boolean): string {
  if (typeof value === 'number') return UNGROUPED.has(name) ? formatInteger(value, locale) : formatNumber(value, locale);
  if ((name === 'fromNumber' || name === 'fromForm') && (value === 'M' || value === 'F')) return t(`enrollment.sex.${value}`);
  if (name === 'level' && exists(`workflow.level.${value}`)) return t(`workflow.level.${value}`);
  if (name === 'positions') return fingerList(value, t, locale);
  if (name === 'checks')
    return listText(
      value
        .split(/[,\s]+/)
        .filter(Boolean)
        .map((c) => (exists(`measures.${c}`) ? t(`measures.${c}`) : c)),
      locale,
    );
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return formatIsoDate(value, locale);
  if (/^\d+$/.test(value) && value.length <= 4) return formatInteger(Number(value), locale);
  return value;
}

export function messageText(m: WorkflowMessage, t: TFunction, locale: Locale, exists: (k: string) => boolean): string {
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.params ?? {})) params[k] = param(k, v, t, locale, exists);
  return exists(m.key) ? t(m.key, params) : m.key;
}

/** A failed call's message for the person at the kiosk (renderer/src/errors.ts): never main's developer text. */
export function errorText(error: KioskErrorShape, t: TFunction, exists: (k: string) => boolean): string {
  return humanError(error, t, exists, documentLocale(), 'supervisor');
}
