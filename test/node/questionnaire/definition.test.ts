// Loading a definition: shape errors and semantic errors (names, choice lists, expressions, repeat scoping, cycles,
// PMT terms) each name the question and the attribute.
import { describe, expect, it } from 'vitest';
import { compileQuestionnaire, QuestionnaireDefinitionError, type DefinitionIssue, type QuestionnaireDef } from '../../../sync/questionnaire/index.js';
import { householdForm } from './fixtures.js';

function issuesOf(def: unknown): Pick<DefinitionIssue, 'question' | 'field' | 'message'>[] {
  try {
    compileQuestionnaire(def);
  } catch (e) {
    expect(e).toBeInstanceOf(QuestionnaireDefinitionError);
    expect((e as QuestionnaireDefinitionError).code).toBe('QUESTIONNAIRE_INVALID');
    return (e as QuestionnaireDefinitionError).issues.map(({ question, field, message }) => ({ question, field, message }));
  }
  throw new Error('expected the definition to be refused');
}

function edit(fn: (d: QuestionnaireDef) => void): QuestionnaireDef {
  const d = householdForm();
  fn(d);
  return d;
}

describe('questionnaire definitions', () => {
  it('loads the household form', () => {
    const q = compileQuestionnaire(householdForm());
    expect([...q.nodes.keys()]).toContain('m_age');
    expect(q.nodes.get('m_age')!.repeats.map((r) => r.name)).toEqual(['members']);
  });

  it('names the question for a shape error (missing Arabic label, unknown type)', () => {
    const d = edit((x) => {
      (x.items[0] as { label: unknown }).label = { en: 'Household size' };
      (x.items[4] as { type: string }).type = 'barcode';
    });
    const issues = issuesOf(d);
    expect(issues).toContainEqual(expect.objectContaining({ question: 'hh_size', field: 'label.ar' }));
    expect(issues).toContainEqual(expect.objectContaining({ question: 'school_distance', field: 'type' }));
  });

  it('names the question for duplicate names, bad choice lists and expression syntax', () => {
    const d = edit((x) => {
      x.items.push({ kind: 'question', name: 'hh_size', type: 'text', label: { en: 'Again', ar: 'مرة أخرى' } });
      x.items.push({ kind: 'question', name: 'q_sel', type: 'select_one', label: { en: 'Pick', ar: 'اختر' } });
      x.items.push({ kind: 'question', name: 'q_list', type: 'select_one', choices: 'nope', label: { en: 'Pick', ar: 'اختر' } });
      x.items.push({ kind: 'question', name: 'q_syntax', type: 'integer', label: { en: 'N', ar: 'ع' }, relevant: '${hh_size} >' });
    });
    expect(issuesOf(d)).toEqual([
      { question: 'hh_size', field: 'name', message: 'name is used twice (names must be unique in the form)' },
      { question: 'q_sel', field: 'choices', message: 'select_one needs a choice list' },
      { question: 'q_list', field: 'choices', message: 'unknown choice list "nope"' },
      { question: 'q_syntax', field: 'relevant', message: 'unexpected end of expression (at character 13)' },
    ]);
  });

  it('checks references: unknown names, repeat scoping, "." outside constraints', () => {
    const d = edit((x) => {
      x.items.push({ kind: 'calculate', name: 'c_unknown', calculation: '${hh_sise} + 1' });
      x.items.push({ kind: 'calculate', name: 'c_scope', calculation: '${m_income} * 2' });
      x.items.push({ kind: 'calculate', name: 'c_self', calculation: '. + 1' });
      x.items.push({ kind: 'calculate', name: 'c_ok', calculation: 'count(${members}) + max(${m_age})' });
    });
    expect(issuesOf(d)).toEqual([
      { question: 'c_unknown', field: 'calculation', message: 'unknown question ${hh_sise}' },
      { question: 'c_scope', field: 'calculation', message: '${m_income} is inside repeat "members": use it inside count(), sum(), max(), min() or join() here' },
      { question: 'c_self', field: 'calculation', message: '"." (this answer) is only meaningful in a constraint' },
    ]);
  });

  it('refuses cycles between calculations and relevance', () => {
    const d = edit((x) => {
      x.items.push({ kind: 'calculate', name: 'a', calculation: '${b} + 1' });
      x.items.push({ kind: 'calculate', name: 'b', calculation: '${a} + 1' });
      x.items.push({ kind: 'question', name: 'selfish', type: 'integer', label: { en: 'S', ar: 'س' }, relevant: '${selfish} > 0' });
    });
    const issues = issuesOf(d);
    expect(issues).toContainEqual({ question: 'a', field: 'relevant/calculation', message: 'depends on itself: ${a} → ${b} → ${a}' });
    expect(issues).toContainEqual({ question: 'selfish', field: 'relevant/calculation', message: 'depends on itself: ${selfish} → ${selfish}' });
  });

  it('checks the PMT terms against the questions', () => {
    const d = edit((x) => {
      x.pmt!.terms.push({ kind: 'numeric', name: 'm_income', weight: 1 });
      x.pmt!.terms.push({ kind: 'numeric', name: 'assets', weight: 1 });
      x.pmt!.terms.push({ kind: 'choice', name: 'assets', weights: { boat: 1 } });
      x.pmt!.terms.push({ kind: 'numeric', name: 'ghost', weight: 1 });
    });
    expect(issuesOf(d).map((i) => [i.question, i.field, i.message.slice(0, 40)])).toEqual([
      ['m_income', 'pmt.terms[4]', 'PMT terms use household-level answers: a'],
      ['assets', 'pmt.terms[5]', 'a numeric PMT term needs an integer, dec'],
      ['assets', 'pmt.terms[6]', 'weights for unknown choices: boat'],
      ['ghost', 'pmt.terms[7]', 'PMT term names an unknown question'],
    ]);
  });
});
