// Turns the workflow's message keys + params into text in the current language: parameters that are themselves
// codes (sex M/F, finger positions, face measures, location levels, dates) are translated too.
import type { TFunction } from 'i18next';
import type { KioskErrorShape, Locale } from '../../../../main/contract/ipc';
import type { WorkflowMessage } from '../../../../main/contract/channels/workflow';
import { formatNumber } from '../../format';
import { LOCALES } from '../../i18n';

export function formatIsoDate(date: string, locale: Locale): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  const d = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return date;
  return new Intl.DateTimeFormat(LOCALES[locale].intl, { dateStyle: 'long', timeZone: 'UTC' }).format(d);
}

export function fingerList(value: string | number, t: TFunction): string {
  return String(value)
    .split(/[,\s]+/)
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? t(`enrollment.fingerNames.${Number(p)}`) : p))
    .join('، ');
}

function param(name: string, value: string | number, t: TFunction, locale: Locale, exists: (k: string) => boolean): string {
  if (typeof value === 'number') return formatNumber(value, locale);
  if ((name === 'fromNumber' || name === 'fromForm') && (value === 'M' || value === 'F')) return t(`enrollment.sex.${value}`);
  if (name === 'level' && exists(`workflow.level.${value}`)) return t(`workflow.level.${value}`);
  if (name === 'positions') return fingerList(value, t);
  if (name === 'checks')
    return value
      .split(/[,\s]+/)
      .filter(Boolean)
      .map((c) => (exists(`measures.${c}`) ? t(`measures.${c}`) : c))
      .join('، ');
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return formatIsoDate(value, locale);
  if (/^\d+$/.test(value) && value.length <= 4) return formatNumber(Number(value), locale);
  return value;
}

export function messageText(m: WorkflowMessage, t: TFunction, locale: Locale, exists: (k: string) => boolean): string {
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.params ?? {})) params[k] = param(k, v, t, locale, exists);
  return exists(m.key) ? t(m.key, params) : m.key;
}

/** A failed call's message: a specific one for the codes the wizard expects, otherwise the generic one with the code. */
export function errorText(error: KioskErrorShape, t: TFunction, exists: (k: string) => boolean): string {
  return exists(`enrollment.errors.${error.code}`) ? t(`enrollment.errors.${error.code}`) : t('errors.generic', { code: error.code });
}
