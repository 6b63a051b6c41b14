// Egyptian-style 14-digit national numbers: C YYMMDD GG SSSS K
//   C = century (2 → 1900s, 3 → 2000s), YYMMDD = date of birth, GG = governorate of birth registration,
//   SSSS = sequence whose last digit is odd for males and even for females, K = check digit.
// The official check-digit algorithm is not public; we validate structure, date and governorate, and the synthetic
// generator (dev seed) uses a weighted mod-11 digit purely so that generated numbers are stable and well-formed.

export const EG_GOVERNORATE_CODES = ['01', '02', '03', '04', '11', '12', '13', '14', '15', '16', '17', '18', '19', '21', '22', '23', '24', '25', '26', '27', '28', '29', '31', '32', '33', '34', '35', '88'] as const;

export interface EgNationalNumberParts {
  dateOfBirth: string;
  governorate: string;
  sex: 'M' | 'F';
}

function validDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

export function parseEgNationalNumber(nn: string): EgNationalNumberParts | null {
  if (!/^\d{14}$/.test(nn)) return null;
  const century = nn[0] === '2' ? 1900 : nn[0] === '3' ? 2000 : 0;
  if (!century) return null;
  const y = century + Number(nn.slice(1, 3));
  const m = Number(nn.slice(3, 5));
  const d = Number(nn.slice(5, 7));
  if (!validDate(y, m, d)) return null;
  const governorate = nn.slice(7, 9);
  if (!(EG_GOVERNORATE_CODES as readonly string[]).includes(governorate)) return null;
  return {
    dateOfBirth: `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
    governorate,
    sex: Number(nn[12]) % 2 === 1 ? 'M' : 'F',
  };
}

/**
 * Weighted mod-11 check digit over the first 13 digits (weights 2,7,6,5,4,3,2,7,6,5,4,3,2; (11 − Σ mod 11) mod 10).
 * The Civil Status Organization does not publish its algorithm; this is the rule the workflow validates and the
 * synthetic generator uses. A deployment that knows the official rule replaces the rule set (main/workflow/national-number.ts).
 */
export function egCheckDigit(first13: string): string {
  const weights = [2, 7, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
  const sum = [...first13].reduce((s, c, i) => s + Number(c) * weights[i]!, 0);
  return String((11 - (sum % 11)) % 10);
}

const syntheticCheckDigit = egCheckDigit;

/** Why a number is not a valid Egyptian national number: a message key (workflow.nn.*) with params, or the parts. */
export type EgNationalNumberExplanation =
  | { ok: true; parts: EgNationalNumberParts }
  | { ok: false; key: 'length' | 'century' | 'date' | 'governorate' | 'checkDigit'; params: Record<string, string | number> };

/**
 * Checks, in order: 14 digits; century digit (2 → 1900s, 3 → 2000s); birth date (a real calendar date, not after
 * `today`); governorate code; check digit. The sex digit (13th) cannot be wrong on its own: it is cross-checked
 * against the form.
 */
export function explainEgNationalNumber(nn: string, today: Date = new Date(), checkDigit = true): EgNationalNumberExplanation {
  if (!/^\d{14}$/.test(nn)) return { ok: false, key: 'length', params: { length: 14 } };
  if (nn[0] !== '2' && nn[0] !== '3') return { ok: false, key: 'century', params: { digit: nn[0]! } };
  const y = (nn[0] === '2' ? 1900 : 2000) + Number(nn.slice(1, 3));
  const m = Number(nn.slice(3, 5));
  const d = Number(nn.slice(5, 7));
  const date = `${y}-${nn.slice(3, 5)}-${nn.slice(5, 7)}`;
  if (!validDate(y, m, d) || Date.UTC(y, m - 1, d) > today.getTime()) return { ok: false, key: 'date', params: { date } };
  const governorate = nn.slice(7, 9);
  if (!(EG_GOVERNORATE_CODES as readonly string[]).includes(governorate)) return { ok: false, key: 'governorate', params: { code: governorate } };
  const expected = egCheckDigit(nn.slice(0, 13));
  if (checkDigit && nn[13] !== expected) return { ok: false, key: 'checkDigit', params: { expected, actual: nn[13]! } };
  return { ok: true, parts: { dateOfBirth: date, governorate, sex: Number(nn[12]) % 2 === 1 ? 'M' : 'F' } };
}

/** Builds a well-formed number for synthetic data. `serial` 0..999 picks the sequence; sex fixes its parity. */
export function makeEgNationalNumber(dateOfBirth: string, governorate: string, sex: 'M' | 'F', serial: number): string {
  const [y, m, d] = dateOfBirth.split('-');
  const century = Number(y) >= 2000 ? '3' : '2';
  const genderDigit = (serial % 5) * 2 + (sex === 'M' ? 1 : 0);
  const first13 = `${century}${y!.slice(2)}${m}${d}${governorate}${String(Math.floor(serial / 5) % 1000).padStart(3, '0')}${genderDigit}`;
  return first13 + syntheticCheckDigit(first13);
}
