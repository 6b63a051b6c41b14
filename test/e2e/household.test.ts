// Issue 19 end to end in real Chromium through the browser shell (fake camera, R30x emulator on a pty, the real core,
// store, sealing, sync and the demo mode's embedded registry): a household of five — head, spouse and three children
// — in Arabic. The head is enrolled with face and ten fingers, the spouse with ten fingers and a face exception
// co-signed by a supervisor, the children (under the configured age of 12) without fingerprints and without a face.
// The questionnaire (test/helpers/household-questionnaire.ts: skip logic, a repeat group per member, calculations,
// a PMT) is filled in the wizard; the kiosk is SIGKILLed in the middle of it and restarted: signing in again lands
// on the same questionnaire page with every answer kept. Every member is approved, sealed and synced; the registry
// (`registry household show`) lists the five members linked to the household and a PMT score equal to the one
// computed by hand from the answers. Screenshots of the household screens (1366×768, Arabic, and the questionnaire
// in English) are written to docs/images/household-*.png.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEgNationalNumber } from '../../main/enrollment/egypt-national-number.js';
import { launchChromium } from '../helpers/browser.js';
import { approveOnScreen, captureFingers, fillDemographics, signIn, until, waitStep, wizardStep, type Person } from '../helpers/enrollment-flow.js';
import { fixturePath, hasFixture, projectRoot } from '../helpers/fixtures.js';
import { HOUSEHOLD_QUESTIONNAIRE, expectedPmt } from '../helpers/household-questionnaire.js';
import { startKioskWeb, type RunningKiosk } from '../helpers/kiosk-process.js';
import { writeY4m } from '../helpers/y4m.js';

const FACE = 'lacamoire_2.jpg';
const haveFixtures = hasFixture('faces', FACE);
if (!haveFixtures) console.warn(`household e2e skipped: fixture faces/${FACE} missing (../shared/fixtures)`);
const work = mkdtempSync(path.join(os.tmpdir(), 'kiosk-household-e2e-'));
const images = path.join(projectRoot, 'docs', 'images');
const supervisor = { id: 'supervisor', pin: '2222' };
const LONG = { timeout: 1_800_000 };

const mk = (p: Omit<Person, 'nationalNumber'>, serial: number): Person => ({ ...p, nationalNumber: makeEgNationalNumber(p.dateOfBirth, p.governorateCode, p.sex, serial) });
const HEAD = mk({ givenNameAr: 'محمود', familyNameAr: 'عبدالله', dateOfBirth: '1987-03-14', sex: 'M', phone: '01012345678', governorateCode: '24' }, 31);
const SPOUSE = mk({ givenNameAr: 'فاطمة', familyNameAr: 'حسن', dateOfBirth: '1995-11-02', sex: 'F', phone: '01123456789', governorateCode: '24' }, 32);
const CHILDREN = [
  mk({ givenNameAr: 'أحمد', familyNameAr: 'محمود', dateOfBirth: '2016-05-10', sex: 'M', phone: '01012345678', governorateCode: '24' }, 33),
  mk({ givenNameAr: 'مريم', familyNameAr: 'محمود', dateOfBirth: '2019-08-01', sex: 'F', phone: '01012345678', governorateCode: '24' }, 34),
  mk({ givenNameAr: 'علي', familyNameAr: 'محمود', dateOfBirth: '2023-02-01', sex: 'M', phone: '01012345678', governorateCode: '24' }, 35),
];
const HEAD_INCOME = 3000;

function configFile(): string {
  const q = path.join(work, 'household-questionnaire.json');
  writeFileSync(q, JSON.stringify(HOUSEHOLD_QUESTIONNAIRE));
  const file = path.join(work, 'kiosk.json');
  writeFileSync(
    file,
    JSON.stringify({
      thresholds: { face: { maxYaw: 15 }, faceAutoCaptureFrames: 3 },
      devices: { fingerprint: [{ kind: 'emulated-r30x', id: 'demo-r30x', subject: 'e2e-household' }] },
      household: { questionnaire: q, childAgeYears: 12 },
    }),
  );
  return file;
}

function registryCli(args: string[]): { status: number | null; json: unknown; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(projectRoot, 'bin', 'registry.js'), ...args], { cwd: projectRoot, encoding: 'utf8', timeout: 60_000 });
  let json: unknown = null;
  try {
    json = JSON.parse(r.stdout.trim().split('\n').pop() ?? 'null');
  } catch {
    json = null;
  }
  return { status: r.status, json, stderr: r.stderr };
}

async function shot(page: Page, name: string, top = true): Promise<void> {
  mkdirSync(images, { recursive: true });
  if (top) await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(200);
  await page.screenshot({ path: path.join(images, `${name}.png`) });
}

async function backToHousehold(page: Page, step: string): Promise<void> {
  await page.locator(`[data-testid="household"][data-step="${step}"]`).waitFor({ timeout: 60_000 });
}

/** One member from the consent to the approval step (and through approval when `approve`), back on the household. */
async function enrollMember(page: Page, p: Person, kind: 'face' | 'faceException' | 'child', approve: boolean, shots?: string): Promise<void> {
  await waitStep(page, 'consent');
  await page.getByTestId('consent-method-verbal').click();
  await page.getByTestId('consent-agree').check();
  await page.getByTestId('consent-next').click();
  await waitStep(page, 'demographics');
  await fillDemographics(page, p, 'ar');
  await page.getByTestId('demo-next').click();
  await waitStep(page, 'face');
  if (kind === 'face') {
    await page.getByTestId('face-use').waitFor({ timeout: 120_000 });
    await page.getByTestId('face-use').click();
    await page.locator('[data-testid="wizard"][data-step="fingers"], [data-testid="face-override-panel"]').first().waitFor({ timeout: 120_000 });
    if ((await wizardStep(page)) === 'face') {
      await page.getByTestId('face-override-operator').fill(supervisor.id);
      await page.getByTestId('face-override-pin').fill(supervisor.pin);
      await page.getByTestId('face-override-reason').fill('صورة صحفية: الخلفية غير سادة');
      await page.getByTestId('face-override-submit').click();
    }
  } else if (kind === 'faceException') {
    await page.getByTestId('face-exception-toggle').click();
    await page.getByTestId('face-exception-operator').fill(supervisor.id);
    await page.getByTestId('face-exception-pin').fill(supervisor.pin);
    await page.getByTestId('face-exception-reason').fill('لا تقبل التصوير لأسباب دينية');
    await page.getByTestId('face-exception-submit').click();
  } else {
    // (No screenshot of this step: it shows the camera, i.e. the fixture's face.)
    await page.getByTestId('face-child-note').waitFor();
    await page.getByTestId('face-skip').click();
  }
  await waitStep(page, 'fingers');
  if (kind === 'child') {
    await page.getByTestId('fingers-child-note').waitFor();
    if (shots) await shot(page, `${shots}-fingers`);
    await page.getByTestId('fingers-skip').click();
  } else await captureFingers(page);
  await page.locator('[data-testid="wizard"][data-step="dedup"], [data-testid="wizard"][data-step="review"]').first().waitFor({ timeout: 120_000 });
  if ((await wizardStep(page)) === 'dedup') {
    await page.locator('[data-testid="wizard-dedup"]:not([data-state="not_run"])').waitFor({ timeout: 120_000 });
    await page.getByTestId('dedup-next').click();
  }
  await waitStep(page, 'review');
  await page.getByTestId('review-confirm').click();
  await waitStep(page, 'approval');
  if (!approve) {
    await page.getByTestId('approval-later').click();
    return;
  }
  await approveOnScreen(page, supervisor);
  await waitStep(page, 'receipt');
  await page.getByTestId('receipt-done').click();
}

describe.skipIf(!haveFixtures)('household of five end to end (questionnaire, kiosk killed mid-questionnaire, registry)', () => {
  let browser: Browser;
  let kiosk: RunningKiosk;
  const kiosks: RunningKiosk[] = [];
  const dataDir = mkdtempSync(path.join(work, 'data-'));
  let config: string;
  const dwellingJpeg = path.join(work, 'dwelling.jpg');

  beforeAll(async () => {
    const video = path.join(work, 'face.y4m');
    await writeY4m(video, [fixturePath('faces', FACE)], { width: 1280, height: 720, fps: 10, framesEach: 10 });
    browser = await launchChromium(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`]);
    config = configFile();
    writeFileSync(dwellingJpeg, await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 190, g: 170, b: 140 } } }).jpeg().toBuffer());
    kiosk = await startKioskWeb({ dataDir, extraArgs: ['--config', config] });
    kiosks.push(kiosk);
  });

  afterAll(async () => {
    await browser?.close();
    for (const k of kiosks) await k.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('enrolls, resumes after a kill mid-questionnaire, seals, syncs and shows the household at the registry with its PMT', LONG, async () => {
    const started = Date.now();
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    page.on('pageerror', (e) => console.error('pageerror', e.message));
    await page.goto(kiosk.loginUrl);
    await page.getByTestId('status-kiosk').waitFor();
    await signIn(page, 'clerk', '1111');
    // Signing in lands on home (nothing to resume yet) before the clerk moves on.
    await page.getByTestId('enroll-start').waitFor();
    await page.getByTestId('nav-households').click();
    await page.getByTestId('household-home').waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await page.getByTestId('household-new').click();

    // Address, location, dwelling.
    await page.getByTestId('household-details').waitFor();
    await page.locator('[data-testid="hh-governorate"] option:nth-child(2)').waitFor({ state: 'attached' });
    await page.getByTestId('hh-details-submit').click();
    await page.getByTestId('hh-details-missing').waitFor();
    await page.getByTestId('hh-governorate').selectOption('24');
    await page.locator('[data-testid="hh-district"] option:nth-child(2)').waitFor({ state: 'attached' });
    await page.getByTestId('hh-district').selectOption({ index: 1 });
    await page.getByTestId('hh-village').fill('دير أبو حنس');
    await page.getByTestId('hh-street').fill('شارع الجامع، منزل ١٢');
    await page.getByTestId('hh-landmark').fill('بجوار المدرسة');
    await page.getByTestId('hh-lat').fill('27.7806');
    await page.getByTestId('hh-lon').fill('30.8411');
    await page.getByTestId('hh-accuracy').fill('6');
    await page.getByTestId('hh-type').selectOption('rural_house');
    await page.getByTestId('hh-tenure').selectOption('owned');
    await page.getByTestId('hh-rooms').fill('3');
    await shot(page, 'household-details-ar');
    await page.getByTestId('hh-details-submit').click();

    // The head: face and ten fingers; left at the approval step (approved once the questionnaire is complete).
    await enrollMember(page, HEAD, 'face', false);
    await backToHousehold(page, 'members');
    const householdId = (await page.getByTestId('household').getAttribute('data-id'))!;
    expect(householdId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);

    // The spouse: ten fingers, face exception co-signed by the supervisor; approved at once.
    await page.getByTestId('hh-add-relationship').selectOption('spouse');
    await page.getByTestId('hh-add-member').click();
    await enrollMember(page, SPOUSE, 'faceException', true);
    await backToHousehold(page, 'members');

    // Three children under 12: no fingerprints, no face.
    for (const [i, child] of CHILDREN.entries()) {
      await page.getByTestId('hh-add-relationship').selectOption('child');
      await page.getByTestId('hh-add-member').click();
      await enrollMember(page, child, 'child', true, i === 0 ? 'household-child' : undefined);
      await backToHousehold(page, 'members');
    }
    await page.locator('[data-testid="hh-members-table"] tbody tr').nth(4).waitFor();
    expect(await page.locator('[data-testid="hh-members-table"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-relationship')))).toEqual(['head', 'spouse', 'child', 'child', 'child']);
    await shot(page, 'household-members-ar');

    // The questionnaire: page 1 with skip logic (the "other source" question appears only for "other").
    await page.getByTestId('hh-members-next').click();
    await page.getByTestId('household-questionnaire').waitFor();
    await page.getByTestId('q-next').click();
    await page.getByTestId('q-page-blocked').waitFor();
    await page.getByTestId('q-rooms').fill('٢٥');
    // The constraint's own message, in Arabic (Arabic-Indic digits read as 25).
    await until(async () => (await page.getByTestId('q-error-rooms').textContent().catch(() => null)) === 'بين 1 و20 غرفة', 15_000);
    await page.getByTestId('q-rooms').fill('2');
    expect(await page.getByTestId('q-water_other').count()).toBe(0);
    await page.getByTestId('q-water-other').check();
    await page.getByTestId('q-water_other').waitFor();
    await shot(page, 'household-questionnaire-ar');
    await page.getByTestId('q-water-piped').check();
    await page.getByTestId('q-water_other').waitFor({ state: 'detached' });
    // A GPS point and a photo of the dwelling (sealed with the head as a packet part; the registry checks it is a JPEG).
    await page.getByTestId('q-dwelling_gps-lat').fill('27.7806');
    await page.getByTestId('q-dwelling_gps-lon').fill('30.8411');
    await page.getByTestId('q-dwelling_photo').setInputFiles(dwellingJpeg);
    await page.getByTestId('q-dwelling_photo-saved').waitFor();
    await page.locator('[data-testid="q-saving"][data-state="saved"]').waitFor();
    await page.getByTestId('q-next').click();
    // Page 2: the household size makes the members repeat (one instance per member).
    await page.locator('[data-testid="household-questionnaire"][data-page="1"]').waitFor();
    await page.getByTestId('q-hh_size').fill('5');
    await page.locator('[data-testid="q-saving"][data-state="saved"]').waitFor();
    await page.getByTestId('q-next').click();
    await page.locator('[data-testid="household-questionnaire"][data-page="2"]').waitFor();
    await page.locator('[data-testid="q-repeat-members"][data-instances="5"]').waitFor();
    // The head's answers, then the kiosk dies mid-page.
    await page.getByTestId('q-members[1].m_dob').fill(HEAD.dateOfBirth);
    await page.getByTestId('q-members[1].m_works-yes').waitFor();
    await page.getByTestId('q-members[1].m_works-yes').check();
    await page.getByTestId('q-members[1].m_income').fill(String(HEAD_INCOME));
    await page.getByTestId('q-members[2].m_dob').fill(SPOUSE.dateOfBirth);
    await page.locator('[data-testid="q-saving"][data-state="saved"]').waitFor();
    await page.waitForTimeout(500);
    await page.getByTestId('q-instance-members-1').scrollIntoViewIfNeeded();
    await shot(page, 'household-questionnaire-members-ar', false);
    kiosk.child.kill('SIGKILL');
    await new Promise((res) => kiosk.child.once('exit', res));

    kiosk = await startKioskWeb({ dataDir, extraArgs: ['--config', config] });
    kiosks.push(kiosk);
    await page.goto(kiosk.loginUrl);
    await signIn(page, 'clerk', '1111');
    // Signing in lands on the household's questionnaire, same page, answers kept.
    await page.locator('[data-testid="household-questionnaire"][data-page="2"]').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('household').getAttribute('data-id')).toBe(householdId);
    expect(await page.getByTestId('q-members[1].m_dob').inputValue()).toBe(HEAD.dateOfBirth);
    expect(await page.getByTestId('q-members[1].m_income').inputValue()).toBe(String(HEAD_INCOME));
    expect(await page.getByTestId('q-members[2].m_dob').inputValue()).toBe(SPOUSE.dateOfBirth);
    // Work is asked only from 15 years: the spouse yes/no, the children not at all (skip logic per instance).
    await page.getByTestId('q-members[2].m_works-no').check();
    for (const [i, c] of CHILDREN.entries()) await page.getByTestId(`q-members[${i + 3}].m_dob`).fill(c.dateOfBirth);
    await page.locator('[data-testid="q-saving"][data-state="saved"]').waitFor();
    await until(async () => (await page.locator('[data-testid="q-members[3].m_age"]').getAttribute('data-value').catch(() => null)) !== null, 10_000);
    expect(await page.getByTestId('q-members[3].m_works-yes').count()).toBe(0);
    expect(await page.getByTestId('q-members[2].m_income').count()).toBe(0);
    await page.getByTestId('q-next').click();
    await page.locator('[data-testid="household-questionnaire"][data-page="3"]').waitFor();
    await page.getByTestId('q-assets-tv').check();
    await page.getByTestId('q-assets-fridge').check();
    await page.locator('[data-testid="q-saving"][data-state="saved"]').waitFor();
    await page.getByTestId('q-finish').click();

    // Summary: the kiosk's score (for information) is the hand-computed one.
    await backToHousehold(page, 'summary');
    const want = expectedPmt({ hhSize: 5, children: 3, incomes: [HEAD_INCOME], water: 'piped', assets: ['tv', 'fridge'] });
    const kioskScore = Number(await page.getByTestId('hh-pmt').getAttribute('data-score'));
    expect(kioskScore).toBeCloseTo(want, 6);
    await shot(page, 'household-summary-ar');

    // The head is approved now that the questionnaire is complete; the household is sealed with the head.
    await page.getByTestId('hh-summary-member-0').click();
    await waitStep(page, 'approval');
    await approveOnScreen(page, supervisor);
    await waitStep(page, 'receipt');
    await page.getByTestId('receipt-done').click();
    await backToHousehold(page, 'summary');
    await page.getByTestId('hh-ready').waitFor({ timeout: 30_000 });

    // English: the same questionnaire page in English (labels from the definition).
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('locale-en').click();
    await page.locator('html[lang="en"]').waitFor();
    await page.getByTestId('nav-households').click();
    await page.getByTestId(`household-open-${householdId}`).click();
    await backToHousehold(page, 'summary');
    await page.getByTestId('hh-step-questionnaire').click();
    await page.getByTestId('household-questionnaire').waitFor();
    for (let i = 0; i < 5 && (await page.getByTestId('household-questionnaire').getAttribute('data-page')) !== '0'; i++) await page.getByTestId('q-back').click();
    await page.locator('[data-testid="household-questionnaire"][data-page="0"]').waitFor();
    await page.getByTestId('q-water-piped').waitFor();
    await shot(page, 'household-questionnaire-en');
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('locale-ar').click();

    // Synced: the registry links the five members to the household and recomputes the PMT (its score counts).
    const regDir = path.join(dataDir, 'demo-registry-server');
    let household: { members: { rid: string; relationship: string }[]; pmt: { score: number; eligible: boolean | null } | null; kioskPmtScore: number | null; pmtError: string | null } | null = null;
    await until(async () => {
      const r = registryCli(['household', 'show', householdId, '--data-dir', regDir]);
      household = r.status === 0 ? (r.json as typeof household) : null;
      return !!household && household.members.length === 5 && household.pmt !== null;
    }, 300_000);
    const h = household!;
    expect(h.members.map((m) => m.relationship).sort()).toEqual(['child', 'child', 'child', 'head', 'spouse']);
    expect(h.pmtError).toBeNull();
    expect(h.pmt!.score).toBeCloseTo(want, 6);
    expect(h.pmt!.eligible).toBe(want <= 12.5);
    expect(h.kioskPmtScore).toBeCloseTo(kioskScore, 9);
    // A member's RID leads to the same household.
    const ofChild = registryCli(['household', 'of', h.members.find((m) => m.relationship === 'child')!.rid, '--data-dir', regDir]);
    expect(ofChild.status).toBe(0);
    expect((ofChild.json as { householdId: string }).householdId).toBe(householdId);
    console.log(`household e2e: ${Math.round((Date.now() - started) / 1000)} s, PMT ${h.pmt!.score} (by hand ${want})`);
    await page.close();
  });
});
