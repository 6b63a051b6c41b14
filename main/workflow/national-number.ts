// Pluggable national-number rule sets, one per country. A rule explains why a number is invalid (message key +
// params) and what it encodes; the demographics check cross-checks what it encodes against the form.
import { explainEgNationalNumber } from '../enrollment/egypt-national-number.js';

export interface NationalNumberParts {
  dateOfBirth: string | null;
  sex: 'M' | 'F' | null;
  /** Region of birth registration, in the master data's governorate code space. */
  region: string | null;
}

export type NationalNumberResult = { ok: true; parts: NationalNumberParts } | { ok: false; key: string; params: Record<string, string | number> };

export interface NationalNumberRule {
  /** Rule set id, e.g. `EG`. */
  id: string;
  /** Explains a number already normalised to ASCII digits. */
  check(nn: string, today: Date): NationalNumberResult;
}

export const egyptRule: NationalNumberRule = {
  id: 'EG',
  check(nn, today) {
    const r = explainEgNationalNumber(nn, today);
    // A wrong check digit says only that: naming the expected digit would let anyone complete a made-up number.
    if (!r.ok) return { ok: false, key: `workflow.nn.${r.key}`, params: r.key === 'checkDigit' ? {} : r.params };
    return { ok: true, parts: { dateOfBirth: r.parts.dateOfBirth, sex: r.parts.sex, region: r.parts.governorate } };
  },
};

/** The ID schema's digits `format` → rule set. A deployment adds its country here (or replaces EG's check digit). */
export const NATIONAL_NUMBER_RULES: Readonly<Record<string, NationalNumberRule>> = {
  'eg-national-number': egyptRule,
};
