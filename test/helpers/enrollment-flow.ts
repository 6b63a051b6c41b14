// The clerk's enrollment, scripted in real Chromium against the browser shell: used by the e2e tests
// (test/e2e/enrollment*.test.ts) and the benchmark (bench/suites/enrollment-e2e.ts). Every step waits for what the
// clerk would see, and can save a screenshot.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { makeEgNationalNumber } from '../../main/enrollment/egypt-national-number.js';
import { projectRoot } from './fixtures.js';

export interface Person {
  givenNameAr: string;
  familyNameAr: string;
  dateOfBirth: string;
  sex: 'M' | 'F';
  nationalNumber: string;
  phone: string;
  governorateCode: string;
}

export function person(index: number): Person {
  const people: Omit<Person, 'nationalNumber'>[] = [
    { givenNameAr: 'محمد', familyNameAr: 'منصور', dateOfBirth: '1987-03-14', sex: 'M', phone: '01012345678', governorateCode: '01' },
    { givenNameAr: 'مريم', familyNameAr: 'حسين', dateOfBirth: '1995-11-02', sex: 'F', phone: '01123456789', governorateCode: '02' },
    { givenNameAr: 'يوسف', familyNameAr: 'سليمان', dateOfBirth: '2001-07-21', sex: 'M', phone: '01234567890', governorateCode: '12' },
  ];
  const p = people[index % people.length]!;
  return { ...p, nationalNumber: makeEgNationalNumber(p.dateOfBirth, p.governorateCode, p.sex, 17 + index) };
}

/** ASCII digits → Arabic-Indic (what a clerk with an Arabic keyboard types). */
export function arabicIndic(digits: string): string {
  return digits.replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d)));
}

export interface FlowOptions {
  locale: 'ar' | 'en';
  person: Person;
  /** Directory for one screenshot per step (created); null: none. */
  screenshots: string | null;
  clerk?: { id: string; pin: string };
  supervisor?: { id: string; pin: string };
  /** Stop after this step is shown (for the resume and dedup tests). */
  stopAt?: 'consent' | 'demographics' | 'face' | 'fingers' | 'dedup' | 'review' | 'approval';
  /** Where to save the receipt PDF (the test checks it). */
  receiptPdf?: string;
  /** Runs once the fingers step is shown, before any finger is captured (e.g. the demo person chooser). */
  onFingers?: (page: Page) => Promise<void>;
}

export interface FlowResult {
  id: string;
  rid: string;
  /** Wall-clock ms per step, from the step being shown to the next one being shown. */
  stepMs: Record<string, number>;
  totalMs: number;
  /** Time spent waiting on the camera and the fingerprint sensor (auto-capture and finger wire transfer). */
  captureMs: number;
}

const T = 120_000;

export async function shot(page: Page, dir: string | null, name: string): Promise<void> {
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

export async function signIn(page: Page, id: string, pin: string): Promise<void> {
  await page.getByTestId('signin-operator').fill(id);
  await page.getByTestId('signin-pin').fill(pin);
  await page.getByTestId('signin-submit').click();
}

export async function setLocale(page: Page, locale: 'ar' | 'en'): Promise<void> {
  await page.getByTestId('nav-settings').click();
  await page.getByTestId(`locale-${locale}`).click();
  await page.locator(`html[lang="${locale}"]`).waitFor();
}

/** Polls `check` every 100 ms until it holds (throws after `timeout` ms). */
export async function until(check: () => Promise<boolean>, timeout: number): Promise<void> {
  const end = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`condition not met in ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function wizardStep(page: Page): Promise<string | null> {
  return page.getByTestId('wizard').getAttribute('data-step');
}

/** Waits for the wizard to show `step`; on failure saves a screenshot and says what the screen showed instead. */
export async function waitStep(page: Page, step: string, timeout = T): Promise<void> {
  try {
    await page.locator(`[data-testid="wizard"][data-step="${step}"]`).waitFor({ timeout });
  } catch (error) {
    const dir = path.join(projectRoot, 'test-artifacts', 'e2e', 'failures');
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: path.join(dir, `waiting-for-${step}-${Date.now()}.png`), fullPage: true }).catch(() => undefined);
    const shown = await page
      .locator('[role="alert"], .blockers, [data-testid="wizard"]')
      .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-testid') ?? e.getAttribute('class')}[${e.getAttribute('data-step') ?? ''}]: ${(e.textContent ?? '').slice(0, 300)}`))
      .catch(() => []);
    throw new Error(`wizard did not reach ${step}: ${shown.join(' | ')}`, { cause: error });
  }
}

export async function fillDemographics(page: Page, p: Person, locale: 'ar' | 'en'): Promise<void> {
  await page.getByTestId('demo-givenNameAr').fill(p.givenNameAr);
  await page.getByTestId('demo-familyNameAr').fill(p.familyNameAr);
  // The Latin spelling is suggested from the Arabic (filled in while the Latin field is untouched).
  await until(async () => (await page.getByTestId('demo-familyNameLatin').inputValue()) !== '', 10_000);
  const digits = (s: string) => (locale === 'ar' ? arabicIndic(s) : s);
  await page.getByTestId('demo-dateOfBirth').fill(digits(p.dateOfBirth));
  await page.getByTestId(`demo-sex-${p.sex}`).click();
  await page.getByTestId('demo-nationalNumber').fill(digits(p.nationalNumber));
  await page.getByTestId('demo-phone').fill(digits(p.phone));
  await page.getByTestId('demo-governorateCode').selectOption(p.governorateCode);
  await page.locator('[data-testid="demo-districtCode"] option:nth-child(2)').waitFor({ state: 'attached' });
  await page.getByTestId('demo-districtCode').selectOption({ index: 1 });
  await page.locator('[data-testid="demo-localityCode"] option:nth-child(2)').waitFor({ state: 'attached' });
  await page.getByTestId('demo-localityCode').selectOption({ index: 1 });
}

/** Captures all ten fingers on the sensor with the finger screen's own controls, then binds them to the draft. */
export async function captureFingers(page: Page): Promise<void> {
  for (let guard = 0; guard < 40; guard++) {
    if ((await wizardStep(page)) !== 'fingers') return;
    const capture = page.getByTestId('finger-capture');
    if (await capture.isVisible().catch(() => false)) {
      if (await capture.isEnabled()) {
        await capture.click();
        await until(async () => (await wizardStep(page)) !== 'fingers' || (await capture.isEnabled().catch(() => true)), T);
        continue;
      }
    }
    const bind = page.getByTestId('fingers-bind');
    if ((await page.getByTestId('finger-complete').count()) > 0 && (await bind.isEnabled())) {
      await bind.click();
      await until(async () => (await wizardStep(page)) !== 'fingers', T);
      return;
    }
    await page.waitForTimeout(200);
  }
  throw new Error('finger capture did not complete');
}

export async function approveOnScreen(page: Page, supervisor: { id: string; pin: string }): Promise<void> {
  await page.getByTestId('approve-operator').fill(supervisor.id);
  await page.getByTestId('approve-pin').fill(supervisor.pin);
  await page.getByTestId('approve-submit').click();
}

/** From a fresh page: sign in, start an enrollment and take it as far as `stopAt` (or to the receipt). */
export async function runEnrollment(page: Page, loginUrl: string, o: FlowOptions): Promise<FlowResult> {
  const clerk = o.clerk ?? { id: 'clerk', pin: '1111' };
  const supervisor = o.supervisor ?? { id: 'supervisor', pin: '2222' };
  const stepMs: Record<string, number> = {};
  let captureMs = 0;
  let mark = 0;
  const t0 = performance.now();
  const enter = (step: string) => {
    const now = performance.now();
    if (mark) stepMs[step] = now - mark;
    mark = now;
  };
  const started = (name: string) => {
    const now = performance.now();
    stepMs[name] = now - mark;
    mark = now;
  };

  await page.goto(loginUrl);
  await page.getByTestId('status-kiosk').waitFor();
  if ((await page.locator(`html[lang="${o.locale}"]`).count()) === 0) {
    await setLocale(page, o.locale);
    // The choice is the kiosk's setting: a reload comes back in that language.
    await page.reload();
    await page.locator(`html[lang="${o.locale}"]`).waitFor();
  }
  if ((await page.getByTestId('signin-operator').count()) === 0) await page.getByTestId('nav-signIn').click();
  await signIn(page, clerk.id, clerk.pin);
  // Signing in resumes the clerk's open draft if there is one: leave it for a new enrollment.
  await page.locator('[data-testid="enroll-start"], [data-testid="wizard"]').first().waitFor({ timeout: T });
  if ((await page.getByTestId('wizard').count()) > 0) await page.getByTestId('wizard-exit').click();
  await page.getByTestId('enroll-start').click();
  await waitStep(page, 'consent');
  const id = (await page.getByTestId('wizard').getAttribute('data-id'))!;
  const rid = (await page.getByTestId('wizard-rid').textContent())!.trim();
  enter('signIn');
  await shot(page, o.screenshots, `01-consent-${o.locale}`);
  const result = (): FlowResult => ({ id, rid, stepMs, totalMs: performance.now() - t0, captureMs });
  if (o.stopAt === 'consent') return result();

  await page.getByTestId('consent-method-verbal').click();
  await page.getByTestId('consent-agree').check();
  await page.getByTestId('consent-next').click();
  await waitStep(page, 'demographics');
  started('consent');

  await fillDemographics(page, o.person, o.locale);
  await shot(page, o.screenshots, `02-demographics-${o.locale}`);
  if (o.stopAt === 'demographics') return result();
  await page.getByTestId('demo-next').click();
  await waitStep(page, 'face');
  started('demographics');

  const camStart = performance.now();
  await page.getByTestId('face-use').waitFor({ timeout: T });
  captureMs += performance.now() - camStart;
  await shot(page, o.screenshots, `03-face-${o.locale}`);
  if (o.stopAt === 'face') return result();
  await page.getByTestId('face-use').click();
  // The full-resolution check may fail what the live preview passed (the fixture is a press photo: pose, background):
  // then a supervisor accepts it with a reason on the clerk's screen.
  await page.locator('[data-testid="wizard"][data-step="fingers"], [data-testid="face-override-panel"]').first().waitFor({ timeout: T });
  if ((await wizardStep(page)) === 'face') {
    await shot(page, o.screenshots, `03-face-override-${o.locale}`);
    await page.getByTestId('face-override-operator').fill(supervisor.id);
    await page.getByTestId('face-override-pin').fill(supervisor.pin);
    await page.getByTestId('face-override-reason').fill(o.locale === 'ar' ? 'صورة صحفية: الخلفية غير سادة' : 'Press photo: background not plain');
    await page.getByTestId('face-override-submit').click();
  }
  await waitStep(page, 'fingers');
  started('face');

  await shot(page, o.screenshots, `04-fingers-start-${o.locale}`);
  if (o.stopAt === 'fingers') return result();
  if (o.onFingers) await o.onFingers(page);
  const fingerStart = performance.now();
  await captureFingers(page);
  captureMs += performance.now() - fingerStart;
  // Dedup runs as soon as the fingers are bound; a clear result moves straight on to review.
  await page.locator('[data-testid="wizard"][data-step="dedup"], [data-testid="wizard"][data-step="review"]').first().waitFor({ timeout: T });
  started('fingers');
  if ((await wizardStep(page)) === 'review') {
    // Back to the duplicate check with the stepper (and forward again): the clerk can always look at it.
    await page.getByTestId('step-dedup').click();
    await waitStep(page, 'dedup');
  }
  await page.locator('[data-testid="wizard-dedup"]:not([data-state="not_run"])').waitFor({ timeout: T });
  await shot(page, o.screenshots, `05-dedup-${o.locale}`);
  if (o.stopAt === 'dedup') return result();
  await page.getByTestId('dedup-next').click();
  await waitStep(page, 'review');
  started('dedup');

  await shot(page, o.screenshots, `06-review-${o.locale}`);
  if (o.stopAt === 'review') return result();
  await page.getByTestId('review-confirm').click();
  await waitStep(page, 'approval');
  started('review');

  await shot(page, o.screenshots, `07-approval-${o.locale}`);
  if (o.stopAt === 'approval') return result();
  await approveOnScreen(page, supervisor);
  await waitStep(page, 'receipt');
  await page.getByTestId('receipt').waitFor({ timeout: T });
  started('approval');
  await shot(page, o.screenshots, `08-receipt-${o.locale}`);

  if (o.receiptPdf) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('receipt-download').click()]);
    mkdirSync(path.dirname(o.receiptPdf), { recursive: true });
    await download.saveAs(o.receiptPdf);
  }
  return result();
}

/** The Performance API measures the renderer recorded (enrollment:<action> → durations, ms). */
export async function uiMeasures(page: Page): Promise<Record<string, number[]>> {
  return page.evaluate(() => {
    const out: Record<string, number[]> = {};
    for (const e of performance.getEntriesByType('measure')) {
      if (!e.name.startsWith('enrollment:')) continue;
      (out[e.name.slice('enrollment:'.length)] ??= []).push(e.duration);
    }
    return out;
  });
}

export function isPdf(file: string): boolean {
  return readFileSync(file).subarray(0, 5).toString('latin1') === '%PDF-';
}

export function writeJson(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(value, null, 2));
}
