// i18next set-up: Arabic first (RTL), English switchable at any time.
import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Locale } from '../../../main/contract/ipc';
import { ar } from './ar';
import { en } from './en';
import { areaCatalogs } from './areas';

export const LOCALES: Record<Locale, { dir: 'rtl' | 'ltr'; intl: string }> = {
  ar: { dir: 'rtl', intl: 'ar-EG' },
  en: { dir: 'ltr', intl: 'en-GB' },
};

function areaMessages(locale: Locale): Record<string, unknown> {
  return Object.fromEntries(Object.entries(areaCatalogs).map(([area, catalog]) => [area, catalog[locale]]));
}

export function createI18n(locale: Locale): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng: locale,
    fallbackLng: 'en',
    resources: {
      ar: { translation: { ...ar, ...areaMessages('ar') } },
      en: { translation: { ...en, ...areaMessages('en') } },
    },
    interpolation: { escapeValue: false },
    initImmediate: false,
    returnNull: false,
  } as Parameters<typeof instance.init>[0]);
  return instance;
}

/** Applies lang and dir to the document so layout, focus order and text direction follow the language. */
export function applyDocumentLocale(locale: Locale, doc: Document = document): void {
  doc.documentElement.lang = locale;
  doc.documentElement.dir = LOCALES[locale].dir;
}
