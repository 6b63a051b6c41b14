// The consent text shown to the person being enrolled, per language, with a version that is recorded with the
// consent (the version names the language: `eg-consent-<revision>-<ar|en>`, so the record and the sealed packet say
// which text was read). Changing the wording means a new revision; drafts consented under an older one must
// re-consent.

export interface ConsentText {
  language: 'ar' | 'en';
  version: string;
  title: string;
  body: string;
}

export const CONSENT_REVISION = '2026.1';
const version = (language: 'ar' | 'en') => `eg-consent-${CONSENT_REVISION}-${language}`;

export const CONSENT_TEXTS: readonly ConsentText[] = [
  {
    language: 'ar',
    version: version('ar'),
    title: 'الموافقة على التسجيل',
    body:
      'أوافق على تسجيل بياناتي الشخصية (الاسم وتاريخ الميلاد والنوع والرقم القومي والعنوان ورقم الهاتف) وصورة وجهي وبصمات أصابعي ' +
      'لغرض إصدار هويتي الرقمية الوطنية. تُحفظ البيانات مشفّرة على هذا الجهاز حتى إرسالها إلى السجل الوطني ثم تُحذف منه، ' +
      'وتُستخدم للتحقق من عدم تكرار التسجيل. يحق لي الاطلاع على بياناتي وتصحيحها لدى مكتب السجل المدني.',
  },
  {
    language: 'en',
    version: version('en'),
    title: 'Consent to enrollment',
    body:
      'I agree to the recording of my personal data (name, date of birth, sex, national number, address and phone number), ' +
      'my face photograph and my fingerprints for the issuance of my national digital identity. The data is kept encrypted on ' +
      'this kiosk until it is sent to the national registry and is then deleted from it; it is used to check that I am not ' +
      'enrolled twice. I may see and correct my data at the civil registry office.',
  },
];

export function consentText(language: 'ar' | 'en'): ConsentText {
  return CONSENT_TEXTS.find((t) => t.language === language) ?? CONSENT_TEXTS[0]!;
}
