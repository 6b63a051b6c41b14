// Messages of fingerprint sign-in on the sign-in screen (the PIN form's own messages stay under `signIn`).
import { defineArea } from './define';

export const fingerSignIn = defineArea({
  en: {
    button: 'Sign in with fingerprint',
    noDevice: 'Fingerprint sign-in needs a ready fingerprint scanner',
    needOperatorId: 'Type your operator ID first, then sign in with your fingerprint',
    placeFinger: 'Place your enrolled finger on the scanner ({{device}})…',
    noFingerprint: 'No fingerprint is enrolled for this operator. Sign in with the PIN; a supervisor or technician can enrol your finger',
    noMatch: 'The fingerprint did not match this operator. Try again or sign in with the PIN',
    noMatchLeft: 'The fingerprint did not match this operator. {{count}} attempts left before the operator is locked',
    locked: 'Too many failed sign-in attempts. This operator is locked until {{until}}',
    noFinger: 'No finger was placed on the scanner in time. Try again',
    quality: 'The fingerprint was not clear enough. Clean the finger and the scanner glass, press flat and try again',
    deviceError: 'The fingerprint scanner failed ({{code}}). Try again, sign in with the PIN, or ask a technician',
  },
  ar: {
    button: 'تسجيل الدخول بالبصمة',
    noDevice: 'يتطلب تسجيل الدخول بالبصمة ماسح بصمات جاهزًا',
    needOperatorId: 'اكتب رقم المشغّل أولًا، ثم سجّل الدخول ببصمتك',
    placeFinger: 'ضع إصبعك المسجّل على الماسح ({{device}})…',
    noFingerprint: 'لا توجد بصمة مسجلة لهذا المشغّل. سجّل الدخول بالرقم السري؛ يمكن للمشرف أو الفني تسجيل بصمتك',
    noMatch: 'البصمة لا تطابق هذا المشغّل. حاول مرة أخرى أو سجّل الدخول بالرقم السري',
    noMatchLeft: 'البصمة لا تطابق هذا المشغّل. بقيت {{count}} محاولات قبل قفل المشغّل',
    locked: 'محاولات دخول فاشلة كثيرة. هذا المشغّل مقفل حتى {{until}}',
    noFinger: 'لم يوضع إصبع على الماسح في الوقت المحدد. حاول مرة أخرى',
    quality: 'البصمة غير واضحة بما يكفي. نظّف الإصبع وزجاج الماسح واضغط بشكل مستوٍ ثم حاول مرة أخرى',
    deviceError: 'تعطل ماسح البصمات ({{code}}). حاول مرة أخرى أو سجّل الدخول بالرقم السري أو اطلب فنيًا',
  },
});
