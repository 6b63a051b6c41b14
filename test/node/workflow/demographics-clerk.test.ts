// Issue 17 item 10: what a clerk types on a real day — day-first dates with either digit set, digits in names,
// a long paste, and a wrong check digit that must not give the right one away.
import { describe, expect, it } from 'vitest';
import { makeEgNationalNumber } from '../../../main/enrollment/egypt-national-number.js';
import { compileIdSchema, DEFAULT_ID_SCHEMA } from '../../../main/enrollment/id-schema.js';
import { EG_MASTER_DATA } from '../../../main/workflow/eg-locations.js';
import { checkDemographics, normaliseDate } from '../../../main/workflow/form.js';
import { LocationMasterData } from '../../../main/workflow/master-data.js';

void EG_MASTER_DATA;
const schema = compileIdSchema(DEFAULT_ID_SCHEMA);
const today = new Date('2026-11-23T12:00:00Z');
const locations = new LocationMasterData(null);
const NN = makeEgNationalNumber('1990-05-21', '21', 'M', 42);
const FORM = {
  givenNameAr: 'أحمد',
  familyNameAr: 'المصري',
  givenNameLatin: 'Ahmed',
  familyNameLatin: 'El-Masry',
  dateOfBirth: '1990-05-21',
  sex: 'M',
  nationalNumber: NN,
  phone: '01012345678',
  governorateCode: '21',
  districtCode: '2101',
  localityCode: '210101',
};
const check = (values: Record<string, string>) => checkDemographics(schema, values, { today, locations });

describe('dates as clerks type them', () => {
  it('accepts DD/MM/YYYY with Arabic-Indic or Latin digits, and ISO', () => {
    expect(normaliseDate('٢١/٥/١٩٩٠')).toBe('1990-05-21');
    expect(normaliseDate('21/05/1990')).toBe('1990-05-21');
    expect(normaliseDate('21-5-1990')).toBe('1990-05-21');
    expect(normaliseDate('۲۱.۰۵.۱۹۹۰')).toBe('1990-05-21');
    expect(normaliseDate('1990-05-21')).toBe('1990-05-21');
    expect(normaliseDate('1990/5/21')).toBe('1990-05-21');
    for (const typed of ['٢١/٥/١٩٩٠', '21/05/1990', '1990-05-21']) {
      const r = check({ ...FORM, dateOfBirth: typed });
      expect(r.errors).toEqual([]);
      expect(r.values.dateOfBirth).toBe('1990-05-21');
    }
  });
  it('still refuses impossible dates', () => {
    expect(check({ ...FORM, dateOfBirth: '31/02/1990' }).errors.map((e) => e.key)).toContain('workflow.date.invalid');
    expect(check({ ...FORM, dateOfBirth: '21/05/90' }).errors.map((e) => e.key)).toContain('workflow.date.invalid');
  });
});

describe('names', () => {
  it('refuses digits in Arabic and Latin names (Latin or Arabic-Indic)', () => {
    expect(check({ ...FORM, givenNameAr: 'محمد٣' }).errors).toEqual([{ field: 'givenNameAr', key: 'workflow.field.noDigits', params: {} }]);
    expect(check({ ...FORM, familyNameAr: 'منصور 2' }).errors).toEqual([{ field: 'familyNameAr', key: 'workflow.field.noDigits', params: {} }]);
    expect(check({ ...FORM, givenNameLatin: 'Ahmed3' }).errors).toEqual([{ field: 'givenNameLatin', key: 'workflow.field.noDigits', params: {} }]);
  });
  it('a too-long paste is kept whole and reported with its length (not cut)', () => {
    const long = 'ا'.repeat(250);
    const r = check({ ...FORM, givenNameAr: long });
    expect(r.values.givenNameAr).toBe(long);
    expect(r.errors).toEqual([{ field: 'givenNameAr', key: 'workflow.field.tooLong', params: { max: 60, length: 250 } }]);
  });
});

describe('national number', () => {
  it('a wrong check digit is reported without the expected digit', () => {
    const wrong = NN.slice(0, 13) + String((Number(NN[13]) + 1) % 10);
    const r = check({ ...FORM, nationalNumber: wrong });
    expect(r.errors).toEqual([{ field: 'nationalNumber', key: 'workflow.nn.checkDigit', params: {} }]);
    expect(JSON.stringify(r)).not.toContain(`"expected"`);
  });
});
