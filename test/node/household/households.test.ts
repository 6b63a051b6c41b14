// Households on a real store: migration (STRICT tables, one head, one household per person), the service (details
// encrypted, members added later, supervised and audited moves, "already in another household" for dedup), and the
// capture policy for children.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ageOn, memberCapturePolicy } from '../../../main/household/model.js';
import { migrate } from '../../../main/store/migrations/index.js';
import type { StoreServices } from '../../../main/store/index.js';
import { clerk, fullPatch, openTest, tempDataDir } from '../store/helpers.js';

const details = {
  address: { governorate: 'minya', district: 'مركز ملوي', village: 'دير أبو حنس', street: 'شارع الجامع منزل 12', landmark: 'بجوار المدرسة' },
  geolocation: { lat: 27.7806, lon: 30.8411, accuracy: 6 },
  dwelling: { type: 'rural_house', tenure: 'owned', rooms: 2 },
};

describe('migration 0005-households', () => {
  const tmp = tempDataDir('households-migration-');
  afterAll(() => tmp.cleanup());

  it('adds STRICT household tables on an existing store, keeps its data, enforces one head and one household per person', () => {
    const db = new Database(path.join(tmp.dir, 'm.db'));
    db.pragma('foreign_keys = ON');
    try {
      migrate(db, 4);
      db.prepare(`INSERT INTO enrollment (id, status, schema_version, centre_id, kiosk_id, operator_id, created_at, created_day, updated_at, rid, rid_index) VALUES (?, 'draft', 1, 'C', 'K', 'op', 1, '2026-01-01', 1, x'00', ?)`).run('E1', Buffer.from('a'));
      db.prepare(`INSERT INTO enrollment (id, status, schema_version, centre_id, kiosk_id, operator_id, created_at, created_day, updated_at, rid, rid_index) VALUES (?, 'draft', 1, 'C', 'K', 'op', 1, '2026-01-01', 1, x'00', ?)`).run('E2', Buffer.from('b'));
      expect(migrate(db, 5)).toEqual([5]);
      const strict = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name LIKE 'household%'").all() as { name: string; sql: string }[];
      expect(strict.map((t) => t.name).sort()).toEqual(['household', 'household_member']);
      for (const t of strict) expect(t.sql).toMatch(/STRICT$/);
      expect(db.prepare('SELECT count(*) AS n FROM enrollment').get()).toEqual({ n: 2 });
      db.prepare(`INSERT INTO household (id, centre_id, kiosk_id, operator_id, created_at, updated_at, details) VALUES ('H1', 'C', 'K', 'op', 1, 1, x'00')`).run();
      db.prepare(`INSERT INTO household (id, centre_id, kiosk_id, operator_id, created_at, updated_at, details) VALUES ('H2', 'C', 'K', 'op', 1, 1, x'00')`).run();
      const add = db.prepare('INSERT INTO household_member (enrollment_id, household_id, relationship, added_at) VALUES (?, ?, ?, 1)');
      add.run('E1', 'H1', 'head');
      expect(() => add.run('E2', 'H1', 'head')).toThrow(/UNIQUE/);
      expect(() => add.run('E1', 'H2', 'spouse')).toThrow(/UNIQUE|PRIMARY/);
      expect(() => add.run('E2', 'H1', 'cousin')).toThrow(/CHECK/);
      expect(() => add.run('E9', 'H1', 'child')).toThrow(/FOREIGN KEY/);
      add.run('E2', 'H1', 'spouse');
    } finally {
      db.close();
    }
  });
});

describe('household service', () => {
  const tmp = tempDataDir('households-');
  let s: StoreServices;
  const people: string[] = [];
  beforeAll(async () => {
    s = await openTest(tmp.dir);
    for (let i = 0; i < 7; i++) people.push((await s.enrollment.createDraft(clerk, fullPatch(i, 19))).id);
  });
  afterAll(async () => {
    await s?.dispose();
    tmp.cleanup();
  });

  it('creates a household of five with its head, keeps the address and location encrypted', async () => {
    const [head, spouse, c1, c2, c3] = people;
    const id = await s.households.create('clerk', head!, details);
    await s.households.addMember('clerk', id, spouse!, 'spouse');
    for (const c of [c1, c2, c3]) await s.households.addMember('clerk', id, c!, 'child');
    const h = (await s.households.get(id))!;
    expect(h.details).toEqual(details);
    expect(h.members.map((m) => [m.enrollmentId, m.relationship])).toEqual([
      [head, 'head'],
      [spouse, 'spouse'],
      [c1, 'child'],
      [c2, 'child'],
      [c3, 'child'],
    ]);
    expect(h.rev).toBe(4);
    const rev = await s.households.updateDetails('clerk', id, h.rev, { ...details, dwelling: { ...details.dwelling, rooms: 3 } });
    expect((await s.households.get(id))!.details.dwelling.rooms).toBe(3);
    await expect(s.households.updateDetails('clerk', id, rev - 1, details)).rejects.toMatchObject({ code: 'CONFLICT' });
    await s.client.call('store.checkpointWal', {});
    const disk = readFileSync(path.join(tmp.dir, 'enrollment.db'));
    for (const plain of ['دير أبو حنس', 'شارع الجامع', '27.7806', 'rural_house']) expect(disk.includes(Buffer.from(plain))).toBe(false);
  });

  it('enforces one head, one household per person (dedup), and refuses bad input with typed errors', async () => {
    const [head, , c1, , , other, lodger] = people;
    const h1 = (await s.households.householdOf(head!))!.householdId;
    await expect(s.households.addMember('clerk', h1, other!, 'head')).rejects.toMatchObject({ code: 'HOUSEHOLD_HEAD_EXISTS' });
    await expect(s.households.create('clerk', c1!, details)).rejects.toMatchObject({ code: 'HOUSEHOLD_MEMBER_ELSEWHERE', details: { householdId: h1 } });
    expect(await s.households.householdOf(c1!)).toEqual({ householdId: h1, relationship: 'child' });
    expect(await s.households.householdOf(other!)).toBeNull();
    await expect(s.households.addMember('clerk', h1, 'NO-SUCH-PERSON', 'child')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(s.households.addMember('clerk', 'NO-SUCH-HOUSEHOLD', other!, 'child')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(s.households.addMember('clerk', h1, other!, 'cousin')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(s.households.create('clerk', other!, { address: { governorate: 'x' } })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    // A member added later.
    await s.households.addMember('clerk', h1, lodger!, 'other');
    expect((await s.households.get(h1))!.members).toHaveLength(6);
  });

  it('moves a person between households only with a supervisor, audited', async () => {
    const [head, , , , c3, other] = people;
    const h1 = (await s.households.householdOf(head!))!.householdId;
    const h2 = await s.households.create('clerk', other!, { ...details, address: { governorate: 'minya', district: 'ملوي' } });
    const move = { operatorId: 'clerk', enrollmentId: c3!, toHouseholdId: h2, relationship: 'child' };
    await expect(s.households.movePerson({ ...move, supervisorId: 'clerk' })).rejects.toMatchObject({ code: 'SUPERVISOR_REQUIRED' });
    await expect(s.households.movePerson({ ...move, supervisorId: 'technician' })).rejects.toMatchObject({ code: 'SUPERVISOR_REQUIRED' });
    await expect(s.households.movePerson({ ...move, enrollmentId: head!, supervisorId: 'supervisor' })).rejects.toMatchObject({ code: 'HOUSEHOLD_HEAD_CANNOT_MOVE' });
    await expect(s.households.movePerson({ ...move, relationship: 'head', supervisorId: 'supervisor' })).rejects.toMatchObject({ code: 'HOUSEHOLD_HEAD_EXISTS' });
    expect(await s.households.movePerson({ ...move, supervisorId: 'supervisor' })).toEqual({ fromHouseholdId: h1 });
    expect(await s.households.householdOf(c3!)).toEqual({ householdId: h2, relationship: 'child' });
    await expect(s.households.movePerson({ ...move, supervisorId: 'supervisor' })).rejects.toMatchObject({ code: 'HOUSEHOLD_MOVE_SAME' });
    const audit = await s.client.call('audit.list', { afterSeq: 0, limit: 1000 });
    const moves = audit.filter((a) => a.action === 'household.move-member');
    expect(moves).toHaveLength(1);
    expect(moves[0]).toMatchObject({ actor: 'supervisor', objectId: `${c3}>${h2}` });
    expect(audit.filter((a) => a.action === 'household.add-member').length).toBeGreaterThanOrEqual(5);
    expect((await s.verifyAudit()).ok).toBe(true);
  });

  it('writes the destination survey (the move and its reason) in the move’s own transaction, or nothing', async () => {
    const [head, , , c2, , other] = people;
    const h1 = (await s.households.householdOf(head!))!.householdId;
    const h2 = (await s.households.householdOf(other!))!.householdId;
    const rev = (await s.households.survey(h2))!.rev;
    const reason = { moves: [{ enrollmentId: c2, reason: 'Married into household 2' }] };
    const move = { operatorId: 'clerk', supervisorId: 'supervisor', enrollmentId: c2!, toHouseholdId: h2, relationship: 'other' };
    // The destination changed since it was read, or the person is not where the screen says: refused, nothing moved.
    await expect(s.households.movePerson({ ...move, fromHouseholdId: h1, toSurvey: { survey: reason, expectRev: rev - 1 } })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(s.households.movePerson({ ...move, fromHouseholdId: h2, toSurvey: { survey: reason, expectRev: rev } })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await s.households.householdOf(c2!)).toMatchObject({ householdId: h1 });
    expect((await s.households.survey(h2))!.survey).toBeNull();
    // Moved: the survey saved with it, encrypted (readable only through the household's cipher).
    expect(await s.households.movePerson({ ...move, fromHouseholdId: h1, toSurvey: { survey: reason, expectRev: rev } })).toEqual({ fromHouseholdId: h1 });
    expect(await s.households.householdOf(c2!)).toEqual({ householdId: h2, relationship: 'other' });
    expect(await s.households.survey(h2)).toEqual({ rev: rev + 1, survey: reason });
  });
});

describe('capture policy for members', () => {
  it('children under the configured age give no fingerprints and an optional face', () => {
    expect(ageOn('2020-12-05', '2026-12-04')).toBe(5);
    expect(ageOn('2020-12-04', '2026-12-04')).toBe(6);
    expect(memberCapturePolicy('2022-03-01', '2026-12-04', 6)).toEqual({ fingerprints: 'skip', face: 'optional', ageYears: 4 });
    expect(memberCapturePolicy('1985-03-01', '2026-12-04', 6)).toEqual({ fingerprints: 'required', face: 'required', ageYears: 41 });
  });
});
