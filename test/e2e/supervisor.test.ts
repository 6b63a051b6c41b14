// Issue 17: a working day as clerk, supervisor and technician in real Chromium through the browser shell (fake
// cameras made from two fixture faces, the R30x emulator on a pseudo-terminal, the real core, store, dedup, the demo
// mode's embedded registry and its regional gallery feed). One flow covers:
//  - item 2: a second, different person is not flagged (the emulated sensor presents a new synthetic person per
//    enrollment); the demo control "same person as RID …" makes a duplicate on purpose;
//  - item 3: adjudication shows both people side by side — the sealed record's photo, names, date of birth and
//    national number from its encrypted receipt, who captured it — and the kiosk's own record coming back from the
//    registry is neither a second candidate nor a second searched record;
//  - item 4: the approval screen shows the case file (photo, names, date of birth, national number, fingers,
//    exceptions, duplicate-check decision);
//  - item 13: the clerk's screens follow the supervisor's decisions made on another screen (same person → closed;
//    approval → receipt) without a reload;
//  - item 6: the home tile "waiting for upload" and the sync panel show the same number;
//  - item 16: on a registered demo kiosk the checklist shows language and registration done, the clock check is
//    enabled, and device discovery lists the configured sensor.
// Screenshots of every changed screen at 1366×768 and 1024×768, Arabic and English: test-artifacts/e2e/supervisor/.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { person, runEnrollment, setLocale, signIn, until, waitStep } from '../helpers/enrollment-flow.js';
import { fixturePath, hasFixture, projectRoot } from '../helpers/fixtures.js';
import { startKioskWeb, type RunningKiosk } from '../helpers/kiosk-process.js';
import { writeY4m } from '../helpers/y4m.js';

const artifacts = path.join(projectRoot, 'test-artifacts', 'e2e', 'supervisor');
const FACE_A = 'lacamoire_2.jpg';
const FACE_B = 'obama_1.jpg';
const haveFixtures = hasFixture('faces', FACE_A) && hasFixture('faces', FACE_B);
const work = mkdtempSync(path.join(os.tmpdir(), 'kiosk-supervisor-e2e-'));
const supervisor = { id: 'supervisor', pin: '2222' };
const LONG = { timeout: 1_500_000 };

/** ASCII value of a number shown in either script (Arabic-Indic digits in Arabic). */
function shownNumber(text: string | null): number {
  const ascii = (text ?? '').replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660)).replace(/[^0-9]/g, '');
  return ascii === '' ? NaN : Number(ascii);
}

describe.skipIf(!haveFixtures)('a supervisor’s day (issue 17)', () => {
  let browserA: Browser;
  let browserB: Browser;
  let kiosk: RunningKiosk;
  let spare: Page;
  const dataDir = mkdtempSync(path.join(work, 'data-'));

  beforeAll(async () => {
    const videoA = path.join(work, 'a.y4m');
    const videoB = path.join(work, 'b.y4m');
    await writeY4m(videoA, [fixturePath('faces', FACE_A)], { width: 1280, height: 720, fps: 10, framesEach: 10 });
    await writeY4m(videoB, [fixturePath('faces', FACE_B)], { width: 1280, height: 720, fps: 10, framesEach: 10 });
    const fake = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'];
    browserA = await launchChromium([...fake, `--use-file-for-fake-video-capture=${videoA}`]);
    browserB = await launchChromium([...fake, `--use-file-for-fake-video-capture=${videoB}`]);
    const config = path.join(work, 'kiosk.json');
    // Press photos, not ICAO portraits: this deployment accepts their pose, mouth, background and (720p) eye distance.
    writeFileSync(config, JSON.stringify({ thresholds: { face: { maxYaw: 15, minInterEyeDistance: 60, maxMouthOpen: 0.3, maxBackgroundGradient: 400 } }, devices: { fingerprint: [{ kind: 'emulated-r30x', id: 'demo-r30x', subject: 'e2e-supervisor' }] } }));
    kiosk = await startKioskWeb({ dataDir, extraArgs: ['--config', config] });
    // A page that only switches the kiosk's language (a setting every open screen follows) for the screenshots.
    spare = await browserA.newPage({ viewport: { width: 1366, height: 768 } });
    await spare.goto(kiosk.loginUrl);
    await spare.getByTestId('status-kiosk').waitFor();
  });

  afterAll(async () => {
    await browserA?.close();
    await browserB?.close();
    await kiosk?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  async function newPage(browser: Browser): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    page.on('pageerror', (e) => console.error('pageerror', e.message));
    return page;
  }

  /** The screen as it is, in Arabic and English at 1366×768 and 1024×768 (then back to Arabic, 1366). */
  async function shots(page: Page, name: string): Promise<void> {
    mkdirSync(artifacts, { recursive: true });
    for (const locale of ['ar', 'en'] as const) {
      await setLocale(spare, locale);
      await page.locator(`html[lang="${locale}"]`).waitFor();
      for (const width of [1366, 1024]) {
        await page.setViewportSize({ width, height: 768 });
        await page.waitForTimeout(150);
        await page.screenshot({ path: path.join(artifacts, `${name}-${locale}-${width}.png`), fullPage: true });
      }
    }
    await setLocale(spare, 'ar');
    await page.locator('html[lang="ar"]').waitFor();
    await page.setViewportSize({ width: 1366, height: 768 });
  }

  it('clerk, supervisor and technician through one day', LONG, async () => {
    // 1. The first person, approved on the clerk's screen.
    const p1 = await newPage(browserA);
    const first = await runEnrollment(p1, kiosk.loginUrl, { locale: 'ar', person: person(0), screenshots: null });
    await p1.close();

    // The embedded registry accepts it and sends it back in the regional gallery feed (wait until the feed pulled).
    const cursor = path.join(dataDir, 'dedup', 'regional-cursor.json');
    await until(async () => existsSync(cursor) && (JSON.parse(readFileSync(cursor, 'utf8')) as { since: number }).since > 0, 300_000);

    // 2. A different person (other face, the sensor's next synthetic person): no duplicate, one record searched.
    const p2 = await newPage(browserB);
    const second = await runEnrollment(p2, kiosk.loginUrl, { locale: 'ar', person: person(1), screenshots: null, stopAt: 'dedup' });
    expect(await p2.getByTestId('wizard-dedup').getAttribute('data-state')).toBe('clear');
    // The kiosk's own first record came back from the registry: still one person searched, not two.
    expect(await p2.getByTestId('dedup-state').getAttribute('data-searched')).toBe('1');
    await p2.getByTestId('dedup-next').click();
    await waitStep(p2, 'review');
    await p2.getByTestId('review-confirm').click();
    await waitStep(p2, 'approval');
    // The clerk leaves this screen open: it must follow the supervisor's approval made elsewhere.

    // 3. The same person as the first, shown on purpose with the demo control (same face video, same fingers).
    const p3 = await newPage(browserA);
    const third = await runEnrollment(p3, kiosk.loginUrl, {
      locale: 'ar',
      person: person(2),
      screenshots: null,
      stopAt: 'dedup',
      onFingers: async (page) => {
        await page.getByTestId('demo-person').locator('summary').click();
        await page.getByTestId('demo-person-rid').fill(first.rid);
        await page.getByTestId('demo-person-same').click();
        await page.getByTestId('demo-person-state').filter({ hasText: first.rid }).waitFor();
        await shots(page, 'demo-person');
      },
    });
    expect(await p3.getByTestId('wizard-dedup').getAttribute('data-state')).toBe('duplicate');
    await p3.getByTestId('dedup-blockers').waitFor();

    // 4. The supervisor adjudicates from the queue: both people side by side.
    const sup = await newPage(browserA);
    await sup.goto(kiosk.loginUrl);
    await signIn(sup, supervisor.id, supervisor.pin);
    await sup.getByTestId('nav-adjudication').click();
    await sup.getByTestId(`adjudications-open-${third.rid}`).click();
    await waitStep(sup, 'dedup');
    const candidates = sup.getByTestId('dedup-candidate');
    expect(await candidates.count()).toBe(1);
    expect(await candidates.first().getAttribute('data-source')).toBe('local');
    expect(await candidates.first().getAttribute('data-rid')).toBe(first.rid);
    await sup.waitForFunction("document.querySelector('[data-testid=dedup-existing-photo]')?.naturalWidth > 0");
    expect(await sup.getByTestId('dedup-existing-nameAr').textContent()).toBe('محمد منصور');
    expect(await sup.getByTestId('dedup-existing-nationalNumber').textContent()).toBe(person(0).nationalNumber);
    expect(await sup.getByTestId('dedup-existing-capturedBy').textContent()).toBe('clerk');
    expect(await sup.getByTestId('dedup-existing-dateOfBirth').textContent()).not.toBe('—');
    expect(await sup.getByTestId('dedup-probe-nameAr').textContent()).toBe('يوسف سليمان');
    expect(await sup.locator('[data-testid^="dedup-finger-"].ok').count()).toBeGreaterThanOrEqual(2);
    await shots(sup, 'adjudication');
    await sup.getByTestId('adjudicate-duplicate').click();
    await sup.getByTestId('adjudicate-pin').fill(supervisor.pin);
    await sup.getByTestId('adjudicate-reason').fill('الشخص نفسه: البصمات والوجه متطابقة');
    await sup.getByTestId('adjudicate-submit').click();
    await sup.getByTestId('wizard-closed').waitFor({ timeout: 60_000 });

    // 5. The clerk's screen follows the decision: closed, not "a supervisor must decide".
    await p3.getByTestId('wizard-closed-text').waitFor({ timeout: 60_000 });
    expect(await p3.getByTestId('dedup-blockers').count()).toBe(0);
    await shots(p3, 'clerk-after-same-person');
    await p3.close();

    // 6. Approval from the queue: the case file of the second person.
    await sup.getByTestId('wizard-exit').click();
    await sup.getByTestId('nav-approvals').click();
    await sup.getByTestId(`approvals-open-${second.rid}`).click();
    await waitStep(sup, 'approval');
    await sup.getByTestId('case-file').waitFor();
    await sup.waitForFunction("document.querySelector('[data-testid=case-person-photo]')?.naturalWidth > 0");
    expect(await sup.getByTestId('case-person-nameAr').textContent()).toBe('مريم حسين');
    expect(await sup.getByTestId('case-person-nationalNumber').textContent()).toBe(person(1).nationalNumber);
    expect(await sup.getByTestId('case-person-capturedBy').textContent()).toBe('clerk');
    expect(await sup.locator('[data-testid="case-fingers"] li').count()).toBe(10);
    expect(await sup.getByTestId('case-dedup').textContent()).toContain('لم يُعثر على تكرار');
    await shots(sup, 'approval');
    await sup.getByTestId('approve-pin').fill(supervisor.pin);
    await sup.getByTestId('approve-submit').click();
    await waitStep(sup, 'receipt');

    // 7. The clerk's approval screen, left open, moves on to the receipt by itself.
    await waitStep(p2, 'receipt', 60_000);
    await p2.close();

    // 8. Home: "waiting for upload" and the sync panel count the same records.
    await sup.getByTestId('wizard-exit').click();
    await sup.getByTestId('count-awaitingUpload').waitFor();
    await until(async () => {
      const tile = shownNumber(await sup.getByTestId('count-awaitingUpload').locator('.tile-value').textContent());
      const panel = shownNumber(await sup.getByTestId('sync-backlog').textContent());
      return Number.isFinite(tile) && tile === panel;
    }, 120_000);
    await sup.getByTestId('counts-help').locator('summary').click();
    await shots(sup, 'home');
    await sup.close();

    // 9. The technician's checklist on this registered, syncing demo kiosk.
    const tech = await newPage(browserA);
    await tech.goto(kiosk.loginUrl);
    await signIn(tech, 'technician', '3333');
    await tech.getByTestId('nav-provisioning').click();
    await tech.getByTestId('provisioning').waitFor();
    expect(await tech.getByTestId('prov-check-language').getAttribute('data-status')).toBe('ok');
    expect(await tech.getByTestId('prov-check-registration').getAttribute('data-status')).toBe('ok');
    expect(await tech.getByTestId('prov-clock').isEnabled()).toBe(true);
    expect(await tech.getByTestId('prov-clock-why').count()).toBe(0);
    await tech.getByTestId('prov-discover').click();
    await tech.getByTestId('prov-found-configured-demo-r30x').waitFor({ timeout: 30_000 });
    await shots(tech, 'provisioning');
    await tech.close();
  });
});
