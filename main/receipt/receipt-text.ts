// The receipt PDF's words in each language, and what the person is told about what happens next and whom to ask.
// The deployment's centre name, contact and next-steps text come from the config (`receipt`), these are the defaults.
import type { Locale } from '../contract/ipc.js';

export interface ReceiptLabels {
  title: string;
  rid: string;
  name: string;
  enrolled: string;
  approved: string;
  centre: string;
  kiosk: string;
  nextStepsTitle: string;
  nextSteps: string;
  contactTitle: string;
  contactDefault: string;
  signature: string;
  kioskKey: string;
  timeZone: string;
}

export const RECEIPT_LABELS: Record<Locale, ReceiptLabels> = {
  en: {
    title: 'Enrollment receipt',
    rid: 'Registration ID (RID)',
    name: 'Name',
    enrolled: 'Enrolled',
    approved: 'Approved',
    centre: 'Centre',
    kiosk: 'Kiosk',
    nextStepsTitle: 'What happens next',
    nextSteps: 'Keep this receipt. Your record is sent to the national registry; your ID will be ready within 30 days. Bring this receipt and the RID when you collect it or ask about it.',
    contactTitle: 'Questions',
    contactDefault: 'Ask at the centre where you enrolled, with your RID.',
    signature: 'Signed by the kiosk (Ed25519). The QR code holds the RID only.',
    kioskKey: 'Kiosk key',
    timeZone: 'Time zone',
  },
  ar: {
    title: 'إيصال التسجيل',
    rid: 'رقم التسجيل',
    name: 'الاسم',
    enrolled: 'تاريخ التسجيل',
    approved: 'تاريخ الاعتماد',
    centre: 'المركز',
    kiosk: 'الجهاز',
    nextStepsTitle: 'الخطوات التالية',
    nextSteps: 'احتفظ بهذا الإيصال. يُرسَل سجلك إلى السجل الوطني، وتكون بطاقتك جاهزة خلال ٣٠ يومًا. أحضر هذا الإيصال ورقم التسجيل عند الاستلام أو الاستفسار.',
    contactTitle: 'للاستفسار',
    contactDefault: 'اسأل في المركز الذي سجلت فيه ومعك رقم التسجيل.',
    signature: 'موقّع رقميًا من الجهاز. رمز الاستجابة السريعة يحمل رقم التسجيل فقط.',
    kioskKey: 'مفتاح الجهاز',
    timeZone: 'المنطقة الزمنية',
  },
};

/** The deployment's receipt settings (config `receipt`), resolved: a time zone always set. */
export interface ReceiptOptions {
  /** IANA time zone the receipt's times are written in (the kiosk's; the OS zone when the config has none). */
  timeZone: string;
  centreName: Record<Locale, string> | null;
  contactPhone: string | null;
  contact: Record<Locale, string> | null;
  nextSteps: Record<Locale, string> | null;
}

export function osTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export const DEFAULT_RECEIPT_OPTIONS: ReceiptOptions = { timeZone: osTimeZone(), centreName: null, contactPhone: null, contact: null, nextSteps: null };

/** A date and time in the kiosk's zone and the receipt's language (Arabic: Arabic-Indic digits), without bidi marks. */
export function receiptDateTime(iso: string, language: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(language === 'ar' ? 'ar-EG' : 'en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone })
    .format(new Date(iso))
    .replace(/[\u200e\u200f\u061c]/gu, '');
}

/** What the person reads under "what happens next" and "questions", in the receipt's language. */
export function receiptInfo(language: Locale, o: ReceiptOptions, centreId: string): { nextSteps: string; contact: string; contactPhone: string | null; centre: string } {
  const l = RECEIPT_LABELS[language];
  const centre = o.centreName?.[language] ?? centreId;
  const contact = o.contact?.[language] ?? l.contactDefault;
  return { nextSteps: o.nextSteps?.[language] ?? l.nextSteps, contact, contactPhone: o.contactPhone, centre };
}
