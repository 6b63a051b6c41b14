// A small household questionnaire for the end-to-end test (test/e2e/household.test.ts): skip logic (water source
// "other" asks which; work asked from 15 years, income only of those who work), a repeat group with one instance per
// member (counted by the household size), calculations (age, children, income per person) and a PMT. The test
// computes the expected score from the answers by hand (expectedPmt) and compares it with the registry's.
export const HOUSEHOLD_QUESTIONNAIRE = {
  id: 'hh_e2e',
  version: '1',
  title: { ar: 'استبيان الأسرة', en: 'Household questionnaire' },
  choiceLists: {
    water: [
      { name: 'piped', label: { ar: 'شبكة مياه', en: 'Piped water' } },
      { name: 'well', label: { ar: 'بئر', en: 'Well' } },
      { name: 'other', label: { ar: 'مصدر آخر', en: 'Other source' } },
    ],
    yesno: [
      { name: 'yes', label: { ar: 'نعم', en: 'Yes' } },
      { name: 'no', label: { ar: 'لا', en: 'No' } },
    ],
    assets: [
      { name: 'tv', label: { ar: 'تلفاز', en: 'Television' } },
      { name: 'fridge', label: { ar: 'ثلاجة', en: 'Refrigerator' } },
      { name: 'car', label: { ar: 'سيارة', en: 'Car' } },
    ],
  },
  items: [
    {
      kind: 'group',
      name: 'dwelling',
      label: { ar: 'المسكن والمياه', en: 'Dwelling and water' },
      items: [
        { kind: 'question', name: 'rooms', type: 'integer', label: { ar: 'عدد الغرف المستخدمة للنوم', en: 'Rooms used for sleeping' }, required: true, constraint: '. >= 1 and . <= 20', constraintMessage: { ar: 'بين 1 و20 غرفة', en: 'Between 1 and 20 rooms' } },
        { kind: 'question', name: 'water', type: 'select_one', choices: 'water', label: { ar: 'المصدر الرئيسي لمياه الشرب', en: 'Main source of drinking water' }, required: true },
        { kind: 'question', name: 'water_other', type: 'text', label: { ar: 'ما هو المصدر؟', en: 'Which source?' }, required: true, relevant: "${water} = 'other'" },
        { kind: 'question', name: 'dwelling_gps', type: 'geopoint', label: { ar: 'موقع المسكن', en: 'Location of the dwelling' } },
        { kind: 'question', name: 'dwelling_photo', type: 'photo', label: { ar: 'صورة المسكن من الخارج', en: 'Photo of the dwelling from outside' } },
      ],
    },
    { kind: 'question', name: 'hh_size', type: 'integer', label: { ar: 'عدد أفراد الأسرة', en: 'Number of household members' }, required: true, constraint: '. >= 1 and . <= 20', constraintMessage: { ar: 'بين 1 و20 فردًا', en: 'Between 1 and 20 members' } },
    {
      kind: 'repeat',
      name: 'members',
      label: { ar: 'الفرد', en: 'Member' },
      count: '${hh_size}',
      items: [
        { kind: 'question', name: 'm_dob', type: 'date', label: { ar: 'تاريخ الميلاد', en: 'Date of birth' }, required: true, constraint: '. <= today()', constraintMessage: { ar: 'تاريخ في المستقبل', en: 'A date in the future' } },
        { kind: 'calculate', name: 'm_age', calculation: 'int((today() - ${m_dob}) div 365.25)' },
        { kind: 'question', name: 'm_works', type: 'select_one', choices: 'yesno', label: { ar: 'هل يعمل بأجر؟', en: 'Works for pay?' }, required: true, relevant: '${m_age} >= 15' },
        { kind: 'question', name: 'm_income', type: 'decimal', label: { ar: 'الدخل الشهري (جنيه)', en: 'Monthly income (EGP)' }, required: true, relevant: "${m_works} = 'yes'", constraint: '. >= 0' },
        { kind: 'calculate', name: 'm_child', calculation: 'if(${m_age} < 18, 1, 0)' },
        { kind: 'calculate', name: 'm_earned', calculation: "if(${m_works} = 'yes', ${m_income}, 0)" },
      ],
    },
    { kind: 'calculate', name: 'n_children', calculation: 'sum(${m_child})' },
    { kind: 'calculate', name: 'income_pc', calculation: 'sum(${m_earned}) div ${hh_size}' },
    {
      kind: 'group',
      name: 'assets_group',
      label: { ar: 'الممتلكات', en: 'Assets' },
      items: [{ kind: 'question', name: 'assets', type: 'select_multiple', choices: 'assets', label: { ar: 'ما تملكه الأسرة', en: 'What the household owns' } }],
    },
  ],
  pmt: {
    intercept: 10,
    threshold: 12.5,
    terms: [
      { kind: 'numeric', name: 'hh_size', weight: -0.2, cap: 10 },
      { kind: 'numeric', name: 'n_children', weight: -0.3 },
      { kind: 'numeric', name: 'income_pc', weight: 0.5, transform: 'log1p' },
      { kind: 'choice', name: 'water', weights: { piped: 0.4, well: 0, other: -0.2 } },
      { kind: 'choice', name: 'assets', weights: { tv: 0.2, fridge: 0.3, car: 1 } },
    ],
  },
} as const;

/** The PMT of the formula above, by hand: intercept + Σ weights (docs/QUESTIONNAIRE.md, "PMT"). */
export function expectedPmt(a: { hhSize: number; children: number; incomes: number[]; water: 'piped' | 'well' | 'other'; assets: ('tv' | 'fridge' | 'car')[] }): number {
  const water = { piped: 0.4, well: 0, other: -0.2 }[a.water];
  const assets = a.assets.reduce((s, x) => s + { tv: 0.2, fridge: 0.3, car: 1 }[x], 0);
  const perCapita = a.incomes.reduce((s, x) => s + x, 0) / a.hhSize;
  return 10 - 0.2 * Math.min(a.hhSize, 10) - 0.3 * a.children + 0.5 * Math.log1p(perCapita) + water + assets;
}
