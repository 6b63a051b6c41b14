// Worker-side handlers of the household store methods (one SQLite connection, one writer; db.ts merges them in).
import type { Database } from 'better-sqlite3';
import { KioskError } from '../contract/errors.js';
import { StoreConflictError, StoreNotFoundError } from './errors.js';
import type { HouseholdMemberRow, HouseholdRow, HouseholdStoreMethods, Relationship } from './household-protocol.js';
import type { AuditInput } from './protocol.js';

type Raw = Record<string, unknown>;
type Handlers = { [M in keyof HouseholdStoreMethods]: (p: HouseholdStoreMethods[M]['req']) => HouseholdStoreMethods[M]['res'] };

/** A household rule refused the change (the code says which). */
export class HouseholdRuleError extends KioskError {
  override name = 'HouseholdRuleError';
}

const householdOf = (r: Raw): HouseholdRow => ({
  id: r.id as string,
  rev: r.rev as number,
  centreId: r.centre_id as string,
  kioskId: r.kiosk_id as string,
  operatorId: r.operator_id as string,
  createdAt: r.created_at as number,
  updatedAt: r.updated_at as number,
  details: r.details as Uint8Array,
  survey: (r.survey as Uint8Array | null | undefined) ?? null,
});
const memberOf = (r: Raw): HouseholdMemberRow => ({ enrollmentId: r.enrollment_id as string, householdId: r.household_id as string, relationship: r.relationship as Relationship, addedAt: r.added_at as number });

export function householdHandlers(conn: () => Database, appendAudit: (a: AuditInput) => number): Handlers {
  // The connection is read at call time (the handlers object is built before the store's constructor body runs).
  const db = {
    prepare: (sql: string) => conn().prepare(sql),
    transaction: <T>(fn: () => T) => conn().transaction(fn),
  };
  const person = (enrollmentId: string) => {
    if (!db.prepare('SELECT 1 FROM enrollment WHERE id = ?').get(enrollmentId)) throw new StoreNotFoundError(`Enrollment ${enrollmentId} not found`, { details: { enrollmentId } });
    return db.prepare('SELECT * FROM household_member WHERE enrollment_id = ?').get(enrollmentId) as Raw | undefined;
  };
  const household = (id: string) => {
    if (!db.prepare('SELECT 1 FROM household WHERE id = ?').get(id)) throw new StoreNotFoundError(`Household ${id} not found`, { details: { householdId: id } });
  };
  const elsewhere = (enrollmentId: string, m: Raw) =>
    new HouseholdRuleError('HOUSEHOLD_MEMBER_ELSEWHERE', `Person ${enrollmentId} is already listed in household ${m.household_id as string}`, { details: { enrollmentId, householdId: m.household_id as string } });
  const oneHead = (householdId: string, relationship: Relationship) => {
    if (relationship === 'head' && db.prepare("SELECT 1 FROM household_member WHERE household_id = ? AND relationship = 'head'").get(householdId)) {
      throw new HouseholdRuleError('HOUSEHOLD_HEAD_EXISTS', `Household ${householdId} already has a head`, { details: { householdId } });
    }
  };
  return {
    'household.insert': ({ row, headEnrollmentId, audit }) => {
      db.transaction(() => {
        const m = person(headEnrollmentId);
        if (m) throw elsewhere(headEnrollmentId, m);
        db.prepare('INSERT INTO household (id, rev, centre_id, kiosk_id, operator_id, created_at, updated_at, details) VALUES (@id, @rev, @centreId, @kioskId, @operatorId, @createdAt, @updatedAt, @details)').run(row);
        db.prepare("INSERT INTO household_member (enrollment_id, household_id, relationship, added_at) VALUES (?, ?, 'head', ?)").run(headEnrollmentId, row.id, row.createdAt);
        appendAudit(audit);
      }).immediate();
      return null;
    },
    'household.get': ({ id }) => {
      const r = db.prepare('SELECT * FROM household WHERE id = ?').get(id) as Raw | undefined;
      if (!r) return null;
      const members = (db.prepare("SELECT * FROM household_member WHERE household_id = ? ORDER BY relationship != 'head', added_at, enrollment_id").all(id) as Raw[]).map(memberOf);
      return { row: householdOf(r), members };
    },
    'household.list': ({ limit, offset }) => (db.prepare('SELECT * FROM household ORDER BY created_at DESC, id LIMIT ? OFFSET ?').all(limit, offset) as Raw[]).map(householdOf),
    'household.updateDetails': ({ id, expectRev, details, at, audit }) =>
      db.transaction(() => {
        const r = db.prepare('UPDATE household SET details = ?, updated_at = ?, rev = rev + 1 WHERE id = ? AND rev = ?').run(details, at, id, expectRev);
        if (r.changes === 0) {
          household(id);
          throw new StoreConflictError(`Household ${id} was changed concurrently`, { details: { householdId: id } });
        }
        appendAudit(audit);
        return { rev: expectRev + 1 };
      }).immediate(),
    'household.updateSurvey': ({ id, expectRev, survey, at, audit }) =>
      db.transaction(() => {
        const cur = db.prepare('SELECT rev FROM household WHERE id = ?').get(id) as { rev: number } | undefined;
        if (!cur) throw new StoreNotFoundError(`Household ${id} not found`, { details: { householdId: id } });
        if (expectRev !== undefined && cur.rev !== expectRev) throw new StoreConflictError(`Household ${id} was changed concurrently`, { details: { householdId: id } });
        db.prepare('UPDATE household SET survey = ?, updated_at = ?, rev = rev + 1 WHERE id = ?').run(survey, at, id);
        appendAudit(audit);
        return { rev: cur.rev + 1 };
      }).immediate(),
    'household.addMember': ({ member, audit }) => {
      db.transaction(() => {
        household(member.householdId);
        const m = person(member.enrollmentId);
        if (m) throw elsewhere(member.enrollmentId, m);
        oneHead(member.householdId, member.relationship);
        db.prepare('INSERT INTO household_member (enrollment_id, household_id, relationship, added_at) VALUES (?, ?, ?, ?)').run(member.enrollmentId, member.householdId, member.relationship, member.addedAt);
        db.prepare('UPDATE household SET rev = rev + 1, updated_at = ? WHERE id = ?').run(member.addedAt, member.householdId);
        appendAudit(audit);
      }).immediate();
      return null;
    },
    'household.moveMember': ({ enrollmentId, fromHouseholdId, toHouseholdId, relationship, at, audit, toSurvey }) =>
      db.transaction(() => {
        household(toHouseholdId);
        const m = person(enrollmentId);
        if (!m) throw new HouseholdRuleError('HOUSEHOLD_MEMBER_NOT_LISTED', `Person ${enrollmentId} is in no household`, { details: { enrollmentId } });
        const from = m.household_id as string;
        if (fromHouseholdId !== undefined && from !== fromHouseholdId) throw new StoreConflictError(`Person ${enrollmentId} is no longer in household ${fromHouseholdId}`, { details: { enrollmentId, householdId: fromHouseholdId } });
        if (toSurvey) {
          const cur = db.prepare('SELECT rev FROM household WHERE id = ?').get(toHouseholdId) as { rev: number };
          if (cur.rev !== toSurvey.expectRev) throw new StoreConflictError(`Household ${toHouseholdId} was changed concurrently`, { details: { householdId: toHouseholdId } });
        }
        if (from === toHouseholdId) throw new HouseholdRuleError('HOUSEHOLD_MOVE_SAME', 'The person is already in that household', { details: { enrollmentId, householdId: from } });
        if (m.relationship === 'head') throw new HouseholdRuleError('HOUSEHOLD_HEAD_CANNOT_MOVE', `Person ${enrollmentId} heads household ${from}: name another head first`, { details: { enrollmentId, householdId: from } });
        oneHead(toHouseholdId, relationship);
        db.prepare('UPDATE household_member SET household_id = ?, relationship = ?, added_at = ? WHERE enrollment_id = ?').run(toHouseholdId, relationship, at, enrollmentId);
        db.prepare('UPDATE household SET rev = rev + 1, updated_at = ? WHERE id IN (?, ?)').run(at, from, toHouseholdId);
        if (toSurvey) db.prepare('UPDATE household SET survey = ? WHERE id = ?').run(toSurvey.survey, toHouseholdId);
        appendAudit(audit);
        return { fromHouseholdId: from };
      }).immediate(),
    'household.ofPerson': ({ enrollmentId }) => {
      const r = db.prepare('SELECT * FROM household_member WHERE enrollment_id = ?').get(enrollmentId) as Raw | undefined;
      return r ? memberOf(r) : null;
    },
  };
}
