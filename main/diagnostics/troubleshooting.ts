// What a technician does about each error code, in English and Arabic. The troubleshooting tables of
// docs/DEPLOYMENT.md and docs/DEPLOYMENT.ar.md are generated from this list (`kiosk explain --markdown en|ar`), and
// test/node/diagnostics/troubleshooting.test.ts fails when any error code in the source is missing here.
export type TroubleshootingArea = 'app' | 'auth' | 'store' | 'enrollment' | 'workflow' | 'devices' | 'capture' | 'models' | 'formats' | 'sync' | 'registry' | 'provisioning' | 'diagnostics' | 'update';

export interface TroubleshootingEntry {
  code: string;
  area: TroubleshootingArea;
  en: string;
  ar: string;
}

type Row = [code: string, en: string, ar: string];

const AREAS: [TroubleshootingArea, Row[]][] = [
  [
    'app',
    [
      ['UNSAFE_FILE', 'A file on the drive or in the bundle is a link, a device, a pipe or far too large, and was not read. Copy the export again onto a clean drive.', 'ملف على الوحدة أو في الحزمة رابط أو جهاز أو أنبوب أو كبير جدًا فلم يُقرأ. انسخ التصدير مجددًا على وحدة سليمة.'],
      ['INTERNAL', 'An unexpected fault. Retry once; if it repeats, run `kiosk diagnostics export --to USB` and send the bundle to support.', 'خلل غير متوقع. أعد المحاولة مرة؛ إن تكرر شغّل `kiosk diagnostics export --to USB` وأرسل الحزمة إلى الدعم.'],
      ['VALIDATION_FAILED', 'A value was refused; the message names the field. Correct it and retry.', 'رُفضت قيمة؛ الرسالة تسمّي الحقل. صحّحها وأعد المحاولة.'],
      ['UNKNOWN_CHANNEL', 'The screen and the core are from different versions. Restart the kiosk; if it persists reinstall the same version.', 'الواجهة والنواة من إصدارين مختلفين. أعد تشغيل الجهاز؛ إن استمر أعد تثبيت الإصدار نفسه.'],
      ['FORBIDDEN_SENDER', 'A window that is not the kiosk tried to call the core (blocked). Restart; report it if it repeats.', 'نافذة غير الجهاز حاولت مخاطبة النواة (حُجبت). أعد التشغيل؛ أبلغ إن تكرر.'],
      ['NOT_FOUND', 'The record, operator or file asked for does not exist (typo, or already purged). Check the id.', 'السجل أو المشغّل أو الملف المطلوب غير موجود (خطأ كتابة أو حُذف). تحقق من المعرّف.'],
      ['CONFLICT', 'Someone else changed it first, or it already exists. Reload and redo the change.', 'غيّره غيرك أولًا أو هو موجود مسبقًا. أعد التحميل وكرر التغيير.'],
      ['DISPOSED', 'A service was used while the kiosk was shutting down. Restart the kiosk.', 'استُخدمت خدمة أثناء إيقاف الجهاز. أعد تشغيله.'],
      ['TIMEOUT', 'An operation took too long. Check devices and the network, then retry.', 'استغرقت العملية وقتًا طويلًا. افحص الأجهزة والشبكة ثم أعد المحاولة.'],
      ['CANCELLED', 'The operation was cancelled (by the operator or a shutdown). Start it again if needed.', 'أُلغيت العملية (من المشغّل أو بسبب الإيقاف). ابدأها مجددًا عند الحاجة.'],
      ['CONFIG_INVALID', 'The config file has a bad key or value; the message names it. Fix it and run `kiosk config check --config FILE`.', 'ملف الإعداد فيه مفتاح أو قيمة خاطئة تسمّيها الرسالة. صحّحه وشغّل `kiosk config check --config FILE`.'],
      ['CONFIG_NOT_FOUND', 'The config file path does not exist. Check `--config` in the auto-start entry (systemd unit / Task Scheduler).', 'مسار ملف الإعداد غير موجود. راجع `--config` في مدخل التشغيل التلقائي (systemd أو مجدول المهام).'],
      ['BRIDGE_TOKEN_INVALID', 'Browser shell only: the one-time link expired. Restart `kiosk web` and open the new URL.', 'واجهة المتصفح فقط: انتهى الرابط المؤقت. أعد تشغيل `kiosk web` وافتح الرابط الجديد.'],
      ['BRIDGE_ORIGIN_REFUSED', 'Browser shell only: a page from another origin tried to connect (blocked). Use only the printed URL.', 'واجهة المتصفح فقط: صفحة من مصدر آخر حاولت الاتصال (حُجبت). استخدم الرابط المطبوع فقط.'],
      ['DEMO_ONLY', 'The command works in demo mode only. Do not run it on a production kiosk.', 'الأمر يعمل في الوضع التجريبي فقط. لا تشغّله على جهاز إنتاج.'],
      ['ULID_OVERFLOW', 'Too many ids in one millisecond (practically impossible). Retry; report if it repeats.', 'معرّفات كثيرة في جزء من الثانية (شبه مستحيل). أعد المحاولة؛ أبلغ إن تكرر.'],
      ['ULID_TIME_INVALID', 'The system clock is far outside the valid range. Set the date and time (NTP), then restart.', 'ساعة النظام خارج النطاق الصحيح. اضبط التاريخ والوقت (NTP) ثم أعد التشغيل.'],
    ],
  ],
  [
    'auth',
    [
      ['UNAUTHORIZED', 'Not signed in, wrong id/PIN, or signed out after inactivity. Sign in again; open drafts are kept.', 'لم يُسجَّل الدخول أو المعرّف/الرقم السري خطأ أو انتهت الجلسة لعدم النشاط. سجّل الدخول مجددًا؛ المسودات محفوظة.'],
      ['FORBIDDEN_ROLE', 'The signed-in role may not do this (e.g. a clerk opening Diagnostics). Ask a supervisor or technician.', 'الدور الحالي لا يسمح بهذا (مثل موظف يفتح التشخيص). اطلب مشرفًا أو فنيًا.'],
      ['OPERATOR_LOCKED', 'Too many wrong PINs. Wait until the time shown, or a technician resets the PIN.', 'أرقام سرية خاطئة كثيرة. انتظر حتى الوقت المعروض أو يعيد الفني ضبط الرقم السري.'],
      ['SCREEN_LOCKED', 'The screen is locked. The same operator enters the PIN to continue (the open enrollment is kept), or signs out.', 'الشاشة مقفلة. يُدخل المشغّل نفسه رقمه السري للمتابعة (التسجيل المفتوح محفوظ) أو يسجّل الخروج.'],
      ['PIN_CHANGE_REQUIRED', 'First sign-in with a temporary PIN: the operator chooses a personal PIN.', 'دخول أول برقم سري مؤقت: يختار المشغّل رقمًا سريًا شخصيًا.'],
      ['PIN_TOO_SIMPLE', 'Choose a PIN that is not one repeated digit or a run like 1234.', 'اختر رقمًا سريًا ليس رقمًا مكررًا ولا تسلسلًا مثل 1234.'],
      ['PIN_UNCHANGED', 'The new PIN must differ from the temporary one.', 'يجب أن يختلف الرقم السري الجديد عن المؤقت.'],
      ['NOT_IN_SERVICE', 'This kiosk is not in service yet: only a technician can work on it. The technician completes the set-up checklist (docs/PROVISIONING.md).', 'هذا الجهاز لم يدخل الخدمة بعد: لا يعمل عليه إلا الفني. يُكمل الفني قائمة الإعداد.'],
      ['SUPERVISOR_REQUIRED', 'This step needs a supervisor. Call one to sign or approve.', 'هذه الخطوة تحتاج مشرفًا. استدعِ مشرفًا للتوقيع أو الاعتماد.'],
      ['SUPERVISOR_CREDENTIALS_REQUIRED', 'Approval needs the supervisor to type their id and PIN on this kiosk.', 'الاعتماد يحتاج أن يكتب المشرف معرّفه ورقمه السري على هذا الجهاز.'],
      ['SELF_APPROVAL', 'A supervisor may not approve their own capture. Another supervisor approves it.', 'لا يعتمد المشرف تسجيلًا التقطه بنفسه. يعتمده مشرف آخر.'],
      ['NO_OPERATOR_FINGERPRINT', 'No fingerprint is enrolled for this operator. Sign in with the PIN; a technician or supervisor can enrol the operator’s finger.', 'لا توجد بصمة مسجلة لهذا المشغّل. سجّل الدخول بالرقم السري؛ يمكن للفني أو المشرف تسجيل بصمة المشغّل.'],
      ['SELF_ADJUDICATION', 'A supervisor may not adjudicate their own capture. Another supervisor decides.', 'لا يفصل المشرف في تسجيل التقطه بنفسه. يقرر مشرف آخر.'],
    ],
  ],
  [
    'store',
    [
      ['PASSPHRASE_TOO_WEAK', 'A new store needs a passphrase of at least 12 characters and about 70 bits (several words, or mixed characters). Choose a stronger KIOSK_PASSPHRASE.', 'يحتاج المخزن الجديد عبارة مرور من 12 حرفًا على الأقل ونحو 70 بت (عدة كلمات أو أحرف متنوعة). اختر KIOSK_PASSPHRASE أقوى.'],
      ['KEY_PROTECTION_REQUIRED', 'Outside demo mode the store key needs protection: a TPM 2.0, the OS key store (Electron app) or a strong KIOSK_PASSPHRASE. The weak key file only with KIOSK_ALLOW_KEY_FILE=1 (docs/SECURITY.md).', 'خارج الوضع التجريبي يحتاج مفتاح المخزن حماية: شريحة TPM 2.0 أو مخزن مفاتيح النظام (تطبيق Electron) أو KIOSK_PASSPHRASE قوية. ملف المفتاح الضعيف فقط مع KIOSK_ALLOW_KEY_FILE=1 (docs/SECURITY.md).'],
      ['TPM_UNAVAILABLE', 'tpm2-tools could not reach the TPM. Install tpm2-tools, add the kiosk user to the tss group for /dev/tpmrm0, or check KIOSK_TPM_TCTI.', 'تعذّر على tpm2-tools الوصول إلى شريحة TPM. ثبّت tpm2-tools وأضف مستخدم الجهاز إلى مجموعة tss للوصول إلى /dev/tpmrm0 أو راجع KIOSK_TPM_TCTI.'],
      ['STORE_FULL', 'The disk is full; nothing was saved by that step. Sync, free disk space, then retry (saved data is intact).', 'القرص ممتلئ؛ لم تُحفظ تلك الخطوة. زامن وحرّر مساحة ثم أعد المحاولة (البيانات المحفوظة سليمة).'],
      ['STORE_CORRUPT', 'The database failed its integrity check. Stop enrolling, do NOT delete the data dir, export diagnostics and call support.', 'قاعدة البيانات فشلت فحص السلامة. أوقف التسجيل، لا تحذف مجلد البيانات، صدّر التشخيص واتصل بالدعم.'],
      ['STORE_NEWER_THAN_APP', 'The data was written by a newer app version. Install that version (never downgrade a kiosk with data).', 'البيانات كتبها إصدار أحدث. ثبّت ذلك الإصدار (لا تخفّض إصدار جهاز فيه بيانات).'],
      ['STORE_BUSY', 'Another kiosk process holds the database. Close the second instance (or stop `kiosk web`) and retry.', 'عملية أخرى تمسك قاعدة البيانات. أغلق النسخة الثانية (أو أوقف `kiosk web`) وأعد المحاولة.'],
      ['STORE_CLOSED', 'The store is closed (shutdown or after a factory reset). Restart the kiosk.', 'المخزن مغلق (إيقاف أو بعد إعادة ضبط المصنع). أعد تشغيل الجهاز.'],
      ['STORE_IO', 'The disk could not be read or written. Check the disk, its permissions and `dmesg`; run `kiosk doctor --full`.', 'تعذرت القراءة أو الكتابة على القرص. افحص القرص وصلاحياته و`dmesg`؛ شغّل `kiosk doctor --full`.'],
      ['STORE_ERROR', 'An unusual database error (code in the details). Export diagnostics and call support.', 'خطأ غير معتاد في قاعدة البيانات (الرمز في التفاصيل). صدّر التشخيص واتصل بالدعم.'],
      ['STORE_NOT_INITIALISED', 'No enrollment store yet. Provision the kiosk (`kiosk provision`) or run `kiosk init`.', 'لا يوجد مخزن تسجيلات بعد. جهّز الجهاز (`kiosk provision`) أو شغّل `kiosk init`.'],
      ['AUDIT_CHAIN_BROKEN', 'The audit log was altered or truncated. Possible tampering: stop, export diagnostics, report to security.', 'سجل التدقيق عُدّل أو بُتر. عبث محتمل: توقف، صدّر التشخيص، وأبلغ الأمن.'],
      ['TAMPER_DETECTED', 'Stored data failed authentication (altered on disk). Do not continue on this kiosk; report to security.', 'بيانات مخزنة فشلت التحقق (عُدّلت على القرص). لا تتابع على هذا الجهاز؛ أبلغ الأمن.'],
      ['KEYRING_MISSING', 'The data exists but its key ring is gone (crypto-erased or deleted): the data is unreadable. Factory-reset and re-provision.', 'البيانات موجودة لكن حلقة المفاتيح مفقودة (مُسحت تشفيريًا أو حُذفت): البيانات غير مقروءة. أعد ضبط المصنع وجهّز من جديد.'],
      ['KEYRING_INVALID', 'The key ring file is damaged. Restore it from the kiosk backup if one exists; otherwise factory-reset.', 'ملف حلقة المفاتيح تالف. استعده من نسخة احتياطية إن وُجدت؛ وإلا أعد ضبط المصنع.'],
      ['KEYRING_MISMATCH', 'The key ring belongs to another store (files mixed between kiosks). Put back the right keyring.json.', 'حلقة المفاتيح تخص مخزنًا آخر (خلط ملفات بين أجهزة). أعد ملف keyring.json الصحيح.'],
      ['KEY_UNWRAP_FAILED', 'Wrong passphrase/key or a tampered key ring. Check KIOSK_PASSPHRASE or the OS key store user.', 'عبارة مرور أو مفتاح خاطئ أو حلقة مفاتيح معبوث بها. راجع KIOSK_PASSPHRASE أو مستخدم مخزن مفاتيح النظام.'],
      ['KEY_MODE_MISMATCH', 'The store was created with another key mode (e.g. OS key store) than the one used now. Start it the same way as before.', 'أُنشئ المخزن بوضع مفتاح آخر (مثل مخزن النظام). شغّله بالطريقة نفسها كما من قبل.'],
      ['KEYSTORE_REQUIRED', 'This store is protected by the OS key store: open it from the Electron app, not the CLI/browser shell.', 'هذا المخزن محمي بمخزن مفاتيح النظام: افتحه من تطبيق Electron لا من سطر الأوامر أو المتصفح.'],
      ['KEYSTORE_UNAVAILABLE', 'No OS key store (Linux: install and unlock gnome-keyring/libsecret for the kiosk user).', 'لا يوجد مخزن مفاتيح للنظام (لينكس: ثبّت وافتح gnome-keyring/libsecret لمستخدم الجهاز).'],
      ['PASSPHRASE_REQUIRED', 'This store uses a passphrase: set KIOSK_PASSPHRASE for the kiosk service.', 'هذا المخزن يستخدم عبارة مرور: اضبط KIOSK_PASSPHRASE لخدمة الجهاز.'],
      ['PASSPHRASE_TOO_SHORT', 'KIOSK_PASSPHRASE must have at least 8 characters.', 'يجب ألا تقل KIOSK_PASSPHRASE عن 8 محارف.'],
      ['KEY_FILE_MISSING', 'The key file (kek.key) is gone: the data is unreadable. Factory-reset and re-provision.', 'ملف المفتاح (kek.key) مفقود: البيانات غير مقروءة. أعد ضبط المصنع وجهّز من جديد.'],
      ['KEY_FILE_INVALID', 'The key file is damaged. Restore it from backup; otherwise factory-reset.', 'ملف المفتاح تالف. استعده من نسخة احتياطية؛ وإلا أعد ضبط المصنع.'],
      ['KEY_FILE_PERMISSIONS', 'The key file is readable by other users: `chmod 600 kek.key` (owner: the kiosk user).', 'ملف المفتاح مقروء لمستخدمين آخرين: `chmod 600 kek.key` (المالك مستخدم الجهاز).'],
      ['REGISTRY_KEY_MISSING', 'No registry encryption key yet, so approved records wait unsealed. Finish registration/provisioning.', 'لا يوجد مفتاح تشفير السجل المركزي بعد، فتنتظر السجلات المعتمدة دون ختم. أكمل التسجيل أو التجهيز.'],
      ['REGISTRY_KEY_MISMATCH', 'The registry key does not match the pinned fingerprint. Check registry.publicKeyFingerprint and the registry URL; never bypass.', 'مفتاح السجل المركزي لا يطابق البصمة المثبتة. راجع registry.publicKeyFingerprint ورابط السجل؛ لا تتجاوز ذلك.'],
    ],
  ],
  [
    'enrollment',
    [
      ['APPROVAL_EVIDENCE_INCOMPLETE', 'The record lacks what approval needs (a face or co-signed exception, every finger, a finished duplicate search over these biometrics). Reopen it in the wizard and complete the listed steps.', 'ينقص السجل ما تتطلبه الموافقة (وجه أو استثناء موقّع من المشرف، كل الأصابع، بحث تكرار مكتمل على هذه البصمات). أعد فتحه في المعالج وأكمل الخطوات المذكورة.'],
      ['LIFECYCLE_RESERVED', 'A sealed record moves only with the sync (on the registry receipt). Nothing to do by hand: run sync or a USB transfer.', 'السجل المختوم لا ينتقل إلا بالمزامنة (بإيصال السجل المركزي). لا إجراء يدوي: شغّل المزامنة أو النقل عبر USB.'],
      ['NOT_EDITABLE', 'Only drafts can be edited. Send the record back to draft (recapture) if allowed.', 'تُعدّل المسودات فقط. أعد السجل إلى مسودة (إعادة التقاط) إن كان مسموحًا.'],
      ['ENROLLMENT_INCOMPLETE', 'Required data is missing (listed in the message). Complete those steps or record exceptions.', 'بيانات مطلوبة ناقصة (مذكورة في الرسالة). أكمل الخطوات أو سجّل الاستثناءات.'],
      ['ENROLLMENT_CLOSED', 'The enrollment was abandoned or purged. Start a new one.', 'التسجيل مهجور أو محذوف. ابدأ تسجيلًا جديدًا.'],
      ['DUPLICATE_NATIONAL_NUMBER', 'Another enrollment on this kiosk has the same national number. Check the number; a supervisor resolves real duplicates.', 'تسجيل آخر على هذا الجهاز له الرقم القومي نفسه. تحقق من الرقم؛ يحسم المشرف التكرار الفعلي.'],
      ['ILLEGAL_TRANSITION', 'That status change is not allowed from the current status. Reload the record.', 'تغيير الحالة هذا غير مسموح من الحالة الحالية. أعد تحميل السجل.'],
      ['ID_SCHEMA_INVALID', 'The ID form definition (store settings / provisioning download) is invalid. Re-provision or fix store-settings.json.', 'تعريف نموذج الهوية غير صالح (إعدادات المخزن أو تنزيل التجهيز). أعد التجهيز أو صحّح store-settings.json.'],
      ['RID_INVALID', 'The registration id typed is malformed. Copy it from the receipt exactly.', 'رقم التسجيل المكتوب غير صحيح الصيغة. انسخه من الإيصال حرفيًا.'],
      ['RECEIPT_NOT_FOUND', 'No receipt stored for this enrollment (not sealed yet). Approve and seal first.', 'لا يوجد إيصال لهذا التسجيل (لم يُختم بعد). اعتمده واختمه أولًا.'],
      ['RECEIPT_PHOTO_INVALID', 'The face photo could not be put on the receipt (not a usable JPEG). Retake the face photo, then print again.', 'تعذر وضع صورة الوجه على الإيصال (ليست JPEG صالحة). أعد التقاط صورة الوجه ثم اطبع مجددًا.'],
      ['FONT_INVALID', 'The receipt font file shipped with the app is damaged, so receipts cannot be printed. Reinstall the app.', 'ملف خط الإيصال المرفق بالتطبيق تالف فلا يمكن طباعة الإيصالات. أعد تثبيت التطبيق.'],
      ['NO_BIOMETRICS', 'The record holds no biometrics (sealed records keep none locally). Use the registry copy.', 'السجل بلا بيانات حيوية (السجلات المختومة لا تحتفظ بها محليًا). استخدم نسخة السجل المركزي.'],
      ['CONSENT_VERSION_MISMATCH', 'The consent text shown is not the current one. Reload the consent step and show the current text.', 'نص الموافقة المعروض ليس الحالي. أعد تحميل خطوة الموافقة واعرض النص الحالي.'],
      ['MASTER_DATA_INVALID', 'Master data (locations, lists) is invalid. Re-download it via provisioning.', 'البيانات المرجعية (المواقع والقوائم) غير صالحة. أعد تنزيلها عبر التجهيز.'],
      ['DISK_SPACE_LOW', 'New enrollments are blocked: too little free disk space to save them safely. Sync, then free space; drafts already open still save.', 'التسجيلات الجديدة موقوفة: المساحة الحرة لا تكفي للحفظ الآمن. زامن ثم حرّر مساحة؛ المسودات المفتوحة ما زالت تُحفظ.'],
    ],
  ],
  [
    'workflow',
    [
      ['WORKFLOW_BLOCKED', 'A step is not complete (the blockers are listed). Finish them before moving on.', 'خطوة غير مكتملة (العوائق مذكورة). أكملها قبل المتابعة.'],
      ['WORKFLOW_ACTION_NOT_ALLOWED', 'That action is not available at this step. Follow the steps on screen.', 'هذا الإجراء غير متاح في هذه الخطوة. اتبع الخطوات على الشاشة.'],
      ['FACE_NOT_CAPTURED', 'No usable face yet. Capture (or retake) the face photo.', 'لا توجد صورة وجه صالحة بعد. التقط الصورة أو أعد التقاطها.'],
      ['NOTHING_TO_OVERRIDE', 'The face capture passes every check; no override is needed.', 'صورة الوجه تجتاز كل الفحوص؛ لا حاجة للتجاوز.'],
      ['FINGER_SESSION_MISSING', 'No fingerprint capture for this enrollment yet. Capture the fingers first.', 'لا يوجد التقاط بصمات لهذا التسجيل بعد. التقط البصمات أولًا.'],
      ['FINGER_CAPTURE_UNAVAILABLE', 'No fingerprint service runs on this kiosk. Check the device configuration and `kiosk doctor --full`.', 'لا تعمل خدمة البصمات على هذا الجهاز. راجع إعداد الأجهزة و`kiosk doctor --full`.'],
    ],
  ],
  [
    'devices',
    [
      ['DEVICE_NOT_FOUND', 'The scanner is not at the configured port. Check the USB cable and `kiosk devices list`; fix the path in the config.', 'الماسح ليس على المنفذ المضبوط. افحص كابل USB و`kiosk devices list`؛ صحّح المسار في الإعداد.'],
      ['DEVICE_DISCONNECTED', 'The scanner was unplugged or lost power. Reconnect it; the kiosk reopens it by itself.', 'فُصل الماسح أو فقد الطاقة. أعد توصيله؛ يعيد الجهاز فتحه تلقائيًا.'],
      ['DEVICE_TIMEOUT', 'The scanner stopped answering. Unplug/replug it; if it repeats replace the cable or the sensor.', 'توقف الماسح عن الاستجابة. افصله وأعد توصيله؛ إن تكرر استبدل الكابل أو الحساس.'],
      ['DEVICE_NO_FINGER', 'No finger was placed in time. Ask the person to press the finger flat on the glass and retry.', 'لم يُوضع إصبع في الوقت المحدد. اطلب الضغط بالإصبع مسطحًا على الزجاج وأعد المحاولة.'],
      ['DEVICE_BUSY', 'The scanner is used by another capture. Wait for it to finish or cancel it.', 'الماسح مشغول بالتقاط آخر. انتظر انتهاءه أو ألغه.'],
      ['DEVICE_PROTOCOL', 'The scanner sent unexpected bytes (wrong model or baud rate). Check `kind` and `baudRate` in the config.', 'أرسل الماسح بيانات غير متوقعة (طراز أو سرعة خاطئة). راجع `kind` و`baudRate` في الإعداد.'],
      ['DEVICE_CHECKSUM', 'Corrupted data on the serial line. Replace the cable, avoid USB hubs, retry.', 'بيانات تالفة على الخط التسلسلي. استبدل الكابل وتجنب موزعات USB وأعد المحاولة.'],
      ['DEVICE_ERROR', 'The scanner reported an error (code in details). Clean the glass, replug; replace the sensor if it persists.', 'أبلغ الماسح عن خطأ (الرمز في التفاصيل). نظّف الزجاج وأعد التوصيل؛ استبدل الحساس إن استمر.'],
      ['DEVICE_UNSUPPORTED', 'This device or operation is not supported. Use a device from the hardware list.', 'الجهاز أو العملية غير مدعومة. استخدم جهازًا من قائمة العتاد.'],
      ['DEVICE_UNTRUSTED', 'The SBI device certificate is not trusted. Add the vendor root to devices.sbiTrustRoots (never enable allowUntrustedSbi in production).', 'شهادة جهاز SBI غير موثوقة. أضف جذر المورّد إلى devices.sbiTrustRoots (لا تفعّل allowUntrustedSbi في الإنتاج).'],
      ['SYNTH_INVALID_OPTIONS', 'Test tooling only: invalid options for synthetic fingerprints. Fix the command line.', 'أدوات الاختبار فقط: خيارات بصمات اصطناعية غير صالحة. صحّح سطر الأمر.'],
    ],
  ],
  [
    'capture',
    [
      ['FINGER_DEVICE_UNAVAILABLE', 'The chosen fingerprint device is not configured or not open. Pick another or check it in Diagnostics.', 'جهاز البصمات المختار غير مضبوط أو غير مفتوح. اختر غيره أو افحصه في التشخيص.'],
      ['FINGER_CAPTURE_BUSY', 'A capture is already running. Wait or cancel it first.', 'التقاط آخر جارٍ. انتظر أو ألغه أولًا.'],
      ['FINGER_CAPTURE_FAILED', 'The device returned no image. Retry; replug the device if it repeats.', 'لم يُرجع الجهاز صورة. أعد المحاولة؛ أعد توصيل الجهاز إن تكرر.'],
      ['FINGER_ATTEMPTS_EXHAUSTED', 'All attempts used for this finger. Record an exception (with reason) or reset the finger.', 'استُنفدت المحاولات لهذا الإصبع. سجّل استثناءً (مع السبب) أو أعد ضبط الإصبع.'],
      ['FINGER_QUALITY_LOW', 'The print quality is too low. Clean the finger and glass, press flat, retry.', 'جودة البصمة منخفضة. نظّف الإصبع والزجاج واضغط مسطحًا وأعد المحاولة.'],
      ['FINGER_SEGMENT_UNEXPECTED', 'The device returned a finger that was not asked for. Retry the step with the right hand/fingers.', 'أعاد الجهاز إصبعًا غير مطلوب. أعد الخطوة باليد والأصابع الصحيحة.'],
      ['FINGER_STEP_UNSUPPORTED', 'This device cannot capture that step (e.g. slaps on a single-finger sensor). Use a suitable device.', 'هذا الجهاز لا يلتقط هذه الخطوة (مثل الكف على حساس إصبع واحد). استخدم جهازًا مناسبًا.'],
      ['FINGER_NOTHING_TO_CAPTURE', 'Every finger of this step is an exception; move to the next step.', 'كل أصابع هذه الخطوة استثناءات؛ انتقل إلى الخطوة التالية.'],
      ['FINGER_EXCEPTION_PHOTO_INVALID', 'The exception photo is not a usable JPEG. Retake it.', 'صورة الاستثناء ليست JPEG صالحة. أعد التقاطها.'],
      ['FINGER_ANALYSIS_FAILED', 'The fingerprint analysis failed for this image. Retake; report if it repeats.', 'فشل تحليل البصمة لهذه الصورة. أعد الالتقاط؛ أبلغ إن تكرر.'],
      ['FINGER_IMAGE_INVALID', 'The fingerprint image is unusable (size/format). Retake; check the device model in the config.', 'صورة البصمة غير صالحة (الحجم أو الصيغة). أعد الالتقاط؛ راجع طراز الجهاز في الإعداد.'],
      ['FINGER_TEMPLATE_INVALID', 'A fingerprint template is damaged. Recapture the finger.', 'قالب بصمة تالف. أعد التقاط الإصبع.'],
      ['FACE_NOT_FOUND', 'No face found in the image. Face the camera, good light, retake.', 'لم يُعثر على وجه في الصورة. واجه الكاميرا بإضاءة جيدة وأعد الالتقاط.'],
    ],
  ],
  [
    'models',
    [
      ['MODEL_MISSING', 'A face model file is missing. Reinstall the app (models ship with it) or run `npm run models` on a dev machine.', 'ملف نموذج وجه مفقود. أعد تثبيت التطبيق (النماذج ضمنه) أو شغّل `npm run models` على جهاز تطوير.'],
      ['MODEL_CORRUPT', 'A model file does not match its SHA-256 pin (damaged or replaced). Reinstall the app; report if it repeats.', 'ملف نموذج لا يطابق بصمة SHA-256 (تالف أو مستبدل). أعد تثبيت التطبيق؛ أبلغ إن تكرر.'],
      ['IMAGE_INVALID', 'The camera frame could not be decoded. Check the camera and its driver; choose another camera in Settings.', 'تعذر فك إطار الكاميرا. افحص الكاميرا وبرنامج تشغيلها؛ اختر كاميرا أخرى من الإعدادات.'],
      ['IMAGE_TOO_LARGE', 'The image is larger than allowed. Lower the camera resolution.', 'الصورة أكبر من المسموح. خفّض دقة الكاميرا.'],
      ['INFERENCE_FAILED', 'The face model failed to run. Restart the kiosk; run `kiosk doctor --full` (onnxruntime-node check).', 'فشل تشغيل نموذج الوجه. أعد التشغيل؛ شغّل `kiosk doctor --full` (فحص onnxruntime-node).'],
      ['DEDUP_INPUT_INVALID', 'Dedup got an invalid template/embedding. Recapture the biometric; report if it repeats.', 'تلقى كشف التكرار قالبًا أو تمثيلًا غير صالح. أعد الالتقاط؛ أبلغ إن تكرر.'],
      ['DEDUP_GALLERY_CORRUPT', 'The local dedup gallery is damaged. Run `kiosk dedup stats`; it is rebuilt from the store; call support if not.', 'معرض كشف التكرار المحلي تالف. شغّل `kiosk dedup stats`؛ يُعاد بناؤه من المخزن؛ اتصل بالدعم إن لم يحدث.'],
    ],
  ],
  [
    'formats',
    [
      ['WSQ_CORRUPT', 'A WSQ fingerprint file is damaged. Re-export it from its source.', 'ملف بصمة WSQ تالف. أعد تصديره من مصدره.'],
      ['WSQ_UNSUPPORTED', 'This WSQ variant or image size is not supported. Use standard 500 ppi WSQ.', 'هذا النوع من WSQ أو حجم الصورة غير مدعوم. استخدم WSQ قياسيًا بدقة 500 ppi.'],
      ['WSQ_INVALID_INPUT', 'The image given to the WSQ encoder is invalid (size/depth). Check the input image.', 'الصورة المعطاة لمرمّز WSQ غير صالحة (الحجم أو العمق). راجع الصورة.'],
      ['AN2K_CORRUPT', 'An ANSI/NIST file is damaged. Re-export it.', 'ملف ANSI/NIST تالف. أعد تصديره.'],
      ['AN2K_INVALID_INPUT', 'Invalid data for the ANSI/NIST transaction. Check the enrollment has the needed prints.', 'بيانات غير صالحة لمعاملة ANSI/NIST. تحقق من وجود البصمات اللازمة في التسجيل.'],
      ['ISO_RECORD_CORRUPT', 'An ISO biometric record is damaged. Re-export it.', 'سجل ISO حيوي تالف. أعد تصديره.'],
      ['ISO_RECORD_INVALID_INPUT', 'Invalid input for an ISO record (image/template). Check the source data.', 'مدخلات غير صالحة لسجل ISO (صورة أو قالب). راجع البيانات المصدر.'],
      ['CBEFF_CORRUPT', 'A CBEFF container is damaged. Re-export it.', 'حاوية CBEFF تالفة. أعد تصديرها.'],
      ['CBEFF_INVALID_INPUT', 'Invalid input for a CBEFF container. Check the source data.', 'مدخلات غير صالحة لحاوية CBEFF. راجع البيانات المصدر.'],
    ],
  ],
  [
    'sync',
    [
      ['NETWORK', 'The registry cannot be reached. Check the network/VPN; records wait safely and upload later.', 'تعذر الوصول إلى السجل المركزي. افحص الشبكة أو VPN؛ السجلات تنتظر بأمان وتُرفع لاحقًا.'],
      ['SYNC_NOT_REGISTERED', 'The kiosk is not registered with a registry. Provision it (`kiosk provision`).', 'الجهاز غير مسجل لدى سجل مركزي. جهّزه (`kiosk provision`).'],
      ['SYNC_UPLOAD_FAILED', 'An upload did not complete; it resumes automatically. If stuck for days, export diagnostics.', 'لم يكتمل رفع؛ يُستأنف تلقائيًا. إن علق أيامًا صدّر التشخيص.'],
      ['REGISTRY_RESPONSE_INVALID', 'A registry reply failed verification (wrong key or altered). Check the registry URL/fingerprint; possible interception.', 'رد السجل المركزي فشل التحقق (مفتاح خاطئ أو معدّل). راجع رابط السجل وبصمته؛ اعتراض محتمل.'],
      ['USB_EXPORT_INVALID', 'The USB transfer file was refused (wrong kiosk, altered or incomplete). Export it again.', 'رُفض ملف النقل عبر USB (جهاز خاطئ أو معدّل أو ناقص). صدّره مجددًا.'],
      ['PACKET_SIGNATURE_INVALID', 'A sealed packet signature is invalid (altered). Do not re-send it; report to security.', 'توقيع حزمة مختومة غير صالح (معدّلة). لا تُعد إرسالها؛ أبلغ الأمن.'],
      ['PACKET_PART_HASH_MISMATCH', 'A packet part does not match its hash (damaged). Re-export from the kiosk.', 'جزء من الحزمة لا يطابق بصمته (تالف). أعد التصدير من الجهاز.'],
      ['PACKET_DECRYPT_FAILED', 'The registry cannot decrypt the packet (sealed to another key). Check the registry key pinned on the kiosk.', 'لا يستطيع السجل فك الحزمة (مختومة لمفتاح آخر). راجع مفتاح السجل المثبت على الجهاز.'],
      ['PACKET_MALFORMED', 'The packet is not in the expected format (version mismatch or damage). Update the kiosk; report.', 'الحزمة ليست بالصيغة المتوقعة (اختلاف إصدار أو تلف). حدّث الجهاز؛ أبلغ.'],
    ],
  ],
  [
    'registry',
    [
      ['RATE_LIMITED', 'Too many requests from this kiosk or address; the kiosk retries by itself. If it persists, check for a stuck or cloned kiosk.', 'طلبات كثيرة من هذا الجهاز أو العنوان؛ يعيد الجهاز المحاولة تلقائيًا. إن استمر فابحث عن جهاز عالق أو مستنسخ.'],
      ['SIGNATURE_MISSING', 'The registry got an unsigned request. Update the kiosk software.', 'تلقى السجل طلبًا غير موقّع. حدّث برنامج الجهاز.'],
      ['SIGNATURE_INVALID', 'The registry rejected the kiosk signature (wrong key or clock). Check the clock; re-register if the key changed.', 'رفض السجل توقيع الجهاز (مفتاح أو ساعة خاطئة). افحص الساعة؛ أعد التسجيل إن تغيّر المفتاح.'],
      ['SIGNATURE_STALE', 'The request time is too far from the registry time. Fix the kiosk clock (NTP); it retries.', 'وقت الطلب بعيد عن وقت السجل. اضبط ساعة الجهاز (NTP)؛ سيعيد المحاولة.'],
      ['NONCE_REPLAYED', 'A request was replayed (retried automatically). Nothing to do unless it repeats.', 'أُعيد تشغيل طلب (يُعاد تلقائيًا). لا إجراء ما لم يتكرر.'],
      ['CONTENT_DIGEST_MISMATCH', 'The request body changed in transit. Check proxies on the network.', 'تغيّر محتوى الطلب أثناء النقل. افحص الوسطاء (proxy) في الشبكة.'],
      ['KIOSK_UNKNOWN', 'The registry does not know this kiosk. Re-provision it with a new enrollment token.', 'السجل لا يعرف هذا الجهاز. أعد تجهيزه برمز تسجيل جديد.'],
      ['KIOSK_REVOKED', 'This kiosk was revoked at the registry. Stop using it; contact the programme office.', 'أُلغي هذا الجهاز في السجل. أوقف استخدامه؛ تواصل مع مكتب البرنامج.'],
      ['TOKEN_INVALID', 'The one-time enrollment token is invalid. Ask the registry admin for a new one.', 'رمز التسجيل لمرة واحدة غير صالح. اطلب رمزًا جديدًا من مسؤول السجل.'],
      ['KIOSK_CONFLICT', 'Another kiosk already uses this kiosk id. Check the id in the config/token.', 'جهاز آخر يستخدم معرّف الجهاز نفسه. راجع المعرّف في الإعداد أو الرمز.'],
      ['PACKET_CONFLICT', 'The registry holds a different packet under this id. Export diagnostics and call support.', 'لدى السجل حزمة مختلفة بالمعرّف نفسه. صدّر التشخيص واتصل بالدعم.'],
      ['UPLOAD_NOT_FOUND', 'The registry lost the partial upload; the kiosk restarts it automatically.', 'فقد السجل الرفع الجزئي؛ يعيده الجهاز تلقائيًا.'],
      ['UPLOAD_OFFSET_MISMATCH', 'Upload position mismatch; the kiosk resumes from the right offset automatically.', 'عدم تطابق موضع الرفع؛ يستأنف الجهاز من الموضع الصحيح تلقائيًا.'],
      ['UPLOAD_INCOMPLETE', 'The upload ended early; it resumes automatically.', 'انتهى الرفع مبكرًا؛ يُستأنف تلقائيًا.'],
      ['UPLOAD_HASH_MISMATCH', 'The uploaded packet was damaged in transit; it is re-sent automatically. Check the network if it repeats.', 'تلفت الحزمة المرفوعة أثناء النقل؛ يُعاد إرسالها تلقائيًا. افحص الشبكة إن تكرر.'],
      ['UPLOAD_TOO_LARGE', 'The packet exceeds the registry limit. Report to support (capture settings may be too large).', 'الحزمة أكبر من حد السجل. أبلغ الدعم (قد تكون إعدادات الالتقاط كبيرة).'],
      ['EMBEDDING_INVALID', 'Registry side: a face embedding in a packet is invalid. Re-capture that enrollment if asked.', 'جهة السجل: تمثيل الوجه في الحزمة غير صالح. أعد التقاط ذلك التسجيل إن طُلب.'],
      ['KIOSK_ID_MISMATCH', 'Registry side: the packet names another kiosk than the one uploading. Check kiosk ids; possible misuse.', 'جهة السجل: الحزمة تسمي جهازًا غير الرافع. راجع معرّفات الأجهزة؛ إساءة استخدام محتملة.'],
      ['PACKET_ID_MISMATCH', 'Registry side: the packet id does not match its manifest. Report to support.', 'جهة السجل: معرّف الحزمة لا يطابق بيانها. أبلغ الدعم.'],
      ['RECORD_INVALID', 'Registry side: the enrollment record inside the packet is invalid. Report to support with the RID.', 'جهة السجل: سجل التسجيل داخل الحزمة غير صالح. أبلغ الدعم مع رقم التسجيل.'],
      ['SEALED_AT_INVALID', 'Registry side: the sealing time is implausible (kiosk clock). Fix the kiosk clock.', 'جهة السجل: وقت الختم غير معقول (ساعة الجهاز). اضبط ساعة الجهاز.'],
    ],
  ],
  [
    'provisioning',
    [
      ['PROVISION_REGISTRY_UNREACHABLE', 'The registry URL does not answer. Check the network, the URL and the firewall; or provision offline with a bundle.', 'رابط السجل لا يستجيب. افحص الشبكة والرابط والجدار الناري؛ أو جهّز دون اتصال بحزمة.'],
      ['PROVISION_REGISTRY_URL_INVALID', 'The registry URL is malformed. Use the https URL given by the registry admin.', 'رابط السجل غير صحيح الصيغة. استخدم رابط https من مسؤول السجل.'],
      ['PROVISION_TOKEN_EXPIRED', 'The enrollment token expired. Ask the registry admin for a new token.', 'انتهت صلاحية رمز التسجيل. اطلب رمزًا جديدًا من مسؤول السجل.'],
      ['PROVISION_TOKEN_USED', 'The token was already used (by this or another kiosk). Ask for a new token.', 'الرمز استُخدم مسبقًا (لهذا الجهاز أو غيره). اطلب رمزًا جديدًا.'],
      ['PROVISION_TOKEN_UNKNOWN', 'The registry does not know this token (typo or other registry). Re-type it or check the URL.', 'السجل لا يعرف هذا الرمز (خطأ كتابة أو سجل آخر). أعد كتابته أو راجع الرابط.'],
      ['PROVISION_TOKEN_WRONG_CENTRE', 'The token is for another centre. Use the token issued for this centre.', 'الرمز لمركز آخر. استخدم الرمز الصادر لهذا المركز.'],
      ['PROVISION_CLOCK_SKEW', 'The kiosk clock differs too much from the registry. Set date, time and time zone (NTP), then retry.', 'ساعة الجهاز تختلف كثيرًا عن السجل. اضبط التاريخ والوقت والمنطقة الزمنية (NTP) ثم أعد المحاولة.'],
      ['PROVISION_REGISTRY_KEY_MISMATCH', 'The registry key fingerprint differs from the expected one. Stop: wrong registry or interception. Verify the fingerprint with the admin.', 'بصمة مفتاح السجل تختلف عن المتوقعة. توقف: سجل خاطئ أو اعتراض. تحقق من البصمة مع المسؤول.'],
      ['PROVISION_KIOSK_CONFLICT', 'Another kiosk is registered under this id. Check the kiosk id.', 'جهاز آخر مسجل بهذا المعرّف. راجع معرّف الجهاز.'],
      ['PROVISION_KIOSK_REVOKED', 'This kiosk id was revoked at the registry. Contact the programme office.', 'أُلغي معرّف هذا الجهاز في السجل. تواصل مع مكتب البرنامج.'],
      ['PROVISION_REGISTRY_REFUSED', 'The registry refused the registration (reason in details). Fix what it names, or ask the admin.', 'رفض السجل التسجيل (السبب في التفاصيل). صحّح ما يذكره أو اسأل المسؤول.'],
      ['PROVISION_NOT_REGISTERED', 'The provisioning file names neither a registry nor a bundle and the kiosk is not registered. Add one of them.', 'ملف التجهيز لا يذكر سجلًا ولا حزمة والجهاز غير مسجل. أضف أحدهما.'],
      ['PROVISION_DOWNLOAD_MISSING', 'A required download (config, master data, operators, gallery) is missing. Retry; check the registry has it.', 'تنزيل مطلوب (إعداد، بيانات مرجعية، مشغّلون، معرض) مفقود. أعد المحاولة؛ تحقق من توفره في السجل.'],
      ['PROVISION_DOWNLOAD_INVALID', 'A download is not signed by the registry or is damaged. Retry; if it repeats, possible interception.', 'تنزيل غير موقّع من السجل أو تالف. أعد المحاولة؛ إن تكرر فهناك اعتراض محتمل.'],
      ['PROVISION_STATION_UNKNOWN', 'The centre/station is not in the master data. Pick one from the list or update master data.', 'المركز أو المحطة غير موجودة في البيانات المرجعية. اختر من القائمة أو حدّث البيانات.'],
      ['PROVISION_DEVICE_TEST_FAILED', 'The device test capture failed (reason in details). Check cable, port and device type; retest.', 'فشل التقاط اختبار الجهاز (السبب في التفاصيل). افحص الكابل والمنفذ والنوع؛ أعد الاختبار.'],
      ['PROVISION_CAMERA_TEST_FAILED', 'The camera test failed. Check the camera connection and permissions; choose another camera.', 'فشل اختبار الكاميرا. افحص توصيلها وصلاحياتها؛ اختر كاميرا أخرى.'],
      ['PROVISION_MODELS_INVALID', 'Model files fail their pins. Reinstall the app.', 'ملفات النماذج لا تطابق بصماتها. أعد تثبيت التطبيق.'],
      ['PROVISION_CHECKLIST_INCOMPLETE', 'The final checklist is not all green. Fix each red item or waive it with a reason (audited).', 'القائمة النهائية ليست كلها خضراء. أصلح كل بند أحمر أو تنازل عنه مع سبب (يُدقَّق).'],
      ['PROVISION_WAIVER_REFUSED', 'That item cannot be waived, or the reason is missing. Fix the item instead.', 'لا يمكن التنازل عن هذا البند أو السبب مفقود. أصلح البند بدلًا من ذلك.'],
      ['PROVISION_BUNDLE_INVALID', 'The folder is not a provisioning bundle. Point `kiosk provision --bundle DIR` at the bundle folder from `registry admin make-bundle`.', 'المجلد ليس حزمة تجهيز. وجّه `kiosk provision --bundle DIR` إلى مجلد الحزمة الناتج من `registry admin make-bundle`.'],
      ['PROVISION_BUNDLE_TAMPERED', 'The bundle signature or a file hash fails: it was altered. Get a fresh bundle from the registry; report it.', 'توقيع الحزمة أو بصمة ملف فيها فشل: عُدّلت. احصل على حزمة جديدة من السجل؛ أبلغ.'],
      ['PROVISION_BUNDLE_WRONG_KIOSK', 'The bundle was made for another kiosk/centre. Use the bundle made for this kiosk id.', 'الحزمة مصنوعة لجهاز أو مركز آخر. استخدم حزمة هذا الجهاز.'],
      ['PROVISION_FILE_INVALID', 'The provisioning config file is not valid JSON or has bad fields (named). Fix it.', 'ملف إعداد التجهيز ليس JSON صالحًا أو فيه حقول خاطئة (مسمّاة). صحّحه.'],
      ['PROVISION_IN_SERVICE', 'The kiosk is already in service. Factory-reset it first to provision again.', 'الجهاز في الخدمة بالفعل. أعد ضبط المصنع أولًا لتجهيزه مجددًا.'],
      ['PROVISION_STATE_CORRUPT', 'The provisioning progress file is damaged (kept as is). Restart provisioning; send diagnostics if it repeats.', 'ملف تقدم التجهيز تالف (تُرك كما هو). أعد التجهيز؛ أرسل التشخيص إن تكرر.'],
    ],
  ],
  [
    'diagnostics',
    [
      ['DIAGNOSTICS_EXPORT_FAILED', 'The bundle could not be written. Check the USB drive is mounted, writable and has space.', 'تعذرت كتابة الحزمة. تحقق من تركيب ذاكرة USB وقابليتها للكتابة ومساحتها.'],
      ['FACTORY_RESET_CONFIRMATION', 'Type this kiosk id exactly (shown on the status bar) to confirm a factory reset.', 'اكتب معرّف هذا الجهاز حرفيًا (في شريط الحالة) لتأكيد إعادة ضبط المصنع.'],
    ],
  ],
  [
    'update',
    [
      ['UPDATE_MANIFEST_INVALID', 'The update manifest is malformed (or a captive portal answered). Check the update URL.', 'بيان التحديث غير صالح (أو أجابت بوابة شبكة). راجع رابط التحديث.'],
      ['UPDATE_SIGNATURE_INVALID', 'The update is not signed by this kiosk release key: refused. Do not install it; report it.', 'التحديث غير موقّع بمفتاح إصدار هذا الجهاز: رُفض. لا تثبّته؛ أبلغ عنه.'],
      ['UPDATE_DOWNGRADE', 'The offered version is older than the installed one: refused. Publish a newer version instead.', 'الإصدار المعروض أقدم من المثبت: رُفض. انشر إصدارًا أحدث بدلًا منه.'],
      ['UPDATE_HASH_MISMATCH', 'The downloaded installer does not match the signed manifest (discarded). Retry; if it repeats, the server or network alters files.', 'المثبّت المنزّل لا يطابق البيان الموقّع (حُذف). أعد المحاولة؛ إن تكرر فالخادم أو الشبكة تغيّر الملفات.'],
      ['UPDATE_KEY_INVALID', 'The release key file is not an Ed25519 PEM key. Reinstall, or pass the right key with --key.', 'ملف مفتاح الإصدار ليس مفتاح Ed25519 بصيغة PEM. أعد التثبيت أو مرّر المفتاح الصحيح بـ --key.'],
      ['UPDATE_DOWNLOAD_FAILED', 'The update server is unreachable or answered an error. Check the URL and network; retry later.', 'خادم التحديث لا يستجيب أو أجاب بخطأ. راجع الرابط والشبكة؛ أعد لاحقًا.'],
      ['UPDATE_NO_FILE', 'The release has no installer for this platform/type. Choose --kind or ask for the right build.', 'الإصدار بلا مثبّت لهذه المنصة أو النوع. اختر --kind أو اطلب البناء المناسب.'],
    ],
  ],
];

export const TROUBLESHOOTING: readonly TroubleshootingEntry[] = AREAS.flatMap(([area, rows]) => rows.map(([code, en, ar]) => ({ code, area, en, ar })));

export function explain(code: string): TroubleshootingEntry | undefined {
  return TROUBLESHOOTING.find((e) => e.code === code);
}

const escapeCell = (s: string) => s.replace(/\|/g, '\\|');

/** The markdown table of the deployment guide (generated; do not edit the docs' copy by hand). */
export function troubleshootingTable(lang: 'en' | 'ar'): string {
  const head = lang === 'en' ? '| code | area | what to do |\n| --- | --- | --- |' : '| الرمز | المجال | ما العمل |\n| --- | --- | --- |';
  return [head, ...TROUBLESHOOTING.map((e) => `| \`${e.code}\` | ${e.area} | ${escapeCell(e[lang])} |`)].join('\n') + '\n';
}
