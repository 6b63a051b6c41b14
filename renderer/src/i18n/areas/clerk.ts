// Messages of the clerk's day (issue 17): finger counts, connection state, human error texts, lockout warnings,
// busy states. Its own area so the shared catalogs stay untouched.
import { defineArea } from './define';

export const clerk = defineArea({
  en: {
    fingers: {
      count: 'Fingers done: {{done}} of {{total}} (each one is saved as it is taken)',
      stillMissing: 'Not done yet ({{n}}): {{fingers}}. Capture each one or record an exception, then continue.',
      retakesOpen: 'A finger still needs a retake or the sequence check is open: see the hand diagram.',
      imageAlt: 'Fingerprint image: {{finger}}',
    },
    connection: {
      offline: { pill: 'Kiosk not responding — reconnecting…', title: 'The kiosk is not responding.', body: 'Reconnecting by itself; what was saved is kept. Wait a moment.' },
      restarted: { pill: 'Kiosk restarted — reopen it', title: 'The kiosk was restarted.', body: 'Open it again from the launcher (the kiosk icon); then sign in: the enrollment in progress is kept.' },
    },
  },
  ar: {
    fingers: {
      count: 'الأصابع المكتملة: {{done}} من {{total}} (يُحفظ كل إصبع فور التقاطه)',
      stillMissing: 'لم يكتمل بعد ({{n}}): {{fingers}}. التقط كل إصبع أو سجّل استثناءً ثم تابع.',
      retakesOpen: 'ما زال إصبع يحتاج إلى إعادة الالتقاط أو فحص الترتيب مفتوح: انظر مخطط اليدين.',
      imageAlt: 'صورة البصمة: {{finger}}',
    },
    connection: {
      offline: { pill: 'الجهاز لا يستجيب — جارٍ إعادة الاتصال…', title: 'الجهاز لا يستجيب.', body: 'يُعاد الاتصال تلقائيًا، وما حُفظ باقٍ. انتظر قليلًا.' },
      restarted: { pill: 'أُعيد تشغيل الجهاز — افتحه من جديد', title: 'أُعيد تشغيل الجهاز.', body: 'افتحه من جديد من أيقونة التشغيل ثم سجّل الدخول: التسجيل الجاري محفوظ.' },
    },
  },
});
