// Unit tests: ULID, RID check digits, lifecycle table, ID schema, Egyptian-style national numbers.
import { describe, expect, it } from 'vitest';
import { ENROLLMENT_STATUSES, IllegalTransitionError, ForbiddenRoleError, TRANSITIONS, assertTransition, canTransition } from '../../../main/enrollment/lifecycle.js';
import { ULID_PATTERN, createUlidGenerator, ulidTime } from '../../../main/enrollment/ulid.js';
import { formatRid, isValidRid, parseRid } from '../../../main/enrollment/rid.js';
import { DEFAULT_ID_SCHEMA, compileIdSchema } from '../../../main/enrollment/id-schema.js';
import { makeEgNationalNumber, parseEgNationalNumber } from '../../../main/enrollment/egypt-national-number.js';
import { demoPerson } from '../../../main/enrollment/demo-people.js';

describe('ULID', () => {
  it('is 26 Crockford chars, encodes the time, and is strictly increasing within one millisecond', () => {
    const next = createUlidGenerator(() => 1_700_000_000_000);
    const ids = Array.from({ length: 1000 }, next);
    for (const id of ids) expect(id).toMatch(ULID_PATTERN);
    expect(ulidTime(ids[0]!)).toBe(1_700_000_000_000);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(1000);
  });

  it('stays monotonic when the clock goes backwards', () => {
    let t = 2_000_000;
    const next = createUlidGenerator(() => t);
    const a = next();
    t -= 1000;
    const b = next();
    expect(b > a).toBe(true);
  });
});

describe('RID (ISO 7064 mod 97-10)', () => {
  const rid = formatRid('C-CAI', 'K-07', '2026-03-09', 42);
  it('formats and parses', () => {
    expect(rid).toMatch(/^C-CAI\.K-07\.20260309\.000042\.\d{2}$/);
    expect(parseRid(rid)).toEqual({ centreId: 'C-CAI', kioskId: 'K-07', day: '20260309', sequence: 42 });
  });
  it('detects every single-digit substitution and adjacent transposition in the numeric part', () => {
    let checked = 0;
    for (let i = 0; i < rid.length; i++) {
      if (!/\d/.test(rid[i]!)) continue;
      for (let d = 0; d <= 9; d++) {
        if (String(d) === rid[i]) continue;
        expect(isValidRid(rid.slice(0, i) + d + rid.slice(i + 1)), `substitution at ${i}`).toBe(false);
        checked++;
      }
      const j = i + 1;
      if (j < rid.length && /\d/.test(rid[j]!) && rid[i] !== rid[j]) {
        expect(isValidRid(rid.slice(0, i) + rid[j] + rid[i] + rid.slice(j + 1)), `transposition at ${i}`).toBe(false);
      }
    }
    expect(checked).toBeGreaterThan(100);
    const [a, b] = [rid.slice(0, -2), rid.slice(-2)];
    expect(isValidRid(`${a}${b[1]}${b[0]}`)).toBe(b[0] === b[1]);
    expect(isValidRid(rid.replace('000042', '000024'))).toBe(false);
    expect(isValidRid(rid.replace('K-07', 'K-70'))).toBe(false);
  });
});

describe('lifecycle', () => {
  const system = { operatorId: 'system', role: 'system' } as const;
  const sup = { operatorId: 's', role: 'supervisor' } as const;
  const clerk = { operatorId: 'c', role: 'clerk' } as const;
  it('allows exactly the documented edges and throws IllegalTransitionError for every other pair', () => {
    let legal = 0;
    for (const from of ENROLLMENT_STATUSES) {
      for (const to of ENROLLMENT_STATUSES) {
        const roles = TRANSITIONS[from][to];
        if (roles) {
          legal++;
          const actor = roles.includes('system') ? system : roles.includes('supervisor') ? sup : { operatorId: 't', role: 'technician' as const };
          expect(() => assertTransition(from, to, actor)).not.toThrow();
        } else {
          expect(() => assertTransition(from, to, sup), `${from}→${to}`).toThrow(IllegalTransitionError);
        }
      }
    }
    expect(legal).toBe(12);
    expect(canTransition('draft', 'approved')).toBe(false);
  });
  it('enforces the role of each edge', () => {
    expect(() => assertTransition('pending_approval', 'approved', clerk)).toThrow(ForbiddenRoleError);
    expect(() => assertTransition('sealed', 'uploaded', clerk)).toThrow(ForbiddenRoleError);
  });
});

describe('ID schema', () => {
  const schema = compileIdSchema();
  it('accepts generated demo people and checks the national number against DOB and sex', () => {
    for (let i = 0; i < 50; i++) expect(schema.full.safeParse(demoPerson(i, 3)).success).toBe(true);
    const p = demoPerson(1, 3);
    const wrongSex = schema.full.safeParse({ ...p, sex: p.sex === 'M' ? 'F' : 'M' });
    expect(wrongSex.success).toBe(false);
    expect(wrongSex.error?.issues[0]?.path).toEqual(['nationalNumber']);
    expect(schema.full.safeParse({ ...p, dateOfBirth: '1999-02-30' }).success).toBe(false);
    expect(schema.full.safeParse({ ...p, givenNameAr: 'Ahmed' }).success).toBe(false);
    expect(schema.full.safeParse({ ...p, extra: 'x' }).success).toBe(false);
    expect(schema.partial.safeParse({ givenNameLatin: 'Ahmed' }).success).toBe(true);
  });
  it('compiles a custom description from JSON and rejects a bad one', () => {
    const custom = compileIdSchema(JSON.parse(JSON.stringify({ id: 'x', version: 2, fields: [{ name: 'memberNo', type: 'digits', minLength: 6, maxLength: 6 }, { name: 'tribe', type: 'enum', values: ['a', 'b'], required: false }] })));
    expect(custom.full.safeParse({ memberNo: '123456' }).success).toBe(true);
    expect(custom.full.safeParse({ memberNo: '12345' }).success).toBe(false);
    expect(custom.full.safeParse({ memberNo: '123456', tribe: 'c' }).success).toBe(false);
    expect(() => compileIdSchema({ id: 'y', version: 1, fields: [{ name: '1bad', type: 'text' }] })).toThrow(/ID schema/);
    expect(DEFAULT_ID_SCHEMA.fields).toHaveLength(12);
  });
  it('Egyptian-style national numbers encode date of birth, governorate and sex', () => {
    const nn = makeEgNationalNumber('1987-06-15', '01', 'F', 123);
    expect(nn).toMatch(/^2870615\d{7}$/);
    expect(parseEgNationalNumber(nn)).toEqual({ dateOfBirth: '1987-06-15', governorate: '01', sex: 'F' });
    expect(parseEgNationalNumber(makeEgNationalNumber('2004-12-31', '88', 'M', 7))?.sex).toBe('M');
    expect(parseEgNationalNumber('29902301234567')).toBeNull();
  });
});
