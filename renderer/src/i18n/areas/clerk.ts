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
    errors: {
      attemptsLeft: 'Attempts left before a 15-minute lock: {{n}}',
      locked: 'Too many wrong PINs: locked until {{until}}. A technician or another supervisor can unlock it now on the Operators screen.',
      generic: 'That did not work. Try again; if it happens again, tell the technician (code {{code}}).',
      BRIDGE_DISCONNECTED: 'The kiosk is not responding: nothing was changed. Wait until the status bar shows it connected, then try again.',
      FORBIDDEN_ROLE: 'Your role may not do this.',
      CONFLICT: 'This already exists.',
      DISK_SPACE_LOW: 'The disk is too full to save: call the technician.',
    },
    operators: {
      idRule: 'Operator ID: 2 to 32 lower-case Latin letters, digits, dot, dash or underscore, starting with a letter or digit (e.g. clerk.amal)',
      nameRule: 'Enter the name (up to 80 characters)',
      pinRule: 'The temporary PIN is 4 to 8 digits',
      exists: 'An operator with this ID exists already',
      newPinFor: 'New temporary PIN for {{id}}',
      unlock: 'Unlock',
      unlocked: '{{id}} is unlocked (recorded in the audit log)',
    },
    receipt: { nextSteps: 'What happens next', contact: 'Questions' },
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
    errors: {
      attemptsLeft: 'المحاولات المتبقية قبل القفل لمدة ١٥ دقيقة: {{n}}',
      locked: 'محاولات خاطئة كثيرة: مقفل حتى {{until}}. يمكن للفني أو لمشرف آخر فتحه الآن من شاشة الموظفين.',
      generic: 'لم تنجح العملية. حاول مرة أخرى، وإن تكرر ذلك فأبلغ الفني (الرمز {{code}}).',
      BRIDGE_DISCONNECTED: 'الجهاز لا يستجيب ولم يتغير شيء. انتظر حتى يظهر في شريط الحالة أنه متصل ثم حاول مرة أخرى.',
      FORBIDDEN_ROLE: 'لا يسمح دورك بهذا.',
      CONFLICT: 'هذا موجود من قبل.',
      DISK_SPACE_LOW: 'القرص ممتلئ ولا يمكن الحفظ: اتصل بالفني.',
    },
    operators: {
      idRule: 'رقم الموظف: من ٢ إلى ٣٢ حرفًا لاتينيًا صغيرًا أو رقمًا أو نقطة أو شرطة، يبدأ بحرف أو رقم (مثل clerk.amal)',
      nameRule: 'أدخل الاسم (حتى ٨٠ حرفًا)',
      pinRule: 'الرقم السري المؤقت من ٤ إلى ٨ أرقام',
      exists: 'يوجد موظف بهذا الرقم من قبل',
      newPinFor: 'رقم سري مؤقت جديد لـ {{id}}',
      unlock: 'فتح القفل',
      unlocked: 'فُتح قفل {{id}} (مسجّل في سجل التدقيق)',
    },
    receipt: { nextSteps: 'الخطوات التالية', contact: 'للاستفسار' },
    connection: {
      offline: { pill: 'الجهاز لا يستجيب — جارٍ إعادة الاتصال…', title: 'الجهاز لا يستجيب.', body: 'يُعاد الاتصال تلقائيًا، وما حُفظ باقٍ. انتظر قليلًا.' },
      restarted: { pill: 'أُعيد تشغيل الجهاز — افتحه من جديد', title: 'أُعيد تشغيل الجهاز.', body: 'افتحه من جديد من أيقونة التشغيل ثم سجّل الدخول: التسجيل الجاري محفوظ.' },
    },
  },
});
