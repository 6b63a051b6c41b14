// A small household questionnaire used by the engine tests (skip logic, a repeat per member with a count, a
// calculation over the repeat, constraints with messages, a PMT).
import type { Answers, QuestionnaireDef } from '../../../sync/questionnaire/index.js';

const L = (en: string, ar: string) => ({ en, ar });

export function householdForm(): QuestionnaireDef {
  return {
    id: 'hh_test',
    version: '1',
    title: L('Household', 'الأسرة'),
    choiceLists: {
      yes_no: [
        { name: 'yes', label: L('Yes', 'نعم') },
        { name: 'no', label: L('No', 'لا') },
      ],
      rel: [
        { name: 'head', label: L('Head', 'رب الأسرة') },
        { name: 'spouse', label: L('Spouse', 'زوج') },
        { name: 'child', label: L('Child', 'ابن') },
      ],
      assets: [
        { name: 'tv', label: L('TV', 'تلفزيون') },
        { name: 'car', label: L('Car', 'سيارة') },
        { name: 'none', label: L('None', 'لا شيء') },
      ],
    },
    items: [
      { kind: 'question', name: 'hh_size', type: 'integer', label: L('Household size', 'عدد الأفراد'), required: true, constraint: '. >= 1 and . <= 20', constraintMessage: L('Between 1 and 20', 'بين 1 و20') },
      {
        kind: 'repeat',
        name: 'members',
        label: L('Member', 'فرد'),
        count: '${hh_size}',
        items: [
          { kind: 'question', name: 'm_name', type: 'text', label: L('Name', 'الاسم'), required: true },
          { kind: 'question', name: 'm_rel', type: 'select_one', choices: 'rel', label: L('Relationship', 'الصلة'), required: true, constraint: "(position(..) = 1) = (. = 'head')", constraintMessage: L('The first member, and only the first, is the head', 'الفرد الأول فقط هو رب الأسرة') },
          { kind: 'question', name: 'm_dob', type: 'date', label: L('Date of birth', 'تاريخ الميلاد'), required: true },
          { kind: 'calculate', name: 'm_age', calculation: 'int((today() - ${m_dob}) div 365.25)' },
          { kind: 'question', name: 'm_income', type: 'decimal', label: L('Monthly income', 'الدخل الشهري'), required: true, relevant: '${m_age} >= 15' },
          { kind: 'calculate', name: 'm_child', calculation: 'if(${m_age} < 18, 1, 0)' },
        ],
      },
      { kind: 'calculate', name: 'n_children', calculation: 'sum(${m_child})' },
      { kind: 'calculate', name: 'income_pc', calculation: 'round(sum(${m_income}) div ${hh_size}, 2)' },
      { kind: 'question', name: 'school_distance', type: 'decimal', label: L('Distance to school (km)', 'المسافة إلى المدرسة (كم)'), required: true, relevant: '${n_children} > 0' },
      { kind: 'question', name: 'assets', type: 'select_multiple', choices: 'assets', label: L('Assets', 'الممتلكات'), required: true, constraint: "not(selected(., 'none') and count-selected(.) > 1)" },
      { kind: 'question', name: 'n_cars', type: 'integer', label: L('Cars', 'السيارات'), required: true, relevant: "selected(${assets}, 'car')" },
      { kind: 'question', name: 'gps', type: 'geopoint', label: L('Location', 'الموقع') },
      { kind: 'question', name: 'photo', type: 'photo', label: L('Photo', 'صورة') },
    ],
    pmt: {
      intercept: 8,
      threshold: 8.2,
      terms: [
        { kind: 'numeric', name: 'hh_size', weight: -0.1, cap: 10 },
        { kind: 'numeric', name: 'income_pc', weight: 0.2, transform: 'log1p' },
        { kind: 'numeric', name: 'n_cars', weight: 0.3, missing: 0 },
        { kind: 'choice', name: 'assets', weights: { tv: 0.05, car: 0.1, none: -0.2 } },
      ],
    },
  };
}

export const family = (): Answers => ({
  hh_size: 5,
  members: [
    { m_name: 'Ahmed', m_rel: 'head', m_dob: '1980-03-01', m_income: 4000 },
    { m_name: 'Mona', m_rel: 'spouse', m_dob: '1985-07-10', m_income: 1000 },
    { m_name: 'Ali', m_rel: 'child', m_dob: '2012-01-20' },
    { m_name: 'Sara', m_rel: 'child', m_dob: '2015-05-05' },
    { m_name: 'Omar', m_rel: 'child', m_dob: '2020-09-09' },
  ],
  school_distance: 1.5,
  assets: ['tv', 'car'],
  n_cars: 1,
  gps: { lat: 30.0444, lon: 31.2357, accuracy: 8 },
});
