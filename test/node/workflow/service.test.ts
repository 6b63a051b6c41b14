// WorkflowService over a real encrypted store, with the face / finger / dedup ports replaced by in-test sources
// (the ports are the workflow's own interfaces; the real ones run in enrollment-ipc.test.ts): face override, PAD,
// face exception, missing capture service, dedup unavailable, operator match, consent version, roles, receipts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import type { FaceReportView } from '../../../main/contract/channels/face.js';
import type { DedupOutcome } from '../../../main/dedup/service.js';
import { makeEgNationalNumber } from '../../../main/enrollment/egypt-national-number.js';
import type { Actor } from '../../../main/enrollment/lifecycle.js';
import { FINGER_POSITIONS } from '../../../main/enrollment/model.js';
import { proceduralFingerCapture, syntheticFace } from '../../../main/enrollment/synthetic.js';
import type { StoreServices } from '../../../main/enrollment/services.js';
import type { LastFaceCapture } from '../../../main/face/face-handlers.js';
import { canonicalReceiptBytes, renderReceiptPdf, ridQrPng, signReceipt, verifyReceipt } from '../../../main/receipt/receipt.js';
import { createWorkflow, type Workflow } from '../../../main/workflow/index.js';
import type { FingerSessionResult } from '../../../main/workflow/ports.js';
import { clerk, openTest, supervisor, supervisorCreds, tempDataDir } from '../store/helpers.js';

const NN = makeEgNationalNumber('1990-04-12', '21', 'M', 42);
const FORM = {
  givenNameAr: 'محمد',
  familyNameAr: 'علي',
  givenNameLatin: 'Mohamed',
  familyNameLatin: 'Aly',
  dateOfBirth: '1990-04-12',
  sex: 'M',
  nationalNumber: NN,
  governorateCode: '21',
  districtCode: '2101',
  localityCode: '210101',
};
const CONSENT = { language: 'ar' as const, textVersion: 'eg-consent-2026.1-ar', method: 'verbal' as const };

function report(pass: boolean, failed: string[] = []): FaceReportView {
  const measures = Object.fromEntries(['sharpness', 'pose', 'exposure'].map((k) => [k, { raw: 1, component: 1, pass: !failed.includes(k), messageKey: failed.includes(k) ? `face.${k}` : null }]));
  return { width: 640, height: 480, faces: [{ x1: 1, y1: 1, x2: 100, y2: 100, score: 0.99 }], primary: 0, measures, unifiedScore: pass ? 80 : 30, pass, messages: failed.map((k) => `face.${k}`) };
}

/** A real (decodable) JPEG as the face token. */
const TOKEN = new Uint8Array(await sharp({ create: { width: 120, height: 160, channels: 3, background: { r: 180, g: 150, b: 130 } } }).jpeg().toBuffer());

function capture(pass: boolean, opts: { failed?: string[]; pad?: 'bona_fide' | 'attack_suspected'; at?: string } = {}): LastFaceCapture {
  const face = syntheticFace('subject-face', opts.at ?? new Date().toISOString());
  return { tokenJpeg: TOKEN, embedding: face.embedding, report: report(pass, opts.failed), pad: { score: 0.1, threshold: 0.5, decision: opts.pad ?? 'bona_fide' }, capturedAt: opts.at ?? new Date().toISOString() };
}

const allFingers = (): FingerSessionResult => ({ fingers: FINGER_POSITIONS.map((p) => proceduralFingerCapture('subject-fingers', p, '2026-11-23T10:00:00.000Z')), exceptions: [], sequenceMismatches: [] });

function outcome(over: Partial<DedupOutcome> = {}): DedupOutcome {
  return {
    decision: 'no_match',
    candidates: [],
    operatorMatches: [],
    searched: 3,
    comparisons: { face: 3, fingerPrefilter: 3, fingerFull: 0 },
    probeMissing: [],
    timings: { faceMs: 0, prefilterMs: 0, matchMs: 0, totalMs: 0 },
    thresholds: { possibleFmr: 1e-3, duplicateFmr: 1e-5, possibleLlr: 5, duplicateLlr: 10 },
    ...over,
  } as DedupOutcome;
}

describe('WorkflowService', () => {
  let data: ReturnType<typeof tempDataDir>;
  let store: StoreServices;
  let wf: Workflow;
  let lastFace: LastFaceCapture | null;
  let fingers: FingerSessionResult | null;
  let fingerService: boolean;
  let dedup: { result: DedupOutcome } | null;

  beforeEach(async () => {
    data = tempDataDir('kiosk-workflow-svc-');
    store = await openTest(data.dir);
    lastFace = null;
    fingers = null;
    fingerService = true;
    dedup = { result: outcome() };
    wf = createWorkflow({
      dataDir: data.dir,
      store,
      face: { lastCapture: () => lastFace },
      fingerCapture: null,
      fingerConfig: { order: { slap: [14, 13, 15], single: [...FINGER_POSITIONS] }, maxAttempts: 3 },
      dedup: () => (dedup ? { search: async () => dedup!.result } : null),
      // The in-test finger source (the capture service's adapter runs in enrollment-ipc.test.ts).
      fingerSource: () => (fingerService ? { sessionResult: async () => fingers, plan: () => ({ positions: [...FINGER_POSITIONS], maxAttempts: 3 }) } : null),
    });
  });

  afterEach(async () => {
    await wf.dispose();
    await store.dispose();
    data.cleanup();
  });

  async function toFace(actor: Actor = clerk) {
    let v = await wf.service.start(actor);
    v = await wf.service.consent(actor, v.id, CONSENT);
    v = await wf.service.demographics(actor, v.id, FORM, true);
    expect(v.step).toBe('face');
    return v;
  }

  it('a failing face capture is kept but blocks; a supervisor override (credentials + reason) accepts it, audited', async () => {
    const v0 = await toFace();
    await expect(wf.service.bindFace(clerk, 'conn', v0.id)).rejects.toMatchObject({ code: 'FACE_NOT_CAPTURED' });
    lastFace = capture(false, { failed: ['sharpness'] });
    let v = await wf.service.bindFace(clerk, 'conn', v0.id);
    expect(v.step).toBe('face');
    expect(v.blockers).toEqual([{ key: 'workflow.block.faceChecksFailed', params: { checks: 'sharpness' } }]);
    expect(v.face).toMatchObject({ report: { pass: false, failed: ['sharpness'] }, override: null });
    expect(v.actions).not.toContain('face.override'); // a clerk session: the supervisor enters credentials
    await expect(wf.service.bindFace(clerk, 'conn', v0.id, { supervisor: { operatorId: 'clerk', pin: '1111' }, reason: 'medical' })).rejects.toMatchObject({ code: 'SUPERVISOR_REQUIRED' });
    v = await wf.service.bindFace(clerk, 'conn', v0.id, { supervisor: supervisorCreds, reason: 'eye patch after surgery' });
    expect(v.step).toBe('fingers');
    expect(v.face!.override).toMatchObject({ supervisorId: 'supervisor', reason: 'eye patch after surgery', checks: ['sharpness'] });
    expect(v.notices.map((n) => n.key)).toContain('workflow.notice.faceOverride');
    const audit = await store.client.call('audit.list', { afterSeq: 0, limit: 500 });
    expect(audit.map((a) => a.action)).toContain('workflow.face.override');
    // Overriding a passing capture is refused.
    lastFace = capture(true, { at: new Date(Date.now() + 1000).toISOString() });
    await wf.service.goTo(clerk, v0.id, 'face');
    await expect(wf.service.bindFace(clerk, 'conn', v0.id, { supervisor: supervisorCreds, reason: 'not needed' })).rejects.toMatchObject({ code: 'NOTHING_TO_OVERRIDE' });
  });

  it('PAD "attack suspected" blocks; a face exception approved by a supervisor replaces the face', async () => {
    const v0 = await toFace();
    lastFace = capture(true, { pad: 'attack_suspected' });
    let v = await wf.service.bindFace(clerk, 'conn', v0.id);
    expect(v.blockers.map((b) => b.key)).toEqual(['workflow.block.facePadSuspected']);
    v = await wf.service.faceException(clerk, v0.id, { kind: 'unable', reason: 'severe facial burns', supervisor: supervisorCreds });
    expect(v).toMatchObject({ step: 'fingers', face: { imageBase64: null, exception: { kind: 'unable', reason: 'severe facial burns' } } });
  });

  it('fingers: no capture service or no session is a typed error; missing fingers block; completion runs dedup', async () => {
    const v0 = await toFace();
    lastFace = capture(true);
    await wf.service.bindFace(clerk, 'conn', v0.id);
    fingerService = false;
    await expect(wf.service.bindFingers(clerk, v0.id)).rejects.toMatchObject({ code: 'FINGER_CAPTURE_UNAVAILABLE' });
    fingerService = true;
    await expect(wf.service.bindFingers(clerk, v0.id)).rejects.toMatchObject({ code: 'FINGER_SESSION_MISSING' });
    const some = allFingers();
    fingers = { ...some, fingers: some.fingers.filter((f) => f.position !== 7), sequenceMismatches: [3] };
    let v = await wf.service.bindFingers(clerk, v0.id);
    expect(v).toMatchObject({ step: 'fingers', fingers: { missing: [7], sequenceCheck: { passed: false } } });
    expect(v.blockers.map((b) => b.key)).toEqual(['workflow.block.fingersMissing', 'workflow.block.fingerSequence']);
    fingers = allFingers();
    v = await wf.service.bindFingers(clerk, v0.id);
    expect(v).toMatchObject({ step: 'review', dedup: { state: 'clear', searched: 3 } });
    expect(v.fingers.captured).toHaveLength(10);
    // Back at fingers with a new session holding one exception and one recapture: merged per position.
    await wf.service.goTo(clerk, v0.id, 'fingers');
    const re = proceduralFingerCapture('subject-fingers-2', 2, '2026-11-23T11:00:00.000Z');
    fingers = { fingers: [{ ...re, quality: 91 }], exceptions: [{ modality: 'finger', position: 9, kind: 'bandaged', reason: 'cut since' }], sequenceMismatches: [] };
    v = await wf.service.bindFingers(clerk, v0.id);
    expect(v.fingers.captured.map((f) => f.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 10]);
    expect(v.fingers.captured.find((f) => f.position === 2)!.quality).toBe(91);
    expect(v.fingers.exceptions).toEqual([{ position: 9, kind: 'bandaged', reason: 'cut since', hasPhoto: false }]);
    expect(v).toMatchObject({ step: 'review', dedup: { state: 'clear' } }); // biometrics changed: dedup ran again
    const stored = await store.enrollment.read(clerk, v0.id);
    expect(stored.fingers.map((f) => f.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 10]);
  });

  it('dedup unavailable blocks until a supervisor decides; an operator match is flagged and blocks; self-adjudication is refused', async () => {
    const v0 = await toFace(supervisor);
    lastFace = capture(true);
    await wf.service.bindFace(supervisor, 'conn', v0.id);
    fingers = allFingers();
    dedup = null;
    let v = await wf.service.bindFingers(supervisor, v0.id);
    expect(v).toMatchObject({ step: 'dedup', dedup: { state: 'unavailable' } });
    expect(v.blockers.map((b) => b.key)).toEqual(['workflow.block.dedupUnavailable']);
    dedup = { result: outcome({ operatorMatches: [{ operatorId: 'clerk', signedIn: false, decision: 'duplicate', llr: 14, candidate: {} as never }] }) };
    v = await wf.service.runDedup(supervisor, v0.id);
    expect(v.dedup.operatorMatch).toMatchObject({ operatorId: 'clerk', decision: 'duplicate' });
    expect(v.blockers.map((b) => b.key)).toEqual(['workflow.block.operatorMatch']);
    expect(v.notices.map((n) => n.key)).toContain('workflow.notice.operatorMatch');
    const queue = await wf.service.adjudicationQueue(supervisor);
    expect(queue).toContainEqual(expect.objectContaining({ id: v0.id, flags: expect.objectContaining({ operatorMatch: true }) }));
    // The supervisor captured this one: another supervisor must decide.
    await expect(wf.service.adjudicate(supervisor, v0.id, { supervisor: supervisorCreds, decision: 'not_duplicate', reason: 'operator helped' })).rejects.toMatchObject({ code: 'SELF_ADJUDICATION' });
  });

  it('a draft resumed at the dedup step before the search ran runs it on open', async () => {
    const v0 = await toFace();
    lastFace = capture(true);
    await wf.service.bindFace(clerk, 'conn', v0.id);
    fingers = allFingers();
    dedup = null; // the search cannot run when the fingers are bound …
    let v = await wf.service.bindFingers(clerk, v0.id);
    expect(v.dedup.state).toBe('unavailable');
    // … simulate the state a power cut leaves: step dedup, search not run.
    const rec = await store.enrollment.read(clerk, v0.id);
    await store.enrollment.updateDraft(clerk, v0.id, { workflow: { ...rec.workflow!, dedup: { state: 'not_run', ranAt: null, searched: 0, candidates: [], operatorMatch: null, adjudication: null } } });
    dedup = { result: outcome() };
    v = await wf.service.get(clerk, v0.id);
    expect(v).toMatchObject({ step: 'review', dedup: { state: 'clear', searched: 3 } });
  });

  it('consent: the shown text version must be the current one for that language', async () => {
    const v = await wf.service.start(clerk);
    await expect(wf.service.consent(clerk, v.id, { ...CONSENT, textVersion: 'eg-consent-2020.1' })).rejects.toMatchObject({ code: 'CONSENT_VERSION_MISMATCH' });
  });

  it('approval writes a signed, encrypted receipt with a PDF; history finds it by national number; a purge removes the receipt', async () => {
    const v0 = await toFace();
    lastFace = capture(true);
    await wf.service.bindFace(clerk, 'conn', v0.id);
    fingers = allFingers();
    await wf.service.bindFingers(clerk, v0.id);
    await wf.service.confirm(clerk, v0.id);
    await expect(wf.service.approve(clerk, v0.id, { operatorId: 'supervisor', pin: '0000' })).rejects.toMatchObject({ code: expect.any(String) });
    expect(wf.receipts.has(v0.id)).toBe(false); // a refused approval leaves no receipt behind
    const v = await wf.service.approve(clerk, v0.id, supervisorCreds);
    expect(v).toMatchObject({ step: 'receipt', status: 'sealed', receiptAvailable: true });
    const r = await wf.service.receipt(clerk, v0.id);
    expect(r.data).toMatchObject({ rid: v.rid, nameAr: 'محمد علي', nameLatin: 'Mohamed Aly', centreId: 'C-TEST', kioskId: 'K-TEST-01', photoSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const signed = { data: r.data, signature: Buffer.from(r.signatureBase64, 'base64'), kioskPublicKeyFingerprint: r.kioskPublicKeyFingerprint };
    expect(verifyReceipt(signed, store.kiosk.publicKey)).toBe(true);
    expect(verifyReceipt({ ...signed, data: { ...r.data, nameLatin: 'Someone Else' } }, store.kiosk.publicKey)).toBe(false);
    expect(canonicalReceiptBytes(r.data).toString()).toMatch(/^\{"approvedAt":/);
    const pdf = await PDFDocument.load(Buffer.from(r.pdfBase64, 'base64'));
    expect(pdf.getPageCount()).toBe(1);
    // Written in the language the consent was read in (Arabic here); asked for in English, the same receipt in English.
    expect(pdf.getTitle()).toBe(`إيصال التسجيل ${v.rid}`);
    const en = await wf.service.receipt(clerk, v0.id, 'en');
    expect((await PDFDocument.load(Buffer.from(en.pdfBase64, 'base64'))).getTitle()).toBe(`Enrollment receipt ${v.rid}`);
    expect(en.signatureBase64).toBe(r.signatureBase64);
    expect(en.info?.nextSteps).toContain('Keep this receipt');
    expect(Buffer.from(r.qrPngBase64, 'base64').subarray(1, 4).toString()).toBe('PNG');
    expect(r.pdfHasArabic).toBe(true); // the Arabic name is shaped into the PDF
    // The receipt file holds no readable personal data.
    const raw = (await import('node:fs')).readFileSync(`${data.dir}/receipts/${v0.id}.receipt`);
    expect(raw.includes(Buffer.from('Mohamed'))).toBe(false);
    expect(raw.includes(Buffer.from(v.rid))).toBe(false);

    // A modified receipt file is detected, never printed.
    const { writeFileSync } = await import('node:fs');
    const tampered = Buffer.from(raw);
    tampered[tampered.length - 20]! ^= 1;
    writeFileSync(`${data.dir}/receipts/${v0.id}.receipt`, tampered);
    await expect(wf.service.receipt(clerk, v0.id)).rejects.toMatchObject({ code: 'TAMPER_DETECTED' });
    writeFileSync(`${data.dir}/receipts/${v0.id}.receipt`, raw);

    const found = await wf.service.history(clerk, { nationalNumber: [...NN].map((c) => String.fromCharCode(0x0660 + Number(c))).join('') });
    expect(found.map((i) => i.id)).toEqual([v0.id]);
    expect(await wf.service.history(clerk, { nationalNumber: '29999999999999' })).toEqual([]);

    // Retention purge (the sync engine's path) deletes the receipt file too.
    await store.client.call('enrollment.purge', { id: v0.id, expectRev: (await store.client.call('enrollment.get', { id: v0.id, withBlobs: false }))!.row.rev, at: Date.now(), audit: store.audit.entry('system', 'enrollment.purge', v0.id) });
    expect(wf.receipts.has(v0.id)).toBe(false);
    await expect(wf.service.receipt(clerk, v0.id)).rejects.toMatchObject({ code: 'RECEIPT_NOT_FOUND' });
  });

  it('a face token the PDF writer cannot embed is a typed error', async () => {
    const receipt = signReceipt({ rid: 'R1', nameAr: null, nameLatin: 'X', enrolledAt: '2026-01-01T00:00:00.000Z', approvedAt: '2026-01-01T00:00:00.000Z', centreId: 'C', kioskId: 'K', photoSha256: null }, store.kiosk.signingKey, store.kiosk.fingerprint);
    const bad = syntheticFace('x', '2026-01-01T00:00:00.000Z').image; // JPEG markers around noise
    await expect(renderReceiptPdf({ receipt, photoJpeg: bad, qrPng: await ridQrPng('R1') })).rejects.toMatchObject({ code: 'RECEIPT_PHOTO_INVALID' });
  });

  it('the approval queue lists pending records; clearing a demographics field really removes it from the record', async () => {
    const v0 = await toFace();
    await wf.service.goTo(clerk, v0.id, 'demographics');
    const { phone: _p, ...rest } = { ...FORM, phone: '01012345678' };
    await wf.service.demographics(clerk, v0.id, { ...FORM, phone: '01012345678' }, false);
    expect((await store.enrollment.read(clerk, v0.id)).demographics.phone).toBe('01012345678');
    const v = await wf.service.demographics(clerk, v0.id, rest, true);
    expect(v.step).toBe('face');
    expect((await store.enrollment.read(clerk, v0.id)).demographics.phone).toBeUndefined();
  });
});
