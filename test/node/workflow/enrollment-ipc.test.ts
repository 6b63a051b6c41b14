// A whole enrollment through the IPC router of a real kiosk core: real encrypted store, the demo R30x emulator on a
// pseudo-terminal (finger capture service), a fixture face photo through the real face pipeline, local dedup; the
// record ends sealed with the expected biometrics and a signed receipt PDF. Then a restart resumes a draft at its step.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../main/config/load-config.js';
import type { ReceiptView, WorkflowView } from '../../../main/contract/channels/workflow.js';
import { createKioskCore, type KioskCore } from '../../../main/core/kiosk-core.js';
import type { CallContext } from '../../../main/core/handlers.js';
import { makeEgNationalNumber } from '../../../main/enrollment/egypt-national-number.js';
import { publicKeyFromRaw } from '../../../main/store/crypto/identity.js';
import { verifyReceipt } from '../../../main/receipt/receipt.js';
import { fixturePath, hasFixture } from '../../helpers/fixtures.js';
import { hasModels } from '../face/helpers.js';
import { tempDataDir, testProtector } from '../store/helpers.js';

function hasSocat(): boolean {
  try {
    execFileSync('socat', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    console.warn('\n*** socat MISSING — the whole-enrollment IPC test (R30x emulator on a pty) is SKIPPED. ***\n');
    return false;
  }
}

const ready = hasSocat() && (await hasModels()) && hasFixture('faces', 'obama_1.jpg');

async function call<T>(core: KioskCore, channel: string, req: unknown, ctx: CallContext): Promise<T> {
  const r = await core.router.dispatch(channel, req, ctx);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

interface CaptureResult {
  session: { fingers: { position: number; accepted: boolean; attempts: number; maxAttempts: number }[] };
}

async function fail(core: KioskCore, channel: string, req: unknown, ctx: CallContext): Promise<{ code: string; message: string; details?: unknown }> {
  const r = await core.router.dispatch(channel, req, ctx);
  if (r.ok) throw new Error(`${channel} unexpectedly succeeded`);
  return r.error as { code: string; message: string; details?: unknown };
}

const DOB = '1990-04-12';
const NN = makeEgNationalNumber(DOB, '21', 'M', 42);
const FORM = {
  givenNameAr: 'محمد',
  familyNameAr: 'عبد الرحمن',
  givenNameLatin: 'Mohamed',
  familyNameLatin: 'Abdelrahman',
  dateOfBirth: '١٩٩٠-٠٤-١٢', // Arabic-Indic digits are accepted
  sex: 'M',
  nationalNumber: [...NN].map((c) => String.fromCharCode(0x0660 + Number(c))).join(''),
  phone: '01012345678',
  governorateCode: '21',
  districtCode: '2101',
  localityCode: '210102',
};

describe.skipIf(!ready)('whole enrollment through the kiosk core', { timeout: 300_000 }, () => {
  let core: KioskCore;
  let data: ReturnType<typeof tempDataDir>;
  let clerk: CallContext;
  let draftId = '';

  const open = async () => {
    core = await createKioskCore({ config: parseConfig({ dataDir: data.dir }), shell: 'browser', protector: testProtector(), sync: false, logToFile: false });
    await core.fingerprints!.ready;
    clerk = core.newContext();
    await call(core, 'kiosk:auth.signIn', { operatorId: 'clerk', pin: '1111' }, clerk);
  };

  beforeAll(async () => {
    data = tempDataDir('kiosk-workflow-ipc-');
    await open();
  });

  afterAll(async () => {
    await core?.dispose();
    data?.cleanup();
  });

  it('runs consent → demographics → face → fingers → dedup → review → approval → receipt and seals the record', async () => {
    const form = await call<{ fields: { name: string }[]; consent: { texts: { language: string; version: string }[] } }>(core, 'kiosk:workflow.formDefinition', {}, clerk);
    expect(form.fields.map((f) => f.name)).toContain('nationalNumber');
    const consentAr = form.consent.texts.find((t) => t.language === 'ar')!;

    let v = await call<WorkflowView>(core, 'kiosk:workflow.start', {}, clerk);
    draftId = v.id;
    expect(v).toMatchObject({ step: 'consent', status: 'draft', actions: expect.arrayContaining(['consent.submit']) });
    // Cannot skip ahead.
    expect(await fail(core, 'kiosk:workflow.goTo', { id: v.id, step: 'face' }, clerk)).toMatchObject({ code: 'WORKFLOW_ACTION_NOT_ALLOWED' });

    v = await call<WorkflowView>(core, 'kiosk:workflow.consent', { id: v.id, language: 'ar', textVersion: consentAr.version, method: 'verbal' }, clerk);
    expect(v).toMatchObject({ step: 'demographics', consent: { language: 'ar', textVersion: consentAr.version, method: 'verbal' } });
    expect(consentAr.version).toMatch(/-ar$/); // the recorded version names the language read
    // A text version of the other language is refused.
    const other = await call<WorkflowView>(core, 'kiosk:workflow.start', {}, clerk);
    expect(await fail(core, 'kiosk:workflow.consent', { id: other.id, language: 'ar', textVersion: consentAr.version.replace(/-ar$/, '-en'), method: 'verbal' }, clerk)).toMatchObject({ code: 'CONSENT_VERSION_MISMATCH' });
    await call(core, 'kiosk:workflow.abandon', { id: other.id, reason: 'test draft' }, clerk);

    // Submit with a missing field: blocked, with the error on the field, and what was typed is kept.
    const { phone: _phone, localityCode: _l, ...partial } = FORM;
    v = await call<WorkflowView>(core, 'kiosk:workflow.demographics', { id: v.id, values: { ...partial, localityCode: '' }, submit: true }, clerk);
    expect(v.step).toBe('demographics');
    expect(v.errors).toContainEqual({ field: 'localityCode', key: 'workflow.field.required', params: {} });
    expect(v.demographics.values.nationalNumber).toBe(NN);
    expect(v.demographics.derived).toMatchObject({ age: expect.any(Number), nationalNumber: { dateOfBirth: DOB, sex: 'M', governorate: '21' } });
    expect(v.demographics.suggestions).toMatchObject({ givenNameLatin: 'Mohamed', familyNameLatin: 'Abdelrahman' });

    v = await call<WorkflowView>(core, 'kiosk:workflow.demographics', { id: v.id, values: FORM, submit: true }, clerk);
    expect(v.errors).toEqual([]);
    expect(v.step).toBe('face');

    // Face: the real pipeline on a fixture photo, bound from this connection's last capture.
    const photo = readFileSync(fixturePath('faces', 'obama_1.jpg')).toString('base64');
    const cap = await call<{ report: { pass: boolean }; hasEmbedding: boolean }>(core, 'kiosk:face.capture', { image: photo }, clerk);
    expect(cap.hasEmbedding).toBe(true);
    v = await call<WorkflowView>(core, 'kiosk:workflow.face', { id: v.id }, clerk);
    if (!cap.report.pass) {
      expect(v.step).toBe('face');
      expect(v.blockers[0]!.key).toMatch(/workflow\.block\.face/);
      v = await call<WorkflowView>(core, 'kiosk:workflow.face', { id: v.id, override: { supervisor: { operatorId: 'supervisor', pin: '2222' }, reason: 'studio photo used in the test' } }, clerk);
    }
    expect(v.step).toBe('fingers');
    expect(v.face?.imageBase64).toBeTruthy();

    // Fingers: eight from the R30x emulator, two exceptions. Each enrollment presents its own synthetic person, so now
    // and then an impression comes out under the quality minimum: the clerk retakes it, as the screen asks.
    for (const position of [1, 2, 3, 4, 6, 7, 8, 9]) {
      for (;;) {
        const r = await call<CaptureResult>(core, 'kiosk:finger.capture', { sessionId: v.id, deviceId: 'demo-r30x', step: position }, clerk);
        const finger = r.session.fingers.find((f) => f.position === position)!;
        if (finger.accepted || finger.attempts >= finger.maxAttempts) break;
      }
    }
    await call(core, 'kiosk:finger.exception', { sessionId: v.id, position: 5, kind: 'amputated', reason: 'right little finger amputated' }, clerk);
    await call(core, 'kiosk:finger.exception', { sessionId: v.id, position: 10, kind: 'bandaged', reason: 'left little finger bandaged' }, clerk);
    v = await call<WorkflowView>(core, 'kiosk:workflow.fingers', { id: v.id }, clerk);
    // Dedup ran automatically (empty gallery: clear) and moved on to review.
    expect(v.blockers).toEqual([]);
    expect(v.dedup.state).toBe('clear');
    expect(v.dedup.ranAt).not.toBeNull();
    expect(v.fingers.missing).toEqual([]);
    expect(v.fingers.captured.length + v.fingers.exceptions.length).toBe(10);
    expect(v.step).toBe('review');

    // Back to demographics and forward again (nothing lost).
    v = await call<WorkflowView>(core, 'kiosk:workflow.goTo', { id: v.id, step: 'demographics' }, clerk);
    expect(v.step).toBe('demographics');
    expect(v.demographics.values.givenNameAr).toBe('محمد');
    v = await call<WorkflowView>(core, 'kiosk:workflow.goTo', { id: v.id, step: 'review' }, clerk);
    expect(v.step).toBe('review');

    v = await call<WorkflowView>(core, 'kiosk:workflow.confirm', { id: v.id }, clerk);
    expect(v).toMatchObject({ step: 'approval', status: 'pending_approval' });
    // The capture session is forgotten once the record left the draft (the images live only in the encrypted record).
    expect(() => core.fingerCapture.snapshot(v.id)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));

    const supervisor = core.newContext();
    await call(core, 'kiosk:auth.signIn', { operatorId: 'supervisor', pin: '2222' }, supervisor);
    const queue = await call<{ items: { id: string }[] }>(core, 'kiosk:workflow.approvalQueue', {}, supervisor);
    expect(queue.items.map((i) => i.id)).toContain(v.id);
    expect(await fail(core, 'kiosk:workflow.approvalQueue', {}, clerk)).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    expect(await fail(core, 'kiosk:workflow.approve', { id: v.id, supervisor: { operatorId: 'supervisor', pin: '9999' } }, clerk)).toMatchObject({ code: expect.stringMatching(/PIN|CREDENTIALS|AUTH/) });

    // Approval on the clerk's screen with the supervisor's id + PIN: receipt made, record sealed (demo registry key).
    v = await call<WorkflowView>(core, 'kiosk:workflow.approve', { id: v.id, supervisor: { operatorId: 'supervisor', pin: '2222' } }, clerk);
    expect(v).toMatchObject({ step: 'receipt', status: 'sealed', receiptAvailable: true, approval: { decision: 'approved', supervisorId: 'supervisor' } });

    const receipt = await call<ReceiptView>(core, 'kiosk:workflow.receipt', { id: v.id }, clerk);
    expect(receipt.data).toMatchObject({ rid: v.rid, nameAr: 'محمد عبد الرحمن', nameLatin: 'Mohamed Abdelrahman' });
    expect(Buffer.from(receipt.pdfBase64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    const kioskKey = publicKeyFromRaw(Buffer.from(core.store!.kiosk.publicKeyRaw, 'base64'));
    expect(verifyReceipt({ data: receipt.data, signature: Buffer.from(receipt.signatureBase64, 'base64'), kioskPublicKeyFingerprint: receipt.kioskPublicKeyFingerprint }, kioskKey)).toBe(true);

    // The sealed record holds the expected biometrics (the packet's receipt counts) and no demographics any more.
    const summary = (await core.store!.enrollment.list({ operatorId: 'system', role: 'system' }, { statuses: ['sealed'] })).find((s) => s.id === v.id)!;
    expect(summary.receipt).toMatchObject({ fingersCaptured: 8, faceCaptured: true, exceptions: 2 });
    expect(summary.receipt!.packetSha256).toMatch(/^[0-9a-f]{64}$/);

    // History by RID and by national number (blind index; Arabic-Indic digits normalised).
    const byRid = await call<{ items: { id: string; receiptAvailable: boolean }[] }>(core, 'kiosk:workflow.history', { rid: v.rid }, clerk);
    expect(byRid.items).toMatchObject([{ id: v.id, receiptAvailable: true }]);
    const typed = await call<{ items: { id: string }[] }>(core, 'kiosk:workflow.history', { rid: ` ${[...v.rid.toLowerCase()].map((c) => (/\d/.test(c) ? String.fromCharCode(0x0660 + Number(c)) : c)).join('')} ` }, clerk);
    expect(typed.items.map((i) => i.id)).toEqual([v.id]);
    const byNn = await call<{ items: { id: string }[] }>(core, 'kiosk:workflow.history', { nationalNumber: FORM.nationalNumber }, clerk);
    expect(byNn.items.map((i) => i.id)).toEqual([v.id]);
  });

  /** Consent → demographics → face (fixture photo) → fingers (emulator) for a new draft; returns the view after fingers. */
  async function throughFingers(values: Record<string, string>): Promise<WorkflowView> {
    let v = await call<WorkflowView>(core, 'kiosk:workflow.start', {}, clerk);
    v = await call<WorkflowView>(core, 'kiosk:workflow.consent', { id: v.id, language: 'en', textVersion: 'eg-consent-2026.1-en', method: 'signed_paper' }, clerk);
    v = await call<WorkflowView>(core, 'kiosk:workflow.demographics', { id: v.id, values, submit: true }, clerk);
    expect(v.step).toBe('face');
    await call(core, 'kiosk:face.capture', { image: readFileSync(fixturePath('faces', 'obama_1.jpg')).toString('base64') }, clerk);
    v = await call<WorkflowView>(core, 'kiosk:workflow.face', { id: v.id }, clerk);
    if (v.step === 'face') v = await call<WorkflowView>(core, 'kiosk:workflow.face', { id: v.id, override: { supervisor: { operatorId: 'supervisor', pin: '2222' }, reason: 'studio photo used in the test' } }, clerk);
    expect(v.step).toBe('fingers');
    // Demo mode presents a new synthetic person per enrollment: these tests enroll the first record's person again.
    const firstRid = (await call<WorkflowView>(core, 'kiosk:workflow.get', { id: draftId }, clerk)).rid;
    expect(await call(core, 'kiosk:demo.samePerson', { id: v.id, rid: firstRid }, clerk)).toEqual({ id: v.id, sameAsRid: firstRid });
    for (const position of [1, 2, 3, 4, 6, 7, 8, 9]) await call(core, 'kiosk:finger.capture', { sessionId: v.id, deviceId: 'demo-r30x', step: position }, clerk);
    await call(core, 'kiosk:finger.exception', { sessionId: v.id, position: 5, kind: 'amputated', reason: 'right little finger amputated' }, clerk);
    await call(core, 'kiosk:finger.exception', { sessionId: v.id, position: 10, kind: 'bandaged', reason: 'left little finger bandaged' }, clerk);
    return call<WorkflowView>(core, 'kiosk:workflow.fingers', { id: v.id }, clerk);
  }

  it('the same person again is stopped at dedup until a supervisor adjudicates (audited); "duplicate" closes the draft', async () => {
    const other = makeEgNationalNumber('1985-01-20', '01', 'M', 7);
    let v = await throughFingers({ ...FORM, dateOfBirth: '1985-01-20', nationalNumber: other, governorateCode: '01', districtCode: '0101', localityCode: '010101' });
    expect(v.step).toBe('dedup');
    expect(['possible_duplicate', 'duplicate']).toContain(v.dedup.state);
    expect(v.blockers.map((b) => b.key)).toContain('workflow.block.possibleDuplicate');
    const first = v.dedup.candidates.find((c) => c.id === draftId);
    expect(first).toMatchObject({ source: 'local', status: 'sealed' });
    expect(first!.matchedFingers.length + (first!.faceScore !== null ? 1 : 0)).toBeGreaterThan(0);
    expect(await fail(core, 'kiosk:workflow.confirm', { id: v.id }, clerk)).toMatchObject({ code: 'WORKFLOW_ACTION_NOT_ALLOWED' });
    expect(await fail(core, 'kiosk:workflow.goTo', { id: v.id, step: 'review' }, clerk)).toMatchObject({ code: 'WORKFLOW_ACTION_NOT_ALLOWED' });

    const supervisor = core.newContext();
    await call(core, 'kiosk:auth.signIn', { operatorId: 'supervisor', pin: '2222' }, supervisor);
    const queue = await call<{ items: { id: string; flags: { possibleDuplicate: boolean } }[] }>(core, 'kiosk:workflow.adjudicationQueue', {}, supervisor);
    expect(queue.items).toContainEqual(expect.objectContaining({ id: v.id, flags: expect.objectContaining({ possibleDuplicate: true }) }));
    // A clerk's own credentials are not a supervisor's.
    expect(await fail(core, 'kiosk:workflow.adjudicate', { id: v.id, supervisor: { operatorId: 'clerk', pin: '1111' }, decision: 'not_duplicate', reason: 'looks different' }, clerk)).toMatchObject({ code: 'SUPERVISOR_REQUIRED' });

    const before = (await core.store!.client.call('audit.head', {}))!.seq;
    v = await call<WorkflowView>(core, 'kiosk:workflow.adjudicate', { id: v.id, supervisor: { operatorId: 'supervisor', pin: '2222' }, decision: 'duplicate', reason: 'same person as the sealed record' }, clerk);
    expect(v.status).toBe('purged');
    expect(v.actions).toEqual([]);
    const audit = await core.store!.client.call('audit.list', { afterSeq: before, limit: 50 });
    expect(audit).toContainEqual(expect.objectContaining({ actor: 'supervisor', action: 'workflow.adjudicate.duplicate', objectId: v.id }));
    expect(await fail(core, 'kiosk:workflow.get', { id: v.id }, clerk)).toMatchObject({ code: 'ENROLLMENT_CLOSED' });
  });

  it('"not duplicate" lets it continue; a supervisor rejects with a reason and the clerk reopens the record', async () => {
    const other = makeEgNationalNumber('1979-09-02', '02', 'M', 11);
    let v = await throughFingers({ ...FORM, dateOfBirth: '1979-09-02', nationalNumber: other, governorateCode: '02', districtCode: '0201', localityCode: '020101' });
    expect(v.step).toBe('dedup');
    v = await call<WorkflowView>(core, 'kiosk:workflow.adjudicate', { id: v.id, supervisor: { operatorId: 'supervisor', pin: '2222' }, decision: 'not_duplicate', reason: 'twin brother, different national number' }, clerk);
    expect(v).toMatchObject({ step: 'review', dedup: { state: 'adjudicated', adjudication: { decision: 'not_duplicate', supervisorId: 'supervisor' } } });
    expect(v.notices.map((n) => n.key)).toContain('workflow.notice.adjudicatedNotDuplicate');
    v = await call<WorkflowView>(core, 'kiosk:workflow.confirm', { id: v.id }, clerk);
    expect(v.status).toBe('pending_approval');
    expect(await fail(core, 'kiosk:workflow.reject', { id: v.id, supervisor: { operatorId: 'supervisor', pin: '2222' }, reason: '' }, clerk)).toMatchObject({ code: 'VALIDATION_FAILED' });
    v = await call<WorkflowView>(core, 'kiosk:workflow.reject', { id: v.id, supervisor: { operatorId: 'supervisor', pin: '2222' }, reason: 'address proof missing' }, clerk);
    expect(v).toMatchObject({ status: 'rejected', step: 'approval', approval: { decision: 'rejected', reason: 'address proof missing', supervisorId: 'supervisor' } });
    expect(v.blockers).toEqual([{ key: 'workflow.block.rejected', params: { reason: 'address proof missing' } }]);
    v = await call<WorkflowView>(core, 'kiosk:workflow.goTo', { id: v.id, step: 'demographics' }, clerk);
    expect(v).toMatchObject({ status: 'draft', step: 'demographics', approval: null });
    expect(v.demographics.values.nationalNumber).toBe(other);
    await call(core, 'kiosk:workflow.abandon', { id: v.id, reason: 'end of test' }, clerk);
  });

  it('validation: checksum, future date of birth, sex / date mismatch, missing fields — explained and blocking', async () => {
    const check = (values: Record<string, string>) => call<{ errors: { field: string; key: string; params: Record<string, unknown> }[] }>(core, 'kiosk:workflow.checkDemographics', { values }, clerk);
    const badCheck = NN.slice(0, 13) + String((Number(NN[13]) + 1) % 10);
    expect((await check({ ...FORM, nationalNumber: badCheck })).errors).toContainEqual({ field: 'nationalNumber', key: 'workflow.nn.checkDigit', params: {} });
    expect((await check({ ...FORM, dateOfBirth: '2999-01-01' })).errors).toContainEqual({ field: 'dateOfBirth', key: 'workflow.date.future', params: {} });
    const female = makeEgNationalNumber(DOB, '21', 'F', 42);
    expect((await check({ ...FORM, nationalNumber: female })).errors).toContainEqual({ field: 'nationalNumber', key: 'workflow.nn.mismatchSex', params: { fromNumber: 'F', fromForm: 'M' } });
    expect((await check({ ...FORM, dateOfBirth: '1990-04-13' })).errors).toContainEqual({ field: 'nationalNumber', key: 'workflow.nn.mismatchDateOfBirth', params: { fromNumber: DOB, fromForm: '1990-04-13' } });
    const missing = await check({ givenNameAr: 'محمد' });
    expect(missing.errors.filter((e) => e.key === 'workflow.field.required').map((e) => e.field)).toEqual(expect.arrayContaining(['familyNameAr', 'dateOfBirth', 'sex', 'nationalNumber']));

    // Master data and transliteration for the form; a technician may not use the enrollment channels.
    const districts = await call<{ items: { code: string; nameEn: string }[]; source: string }>(core, 'kiosk:workflow.locations', { level: 'district', parent: '21' }, clerk);
    expect(districts).toMatchObject({ source: 'bundled', items: expect.arrayContaining([{ code: '2101', nameAr: 'الدقي', nameEn: 'Dokki' }]) });
    expect(await call(core, 'kiosk:workflow.transliterate', { arabic: 'عبد الرحمن' }, clerk)).toEqual({ latin: 'Abdelrahman' });
    const tech = core.newContext();
    await call(core, 'kiosk:auth.signIn', { operatorId: 'technician', pin: '3333' }, tech);
    expect(await fail(core, 'kiosk:workflow.start', {}, tech)).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    expect(await fail(core, 'kiosk:workflow.formDefinition', {}, core.newContext())).toMatchObject({ code: 'UNAUTHORIZED' });

    // And they block the step.
    let v = await call<WorkflowView>(core, 'kiosk:workflow.start', {}, clerk);
    v = await call<WorkflowView>(core, 'kiosk:workflow.consent', { id: v.id, language: 'en', textVersion: 'eg-consent-2026.1-en', method: 'signed_paper' }, clerk);
    v = await call<WorkflowView>(core, 'kiosk:workflow.demographics', { id: v.id, values: { ...FORM, nationalNumber: badCheck }, submit: true }, clerk);
    expect(v.step).toBe('demographics');
    expect(v.blockers).toEqual([{ key: 'workflow.block.demographicsInvalid', params: { count: 1 } }]);
    expect(v.demographics.values.nationalNumber).toBe(badCheck);
    await call(core, 'kiosk:workflow.abandon', { id: v.id, reason: 'test draft' }, clerk);
  });

  it('a draft survives a restart and resumes at the same step with nothing lost', async () => {
    let v = await call<WorkflowView>(core, 'kiosk:workflow.start', {}, clerk);
    const id = v.id;
    v = await call<WorkflowView>(core, 'kiosk:workflow.consent', { id, language: 'ar', textVersion: 'eg-consent-2026.1-ar', method: 'thumbprint' }, clerk);
    v = await call<WorkflowView>(core, 'kiosk:workflow.demographics', { id, values: { ...FORM, phone: '0101' }, submit: false }, clerk);
    expect(v.step).toBe('demographics');
    await core.dispose();
    await open();
    const drafts = await call<{ items: { id: string; step: string }[] }>(core, 'kiosk:workflow.drafts', {}, clerk);
    expect(drafts.items).toContainEqual(expect.objectContaining({ id, step: 'demographics' }));
    v = await call<WorkflowView>(core, 'kiosk:workflow.get', { id }, clerk);
    expect(v.step).toBe('demographics');
    expect(v.demographics.values.phone).toBe('0101');
    expect(v.errors).toContainEqual({ field: 'phone', key: 'workflow.phone.invalid', params: {} });
    expect(v.consent).toMatchObject({ language: 'ar', method: 'thumbprint' });
    void draftId;
  });
});
