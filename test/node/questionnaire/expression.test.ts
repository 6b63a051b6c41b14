// The XLSForm expression language: parse errors with their position, XPath-style evaluation (empty answers, dates,
// selections, node-sets).
import { describe, expect, it } from 'vitest';
import { evaluate, NodeSet, parseExpression, references, type ExprEnv, type XValue } from '../../../sync/questionnaire/expression.js';

function run(src: string, refs: Record<string, XValue> = {}, self: string | number = '') {
  const env: ExprEnv = { ref: (n) => refs[n] ?? '', self: () => self, position: () => 2, today: () => '2026-12-04' };
  return evaluate(parseExpression(src), env);
}

describe('expressions', () => {
  it('evaluates arithmetic, comparisons and logic with XPath precedence', () => {
    expect(run('1 + 2 * 3')).toBe(7);
    expect(run('(1 + 2) * 3')).toBe(9);
    expect(run('7 div 2')).toBe(3.5);
    expect(run('7 mod 3')).toBe(1);
    expect(run('-2 + 5')).toBe(3);
    expect(run('1 < 2 and 2 < 3 or 1 = 0')).toBe(true);
    expect(run('not(1 = 1)')).toBe(false);
    expect(run("'a' != 'b'")).toBe(true);
  });

  it('treats empty answers as empty strings: numeric comparisons are false, emptiness is testable', () => {
    expect(run('${age} >= 18', { age: '' })).toBe(false);
    expect(run('${age} < 18', { age: '' })).toBe(false);
    expect(run("${age} = ''", { age: '' })).toBe(true);
    expect(run('${age} >= 18', { age: 30 })).toBe(true);
    expect(run("coalesce(${x}, 'none')", { x: '' })).toBe('none');
  });

  it('computes ages from dates as ODK does (days since 1970)', () => {
    expect(run('int((today() - ${dob}) div 365.25)', { dob: '1990-06-15' })).toBe(36);
    expect(run('. <= today()', {}, '2027-01-01')).toBe(false);
    expect(run('. <= today()', {}, '2026-12-04')).toBe(true);
  });

  it('handles selections and node-sets', () => {
    expect(run("selected(${a}, 'car')", { a: 'tv car' })).toBe(true);
    expect(run("selected(${a}, 'ca')", { a: 'tv car' })).toBe(false);
    expect(run('count-selected(.)', {}, 'tv car fridge')).toBe(3);
    expect(run('sum(${x})', { x: new NodeSet([1, 2, '', 4]) })).toBe(7);
    expect(run('count(${x})', { x: new NodeSet([1, '', 3]) })).toBe(2);
    expect(run('max(${x})', { x: new NodeSet([1, 9, 3]) })).toBe(9);
    expect(run("join(', ', ${x})", { x: new NodeSet(['a', '', 'b']) })).toBe('a, b');
    expect(run('${x} > 5', { x: new NodeSet([1, 9]) })).toBe(true);
    expect(run("regex(., '^[0-9]{14}$')", {}, '29001010123456')).toBe(true);
    expect(run('position(..)')).toBe(2);
    expect(run("if(${n} > 0, 'some', 'none')", { n: 0 })).toBe('none');
    expect(run('round(10 div 3, 2)')).toBe(3.33);
    expect(run("string-length('عربي')")).toBe(4);
  });

  it('lists references and marks the ones inside aggregates', () => {
    expect(references(parseExpression('sum(${a}) + ${b} + count-selected(${c})'))).toEqual([
      { name: 'a', aggregated: true },
      { name: 'b', aggregated: false },
      { name: 'c', aggregated: false },
    ]);
  });

  it('reports syntax errors with their position', () => {
    expect(() => parseExpression('${a} >= ')).toThrow(/unexpected end of expression/);
    expect(() => parseExpression('${a} >= 1)')).toThrow(/unexpected "\)" \(at character 10\)/);
    expect(() => parseExpression('frobnicate(1)')).toThrow(/unknown function frobnicate\(\)/);
    expect(() => parseExpression('if(1, 2)')).toThrow(/if\(\) takes 3 argument/);
    expect(() => parseExpression("'open")).toThrow(/unterminated string/);
    expect(() => parseExpression('${a b}')).toThrow(/invalid reference/);
    expect(() => parseExpression('age > 3')).toThrow(/not a function call or a \$\{reference\}/);
  });
});
