// Bad input always gets a typed error: random byte damage to an .xlsx, random expression text, random answers.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KioskError } from '../../../main/contract/errors.js';
import { compileQuestionnaire, evaluateQuestionnaire, importXlsForm } from '../../../sync/questionnaire/index.js';
import { ExpressionSyntaxError, parseExpression } from '../../../sync/questionnaire/expression.js';
import { parseXml } from '../../../sync/questionnaire/xlsx/xml.js';
import { householdForm } from './fixtures.js';

const root = path.resolve(import.meta.dirname, '../../..');
const xlsx = readFileSync(path.join(root, 'docs/examples/social-registry.xlsx'));

describe('robustness', () => {
  it('a damaged .xlsx imports or fails with XLSX_UNREADABLE / QUESTIONNAIRE_INVALID, never anything else', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(xlsx.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), fc.option(fc.nat(xlsx.length), { nil: undefined }), (edits, cut) => {
        const b = Buffer.from(xlsx);
        for (const [at, v] of edits) b[at] = v;
        const input = cut === undefined ? b : b.subarray(0, cut);
        try {
          importXlsForm(input);
        } catch (e) {
          expect(e).toBeInstanceOf(KioskError);
          expect(['XLSX_UNREADABLE', 'QUESTIONNAIRE_INVALID']).toContain((e as KioskError).code);
        }
      }),
      { numRuns: 150, seed: 19 },
    );
  });

  it('any XML text parses or fails with XLSX_UNREADABLE (no DTDs)', () => {
    const alphabet = fc.constantFrom('<', '>', '/', '?', '!', '"', "'", '=', ' ', 'a', 'x:b', '&amp;', '&#x41;', '&#1114112;', '&bad;', '<![CDATA[', ']]>', '<!--', '-->', '<!DOCTYPE', 't', '\n');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }), (parts) => {
        try {
          parseXml(parts.join(''), 'fuzz.xml');
        } catch (e) {
          expect((e as KioskError).code).toBe('XLSX_UNREADABLE');
        }
      }),
      { numRuns: 800, seed: 19 },
    );
    expect(() => parseXml('<!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>', 'dtd.xml')).toThrowError(expect.objectContaining({ code: 'XLSX_UNREADABLE' }) as Error);
  });

  it('any expression text parses or fails with an ExpressionSyntaxError', () => {
    const alphabet = fc.constantFrom(...'${}()<>=!.,\'"+-*/ abcdivmodandor0123456789_'.split(''), 'div', 'and', 'if(', 'selected(', '${x}', '..');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 30 }), (parts) => {
        try {
          parseExpression(parts.join(''));
        } catch (e) {
          expect(e).toBeInstanceOf(ExpressionSyntaxError);
        }
      }),
      { numRuns: 500, seed: 19 },
    );
  });

  it('any JSON-ish answers evaluate to issues, never a crash', () => {
    const q = compileQuestionnaire(householdForm());
    const value = fc.oneof(fc.string(), fc.double(), fc.integer(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.record({ lat: fc.double(), lon: fc.double() }));
    const member = fc.dictionary(fc.constantFrom('m_name', 'm_rel', 'm_dob', 'm_income', 'junk'), value);
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('hh_size', 'school_distance', 'assets', 'n_cars', 'gps', 'photo', 'other'), value), fc.array(member, { maxLength: 4 }), (top, members) => {
        const r = evaluateQuestionnaire(q, { ...top, members } as never, { today: '2026-12-04' });
        expect(typeof r.complete).toBe('boolean');
        expect(r.complete).toBe(r.issues.length === 0);
      }),
      { numRuns: 300, seed: 19 },
    );
  });
});
