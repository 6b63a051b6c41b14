// XLSForm import: the checked-in social-registry form (≥ 60 questions, Arabic + English) imports, validates and
// runs on a household of five; an invalid form gives issues naming sheet, row and column; broken files are typed
// errors; a workbook written by another program (openpyxl: shared strings, numbers, booleans) reads the same.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../main/platform/csv.js';
import { evaluateQuestionnaire, importXlsForm, pmtScore, QuestionnaireDefinitionError, readWorkbook, writeWorkbook, type Answers, type DefinitionIssue, type ItemDef } from '../../../sync/questionnaire/index.js';

const root = path.resolve(import.meta.dirname, '../../..');
const exampleDir = path.join(root, 'docs/examples/social-registry');
const SHEETS = ['survey', 'choices', 'settings', 'pmt'];
const csvSheets = () => SHEETS.map((name) => ({ name, rows: parseCsv(readFileSync(path.join(exampleDir, `${name}.csv`), 'utf8')) }));

function walk(items: ItemDef[], fn: (i: ItemDef) => void): void {
  for (const i of items) {
    fn(i);
    if (i.kind === 'group' || i.kind === 'repeat') walk(i.items, fn);
  }
}

/** A household of five (head, spouse, three children), livestock, everything a field researcher would fill in. */
function household(): Answers {
  const child = (name: string, dob: string, school: 'yes' | 'no', education: string | null) => ({
    m_name: name,
    m_relationship: 'child',
    m_sex: 'female',
    m_dob: dob,
    m_disability: 'no',
    m_chronic_illness: 'no',
    ...(school ? { m_in_school: school } : {}),
    ...(education ? { m_education: education } : {}),
  });
  return {
    interview_date: '2026-12-01',
    visit_type: 'first',
    respondent_consent: 'yes',
    governorate: 'minya',
    district: 'مركز ملوي',
    village: 'دير أبو حنس',
    address: 'شارع الجامع، منزل 12',
    gps: { lat: 27.7806, lon: 30.8411, accuracy: 6 },
    phone: '01012345678',
    hh_size: 5,
    head_national_number: '28001011234567',
    members: [
      { m_name: 'محمود علي حسن', m_relationship: 'head', m_sex: 'male', m_dob: '1980-01-01', m_national_number: '28001011234567', m_marital: 'married', m_disability: 'no', m_chronic_illness: 'yes', m_education: 'preparatory', m_works: 'yes', m_occupation: 'agri_labourer', m_monthly_income: 2400, m_pension: 'no' },
      { m_name: 'فاطمة أحمد', m_relationship: 'spouse', m_sex: 'female', m_dob: '1986-05-20', m_national_number: '28605201234568', m_marital: 'married', m_disability: 'yes', m_disability_type: ['visual'], m_chronic_illness: 'no', m_education: 'literacy', m_works: 'no', m_pension: 'no' },
      { ...child('يوسف', '2010-09-01', 'yes', 'preparatory'), m_sex: 'male', m_national_number: '31009011234569', m_marital: 'never_married', m_works: 'no' },
      child('مريم', '2015-02-14', 'yes', 'primary'),
      { m_name: 'سلمى', m_relationship: 'child', m_sex: 'female', m_dob: '2023-06-30', m_disability: 'no', m_chronic_illness: 'no' },
    ],
    dwelling_type: 'rural_house',
    tenure: 'owned',
    rooms: 2,
    floor_material: 'earth',
    roof_material: 'wood',
    wall_material: 'mud_brick',
    water_source: 'piped_outside',
    toilet: 'pit',
    electricity: 'yes',
    cooking_fuel: 'gas',
    assets: ['tv', 'fridge', 'smartphone'],
    owns_land: 'no',
    owns_livestock: 'yes',
    livestock: [
      { animal_type: 'poultry', animal_count: 12 },
      { animal_type: 'sheep_goats', animal_count: 2 },
    ],
    main_income_source: 'daily_work',
    other_income: ['none'],
    receives_assistance: 'yes',
    assistance_programmes: ['food_ration'],
    monthly_expenditure: 3100,
    debt: 'yes',
    debt_amount: 5000,
    food_shortage: 'sometimes',
    meals_per_day: 2,
    skipped_meals_children: 'no',
    health_expenses: 150,
    distance_health_km: 3.5,
    distance_school_km: 1.2,
    shocks: ['illness', 'price_rise'],
    interviewer_id: 'R0042',
  };
}

describe('the social-registry XLSForm example', () => {
  const form = importXlsForm(readFileSync(path.join(root, 'docs/examples/social-registry.xlsx')));

  it('is the CSV sheets checked in next to it (rebuild: kiosk questionnaire build-xlsx)', () => {
    const read = readWorkbook(readFileSync(path.join(root, 'docs/examples/social-registry.xlsx')));
    const trim = (rows: string[][]) => rows.map((r) => r.map((c) => c.trim())).map((r) => r.slice(0, r.findLastIndex((c) => c !== '') + 1));
    expect(read.map((s) => s.name)).toEqual(SHEETS);
    for (const s of csvSheets()) expect(trim(read.find((x) => x.name === s.name)!.rows.map((r) => r.cells))).toEqual(trim(s.rows).filter((r) => r.length));
  });

  it('has at least 60 questions, every label in Arabic and English, repeats, skip logic, calculations and a PMT', () => {
    const d = form.definition;
    let questions = 0;
    let repeats = 0;
    let relevant = 0;
    let calculations = 0;
    walk(d.items, (i) => {
      if (i.kind === 'question') questions++;
      if (i.kind === 'repeat') repeats++;
      if (i.kind === 'calculate') calculations++;
      else if (i.relevant) relevant++;
      if ('label' in i && i.label) {
        expect(i.label.ar, i.name).toMatch(/[\u0600-\u06ff]/);
        expect(i.label.en, i.name).toMatch(/[A-Za-z]/);
      }
    });
    for (const list of Object.values(d.choiceLists)) for (const c of list) expect(c.label.ar, c.name).toMatch(/[\u0600-\u06ff]/);
    expect(questions).toBeGreaterThanOrEqual(60);
    expect(repeats).toBe(2);
    expect(relevant).toBeGreaterThan(15);
    expect(calculations).toBeGreaterThan(10);
    expect(d.pmt!.terms.length).toBeGreaterThan(10);
    expect(d.title).toEqual({ en: 'Unified social registry — household survey', ar: 'السجل الاجتماعي الموحد — استبيان الأسرة' });
  });

  it('runs on a household of five: complete, calculations over members and livestock, PMT score', () => {
    const r = evaluateQuestionnaire(form.compiled, household(), { today: '2026-12-01' });
    expect(r.issues).toEqual([]);
    expect(r.values.n_children).toBe(3);
    expect(r.values.n_working_age).toBe(2);
    expect(r.values.dependency_ratio).toBe(1.5);
    expect(r.values.persons_per_room).toBe(2.5);
    expect(r.values.n_livestock_heads).toBe(14);
    expect(r.values.n_disabled).toBe(1);
    expect(r.values.income_per_capita).toBe(480);
    // Skip logic: the three-year-old is asked neither national number, schooling nor education.
    expect(r.visible.filter((p) => p.startsWith('members[5].'))).toEqual(['members[5].m_name', 'members[5].m_relationship', 'members[5].m_sex', 'members[5].m_dob', 'members[5].m_disability', 'members[5].m_chronic_illness']);
    const s = pmtScore(form.definition.pmt!, r.values);
    const want =
      8.6 - 0.06 * 5 - 0.1 * 1.5 - 0.08 * 2.5 + 0 + 0.04 * Math.log1p(14) + 0.1 * Math.log1p(480) - 0.05 * 1 + 0 /* rural_house */ - 0.15 /* earth */ + 0 /* piped_outside */ - 0.05 /* pit */ + 0.04 + 0.03 + (0.02 + 0.05 + 0.03) - 0.08; /* sometimes */
    expect(s.score).toBeCloseTo(want, 9);
    expect(s.eligible).toBe(true);
    // A better-off household (apartment, tiles, piped water, flush toilet, two cars, air conditioning) is not.
    const rich = { ...household(), dwelling_type: 'apartment', floor_material: 'tiles', water_source: 'piped_inside', toilet: 'flush', assets: ['tv', 'fridge', 'ac', 'car', 'computer'], n_cars: 2, rooms: 5, owns_livestock: 'no', livestock: [] };
    const rr = evaluateQuestionnaire(form.compiled, rich, { today: '2026-12-01' });
    expect(rr.issues).toEqual([]);
    expect(pmtScore(form.definition.pmt!, rr.values).eligible).toBe(false);
  });

  it('refuses what the form refuses, in both languages', () => {
    const a = household();
    (a.members as Answers[])[1]!.m_relationship = 'head';
    a.phone = '12345';
    a.other_income = ['none', 'rent'];
    delete a.interviewer_id;
    const r = evaluateQuestionnaire(form.compiled, a, { today: '2026-12-01' });
    expect(r.issues.map((i) => [i.path, i.code, i.message.en])).toEqual([
      ['phone', 'CONSTRAINT', '11 digits starting with 010, 011, 012 or 015'],
      ['members[2].m_relationship', 'CONSTRAINT', 'The first member is the head, and only the first'],
      ['other_income', 'CONSTRAINT', '"None" cannot be combined with other sources'],
      ['interviewer_id', 'REQUIRED', 'This question is required'],
    ]);
    expect(r.issues[0]!.message.ar).toBe('11 رقماً تبدأ بـ 010 أو 011 أو 012 أو 015');
    // Without consent, everything after is skipped and the form is complete as soon as the closing part is.
    const refused = evaluateQuestionnaire(form.compiled, { interview_date: '2026-12-01', visit_type: 'first', respondent_consent: 'no', interviewer_id: 'R0042' }, { today: '2026-12-01' });
    expect(refused.complete).toBe(true);
    expect(refused.visible).toContain('consent_refused');
  });
});

describe('invalid XLSForms name the sheet, row and column', () => {
  function issuesFor(mutate: (sheets: { name: string; rows: string[][] }[]) => void): DefinitionIssue[] {
    const sheets = csvSheets();
    mutate(sheets);
    try {
      importXlsForm(writeWorkbook(sheets));
    } catch (e) {
      expect(e).toBeInstanceOf(QuestionnaireDefinitionError);
      return (e as QuestionnaireDefinitionError).issues;
    }
    throw new Error('expected the form to be refused');
  }
  const survey = (s: { name: string; rows: string[][] }[]) => s.find((x) => x.name === 'survey')!.rows;
  const rowOf = (rows: string[][], name: string) => rows.findIndex((r) => r[1] === name);

  it('reports each problem at its cell', () => {
    let hh = 0;
    let cars = 0;
    let phone = 0;
    let rooms = 0;
    const issues = issuesFor((s) => {
      const rows = survey(s);
      hh = rowOf(rows, 'hh_size');
      rows[hh]![7] = '${respondent_consnt} = "yes"'; // relevant (H)
      cars = rowOf(rows, 'n_cars');
      rows[cars]![3] = ''; // label::Arabic (ar) (D)
      phone = rowOf(rows, 'phone');
      rows[phone]![0] = 'barcode'; // type (A)
      rooms = rowOf(rows, 'rooms');
      rows[rooms]![8] = '. >= 1 and'; // constraint (I)
      const pmt = s.find((x) => x.name === 'pmt')!.rows;
      pmt[3]![2] = 'heavy'; // weight (C)
    });
    const at = (i: DefinitionIssue) => [i.sheet, i.row, i.column, i.header, i.question];
    expect(issues.map(at)).toEqual([
      ['survey', phone + 1, 'A', 'type', 'phone'],
      ['survey', cars + 1, 'D', 'label::Arabic (ar)', 'n_cars'],
      ['pmt', 4, 'C', 'weight', 'persons_per_room'],
    ]);
    // Expression problems are found when the definition is compiled: fixed the above, they show at their cells.
    const later = issuesFor((s) => {
      const rows = survey(s);
      rows[rowOf(rows, 'hh_size')]![7] = '${respondent_consnt} = "yes"';
      rows[rowOf(rows, 'rooms')]![8] = '. >= 1 and';
    });
    expect(later.map(at)).toEqual([
      ['survey', rooms + 1, 'I', 'constraint', 'rooms'],
      ['survey', hh + 1, 'H', 'relevant', 'hh_size'],
    ]);
    expect(later[1]!.message).toBe('unknown question ${respondent_consnt}');
    expect((() => {
      try {
        importXlsForm(writeWorkbook(csvSheets().map((x) => (x.name === 'survey' ? { ...x, rows: x.rows.map((r) => (r[1] === 'rooms' ? [...r.slice(0, 8), '. >= 1 and', ...r.slice(9)] : r)) } : x))));
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    })()).toContain(`survey!I${rooms + 1} (constraint): question "rooms" constraint: unexpected end of expression`);
  });

  it('reports unbalanced groups and repeats and an unknown choice list', () => {
    const issues = issuesFor((s) => {
      const rows = survey(s);
      rows.splice(rows.findIndex((r) => r[0] === 'end repeat' && rows.indexOf(r) > rowOf(rows, 'animal_count')), 1);
      rows[rowOf(rows, 'tenure')]![0] = 'select_one tenures';
    });
    expect(issues.map((i) => [i.row, i.column, i.message])).toEqual(
      expect.arrayContaining([
        [expect.any(Number), 'A', expect.stringMatching(/"end group" closes repeat "livestock"/)],
        [expect.any(Number), 'A', expect.stringMatching(/begin (group|repeat) ".*" is never ended/)],
      ]),
    );
  });

  it('names the missing survey sheet and refuses broken files with a typed error', () => {
    expect(() => importXlsForm(writeWorkbook([{ name: 'choices', rows: [['list_name', 'name']] }]))).toThrowError(expect.objectContaining({ code: 'QUESTIONNAIRE_INVALID', message: expect.stringContaining('no "survey" sheet') }) as Error);
    const good = writeWorkbook(csvSheets());
    expect(() => importXlsForm(Buffer.from('not a zip at all, just text'))).toThrowError(expect.objectContaining({ code: 'XLSX_UNREADABLE' }) as Error);
    expect(() => importXlsForm(good.subarray(0, good.length - 200))).toThrowError(expect.objectContaining({ code: 'XLSX_UNREADABLE' }) as Error);
    const flipped = Buffer.from(good);
    flipped[200] = flipped[200]! ^ 0xff;
    expect(() => importXlsForm(flipped)).toThrowError(expect.objectContaining({ code: 'XLSX_UNREADABLE' }) as Error);
  });

  it('reads a workbook written by openpyxl (shared strings, numbers, booleans)', () => {
    const f = importXlsForm(readFileSync(path.join(root, 'test/data/questionnaire/openpyxl-shared-strings.xlsx')));
    expect(f.definition.id).toBe('excel_style');
    expect(f.definition.version).toBe('3');
    expect(f.definition.items[0]).toMatchObject({ name: 'age', type: 'integer', required: true, label: { ar: 'العمر', en: 'Age' } });
    expect(f.definition.items[1]).toMatchObject({ label: { en: 'OK? & <fine>' } });
    expect(f.definition.pmt).toEqual({ intercept: 1.5, terms: [{ kind: 'numeric', name: 'age', weight: -0.25 }, { kind: 'choice', name: 'ok', weights: { yes: 0.5 } }] });
  });
});
