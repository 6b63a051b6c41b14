// Evaluation: skip logic, calculations (also over a repeat), repeat count, required, types, constraints with their
// messages, non-relevant answers dropped, unknown answers flagged; PMT formula; scoring a stored response.
import { describe, expect, it } from 'vitest';
import { compileQuestionnaire, evaluateQuestionnaire, pmtScore, scoreResponse, type Answers } from '../../../sync/questionnaire/index.js';
import { family, householdForm } from './fixtures.js';

const today = '2026-12-04';
const q = compileQuestionnaire(householdForm());

describe('questionnaire evaluation', () => {
  it('a complete household of five: calculations over the member repeat, skip logic by age', () => {
    const r = evaluateQuestionnaire(q, family(), { today });
    expect(r.issues).toEqual([]);
    expect(r.complete).toBe(true);
    expect(r.values.n_children).toBe(3);
    expect(r.values.income_pc).toBe(1000);
    const members = r.values.members as Answers[];
    expect(members.map((m) => m.m_age)).toEqual([46, 41, 14, 11, 6]);
    // Children under 15 are not asked their income.
    expect(r.visible).toContain('members[2].m_income');
    expect(r.visible).not.toContain('members[3].m_income');
    expect(r.visible).toContain('school_distance');
  });

  it('drops answers that skip logic made irrelevant and stops asking for them', () => {
    const a = { ...family(), assets: ['tv'], n_cars: 2 };
    const r = evaluateQuestionnaire(q, a, { today });
    expect(r.complete).toBe(true);
    expect(r.values.n_cars).toBeUndefined();
    expect(r.visible).not.toContain('n_cars');
    const adults = { ...family(), hh_size: 2, members: (family().members as Answers[]).slice(0, 2), school_distance: 3 };
    const r2 = evaluateQuestionnaire(q, adults, { today });
    expect(r2.values.n_children).toBe(0);
    expect(r2.values.school_distance).toBeUndefined();
  });

  it('names every missing, invalid and refused answer with its path and bilingual message', () => {
    const a = family() as Record<string, unknown>;
    a.hh_size = 6; // five members given
    (a.members as Record<string, unknown>[])[1]!.m_rel = 'head'; // two heads
    (a.members as Record<string, unknown>[])[0]!.m_income = undefined; // required
    (a.members as Record<string, unknown>[])[2]!.m_dob = '2012-02-30'; // not a date
    a.assets = ['none', 'tv'];
    a.n_cars = 1.5;
    a.gps = { lat: 95, lon: 0 };
    a.extra = 'x';
    const r = evaluateQuestionnaire(q, a as Answers, { today });
    expect(r.complete).toBe(false);
    expect(r.issues.map((i) => [i.path, i.code])).toEqual([
      ['extra', 'UNKNOWN_ANSWER'],
      ['members', 'REPEAT_COUNT'],
      ['members[1].m_income', 'REQUIRED'],
      ['members[2].m_rel', 'CONSTRAINT'],
      ['members[3].m_dob', 'INVALID_ANSWER'],
      ['assets', 'CONSTRAINT'],
      ['gps', 'INVALID_ANSWER'],
    ]);
    expect(r.issues.find((i) => i.path === 'members[2].m_rel')!.message).toEqual({ en: 'The first member, and only the first, is the head', ar: 'الفرد الأول فقط هو رب الأسرة' });
    expect(r.issues.find((i) => i.code === 'REPEAT_COUNT')!.message.en).toBe('6 entries are needed');
    expect(r.issues.find((i) => i.code === 'REQUIRED')!.message).toEqual({ ar: 'هذا السؤال مطلوب', en: 'This question is required' });
    // n_cars (1.5, not an integer) is not checked: without "car" among the assets it is not relevant.
    expect(r.visible).not.toContain('n_cars');
  });

  it('checks types: integers, choices, photos', () => {
    const bad = { ...family(), hh_size: 5.5, assets: ['boat'], photo: { ref: 'face', sha256: 'nope' } };
    const r = evaluateQuestionnaire(q, bad, { today });
    expect(r.issues.filter((i) => i.code === 'INVALID_ANSWER').map((i) => i.path)).toEqual(['hh_size', 'assets', 'photo']);
  });

  it('an empty questionnaire lists what is required first', () => {
    const r = evaluateQuestionnaire(q, {}, { today });
    expect(r.issues.map((i) => i.path)).toEqual(['hh_size', 'assets']);
    expect(r.visible[0]).toBe('hh_size');
  });
});

describe('proxy-means test', () => {
  it('is the documented linear formula over the evaluated values', () => {
    const r = evaluateQuestionnaire(q, family(), { today });
    const s = pmtScore(q.def.pmt!, r.values);
    const want = 8 + -0.1 * 5 + 0.2 * Math.log1p(1000) + 0.3 * 1 + (0.05 + 0.1);
    expect(s.score).toBeCloseTo(want, 9);
    expect(s.eligible).toBe(want <= 8.2);
    expect(s.terms.map((t) => t.name)).toEqual(['hh_size', 'income_pc', 'n_cars', 'assets']);
    // Caps, missing values, single choices.
    expect(pmtScore({ intercept: 1, terms: [{ kind: 'numeric', name: 'n', weight: 2, cap: 3, missing: -1 }] }, { n: 10 }).score).toBe(7);
    expect(pmtScore({ intercept: 1, terms: [{ kind: 'numeric', name: 'n', weight: 2, missing: -1 }] }, {}).score).toBe(0);
    expect(pmtScore({ intercept: 0, terms: [{ kind: 'choice', name: 'c', weights: { a: 0.5 } }] }, { c: 'a' }).score).toBe(0.5);
  });

  it('scores a stored response the same way on both sides, with today() = the day it was answered', () => {
    const response = { questionnaireId: 'hh_test', version: '1', answeredOn: today, answers: family() };
    const a = scoreResponse(q, response);
    const b = scoreResponse(compileQuestionnaire(JSON.parse(JSON.stringify(householdForm()))), JSON.parse(JSON.stringify(response)));
    expect(a.pmt!.score).toBe(b.pmt!.score);
    expect(a.values).toEqual(evaluateQuestionnaire(q, family(), { today }).values);
    // A year later the youngest adult-to-be changes nothing here, but ages do: the answered day is what counts.
    expect((scoreResponse(q, { ...response, answeredOn: '2027-12-04' }).values.members as Answers[])[2]!.m_age).toBe(15);
    expect(() => scoreResponse(q, { ...response, version: '2' })).toThrowError(expect.objectContaining({ code: 'QUESTIONNAIRE_INVALID' }) as Error);
    expect(() => scoreResponse(q, { ...response, answeredOn: 'yesterday' })).toThrowError(expect.objectContaining({ code: 'QUESTIONNAIRE_INVALID' }) as Error);
  });
});
