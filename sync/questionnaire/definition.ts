// The questionnaire definition: configuration, not code. A JSON document (or an XLSForm converted to it) validated
// with zod at load; compile.ts then checks names, references and expressions and names the question at fault.
import { z } from 'zod';

export const QUESTION_TYPES = ['text', 'integer', 'decimal', 'date', 'select_one', 'select_multiple', 'geopoint', 'photo'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

export const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const name = z.string().regex(NAME, 'names are a letter or _ then letters, digits or _ (at most 64)');

/** Arabic and English, both required for what the clerk sees (UI is Arabic first). */
export const labelSchema = z.strictObject({ ar: z.string().min(1), en: z.string().min(1) });
export type Label = z.infer<typeof labelSchema>;
const expr = z.string().min(1).max(2000);

const questionSchema = z.strictObject({
  kind: z.literal('question'),
  name,
  type: z.enum(QUESTION_TYPES),
  label: labelSchema,
  hint: labelSchema.optional(),
  /** true, or an expression (required only when it holds). */
  required: z.union([z.boolean(), expr]).optional(),
  requiredMessage: labelSchema.optional(),
  relevant: expr.optional(),
  /** Evaluated with "." = this answer, only when answered. */
  constraint: expr.optional(),
  constraintMessage: labelSchema.optional(),
  /** Choice list name (select_one, select_multiple). */
  choices: name.optional(),
  readonly: z.boolean().optional(),
});

const noteSchema = z.strictObject({ kind: z.literal('note'), name, label: labelSchema, relevant: expr.optional() });
const calculateSchema = z.strictObject({ kind: z.literal('calculate'), name, calculation: expr, relevant: expr.optional() });

export type QuestionDef = z.infer<typeof questionSchema>;
export type NoteDef = z.infer<typeof noteSchema>;
export type CalculateDef = z.infer<typeof calculateSchema>;
export interface GroupDef {
  kind: 'group';
  name: string;
  label?: Label | undefined;
  relevant?: string | undefined;
  items: ItemDef[];
}
export interface RepeatDef {
  kind: 'repeat';
  name: string;
  label: Label;
  relevant?: string | undefined;
  /** Number of instances (e.g. ${hh_size}); absent: the clerk adds instances. */
  count?: string | undefined;
  items: ItemDef[];
}
export type ItemDef = QuestionDef | NoteDef | CalculateDef | GroupDef | RepeatDef;

export const itemSchema: z.ZodType<ItemDef> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    questionSchema,
    noteSchema,
    calculateSchema,
    z.strictObject({ kind: z.literal('group'), name, label: labelSchema.optional(), relevant: expr.optional(), items: z.array(itemSchema).min(1) }),
    z.strictObject({ kind: z.literal('repeat'), name, label: labelSchema, relevant: expr.optional(), count: expr.optional(), items: z.array(itemSchema).min(1) }),
  ]),
);

export const choiceSchema = z.strictObject({ name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'choice names are letters, digits, _ . - (no spaces)'), label: labelSchema });

/**
 * Proxy-means test: score = intercept + Σ terms. A numeric term contributes weight · f(x) with f the transform of the
 * answer (capped); a choice term the weight of the chosen choice (select_multiple: the sum over the chosen ones).
 * Unanswered or not relevant → the term's `missing` value (default 0). docs/QUESTIONNAIRE.md, "PMT".
 */
export const pmtTermSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('numeric'), name, weight: z.number().finite(), transform: z.enum(['identity', 'log1p']).optional(), cap: z.number().finite().optional(), missing: z.number().finite().optional() }),
  z.strictObject({ kind: z.literal('choice'), name, weights: z.record(z.string(), z.number().finite()), missing: z.number().finite().optional() }),
]);
export type PmtTerm = z.infer<typeof pmtTermSchema>;

export const pmtSchema = z.strictObject({
  intercept: z.number().finite(),
  terms: z.array(pmtTermSchema).min(1),
  /** Households scoring at or below are eligible (lower score = poorer). */
  threshold: z.number().finite().optional(),
});
export type PmtConfig = z.infer<typeof pmtSchema>;

export const questionnaireSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
  version: z.string().min(1).max(32),
  title: labelSchema,
  items: z.array(itemSchema).min(1),
  choiceLists: z.record(name, z.array(choiceSchema).min(1)),
  pmt: pmtSchema.optional(),
});
export type QuestionnaireDef = z.infer<typeof questionnaireSchema>;
