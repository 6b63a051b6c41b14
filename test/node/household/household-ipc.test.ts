// kiosk:household.* through the real core's router: requests validated in main (typed VALIDATION_FAILED naming the
// field), roles checked in main (a technician is refused), answers in the {ok, value | error} envelope.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../main/config/load-config.js';
import { createKioskCore, type KioskCore } from '../../../main/core/kiosk-core.js';
import { HOUSEHOLD_QUESTIONNAIRE } from '../../helpers/household-questionnaire.js';

describe('household channels', () => {
  let dir: string;
  let core: KioskCore;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-household-ipc-'));
    const q = path.join(dir, 'q.json');
    writeFileSync(q, JSON.stringify(HOUSEHOLD_QUESTIONNAIRE));
    const file = path.join(dir, 'kiosk.json');
    writeFileSync(file, JSON.stringify({ household: { questionnaire: q, childAgeYears: 6 } }));
    core = await createKioskCore({ config: await loadConfig(file, { dataDir: path.join(dir, 'data') }), shell: 'browser', logToFile: false, devices: false, sync: false });
  });
  afterAll(async () => {
    await core.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
  const call = (channel: string, payload: unknown, ctx: ReturnType<KioskCore['newContext']>) => core.router.dispatch(channel, payload, ctx);

  it('validates in main, checks the role, and answers in the envelope', async () => {
    const tech = core.newContext();
    expect(await call('kiosk:auth.signIn', { operatorId: 'technician', pin: '3333' }, tech)).toMatchObject({ ok: true });
    expect(await call('kiosk:household.list', {}, tech)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });

    const ctx = core.newContext();
    expect(await call('kiosk:auth.signIn', { operatorId: 'clerk', pin: '1111' }, ctx)).toMatchObject({ ok: true });
    const config = await call('kiosk:household.config', {}, ctx);
    expect(config).toMatchObject({ ok: true, value: { childAgeYears: 6, questionnaire: { id: 'hh_e2e', version: '1', hasPmt: true } } });
    const bad = await call('kiosk:household.create', { details: { address: { governorate: '24' }, dwelling: { type: 'rural_house' } } }, ctx);
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(JSON.stringify(bad)).toContain('district');
    const created = (await call('kiosk:household.create', { details: { address: { governorate: '24', district: '2402' }, dwelling: { type: 'rural_house', rooms: 2 } } }, ctx)) as { ok: true; value: { household: { id: string; step: string }; headEnrollmentId: string } };
    expect(created).toMatchObject({ ok: true, value: { household: { step: 'members', members: [{ relationship: 'head' }] } } });
    const id = created.value.household.id;
    expect(await call('kiosk:household.addMember', { id, relationship: 'head' }, ctx)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await call('kiosk:household.addMember', { id, relationship: 'child' }, ctx)).toMatchObject({ ok: true, value: { household: { members: [{ relationship: 'head' }, { relationship: 'child' }] } } });
    expect(await call('kiosk:household.saveAnswers', { id, answers: { rooms: 'two' }, page: 0 }, ctx)).toMatchObject({ ok: true, value: { questionnaire: { answers: { rooms: 'two' }, issues: expect.arrayContaining([expect.objectContaining({ path: 'rooms', code: 'INVALID_ANSWER' })]) } } });
    expect(await call('kiosk:household.photo', { id, question: 'dwelling_photo', jpegBase64: Buffer.from('not a jpeg').toString('base64') }, ctx)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await call('kiosk:household.list', {}, ctx)).toMatchObject({ ok: true, value: { items: [{ id, members: 2, step: 'questionnaire' }] } });
  });

  it('moves a member to another household only with a supervisor’s credentials and a reason, audited', async () => {
    const ctx = core.newContext();
    expect(await call('kiosk:auth.signIn', { operatorId: 'clerk', pin: '1111' }, ctx)).toMatchObject({ ok: true });
    const details = { address: { governorate: '24', district: '2402' }, dwelling: { type: 'rural_house' } };
    const a = (await call('kiosk:household.create', { details }, ctx)) as { ok: true; value: { household: { id: string }; headEnrollmentId: string } };
    const b = (await call('kiosk:household.create', { details }, ctx)) as { ok: true; value: { household: { id: string } } };
    const from = a.value.household.id;
    const to = b.value.household.id;
    const child = (await call('kiosk:household.addMember', { id: from, relationship: 'child' }, ctx)) as { ok: true; value: { enrollmentId: string } };
    const move = { id: from, enrollmentId: child.value.enrollmentId, toHouseholdId: to, relationship: 'child', reason: 'Lives with the grandparents now' };
    // No reason, the clerk's own credentials, a wrong PIN, the head: all refused, nothing moved.
    expect(await call('kiosk:household.moveMember', { ...move, reason: '', supervisor: { operatorId: 'supervisor', pin: '2222' } }, ctx)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await call('kiosk:household.moveMember', { ...move, supervisor: { operatorId: 'clerk', pin: '1111' } }, ctx)).toMatchObject({ ok: false, error: { code: 'SUPERVISOR_REQUIRED' } });
    expect(await call('kiosk:household.moveMember', { ...move, supervisor: { operatorId: 'supervisor', pin: '9999' } }, ctx)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(await call('kiosk:household.moveMember', { ...move, enrollmentId: a.value.headEnrollmentId, supervisor: { operatorId: 'supervisor', pin: '2222' } }, ctx)).toMatchObject({ ok: false, error: { code: 'HOUSEHOLD_HEAD_CANNOT_MOVE' } });
    expect(await call('kiosk:household.moveMember', { ...move, id: to, supervisor: { operatorId: 'supervisor', pin: '2222' } }, ctx)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await call('kiosk:household.get', { id: from }, ctx)).toMatchObject({ ok: true, value: { members: [{ relationship: 'head' }, { relationship: 'child' }] } });
    // The clerk with the supervisor's co-signature: moved, the source shown without the member.
    const moved = (await call('kiosk:household.moveMember', { ...move, relationship: 'other', supervisor: { operatorId: 'supervisor', pin: '2222' } }, ctx)) as { ok: true; value: { id: string; members: unknown[] } };
    expect(moved).toMatchObject({ ok: true, value: { id: from, members: [{ relationship: 'head' }] } });
    expect(await call('kiosk:household.get', { id: to }, ctx)).toMatchObject({ ok: true, value: { members: [{ relationship: 'head' }, { enrollmentId: child.value.enrollmentId, relationship: 'other' }] } });
    // Audited with the supervisor as actor; the reason is kept encrypted with the destination household.
    const audit = await core.store!.client.call('audit.list', { afterSeq: 0, limit: 10_000 });
    expect(audit.filter((e) => e.action === 'household.move-member')).toEqual([expect.objectContaining({ actor: 'supervisor', objectId: `${child.value.enrollmentId}>${to}` })]);
    const survey = await core.store!.households.survey(to);
    expect(survey?.survey).toMatchObject({ moves: [{ enrollmentId: child.value.enrollmentId, fromHouseholdId: from, operatorId: 'clerk', supervisorId: 'supervisor', reason: 'Lives with the grandparents now' }] });
  });
});
