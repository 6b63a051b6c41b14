// Demographics: the form generated from the ID schema, the check (keyed errors, Arabic-Indic digits, national-number
// rule and cross-checks, locations, age, transliteration suggestions), the Egypt rule, master data.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { egCheckDigit, explainEgNationalNumber, makeEgNationalNumber } from '../../../main/enrollment/egypt-national-number.js';
import { compileIdSchema, DEFAULT_ID_SCHEMA } from '../../../main/enrollment/id-schema.js';
import { toAsciiDigits, normaliseDigitField } from '../../../main/workflow/digits.js';
import { EG_MASTER_DATA } from '../../../main/workflow/eg-locations.js';
import { ageOn, checkDemographics, formFields } from '../../../main/workflow/form.js';
import { installMasterData, LocationMasterData, MASTER_DATA_FILE } from '../../../main/workflow/master-data.js';
import { egyptRule } from '../../../main/workflow/national-number.js';
import { tempDataDir } from '../store/helpers.js';

const schema = compileIdSchema(DEFAULT_ID_SCHEMA);
const today = new Date('2026-11-23T12:00:00Z');
const locations = new LocationMasterData(null);
const NN = makeEgNationalNumber('1990-04-12', '21', 'M', 42);
const FORM = {
  givenNameAr: 'أحمد',
  familyNameAr: 'المصري',
  givenNameLatin: 'Ahmed',
  familyNameLatin: 'El-Masry',
  dateOfBirth: '1990-04-12',
  sex: 'M',
  nationalNumber: NN,
  phone: '01012345678',
  governorateCode: '21',
  districtCode: '2101',
  localityCode: '210101',
};
const check = (values: Record<string, string>) => checkDemographics(schema, values, { today, locations });
const errs = (values: Record<string, string>) => check(values).errors.map((e) => [e.field, e.key]);

describe('digits', () => {
  it('Arabic-Indic and Extended Arabic-Indic digits become ASCII; separators are dropped from digit fields', () => {
    expect(toAsciiDigits('٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹ abc')).toBe('0123456789 0123456789 abc');
    expect(normaliseDigitField('٢٩٠ ٠٤١٢-٢١٠٠ ٤٢٣\u200f')).toBe('29004122100423');
  });
});

describe('Egypt national number rule', () => {
  it('explains each defect in order: length, century, date, governorate, check digit', () => {
    expect(explainEgNationalNumber('123', today)).toEqual({ ok: false, key: 'length', params: { length: 14 } });
    expect(explainEgNationalNumber('4' + NN.slice(1), today)).toEqual({ ok: false, key: 'century', params: { digit: '4' } });
    expect(explainEgNationalNumber('29002301234567', today)).toMatchObject({ ok: false, key: 'date', params: { date: '1990-02-30' } });
    expect(explainEgNationalNumber(makeEgNationalNumber('2030-01-01', '01', 'F', 1), today)).toMatchObject({ ok: false, key: 'date' });
    const badGov = NN.slice(0, 7) + '99' + NN.slice(9, 13);
    expect(explainEgNationalNumber(badGov + egCheckDigit(badGov), today)).toEqual({ ok: false, key: 'governorate', params: { code: '99' } });
    const wrong = NN.slice(0, 13) + String((Number(NN[13]) + 3) % 10);
    expect(explainEgNationalNumber(wrong, today)).toEqual({ ok: false, key: 'checkDigit', params: { expected: NN[13], actual: wrong[13] } });
    expect(explainEgNationalNumber(NN, today)).toEqual({ ok: true, parts: { dateOfBirth: '1990-04-12', governorate: '21', sex: 'M' } });
  });
  it('decodes the 2000s century, born-abroad code 88 and the sex digit', () => {
    const nn = makeEgNationalNumber('2004-12-31', '88', 'F', 7);
    expect(egyptRule.check(nn, today)).toEqual({ ok: true, parts: { dateOfBirth: '2004-12-31', sex: 'F', region: '88' } });
  });
});

describe('form definition from the ID schema', () => {
  it('lists every field in order with type, group, input mode, transliteration source, location level and NN rule', () => {
    const f = formFields(schema);
    expect(f.map((x) => x.name)).toEqual(DEFAULT_ID_SCHEMA.fields.map((x) => x.name));
    expect(f.find((x) => x.name === 'givenNameLatin')).toMatchObject({ type: 'text', script: 'latin', transliterateFrom: 'givenNameAr', group: 'name', labelKey: 'workflow.form.givenNameLatin' });
    expect(f.find((x) => x.name === 'nationalNumber')).toMatchObject({ type: 'digits', nationalNumberRule: 'EG', inputMode: 'numeric', group: 'identity' });
    expect(f.find((x) => x.name === 'districtCode')).toMatchObject({ type: 'location', location: { level: 'district', parentField: 'governorateCode' }, group: 'address' });
    expect(f.find((x) => x.name === 'dateOfBirth')).toMatchObject({ type: 'date', past: true, minYear: 1900 });
    expect(f.find((x) => x.name === 'sex')).toMatchObject({ type: 'enum', values: ['M', 'F'] });
    expect(f.find((x) => x.name === 'phone')).toMatchObject({ type: 'phone', required: false, inputMode: 'tel' });
  });
});

describe('checkDemographics', () => {
  it('a complete, consistent form has no errors; derives age and what the number encodes; suggests Latin names', () => {
    const r = check(FORM);
    expect(r.errors).toEqual([]);
    expect(r.derived).toEqual({ age: 36, nationalNumber: { rule: 'EG', dateOfBirth: '1990-04-12', sex: 'M', governorate: '21', governorateName: { code: '21', nameAr: 'الجيزة', nameEn: 'Giza' } } });
    expect(r.suggestions).toEqual({ givenNameLatin: 'Ahmed', familyNameLatin: 'El-Masry' });
  });
  it('accepts Arabic-Indic digits in the national number, date and phone', () => {
    const ar = (s: string) => [...s].map((c) => (/\d/.test(c) ? String.fromCharCode(0x0660 + Number(c)) : c)).join('');
    const r = check({ ...FORM, nationalNumber: ar(NN), dateOfBirth: ar('1990-04-12'), phone: ar('01012345678') });
    expect(r.errors).toEqual([]);
    expect(r.values).toMatchObject({ nationalNumber: NN, dateOfBirth: '1990-04-12', phone: '01012345678' });
  });
  it('missing required fields, unknown fields', () => {
    expect(errs({})).toEqual(expect.arrayContaining([['givenNameAr', 'workflow.field.required'], ['nationalNumber', 'workflow.field.required'], ['localityCode', 'workflow.field.required']]));
    expect(errs({}).map(([f]) => f)).not.toContain('phone'); // optional
    expect(errs({ ...FORM, favouriteColour: 'blue' })).toEqual([['favouriteColour', 'workflow.field.unknown']]);
  });
  it('text fields: script, length', () => {
    expect(errs({ ...FORM, givenNameAr: 'Ahmed' })).toEqual([['givenNameAr', 'workflow.field.arabicOnly']]);
    expect(errs({ ...FORM, givenNameLatin: 'أحمد' })).toEqual([['givenNameLatin', 'workflow.field.latinOnly']]);
    expect(check({ ...FORM, familyNameLatin: 'A'.repeat(61) }).errors).toEqual([{ field: 'familyNameLatin', key: 'workflow.field.tooLong', params: { max: 60, length: 61 } }]);
  });
  it('dates: invalid, future, too old', () => {
    expect(errs({ ...FORM, dateOfBirth: '1990-02-30' })).toContainEqual(['dateOfBirth', 'workflow.date.invalid']);
    expect(errs({ ...FORM, dateOfBirth: '2027-01-01' })).toContainEqual(['dateOfBirth', 'workflow.date.future']);
    expect(check({ ...FORM, dateOfBirth: '1899-12-31' }).errors).toContainEqual({ field: 'dateOfBirth', key: 'workflow.date.tooOld', params: { minYear: 1900 } });
  });
  it('national number: checksum, and mismatches with the form explained with both values', () => {
    const wrong = NN.slice(0, 13) + String((Number(NN[13]) + 1) % 10);
    // The form's error never reveals the expected digit (issue 17 item 10).
    expect(check({ ...FORM, nationalNumber: wrong }).errors).toEqual([{ field: 'nationalNumber', key: 'workflow.nn.checkDigit', params: {} }]);
    expect(check({ ...FORM, sex: 'F' }).errors).toEqual([{ field: 'nationalNumber', key: 'workflow.nn.mismatchSex', params: { fromNumber: 'M', fromForm: 'F' } }]);
    expect(check({ ...FORM, dateOfBirth: '1991-04-12' }).errors).toEqual([{ field: 'nationalNumber', key: 'workflow.nn.mismatchDateOfBirth', params: { fromNumber: '1990-04-12', fromForm: '1991-04-12' } }]);
    expect(errs({ ...FORM, nationalNumber: '2900412' })).toEqual([['nationalNumber', 'workflow.nn.length']]);
    // A different address governorate is only a warning (people move).
    const moved = check({ ...FORM, governorateCode: '01', districtCode: '0101', localityCode: '010101' });
    expect(moved.errors).toEqual([]);
    expect(moved.warnings).toEqual([{ field: 'nationalNumber', key: 'workflow.nn.mismatchGovernorate', params: { fromNumber: '21', fromForm: '01' } }]);
  });
  it('phone and enum', () => {
    expect(errs({ ...FORM, phone: '12345' })).toEqual([['phone', 'workflow.phone.invalid']]);
    expect(errs({ ...FORM, sex: 'X' })).toEqual([['sex', 'workflow.field.notAllowed']]);
  });
  it('locations: unknown codes and a child outside its parent', () => {
    expect(check({ ...FORM, districtCode: '2199' }).errors).toContainEqual({ field: 'districtCode', key: 'workflow.location.unknown', params: { level: 'district' } });
    expect(check({ ...FORM, localityCode: '010101' }).errors).toEqual([{ field: 'localityCode', key: 'workflow.location.notInParent', params: { level: 'locality' } }]);
  });
  it('age on a birthday boundary', () => {
    expect(ageOn('2000-11-23', today)).toBe(26);
    expect(ageOn('2000-11-24', today)).toBe(25);
    expect(ageOn('2030-01-01', today)).toBeNull();
  });
});

describe('location master data', () => {
  let data: ReturnType<typeof tempDataDir> | null = null;
  afterEach(() => data?.cleanup());

  it('bundled Egypt data: 27 governorates matching the national-number codes, districts and localities under them', () => {
    const gov = locations.list('governorate');
    expect(gov).toHaveLength(27);
    expect(gov[0]).toEqual({ code: '01', nameAr: 'القاهرة', nameEn: 'Cairo' });
    expect(locations.list('district', '21').map((d) => d.nameEn)).toEqual(['Dokki', 'Imbaba', 'Haram']);
    expect(locations.list('locality', '2101').map((d) => d.code)).toEqual(['210101', '210102']);
    expect(locations.list('district')).toEqual([]);
    expect(locations.birthGovernorate('88')).toMatchObject({ nameEn: 'Born abroad' });
    expect(locations.source).toBe('bundled');
  });

  it('a downloaded file replaces the bundled data after validation; an invalid file falls back', () => {
    data = tempDataDir('kiosk-master-');
    const replacement = { version: 'eg-2027.1', country: 'EG', governorates: [{ code: '01', nameAr: 'القاهرة', nameEn: 'Cairo', children: [{ code: '0150', nameAr: 'التجمع', nameEn: 'New Cairo', children: [{ code: '015001', nameAr: 'الرحاب', nameEn: 'Rehab' }] }] }] };
    installMasterData(data.dir, replacement);
    const m = new LocationMasterData(data.dir);
    expect(m.source).toBe('registry');
    expect(m.version).toBe('eg-2027.1');
    expect(m.list('locality', '0150')).toEqual([{ code: '015001', nameAr: 'الرحاب', nameEn: 'Rehab' }]);
    expect(() => installMasterData(data!.dir, { ...replacement, governorates: [{ code: '01', nameAr: 'x', nameEn: 'x', children: [{ code: '0201', nameAr: 'y', nameEn: 'y' }] }] })).toThrow(
      expect.objectContaining({ code: 'MASTER_DATA_INVALID' }),
    );
    mkdirSync(path.dirname(path.join(data.dir, MASTER_DATA_FILE)), { recursive: true });
    writeFileSync(path.join(data.dir, MASTER_DATA_FILE), '{"version": 1}');
    expect(m.reload()).toMatchObject({ source: 'bundled', version: EG_MASTER_DATA.version, error: expect.stringContaining('Invalid master data') });
  });
});
