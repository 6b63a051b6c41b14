// Channels of the enrollment workflow (issue 8). The workflow state machine lives in main (main/workflow); the UI only
// renders the WorkflowView it returns and sends the clerk's actions. Every action answers with the new view, so the
// screen never computes what is allowed: `actions` lists what may be done now, `steps` what may be navigated to.
//
// Messages are keys + params (the UI translates them): field errors and blockers use the `workflow.*` keys listed in
// WORKFLOW_MESSAGE_KEYS. Wire binary data is base64 (as in the enrollment channels).
import { z } from 'zod';
import { enrollmentStatusSchema } from './enrollment.js';

const ulid = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'ULID');
const isoTime = z.string().datetime();
const fingerPosition = z.number().int().min(1).max(10);
const operatorId = z.string().regex(/^[a-z0-9][a-z0-9._-]{1,31}$/);
const pin = z.string().regex(/^\d{4,8}$/);
const reason = z.string().trim().min(3).max(500);

/** A supervisor's own credentials, entered on the clerk's screen (verified in main, counted toward lockout). */
export const supervisorCredentialsSchema = z.object({ operatorId, pin }).strict();

/** The wizard's steps, in order. */
export const WORKFLOW_STEPS = ['consent', 'demographics', 'face', 'fingers', 'dedup', 'review', 'approval', 'receipt'] as const;
export const workflowStepSchema = z.enum(WORKFLOW_STEPS);
export type WorkflowStep = z.infer<typeof workflowStepSchema>;

/** What the clerk or a supervisor may do now (the UI enables exactly these controls). */
export const WORKFLOW_ACTIONS = [
  'consent.submit',
  'demographics.save',
  'demographics.submit',
  'face.bind',
  'face.override',
  'face.exception',
  'fingers.bind',
  'dedup.run',
  'dedup.adjudicate',
  'review.confirm',
  'approval.approve',
  'approval.reject',
  'receipt.get',
  'goTo',
  'abandon',
] as const;
export const workflowActionSchema = z.enum(WORKFLOW_ACTIONS);
export type WorkflowAction = z.infer<typeof workflowActionSchema>;

export const consentMethodSchema = z.enum(['signed_paper', 'verbal', 'thumbprint']);
export const languageSchema = z.enum(['ar', 'en']);

/** A translatable message: `key` is an i18n key (WORKFLOW_MESSAGE_KEYS), `params` its interpolation values. */
export const messageSchema = z.object({ key: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])).default({}) });
export type WorkflowMessage = z.infer<typeof messageSchema>;
/** A field error: `field` is the ID-schema field name (or `consent`, `face`, `finger.<n>`, …). */
export const fieldErrorSchema = messageSchema.extend({ field: z.string() });
export type FieldError = z.infer<typeof fieldErrorSchema>;

/** Every message key main may return (the renderer's `workflow` i18n area must define them all, ar + en). */
export const WORKFLOW_MESSAGE_KEYS = [
  // field errors (params in comments)
  'workflow.field.required',
  'workflow.field.tooShort', // {min}
  'workflow.field.tooLong', // {max, length}
  'workflow.field.noDigits',
  'workflow.field.arabicOnly',
  'workflow.field.latinOnly',
  'workflow.field.pattern',
  'workflow.field.digitsOnly',
  'workflow.field.length', // {min, max}
  'workflow.field.notAllowed', // {values}
  'workflow.field.unknown', // {field}
  'workflow.date.invalid',
  'workflow.date.future',
  'workflow.date.tooOld', // {minYear}
  'workflow.phone.invalid',
  'workflow.location.unknown', // {level}
  'workflow.location.notInParent', // {level}
  'workflow.nn.length', // {length}
  'workflow.nn.century', // {digit}
  'workflow.nn.date', // {date}
  'workflow.nn.governorate', // {code}
  'workflow.nn.checkDigit', // {} (the expected digit is not revealed)
  'workflow.nn.mismatchDateOfBirth', // {fromNumber, fromForm}
  'workflow.nn.mismatchSex', // {fromNumber, fromForm}  (M | F)
  'workflow.nn.mismatchGovernorate', // {fromNumber, fromForm}  (warning only)
  // blockers (why the current step cannot be completed)
  'workflow.block.consentMissing',
  'workflow.block.consentVersionOutdated', // {version}
  'workflow.block.demographicsInvalid', // {count}
  'workflow.block.faceMissing',
  'workflow.block.faceChecksFailed', // {checks}
  'workflow.block.facePadSuspected',
  'workflow.block.fingersMissing', // {positions}
  'workflow.block.fingerSequence', // {positions}
  'workflow.block.fingerCaptureUnavailable',
  'workflow.block.dedupNotRun',
  'workflow.block.dedupUnavailable',
  'workflow.block.possibleDuplicate', // {count}
  'workflow.block.operatorMatch', // {operatorId}
  'workflow.block.awaitingApproval',
  'workflow.block.rejected', // {reason}
  // notices
  'workflow.notice.operatorMatch', // {operatorId}
  'workflow.notice.faceOverride', // {supervisorId}
  'workflow.notice.adjudicatedNotDuplicate', // {supervisorId}
  'workflow.notice.sealPending',
  'workflow.notice.receiptArabicFallback',
] as const;

/** One field of the demographics form, generated from the ID schema (main/enrollment/id-schema.ts). */
export const formFieldSchema = z.object({
  name: z.string(),
  type: z.enum(['text', 'date', 'enum', 'digits', 'phone', 'location']),
  required: z.boolean(),
  /** i18n key of the label: `workflow.form.<name>`. */
  labelKey: z.string(),
  group: z.enum(['name', 'birth', 'identity', 'contact', 'address']),
  script: z.enum(['arabic', 'latin', 'any']).optional(),
  minLength: z.number().int().optional(),
  maxLength: z.number().int().optional(),
  /** enum: allowed values; their labels are `workflow.form.<name>.<value>`. */
  values: z.array(z.string()).optional(),
  /** digits: the national-number rule set that validates it (e.g. `EG`). */
  nationalNumberRule: z.string().optional(),
  /** location pickers: the level and the field holding the parent level's code. */
  location: z.object({ level: z.enum(['governorate', 'district', 'locality']), parentField: z.string().nullable() }).optional(),
  /** text (Latin): the Arabic field a transliteration is suggested from. */
  transliterateFrom: z.string().optional(),
  /** date: the earliest year allowed and whether future dates are refused. */
  minYear: z.number().int().optional(),
  past: z.boolean().optional(),
  inputMode: z.enum(['text', 'numeric', 'tel', 'date']),
});
export type FormField = z.infer<typeof formFieldSchema>;

export const consentTextSchema = z.object({ language: languageSchema, version: z.string(), title: z.string(), body: z.string() });

export const formDefinitionSchema = z.object({
  idSchema: z.object({ id: z.string(), version: z.number().int() }),
  fields: z.array(formFieldSchema),
  consent: z.object({ texts: z.array(consentTextSchema), methods: z.array(consentMethodSchema) }),
  /** Configured finger capture order (positions) and the max attempts per finger. */
  fingers: z.object({ positions: z.array(fingerPosition), maxAttempts: z.number().int() }),
  steps: z.array(workflowStepSchema),
});
export type FormDefinition = z.infer<typeof formDefinitionSchema>;

export const locationItemSchema = z.object({ code: z.string(), nameAr: z.string(), nameEn: z.string() });
export type LocationItem = z.infer<typeof locationItemSchema>;

/** Derived from what was typed: age from the date of birth and what the national number encodes. */
export const derivedSchema = z.object({
  age: z.number().int().nullable(),
  nationalNumber: z
    .object({ rule: z.string(), dateOfBirth: z.string(), sex: z.enum(['M', 'F']), governorate: z.string(), governorateName: locationItemSchema.nullable() })
    .nullable(),
});

export const demographicsCheckSchema = z.object({
  /** Digits normalised (Arabic-Indic → ASCII), whitespace trimmed. What would be saved. */
  values: z.record(z.string(), z.string()),
  errors: z.array(fieldErrorSchema),
  /** Non-blocking notices (e.g. governorate of birth differs from the address governorate). */
  warnings: z.array(fieldErrorSchema),
  derived: derivedSchema,
  /** Latin transliteration suggested for each Latin name field whose Arabic twin is filled. */
  suggestions: z.record(z.string(), z.string()),
});
export type DemographicsCheck = z.infer<typeof demographicsCheckSchema>;

const faceReportSummarySchema = z.object({
  pass: z.boolean(),
  unifiedScore: z.number(),
  /** Names of the failed measures (keys of the face report's `measures`). */
  failed: z.array(z.string()),
  /** Guidance message keys of the failed measures. */
  messages: z.array(z.string()),
});

export const dedupCandidateViewSchema = z.object({
  id: z.string(),
  source: z.enum(['local', 'regional', 'operator']),
  decision: z.enum(['no_match', 'possible_duplicate', 'duplicate']),
  llr: z.number(),
  faceScore: z.number().nullable(),
  matchedFingers: z.array(fingerPosition),
  fingerScores: z.array(z.object({ position: fingerPosition, score: z.number().nullable(), matched: z.boolean() })),
  /** What the store still holds about the candidate (sealed records keep no photo or name on the kiosk). */
  rid: z.string().nullable(),
  status: enrollmentStatusSchema.nullable(),
  photoBase64: z.string().nullable(),
  displayName: z.object({ ar: z.string().nullable(), latin: z.string().nullable() }).nullable(),
  /** Date of birth and national number of the existing person, where this kiosk still holds them (issue 17). */
  dateOfBirth: z.string().nullable().optional(),
  nationalNumber: z.string().nullable().optional(),
  /** Clerk who captured the existing record, and when it was enrolled (records of this kiosk). */
  capturedBy: z.string().nullable().optional(),
  enrolledAt: isoTime.nullable().optional(),
  /**
   * Where the shown details come from: `record` (the record itself, not sealed yet), `receipt` (sealed: the encrypted
   * receipt kept for reprints), `registry` (a regional entry: the registry sends its RID and face embedding only),
   * `none` (nothing held any more).
   */
  detailsFrom: z.enum(['record', 'receipt', 'registry', 'none']).optional(),
});
export type DedupCandidateView = z.infer<typeof dedupCandidateViewSchema>;

export const stepStateSchema = z.object({
  step: workflowStepSchema,
  state: z.enum(['done', 'current', 'pending', 'blocked']),
  /** True when `kiosk:workflow.goTo` may move to this step now (any earlier step while the record is a draft). */
  canGoTo: z.boolean(),
});

export const workflowViewSchema = z.object({
  id: z.string(),
  rid: z.string(),
  status: enrollmentStatusSchema,
  rev: z.number().int(),
  step: workflowStepSchema,
  steps: z.array(stepStateSchema),
  actions: z.array(workflowActionSchema),
  /** Field errors of the current step (demographics: per field). */
  errors: z.array(fieldErrorSchema),
  /** Why the current step cannot be completed yet. */
  blockers: z.array(messageSchema),
  notices: z.array(messageSchema),
  operatorId: z.string(),
  createdAt: isoTime,
  updatedAt: isoTime,
  consent: z.object({ language: languageSchema, textVersion: z.string(), method: consentMethodSchema, acceptedAt: isoTime }).nullable(),
  demographics: z.object({ values: z.record(z.string(), z.string()), derived: derivedSchema, suggestions: z.record(z.string(), z.string()), warnings: z.array(fieldErrorSchema) }),
  face: z
    .object({
      /** Token JPEG (ICAO crop) when a face is bound. */
      imageBase64: z.string().nullable(),
      capturedAt: isoTime.nullable(),
      report: faceReportSummarySchema.nullable(),
      pad: z.object({ decision: z.enum(['bona_fide', 'attack_suspected']), score: z.number() }).nullable(),
      override: z.object({ supervisorId: z.string(), reason: z.string(), checks: z.array(z.string()), at: isoTime }).nullable(),
      exception: z.object({ kind: z.enum(['missing', 'amputated', 'bandaged', 'unable']), reason: z.string() }).nullable(),
    })
    .nullable(),
  fingers: z.object({
    captured: z.array(z.object({ position: fingerPosition, quality: z.number(), attempts: z.number().int() })),
    exceptions: z.array(
      z.object({
        position: fingerPosition,
        kind: z.enum(['missing', 'amputated', 'bandaged', 'unable']),
        reason: z.string(),
        hasPhoto: z.boolean(),
        /** The exception photo (JPEG) while the record is held unsealed — the supervisor sees what was excepted. */
        photoBase64: z.string().nullable().optional(),
      }),
    ),
    missing: z.array(fingerPosition),
    sequenceCheck: z.object({ passed: z.boolean(), problems: z.array(z.object({ position: fingerPosition, messageKey: z.string() })) }).nullable(),
  }),
  dedup: z.object({
    state: z.enum(['not_run', 'unavailable', 'clear', 'possible_duplicate', 'duplicate', 'adjudicated']),
    ranAt: isoTime.nullable(),
    searched: z.number().int(),
    candidates: z.array(dedupCandidateViewSchema),
    operatorMatch: z.object({ operatorId: z.string(), signedIn: z.boolean(), decision: z.enum(['no_match', 'possible_duplicate', 'duplicate']), llr: z.number() }).nullable(),
    adjudication: z.object({ decision: z.enum(['not_duplicate', 'duplicate']), reason: z.string(), supervisorId: z.string(), at: isoTime }).nullable(),
  }),
  approval: z.object({ decision: z.enum(['approved', 'rejected']), supervisorId: z.string(), reason: z.string().nullable(), at: isoTime }).nullable(),
  /** True once a receipt PDF exists for this record (`kiosk:workflow.receipt`). */
  receiptAvailable: z.boolean(),
  /** Household member (issue 19): `child` = under the configured age (no fingerprints, face optional: `skip`). */
  capturePolicy: z.object({ child: z.boolean(), childAgeYears: z.number().int() }).nullable().optional(),
});
export type WorkflowView = z.infer<typeof workflowViewSchema>;

export const historyItemSchema = z.object({
  id: z.string(),
  rid: z.string(),
  status: enrollmentStatusSchema,
  step: workflowStepSchema,
  createdAt: isoTime,
  updatedAt: isoTime,
  operatorId: z.string(),
  supervisorId: z.string().nullable(),
  /** Null once sealed (the kiosk keeps no names after sealing). */
  displayName: z.object({ ar: z.string().nullable(), latin: z.string().nullable() }).nullable(),
  receiptAvailable: z.boolean(),
  /** Queue flags. */
  flags: z.object({ operatorMatch: z.boolean(), faceOverride: z.boolean(), exceptions: z.number().int(), possibleDuplicate: z.boolean() }),
});
export type HistoryItem = z.infer<typeof historyItemSchema>;

export const receiptViewSchema = z.object({
  id: z.string(),
  rid: z.string(),
  /** The signed receipt data (canonical JSON over which `signatureBase64` is the kiosk's Ed25519 signature). */
  data: z.object({
    rid: z.string(),
    nameAr: z.string().nullable(),
    nameLatin: z.string().nullable(),
    enrolledAt: isoTime,
    approvedAt: isoTime,
    centreId: z.string(),
    kioskId: z.string(),
    photoSha256: z.string().nullable(),
  }),
  signatureBase64: z.string(),
  kioskPublicKeyFingerprint: z.string(),
  /** Base64 PNG of the QR code of the RID (for an HTML/print preview). */
  qrPngBase64: z.string(),
  photoJpegBase64: z.string().nullable(),
  pdfBase64: z.string(),
  /** False when the PDF carries the Latin name only (no Arabic shaping available in the PDF writer; see docs/WORKFLOW.md). */
  pdfHasArabic: z.boolean(),
  /** What happens next and whom to ask (config `receipt`), in the requested language; the kiosk's time zone. */
  info: z.object({ nextSteps: z.string(), contact: z.string(), contactPhone: z.string().nullable(), centre: z.string(), timeZone: z.string() }).optional(),
});
export type ReceiptView = z.infer<typeof receiptViewSchema>;

const byId = z.object({ id: ulid }).strict();

export const workflowChannels = {
  /** Any signed-in staff: the demographics form generated from the ID schema, consent texts (per language, with version), finger order. */
  'kiosk:workflow.formDefinition': { request: z.object({}).strict(), response: formDefinitionSchema },
  /** Master data for the location pickers: governorates (no parent), districts of a governorate, localities of a district. */
  'kiosk:workflow.locations': {
    request: z.object({ level: z.enum(['governorate', 'district', 'locality']), parent: z.string().max(16).optional() }).strict(),
    response: z.object({ level: z.enum(['governorate', 'district', 'locality']), items: z.array(locationItemSchema), version: z.string(), source: z.enum(['bundled', 'registry']) }),
  },
  /** Arabic → Latin transliteration suggestion (the clerk may edit it). */
  'kiosk:workflow.transliterate': { request: z.object({ arabic: z.string().max(200) }).strict(), response: z.object({ latin: z.string() }) },
  /** Validates a demographics form without saving (live inline errors; digits may be Arabic-Indic). */
  'kiosk:workflow.checkDemographics': { request: z.object({ values: z.record(z.string().max(64), z.string().max(500)) }).strict(), response: demographicsCheckSchema },

  /** Clerk or supervisor: a new draft at step `consent`. */
  'kiosk:workflow.start': { request: z.object({}).strict(), response: workflowViewSchema },
  /** The current view of an enrollment (resumes a draft at its persisted step after a restart). */
  'kiosk:workflow.get': { request: byId, response: workflowViewSchema },
  /** Drafts that can be resumed (newest first). */
  'kiosk:workflow.drafts': { request: z.object({ limit: z.number().int().min(1).max(200).optional() }).strict(), response: z.object({ items: z.array(historyItemSchema) }) },
  /** Moves back to any earlier step (or forward to a step already reached). Editing an earlier step invalidates later checks (dedup re-runs). */
  'kiosk:workflow.goTo': { request: z.object({ id: ulid, step: workflowStepSchema }).strict(), response: workflowViewSchema },
  /** Records consent (text version of the chosen language + method) and moves to demographics. */
  'kiosk:workflow.consent': {
    request: z.object({ id: ulid, language: languageSchema, textVersion: z.string().min(1).max(40), method: consentMethodSchema }).strict(),
    response: workflowViewSchema,
  },
  /**
   * Saves the demographics form (valid and invalid values alike are kept in the draft, so nothing typed is lost).
   * `submit: true` moves to the face step when there are no errors; otherwise the view carries the errors.
   */
  'kiosk:workflow.demographics': {
    request: z.object({ id: ulid, values: z.record(z.string().max(64), z.string().max(500)), submit: z.boolean().default(false) }).strict(),
    response: workflowViewSchema,
  },
  /**
   * Binds this connection's last `kiosk:face.capture` result (token image, embedding, quality report, PAD) to the draft.
   * When a check fails, `override` (supervisor credentials + reason) accepts it anyway; without one the view is blocked.
   */
  'kiosk:workflow.face': {
    request: z.object({ id: ulid, override: z.object({ supervisor: supervisorCredentialsSchema, reason }).strict().optional(), skip: z.literal(true).optional() }).strict(),
    response: workflowViewSchema,
  },
  /** The person cannot give a face image at all (supervisor approves the exception). */
  'kiosk:workflow.faceException': {
    request: z.object({ id: ulid, kind: z.enum(['unable', 'missing']), reason, supervisor: supervisorCredentialsSchema }).strict(),
    response: workflowViewSchema,
  },
  /**
   * Binds the finger capture session of this enrollment (main/capture: best attempt per finger, exceptions with photos,
   * sequence check) to the draft. Moves to dedup when all ten positions are captured or excepted; dedup then runs.
   */
  /** Binds the capture session to the draft and leaves the step. `save`: only stores what was captured so far (after
   * each finger, so a crash loses none), without leaving the step. */
  'kiosk:workflow.fingers': { request: z.object({ id: ulid, save: z.literal(true).optional() }).strict(), response: workflowViewSchema },
  /** Runs (or re-runs) the duplicate search. Also runs automatically when the fingers step completes. */
  'kiosk:workflow.dedup': { request: byId, response: workflowViewSchema },
  /** Supervisor: decides a possible duplicate (audited). `duplicate` abandons this enrollment; `not_duplicate` lets it continue. */
  'kiosk:workflow.adjudicate': {
    request: z.object({ id: ulid, supervisor: supervisorCredentialsSchema, decision: z.enum(['not_duplicate', 'duplicate']), reason }).strict(),
    response: workflowViewSchema,
  },
  /** Clerk confirms the review: the draft is completed (captured) and submitted for approval. */
  'kiosk:workflow.confirm': { request: byId, response: workflowViewSchema },
  /** Supervisor approves (own id + PIN on the same screen or from the queue); the receipt is generated and the record sealed. */
  'kiosk:workflow.approve': { request: z.object({ id: ulid, supervisor: supervisorCredentialsSchema }).strict(), response: workflowViewSchema },
  /** Supervisor rejects with a reason (audited); the clerk may reopen the rejected record as a draft via goTo. */
  'kiosk:workflow.reject': { request: z.object({ id: ulid, supervisor: supervisorCredentialsSchema, reason }).strict(), response: workflowViewSchema },
  /** Abandons a draft (purged; reason audited). */
  'kiosk:workflow.abandon': { request: z.object({ id: ulid, reason }).strict(), response: z.object({ id: z.string(), status: enrollmentStatusSchema }) },
  /** Supervisor: enrollments waiting for approval. */
  'kiosk:workflow.approvalQueue': { request: z.object({}).strict(), response: z.object({ items: z.array(historyItemSchema) }) },
  /** Supervisor: drafts blocked on a possible duplicate. */
  'kiosk:workflow.adjudicationQueue': { request: z.object({}).strict(), response: z.object({ items: z.array(historyItemSchema) }) },
  /** This kiosk's enrollments, newest first; by RID or by national number (blind index; only what the store still holds). */
  'kiosk:workflow.history': {
    request: z
      .object({
        rid: z.string().max(64).optional(),
        nationalNumber: z.string().max(32).optional(),
        statuses: z.array(enrollmentStatusSchema).optional(),
        limit: z.number().int().min(1).max(200).optional(),
        offset: z.number().int().min(0).optional(),
      })
      .strict(),
    response: z.object({ items: z.array(historyItemSchema) }),
  },
  /** The signed receipt (PDF base64 + its data) of an approved enrollment; reprint from history (audited). */
  /** `language`: the PDF written in that language (the signed data is the same); default: the one written at approval. */
  'kiosk:workflow.receipt': { request: z.object({ id: ulid, language: z.enum(['ar', 'en']).optional() }).strict(), response: receiptViewSchema },
} as const;

/**
 * Events of the workflow: an enrollment changed in the store (any connection: a supervisor deciding on another
 * screen, sealing, a purge). Only the id crosses; screens that show it fetch the new view.
 */
export const workflowEvents = {
  'kiosk:event.enrollment-changed': z.object({ id: z.string() }),
} as const;
