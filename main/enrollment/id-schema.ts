// Configurable ID schema: a JSON description (deployable as config) compiled into a strict zod validator for the
// demographics of an enrollment. DEFAULT_ID_SCHEMA describes an Egyptian-style civil registration form.
import { z } from 'zod';
import { KioskError } from '../contract/errors.js';
import { parseEgNationalNumber } from './egypt-national-number.js';

const base = {
  name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]{0,63}$/),
  required: z.boolean().default(true),
  label: z.string().optional(),
  /** Form section the UI groups the field under (main/workflow/form.ts derives one when absent). */
  group: z.enum(['name', 'birth', 'identity', 'contact', 'address']).optional(),
};
/** A location picker backed by master data (main/workflow/master-data.ts); `parent` names the parent level's field. */
const locationSchema = z.object({ level: z.enum(['governorate', 'district', 'locality']), parent: z.string().optional() }).strict();

export const idFieldDescriptionSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('text'), minLength: z.number().int().min(0).default(1), maxLength: z.number().int().positive().default(100), script: z.enum(['arabic', 'latin', 'any']).default('any'), pattern: z.string().optional(), transliterateFrom: z.string().optional() }).strict(),
  z.object({ ...base, type: z.literal('date'), past: z.boolean().default(true), minYear: z.number().int().default(1900) }).strict(),
  z.object({ ...base, type: z.literal('enum'), values: z.array(z.string()).min(1) }).strict(),
  z.object({ ...base, type: z.literal('digits'), minLength: z.number().int().min(1).default(1), maxLength: z.number().int().positive().default(32), format: z.enum(['eg-national-number']).optional(), location: locationSchema.optional() }).strict(),
  z.object({ ...base, type: z.literal('phone'), pattern: z.string().default('^(\\+20|0)1[0125]\\d{8}$') }).strict(),
]);

export const idSchemaDescriptionSchema = z
  .object({
    id: z.string().min(1),
    version: z.number().int().positive(),
    fields: z.array(idFieldDescriptionSchema).min(1),
    /** Cross-field checks: the national number must agree with date of birth and sex. */
    checks: z.array(z.object({ kind: z.literal('eg-national-number-matches'), nationalNumber: z.string(), dateOfBirth: z.string().optional(), sex: z.string().optional() }).strict()).default([]),
    /** Field used for the national-number blind index. */
    nationalNumberField: z.string().optional(),
  })
  .strict();

export type IdSchemaDescription = z.input<typeof idSchemaDescriptionSchema>;
export type Demographics = Record<string, string>;

const ARABIC = /^[\u0600-\u06FF\u0750-\u077F\s'-]+$/u;
const LATIN = /^[A-Za-z\u00C0-\u024F\s'.-]+$/u;

export const DEFAULT_ID_SCHEMA: IdSchemaDescription = {
  id: 'eg-civil-v1',
  version: 1,
  nationalNumberField: 'nationalNumber',
  fields: [
    { name: 'givenNameAr', type: 'text', script: 'arabic', maxLength: 60 },
    { name: 'familyNameAr', type: 'text', script: 'arabic', maxLength: 60 },
    { name: 'givenNameLatin', type: 'text', script: 'latin', maxLength: 60, transliterateFrom: 'givenNameAr' },
    { name: 'familyNameLatin', type: 'text', script: 'latin', maxLength: 60, transliterateFrom: 'familyNameAr' },
    { name: 'dateOfBirth', type: 'date', past: true, minYear: 1900 },
    { name: 'sex', type: 'enum', values: ['M', 'F'] },
    { name: 'nationalNumber', type: 'digits', minLength: 14, maxLength: 14, format: 'eg-national-number' },
    { name: 'phone', type: 'phone', required: false },
    { name: 'governorateCode', type: 'digits', minLength: 2, maxLength: 2, location: { level: 'governorate' } },
    { name: 'districtCode', type: 'digits', minLength: 2, maxLength: 4, location: { level: 'district', parent: 'governorateCode' } },
    { name: 'localityCode', type: 'digits', minLength: 2, maxLength: 6, location: { level: 'locality', parent: 'districtCode' } },
    { name: 'addressLine', type: 'text', maxLength: 200, required: false },
  ],
  checks: [{ kind: 'eg-national-number-matches', nationalNumber: 'nationalNumber', dateOfBirth: 'dateOfBirth', sex: 'sex' }],
};

export class IdSchemaInvalidError extends KioskError {
  override name = 'IdSchemaInvalidError';
  constructor(message: string, cause?: unknown) {
    super('ID_SCHEMA_INVALID', message, { cause });
  }
}

export type IdFieldDescription = z.output<typeof idFieldDescriptionSchema>;

export interface CompiledIdSchema {
  id: string;
  version: number;
  /** The parsed field descriptions (defaults applied): the demographics form is generated from these. */
  fields: IdFieldDescription[];
  nationalNumberField: string | undefined;
  /** Strict: complete demographics for capture. */
  full: z.ZodType<Demographics>;
  /** Every field optional: drafts may be saved half-filled. */
  partial: z.ZodType<Partial<Demographics>>;
}

function fieldSchema(f: z.output<typeof idFieldDescriptionSchema>): z.ZodType<string> {
  switch (f.type) {
    case 'text': {
      let s = z.string().trim().min(f.minLength).max(f.maxLength);
      if (f.script === 'arabic') s = s.regex(ARABIC, 'Arabic letters only');
      if (f.script === 'latin') s = s.regex(LATIN, 'Latin letters only');
      if (f.pattern) s = s.regex(new RegExp(f.pattern));
      return s;
    }
    case 'date':
      return z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
        .refine((v) => {
          const d = new Date(`${v}T00:00:00Z`);
          return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v && d.getUTCFullYear() >= f.minYear && (!f.past || d.getTime() <= Date.now());
        }, 'invalid date');
    case 'enum':
      return z.string().refine((v) => f.values.includes(v), `one of ${f.values.join(', ')}`);
    case 'digits': {
      const s = z.string().regex(new RegExp(`^\\d{${f.minLength},${f.maxLength}}$`), `${f.minLength}–${f.maxLength} digits`);
      return f.format === 'eg-national-number' ? s.refine((v) => parseEgNationalNumber(v) !== null, 'not a valid national number') : s;
    }
    case 'phone':
      return z.string().regex(new RegExp(f.pattern), 'invalid phone number');
  }
}

export function compileIdSchema(description: IdSchemaDescription = DEFAULT_ID_SCHEMA): CompiledIdSchema {
  const parsed = idSchemaDescriptionSchema.safeParse(description);
  if (!parsed.success) throw new IdSchemaInvalidError(`Invalid ID schema description: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const d = parsed.data;
  const names = new Set(d.fields.map((f) => f.name));
  for (const c of d.checks) for (const ref of [c.nationalNumber, c.dateOfBirth, c.sex]) if (ref && !names.has(ref)) throw new IdSchemaInvalidError(`Check refers to unknown field ${ref}`);
  const full: Record<string, z.ZodType<string | undefined>> = {};
  const partial: Record<string, z.ZodType<string | undefined>> = {};
  for (const f of d.fields) {
    const s = fieldSchema(f);
    full[f.name] = f.required ? s : s.optional();
    partial[f.name] = s.optional();
  }
  const crossCheck = (v: Record<string, string | undefined>, ctx: z.RefinementCtx) => {
    for (const c of d.checks) {
      const nn = v[c.nationalNumber];
      const parts = nn ? parseEgNationalNumber(nn) : null;
      if (!parts) continue;
      if (c.dateOfBirth && v[c.dateOfBirth] && v[c.dateOfBirth] !== parts.dateOfBirth) ctx.addIssue({ code: 'custom', path: [c.nationalNumber], message: 'does not match date of birth' });
      if (c.sex && v[c.sex] && v[c.sex] !== parts.sex) ctx.addIssue({ code: 'custom', path: [c.nationalNumber], message: 'does not match sex' });
    }
  };
  return {
    id: d.id,
    version: d.version,
    fields: d.fields,
    nationalNumberField: d.nationalNumberField,
    full: z.object(full).strict().superRefine(crossCheck) as unknown as z.ZodType<Demographics>,
    partial: z.object(partial).strict().superRefine(crossCheck) as unknown as z.ZodType<Partial<Demographics>>,
  };
}
