// The household wizard over a real encrypted store and the real enrollment workflow (face, finger and dedup ports
// replaced by in-test sources as in test/node/workflow/service.test.ts): migration 0006, a household with its head,
// members added later, children without fingers or face, answers saved as the clerk goes and found again after the
// store is reopened, the kiosk's PMT, the head's approval refused while the questionnaire is incomplete, the household
// part of sealed packets; and the registry's side (links + authoritative PMT) on a real registry store.
import path from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEgNationalNumber } from '../../../main/enrollment/egypt-national-number.js';
import type { Actor } from '../../../main/enrollment/lifecycle.js';
import { FINGER_POSITIONS } from '../../../main/enrollment/model.js';
import type { StoreServices } from '../../../main/enrollment/services.js';
import { proceduralFingerCapture, syntheticFace } from '../../../main/enrollment/synthetic.js';
import type { LastFaceCapture } from '../../../main/face/face-handlers.js';
import { migrate } from '../../../main/store/migrations/index.js';
import { createWorkflow, type Workflow } from '../../../main/workflow/index.js';
import type { FingerSessionResult } from '../../../main/workflow/ports.js';
import { compileQuestionnaire } from '../../../sync/questionnaire/index.js';
import { RegistryHouseholds } from '../../../sync/registry/households.js';
import { QuestionnaireRegistry } from '../../../sync/registry/questionnaires.js';
import { openRegistryStore } from '../../../sync/registry/store/index.js';
import type { OpenedPacket } from '../../../sync/packet/index.js';
import { HOUSEHOLD_QUESTIONNAIRE, expectedPmt } from '../../helpers/household-questionnaire.js';
import { clerk, openTest, supervisorCreds, tempDataDir, testConfig } from '../store/helpers.js';
import { writeFileSync } from 'node:fs';

const details = { address: { governorate: '24', district: '2402', village: 'دير أبو حنس' }, geolocation: { lat: 27.78, lon: 30.84, accuracy: 6 }, dwelling: { type: 'rural_house', tenure: 'owned', rooms: 2 } };
const CONSENT = { language: 'ar' as const, textVersion: 'eg-consent-2026.1-ar', method: 'verbal' as const };
const form = (dob: string, sex: 'M' | 'F', serial: number) => ({
  givenNameAr: 'محمد',
  familyNameAr: 'علي',
  givenNameLatin: 'Mohamed',
  familyNameLatin: 'Aly',
  dateOfBirth: dob,
  sex,
  nationalNumber: makeEgNationalNumber(dob, '21', sex, serial),
  governorateCode: '21',
  districtCode: '2101',
  localityCode: '210101',
});
const TOKEN = new Uint8Array(await sharp({ create: { width: 120, height: 160, channels: 3, background: { r: 180, g: 150, b: 130 } } }).jpeg().toBuffer());
const faceCapture = (): LastFaceCapture => {
  const at = new Date().toISOString();
  const face = syntheticFace('hh-head', at);
  const measures = { sharpness: { raw: 1, component: 1, pass: true, messageKey: null } };
  return { tokenJpeg: TOKEN, embedding: face.embedding, report: { width: 640, height: 480, faces: [], primary: 0, measures, unifiedScore: 80, pass: true, messages: [] }, pad: { score: 0.1, threshold: 0.5, decision: 'bona_fide' }, capturedAt: at } as unknown as LastFaceCapture;
};
const fingers = (): FingerSessionResult => ({ fingers: FINGER_POSITIONS.map((p) => proceduralFingerCapture('hh-head', p, '2026-11-23T10:00:00.000Z')), exceptions: [], sequenceMismatches: [] });

describe('migration 0006-household-survey', () => {
  const tmp = tempDataDir('household-survey-migration-');
  afterAll(() => tmp.cleanup());
  it('adds the encrypted survey column to households, keeps existing households (survey null) and the table STRICT', () => {
    const db = new Database(path.join(tmp.dir, 'm.db'));
    try {
      migrate(db, 5);
      db.prepare(`INSERT INTO household (id, centre_id, kiosk_id, operator_id, created_at, updated_at, details) VALUES ('H1', 'C', 'K', 'op', 1, 1, x'00')`).run();
      expect(migrate(db)).toEqual([6]);
      expect(db.prepare('SELECT id, survey FROM household').all()).toEqual([{ id: 'H1', survey: null }]);
      expect((db.prepare("SELECT sql FROM sqlite_master WHERE name = 'household'").get() as { sql: string }).sql).toMatch(/STRICT/);
      db.prepare(`UPDATE household SET survey = x'0102' WHERE id = 'H1'`).run();
      expect(() => db.prepare(`UPDATE household SET survey = 'text' WHERE id = 'H1'`).run()).toThrow(/cannot store TEXT value in BLOB column/);
    } finally {
      db.close();
    }
  });
});

describe('household wizard over the store and the enrollment workflow', () => {
  const tmp = tempDataDir('household-workflow-');
  const qfile = path.join(tmp.dir, 'q.json');
  writeFileSync(qfile, JSON.stringify(HOUSEHOLD_QUESTIONNAIRE));
  let store: StoreServices;
  let wf: Workflow;
  let face: LastFaceCapture | null = null;
  let session: FingerSessionResult | null = null;
  const open = async () => {
    store = await openTest(tmp.dir, { config: { ...testConfig(tmp.dir), household: { questionnaire: qfile, childAgeYears: 12 } } });
    wf = createWorkflow({
      dataDir: tmp.dir,
      store,
      face: { lastCapture: () => face },
      fingerCapture: null,
      fingerConfig: { order: { slap: [14, 13, 15], single: [...FINGER_POSITIONS] }, maxAttempts: 3 },
      dedup: () => ({ search: async () => ({ decision: 'no_match', candidates: [], operatorMatches: [], searched: 1 }) as never }),
      fingerSource: () => ({ sessionResult: async () => session, plan: () => ({ positions: [...FINGER_POSITIONS], maxAttempts: 3 }) }),
    });
    store.householdWorkflow.attachWorkflow(wf.service);
    store.householdWorkflow.attachReceipts(wf.receipts);
  };
  const close = async () => {
    await wf.dispose();
    await store.dispose();
  };
  beforeAll(open);
  afterAll(async () => {
    await close();
    tmp.cleanup();
  });

  let householdId = '';
  let headId = '';
  const h = () => store.householdWorkflow;

  async function toFingers(actor: Actor, id: string, dob: string, sex: 'M' | 'F', serial: number) {
    await wf.service.consent(actor, id, CONSENT);
    const v = await wf.service.demographics(actor, id, form(dob, sex, serial), true);
    expect(v.step).toBe('face');
    return v;
  }

  it('creates a household with its head and adds members now and later; a child skips fingers and face, an adult may not', async () => {
    const created = await h().create(clerk, details);
    householdId = created.household.id;
    headId = created.headEnrollmentId;
    expect(created.household).toMatchObject({ step: 'members', details, members: [{ enrollmentId: headId, relationship: 'head' }], childAgeYears: 12 });
    expect(created.household.questionnaire).toMatchObject({ id: 'hh_e2e', complete: false, pmt: null });

    // The head: face and ten fingers (in-test capture sources), up to pending approval.
    await toFingers(clerk, headId, '1987-03-14', 'M', 41);
    await expect(wf.service.bindFace(clerk, 'c', headId, undefined, true)).rejects.toMatchObject({ code: 'FACE_NOT_OPTIONAL' });
    face = faceCapture();
    expect((await wf.service.bindFace(clerk, 'c', headId)).step).toBe('fingers');
    session = fingers();
    expect((await wf.service.bindFingers(clerk, headId)).step).toBe('review');
    expect((await wf.service.confirm(clerk, headId)).status).toBe('pending_approval');

    // A child under 12: no fingerprints, face skipped, nothing to search, approved.
    const child = await h().addMember(clerk, householdId, 'child');
    session = null;
    let v = await toFingers(clerk, child.enrollmentId, '2019-08-01', 'F', 42);
    expect(v.capturePolicy).toEqual({ child: true, childAgeYears: 12 });
    expect(v.blockers).toEqual([]);
    v = await wf.service.bindFace(clerk, 'other-connection', child.enrollmentId, undefined, true);
    expect(v.step).toBe('fingers');
    expect(v.fingers.missing).toEqual([]);
    v = await wf.service.bindFingers(clerk, child.enrollmentId);
    expect(v.step).toBe('review');
    expect(v.dedup).toMatchObject({ state: 'clear', searched: 0 });
    await wf.service.confirm(clerk, child.enrollmentId);
    expect((await wf.service.approve(clerk, child.enrollmentId, supervisorCreds)).status).toBe('sealed');

    // The same person in a second household is refused (already listed).
    const other = await h().create(clerk, details);
    await expect(store.households.addMember('clerk', other.household.id, child.enrollmentId, 'child')).rejects.toMatchObject({ code: 'HOUSEHOLD_MEMBER_ELSEWHERE' });

    const view = await h().view(clerk, householdId);
    expect(view.members.map((m) => [m.relationship, m.status, m.child])).toEqual([
      ['head', 'pending_approval', false],
      // Sealed: the kiosk keeps no demographics any more, so it no longer knows the age.
      ['child', 'sealed', null],
    ]);
    // …but its encrypted receipt (kept for reprints) still has the names and date of birth: shown instead of "sealed".
    expect(view.members[1]).toMatchObject({ displayName: { ar: 'محمد علي', latin: 'Mohamed Aly' }, dateOfBirth: '2019-08-01' });
    expect((await h().list(clerk, 10)).find((x) => x.id === householdId)?.members).toBe(2);
    // Without the receipt (purged, or never printed) the name is unknown and the screen says it is only in the sealed record.
    wf.receipts.remove(child.enrollmentId);
    expect((await h().view(clerk, householdId)).members[1]).toMatchObject({ status: 'sealed', displayName: null, dateOfBirth: null });
  });

  it('keeps answers and page as they are typed (a reopened store finds them) and computes the kiosk PMT', async () => {
    let v = await h().saveAnswers(clerk, householdId, { rooms: 25, water: 'other' }, 0);
    expect(v.step).toBe('questionnaire');
    expect(v.questionnaire!.visible).toContain('water_other');
    expect(v.questionnaire!.issues.map((i) => [i.path, i.code])).toEqual(expect.arrayContaining([['rooms', 'CONSTRAINT'], ['water_other', 'REQUIRED'], ['hh_size', 'REQUIRED']]));
    // The head cannot be approved before the questionnaire is complete (the household is sealed with the head).
    await expect(wf.service.approve(clerk, headId, supervisorCreds)).rejects.toMatchObject({ code: 'HOUSEHOLD_QUESTIONNAIRE_INCOMPLETE' });
    v = await h().saveAnswers(clerk, householdId, { rooms: 2, water: 'piped', hh_size: 2, members: [{ m_dob: '1987-03-14', m_works: 'yes', m_income: 3000 }] }, 2);
    expect(v.questionnaire!.issues.find((i) => i.code === 'REPEAT_COUNT')).toMatchObject({ path: 'members', expected: 2 });

    // "Power cut": the store is closed and reopened; the wizard resumes on the same page with the same answers.
    await close();
    await open();
    v = await h().view(clerk, householdId);
    expect(v.step).toBe('questionnaire');
    expect(v.questionnaire!.page).toBe(2);
    expect(v.questionnaire!.answers).toEqual({ rooms: 2, water: 'piped', hh_size: 2, members: [{ m_dob: '1987-03-14', m_works: 'yes', m_income: 3000 }] });

    // A photo answer (kept encrypted with the household, sealed as a part) and a GPS point.
    await expect(h().photo(clerk, householdId, 'dwelling_photo', Buffer.from('GIF89a').toString('base64'))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const photo = await h().photo(clerk, householdId, 'dwelling_photo', Buffer.from(TOKEN).toString('base64'));
    expect(photo.sha256).toMatch(/^[0-9a-f]{64}$/);
    const more = { dwelling_gps: { lat: 27.78, lon: 30.84, accuracy: 5 }, dwelling_photo: photo };
    v = await h().saveAnswers(clerk, householdId, { rooms: 2, water: 'piped', hh_size: 2, members: [{ m_dob: '1987-03-14', m_works: 'yes', m_income: 3000 }, { m_dob: '2019-08-01' }], assets: ['car'], ...more }, 3);
    expect(v.questionnaire!.complete).toBe(true);
    expect(v.questionnaire!.pmt!.score).toBeCloseTo(expectedPmt({ hhSize: 2, children: 1, incomes: [3000], water: 'piped', assets: ['car'] }), 9);
    expect(v.blockers).toEqual([]);
  });

  it('seals the household with the head (details, response, kiosk PMT, members) and only the link with others; the registry links and rescores', async () => {
    const head = await h().packetSection(headId);
    expect(head!.record).toMatchObject({ householdId, relationship: 'head', details, questionnaire: { questionnaireId: 'hh_e2e', version: '1' } });
    expect((head!.record.members as unknown[]).length).toBe(2);
    expect(head!.parts.map((p) => [p.name, p.mediaType, Buffer.from(p.data).equals(Buffer.from(TOKEN))])).toEqual([['questionnaire.photo.1.jpg', 'image/jpeg', true]]);
    expect(Object.values(head!.record.photos as Record<string, string>)).toEqual(['questionnaire.photo.1.jpg']);
    const childId = (await h().view(clerk, householdId)).members[1]!.enrollmentId;
    expect((await h().packetSection(childId))!.record).toEqual({ householdId, relationship: 'child' });
    expect((await wf.service.approve(clerk, headId, supervisorCreds)).status).toBe('sealed');

    const regDir = tempDataDir('household-registry-');
    const rstore = await openRegistryStore(regDir.dir);
    try {
      const qr = new QuestionnaireRegistry();
      qr.add(compileQuestionnaire(JSON.parse(JSON.stringify(HOUSEHOLD_QUESTIONNAIRE))));
      const reg = await RegistryHouseholds.open(rstore.sqlAdapter(), qr);
      const packet = (recordId: string, household: Record<string, unknown>) => ({ manifest: { recordId, kioskId: 'K-TEST-01', record: { demographics: {}, household } } }) as unknown as OpenedPacket;
      // The child's packet may arrive first: the household exists with the link, without a score yet.
      await reg.ingest(packet(childId, (await h().packetSection(childId))!.record), 'RID-CHILD', 'P2', '2026-12-04T10:00:00.000Z');
      expect(await reg.get(householdId)).toMatchObject({ members: [{ rid: 'RID-CHILD', relationship: 'child' }], pmt: null });
      const kioskPmt = (head!.record.kioskPmt as { score: number }).score;
      await reg.ingest(packet(headId, head!.record), 'RID-HEAD', 'P1', '2026-12-04T10:01:00.000Z');
      const got = (await reg.get(householdId))!;
      expect(got.members.map((m) => [m.rid, m.relationship])).toEqual([['RID-HEAD', 'head'], ['RID-CHILD', 'child']]);
      expect(got.pmt!.score).toBeCloseTo(kioskPmt, 9);
      expect(got.kioskPmtScore).toBe(kioskPmt);
      expect(await reg.ofPerson('RID-CHILD')).toBe(householdId);
      // A response to a questionnaire the registry does not accept is kept linked, with why there is no score.
      const unknown = { ...head!.record, householdId: '01JF0000000000000000000000', questionnaire: { questionnaireId: 'other', version: '9', answeredOn: '2026-12-04', answers: {} } };
      await reg.ingest(packet('X', unknown), 'RID-X', 'P3', '2026-12-04T10:02:00.000Z');
      expect(await reg.get('01JF0000000000000000000000')).toMatchObject({ pmt: null, pmtError: 'QUESTIONNAIRE_INVALID' });
    } finally {
      await rstore.close();
      regDir.cleanup();
    }
  });
});
