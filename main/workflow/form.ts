// The demographics form generated from the ID schema, and its check: per-field errors as message keys + params
// (the UI translates), national-number rule check and cross-check against the form, age, transliteration
// suggestions. Pure apart from the clock and master data passed in.
import type { CompiledIdSchema, IdFieldDescription } from '../enrollment/id-schema.js';
import type { DemographicsCheck, FieldError, FormField } from '../contract/channels/workflow.js';
import { normaliseDigitField, toAsciiDigits } from './digits.js';
import type { LocationMasterData } from './master-data.js';
import { NATIONAL_NUMBER_RULES } from './national-number.js';
import { transliterateArabicName } from './transliterate.js';

// Arabic letters and marks; the Arabic block's digits (U+0660–0669, U+06F0–06F9) are not letters of a name.
const ARABIC = /^[\u0600-\u065F\u066A-\u06EF\u06FA-\u06FF\u0750-\u077F\s'-]+$/u;
const ANY_DIGIT = /[0-9\u0660-\u0669\u06F0-\u06F9]/u;
// A date typed day first: D/M/YYYY, DD-MM-YYYY or DD.MM.YYYY (after Arabic-Indic digits became ASCII).
const DAY_FIRST = /^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$/;
const LATIN = /^[A-Za-z\u00C0-\u024F\s'.-]+$/u;

function groupOf(f: IdFieldDescription): FormField['group'] {
  if (f.group) return f.group;
  if (f.type === 'digits' && f.location) return 'address';
  if (f.type === 'date') return 'birth';
  if (f.type === 'enum') return 'birth';
  if (f.type === 'phone') return 'contact';
  if (f.type === 'digits') return 'identity';
  return /address/i.test(f.name) ? 'address' : 'name';
}

/** The form definition the UI renders (field order = ID schema order). */
export function formFields(schema: CompiledIdSchema): FormField[] {
  return schema.fields.map((f) => {
    const common = { name: f.name, required: f.required, labelKey: `workflow.form.${f.name}`, group: groupOf(f) };
    switch (f.type) {
      case 'text':
        return { ...common, type: 'text', script: f.script, minLength: f.minLength, maxLength: f.maxLength, inputMode: 'text', ...(f.transliterateFrom ? { transliterateFrom: f.transliterateFrom } : {}) };
      case 'date':
        return { ...common, type: 'date', minYear: f.minYear, past: f.past, inputMode: 'date' };
      case 'enum':
        return { ...common, type: 'enum', values: f.values, inputMode: 'text' };
      case 'phone':
        return { ...common, type: 'phone', inputMode: 'tel' };
      case 'digits':
        if (f.location) return { ...common, type: 'location', minLength: f.minLength, maxLength: f.maxLength, location: { level: f.location.level, parentField: f.location.parent ?? null }, inputMode: 'numeric' };
        return { ...common, type: 'digits', minLength: f.minLength, maxLength: f.maxLength, inputMode: 'numeric', ...(f.format ? { nationalNumberRule: NATIONAL_NUMBER_RULES[f.format]?.id ?? f.format } : {}) };
    }
  });
}

/** Age in whole years on `today` (UTC calendar dates). */
export function ageOn(dateOfBirth: string, today: Date): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateOfBirth);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  let age = today.getUTCFullYear() - y;
  if (today.getUTCMonth() + 1 < mo || (today.getUTCMonth() + 1 === mo && today.getUTCDate() < d)) age--;
  return age >= 0 ? age : null;
}

function validIsoDate(v: string): boolean {
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

/** Normalises what was typed: trims, Arabic-Indic digits → ASCII in digit-like fields, Latin DD/MM/YYYY dates kept as typed. */
export function normaliseValues(schema: CompiledIdSchema, values: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  const byName = new Map(schema.fields.map((f) => [f.name, f]));
  for (const [k, raw] of Object.entries(values)) {
    const f = byName.get(k);
    let v = raw.trim().replace(/\s+/gu, ' ');
    if (f && (f.type === 'digits' || f.type === 'phone')) v = normaliseDigitField(v);
    else if (f && f.type === 'date') v = normaliseDate(v);
    if (v !== '') out[k] = v;
  }
  return out;
}

/** A typed date → ISO YYYY-MM-DD: accepts ISO and day-first (DD/MM/YYYY), Latin or Arabic-Indic digits, any of / . - ;
 * anything else is returned unchanged (the check then says it is not a date). */
export function normaliseDate(typed: string): string {
  const v = toAsciiDigits(typed).replace(/[\u200e\u200f\u061c\s]/gu, '');
  const dayFirst = DAY_FIRST.exec(v);
  if (dayFirst) return `${dayFirst[3]}-${dayFirst[2]!.padStart(2, '0')}-${dayFirst[1]!.padStart(2, '0')}`;
  const iso = /^(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})$/.exec(v);
  if (iso) return `${iso[1]}-${iso[2]!.padStart(2, '0')}-${iso[3]!.padStart(2, '0')}`;
  return v;
}

function fieldError(field: string, key: string, params: Record<string, string | number> = {}): FieldError {
  return { field, key, params };
}

function checkField(f: IdFieldDescription, v: string, today: Date, nnParts: Map<string, unknown>): FieldError | null {
  switch (f.type) {
    case 'text':
      if (v.length > f.maxLength) return fieldError(f.name, 'workflow.field.tooLong', { max: f.maxLength, length: v.length });
      if ((f.script === 'arabic' || f.script === 'latin') && ANY_DIGIT.test(v)) return fieldError(f.name, 'workflow.field.noDigits');
      if (v.length < f.minLength) return fieldError(f.name, 'workflow.field.tooShort', { min: f.minLength });
      if (f.script === 'arabic' && !ARABIC.test(v)) return fieldError(f.name, 'workflow.field.arabicOnly');
      if (f.script === 'latin' && !LATIN.test(v)) return fieldError(f.name, 'workflow.field.latinOnly');
      if (f.pattern && !new RegExp(f.pattern).test(v)) return fieldError(f.name, 'workflow.field.pattern');
      return null;
    case 'date': {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || !validIsoDate(v)) return fieldError(f.name, 'workflow.date.invalid');
      const d = new Date(`${v}T00:00:00Z`);
      if (d.getUTCFullYear() < f.minYear) return fieldError(f.name, 'workflow.date.tooOld', { minYear: f.minYear });
      if (f.past && d.getTime() > today.getTime()) return fieldError(f.name, 'workflow.date.future');
      return null;
    }
    case 'enum':
      return f.values.includes(v) ? null : fieldError(f.name, 'workflow.field.notAllowed', { values: f.values.join(', ') });
    case 'phone':
      return new RegExp(f.pattern).test(v) ? null : fieldError(f.name, 'workflow.phone.invalid');
    case 'digits': {
      if (!/^\d+$/.test(v)) return fieldError(f.name, 'workflow.field.digitsOnly');
      const rule = f.format ? NATIONAL_NUMBER_RULES[f.format] : undefined;
      if (rule) {
        const r = rule.check(v, today);
        if (!r.ok) return fieldError(f.name, r.key, r.params);
        nnParts.set(f.name, { rule: rule.id, ...r.parts });
        return null;
      }
      if (v.length < f.minLength || v.length > f.maxLength) return fieldError(f.name, 'workflow.field.length', { min: f.minLength, max: f.maxLength });
      return null;
    }
  }
}

export interface CheckOptions {
  today: Date;
  locations: LocationMasterData;
}

/** Checks a (possibly partial) form. `errors` empty ⇔ the values are complete and valid for the ID schema. */
export function checkDemographics(schema: CompiledIdSchema, input: Record<string, string>, opts: CheckOptions): DemographicsCheck {
  const values = normaliseValues(schema, input);
  const errors: FieldError[] = [];
  const warnings: FieldError[] = [];
  const known = new Set(schema.fields.map((f) => f.name));
  for (const k of Object.keys(values)) if (!known.has(k)) errors.push(fieldError(k, 'workflow.field.unknown', { field: k.slice(0, 64) }));
  const nnParts = new Map<string, { rule: string; dateOfBirth: string | null; sex: 'M' | 'F' | null; region: string | null }>();
  for (const f of schema.fields) {
    const v = values[f.name];
    if (v === undefined) {
      if (f.required) errors.push(fieldError(f.name, 'workflow.field.required'));
      continue;
    }
    const e = checkField(f, v, opts.today, nnParts as Map<string, unknown>);
    if (e) {
      errors.push(e);
      continue;
    }
    if (f.type === 'digits' && f.location) {
      const found = opts.locations.find(f.location.level, v);
      if (!found) errors.push(fieldError(f.name, 'workflow.location.unknown', { level: f.location.level }));
      else if (f.location.parent && values[f.location.parent] !== undefined && found.parent !== values[f.location.parent]) {
        errors.push(fieldError(f.name, 'workflow.location.notInParent', { level: f.location.level }));
      }
    }
  }
  // Cross-checks: what the national number encodes against the form (explained with both values).
  const dobField = schema.fields.find((f) => f.type === 'date')?.name;
  const sexField = schema.fields.find((f) => f.type === 'enum' && f.values.includes('M') && f.values.includes('F'))?.name;
  const govField = schema.fields.find((f) => f.type === 'digits' && f.location?.level === 'governorate')?.name;
  let derivedNn: DemographicsCheck['derived']['nationalNumber'] = null;
  for (const [field, p] of nnParts) {
    const dob = dobField ? values[dobField] : undefined;
    const sex = sexField ? values[sexField] : undefined;
    if (p.dateOfBirth && dob && !errors.some((e) => e.field === dobField) && dob !== p.dateOfBirth) {
      errors.push(fieldError(field, 'workflow.nn.mismatchDateOfBirth', { fromNumber: p.dateOfBirth, fromForm: dob }));
    }
    if (p.sex && sex && (sex === 'M' || sex === 'F') && sex !== p.sex) errors.push(fieldError(field, 'workflow.nn.mismatchSex', { fromNumber: p.sex, fromForm: sex }));
    const gov = govField ? values[govField] : undefined;
    if (p.region && gov && gov !== p.region) warnings.push(fieldError(field, 'workflow.nn.mismatchGovernorate', { fromNumber: p.region, fromForm: gov }));
    if (!derivedNn && p.dateOfBirth && p.sex && p.region) {
      derivedNn = { rule: p.rule, dateOfBirth: p.dateOfBirth, sex: p.sex, governorate: p.region, governorateName: opts.locations.birthGovernorate(p.region) };
    }
  }
  const dob = dobField ? values[dobField] : undefined;
  const age = dob && !errors.some((e) => e.field === dobField) ? ageOn(dob, opts.today) : null;
  const suggestions: Record<string, string> = {};
  for (const f of schema.fields) {
    if (f.type !== 'text' || !f.transliterateFrom) continue;
    const ar = values[f.transliterateFrom];
    if (ar && ARABIC.test(ar)) {
      const latin = transliterateArabicName(ar);
      if (latin) suggestions[f.name] = latin;
    }
  }
  return { values, errors, warnings, derived: { age, nationalNumber: derivedNn }, suggestions };
}
