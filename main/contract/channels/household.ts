// Channels of household enrollment (issue 19): a household (address, geolocation, dwelling) with its members, each
// an enrollment run through the enrollment wizard, and the household's socio-economic questionnaire (configured, not
// coded: sync/questionnaire). Main evaluates the answers (relevance, calculations, constraints, repeats) on every
// save and returns what to show; the screen never decides what is relevant or valid.
import { z } from 'zod';
import { enrollmentStatusSchema } from './enrollment.js';
import { supervisorCredentialsSchema, workflowStepSchema } from './workflow.js';

const ulid = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'ULID');
const isoTime = z.string().datetime();

export const RELATIONSHIPS = ['head', 'spouse', 'child', 'parent', 'other'] as const;
export const relationshipSchema = z.enum(RELATIONSHIPS);
/** Members added after the head (the head comes with the household). */
export const memberRelationshipSchema = z.enum(['spouse', 'child', 'parent', 'other']);

export const householdDetailsInputSchema = z
  .object({
    address: z
      .object({
        governorate: z.string().trim().min(1).max(64),
        district: z.string().trim().min(1).max(128),
        village: z.string().trim().max(128).optional(),
        street: z.string().trim().max(256).optional(),
        landmark: z.string().trim().max(256).optional(),
      })
      .strict(),
    geolocation: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180), accuracy: z.number().min(0).max(10_000).optional() }).strict().optional(),
    dwelling: z.object({ type: z.string().trim().min(1).max(64), tenure: z.string().trim().max(64).optional(), rooms: z.number().int().min(0).max(100).optional() }).strict(),
  })
  .strict();
export type HouseholdDetailsInput = z.infer<typeof householdDetailsInputSchema>;

/** The household wizard's steps, in order. */
export const HOUSEHOLD_STEPS = ['details', 'members', 'questionnaire', 'summary'] as const;
export const householdStepSchema = z.enum(HOUSEHOLD_STEPS);
export type HouseholdStep = z.infer<typeof householdStepSchema>;

const label = z.object({ ar: z.string(), en: z.string() });

// The questionnaire definition as the screen renders it (sync/questionnaire/definition.ts validates it in main).
export interface QuestionnaireItemView {
  kind: 'question' | 'note' | 'calculate' | 'group' | 'repeat';
  name: string;
  type?: 'text' | 'integer' | 'decimal' | 'date' | 'select_one' | 'select_multiple' | 'geopoint' | 'photo' | undefined;
  label?: { ar: string; en: string } | undefined;
  hint?: { ar: string; en: string } | undefined;
  choices?: string | undefined;
  required?: boolean | string | undefined;
  readonly?: boolean | undefined;
  count?: string | undefined;
  items?: QuestionnaireItemView[] | undefined;
}
export const questionnaireItemViewSchema: z.ZodType<QuestionnaireItemView> = z.lazy(() =>
  z.object({
    kind: z.enum(['question', 'note', 'calculate', 'group', 'repeat']),
    name: z.string(),
    type: z.enum(['text', 'integer', 'decimal', 'date', 'select_one', 'select_multiple', 'geopoint', 'photo']).optional(),
    label: label.optional(),
    hint: label.optional(),
    choices: z.string().optional(),
    required: z.union([z.boolean(), z.string()]).optional(),
    readonly: z.boolean().optional(),
    count: z.string().optional(),
    items: z.array(questionnaireItemViewSchema).optional(),
  }),
);

export const questionnaireViewSchema = z.object({
  id: z.string(),
  version: z.string(),
  title: label,
  items: z.array(questionnaireItemViewSchema),
  choiceLists: z.record(z.string(), z.array(z.object({ name: z.string(), label }))),
  hasPmt: z.boolean(),
});
export type QuestionnaireView = z.infer<typeof questionnaireViewSchema>;

/** Answers (sync/questionnaire/answers.ts): scalars, choice lists, GPS points, photo references, repeat instances. */
export type AnswerValueView = string | number | string[] | { lat: number; lon: number; alt?: number; accuracy?: number } | { ref: string; sha256: string } | null;
export interface AnswersView {
  [name: string]: AnswerValueView | AnswersView[];
}
const answerValueSchema = z.union([
  z.string().max(10_000),
  z.number().finite(),
  z.array(z.string().max(64)).max(200),
  z.object({ lat: z.number(), lon: z.number(), alt: z.number().optional(), accuracy: z.number().optional() }).strict(),
  z.object({ ref: z.string().min(1).max(128), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
  z.null(),
]);
export const answersViewSchema: z.ZodType<AnswersView> = z.lazy(() => z.record(z.string().max(64), z.union([answerValueSchema, z.array(answersViewSchema).max(500)])));

export const answerIssueSchema = z.object({
  path: z.string(),
  question: z.string(),
  code: z.enum(['REQUIRED', 'CONSTRAINT', 'INVALID_ANSWER', 'REPEAT_COUNT', 'UNKNOWN_ANSWER']),
  message: label,
  /** REPEAT_COUNT: the number of instances the repeat's count asks for (the screen adds or removes them). */
  expected: z.number().int().optional(),
});
export type AnswerIssueView = z.infer<typeof answerIssueSchema>;

export const householdMemberViewSchema = z.object({
  enrollmentId: z.string(),
  relationship: relationshipSchema,
  rid: z.string().nullable(),
  status: enrollmentStatusSchema.nullable(),
  step: workflowStepSchema.nullable(),
  displayName: z.object({ ar: z.string().nullable(), latin: z.string().nullable() }).nullable(),
  dateOfBirth: z.string().nullable(),
  /** Under the configured age: no fingerprints, face optional. Null while the date of birth is not known. */
  child: z.boolean().nullable(),
});
export type HouseholdMemberView = z.infer<typeof householdMemberViewSchema>;

export const householdViewSchema = z.object({
  id: z.string(),
  rev: z.number().int(),
  step: householdStepSchema,
  details: householdDetailsInputSchema,
  members: z.array(householdMemberViewSchema),
  operatorId: z.string(),
  createdAt: isoTime,
  updatedAt: isoTime,
  childAgeYears: z.number().int(),
  questionnaire: z
    .object({
      id: z.string(),
      version: z.string(),
      answers: answersViewSchema,
      /** Page of the questionnaire the clerk was on (resumes there). */
      page: z.number().int().min(0),
      answeredOn: z.string(),
      complete: z.boolean(),
      issues: z.array(answerIssueSchema),
      /** Paths of the questions and notes to show ("members[2].m_age"), in form order. */
      visible: z.array(z.string()),
      /** Calculated values and relevant answers (calculations are shown read-only). */
      values: answersViewSchema,
      /** The kiosk's proxy-means-test score, for information (the registry recomputes it and its score counts). */
      pmt: z.object({ score: z.number(), eligible: z.boolean().nullable() }).nullable(),
    })
    .nullable(),
  /** What still stops the household from being complete (i18n keys `household.block.*`). */
  blockers: z.array(z.object({ key: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])).default({}) })),
});
export type HouseholdView = z.infer<typeof householdViewSchema>;

export const householdListItemSchema = z.object({
  id: z.string(),
  step: householdStepSchema,
  governorate: z.string(),
  district: z.string(),
  members: z.number().int(),
  headName: z.object({ ar: z.string().nullable(), latin: z.string().nullable() }).nullable(),
  operatorId: z.string(),
  updatedAt: isoTime,
  complete: z.boolean(),
});
export type HouseholdListItem = z.infer<typeof householdListItemSchema>;

export const householdChannels = {
  /** The configured questionnaire (null: none configured) and the age under which members give no fingerprints. */
  'kiosk:household.config': {
    request: z.object({}).strict(),
    response: z.object({ questionnaire: questionnaireViewSchema.nullable(), childAgeYears: z.number().int() }),
  },
  /** This kiosk's households, newest first (open ones first). */
  'kiosk:household.list': { request: z.object({ limit: z.number().int().min(1).max(200).optional() }).strict(), response: z.object({ items: z.array(householdListItemSchema) }) },
  /** A new household with its head: the head's enrollment draft is started with it (`headEnrollmentId`). */
  'kiosk:household.create': {
    request: z.object({ details: householdDetailsInputSchema }).strict(),
    response: z.object({ household: householdViewSchema, headEnrollmentId: z.string() }),
  },
  'kiosk:household.get': { request: z.object({ id: ulid }).strict(), response: householdViewSchema },
  'kiosk:household.updateDetails': { request: z.object({ id: ulid, details: householdDetailsInputSchema }).strict(), response: householdViewSchema },
  /** Adds a member now or later: starts the member's enrollment draft and lists them with the relationship. */
  'kiosk:household.addMember': {
    request: z.object({ id: ulid, relationship: memberRelationshipSchema }).strict(),
    response: z.object({ household: householdViewSchema, enrollmentId: z.string() }),
  },
  /** Moves the household wizard to a step (any step; the summary shows what is still missing). */
  'kiosk:household.goTo': { request: z.object({ id: ulid, step: householdStepSchema }).strict(), response: householdViewSchema },
  /** Saves the questionnaire answers as they are (valid or not: nothing typed is lost) and the page; returns the evaluation. */
  'kiosk:household.saveAnswers': {
    request: z.object({ id: ulid, answers: answersViewSchema, page: z.number().int().min(0).max(1000) }).strict(),
    response: householdViewSchema,
  },
  /**
   * Moves a member (not the head) of household `id` to another household: supervised (the supervisor's own
   * credentials, verified in main, whoever is signed in), with a reason kept encrypted with the destination household;
   * audited `household.move-member` with the supervisor as actor. Returns household `id` without the member.
   */
  'kiosk:household.moveMember': {
    request: z
      .object({
        id: ulid,
        enrollmentId: z.string().min(1).max(64),
        toHouseholdId: ulid,
        relationship: memberRelationshipSchema,
        reason: z.string().trim().min(3).max(500),
        supervisor: supervisorCredentialsSchema,
      })
      .strict(),
    response: householdViewSchema,
  },
  /** A photo answer: the JPEG is kept encrypted with the household and travels sealed; returns its reference. */
  'kiosk:household.photo': {
    request: z.object({ id: ulid, question: z.string().max(64), jpegBase64: z.string().max(4_000_000) }).strict(),
    response: z.object({ ref: z.string(), sha256: z.string() }),
  },
} as const;
