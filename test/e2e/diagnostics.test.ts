// Diagnostics and the screen lock in real Chromium against the browser shell: a technician sees every check of the
// full report and exports a bundle; a clerk has no Diagnostics; a locked screen hides the kiosk until the PIN.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { projectRoot } from '../helpers/fixtures.js';
import { startKioskWeb, type RunningKiosk } from '../helpers/kiosk-process.js';

const artifacts = path.join(projectRoot, 'test-artifacts', 'e2e');

async function signIn(page: Page, kiosk: RunningKiosk, id: string, pin: string): Promise<void> {
  await page.goto(kiosk.loginUrl);
  await page.getByTestId('signin-operator').fill(id);
  await page.getByTestId('signin-pin').fill(pin);
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('nav-signOut').waitFor();
}

describe('diagnostics screen and screen lock', () => {
  let kiosk: RunningKiosk;
  let browser: Browser;
  const out = mkdtempSync(path.join(os.tmpdir(), 'kiosk-e2e-diag-'));

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    kiosk = await startKioskWeb();
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await kiosk?.stop();
    rmSync(out, { recursive: true, force: true });
  });

  it('a technician runs the full report and exports a bundle', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, kiosk, 'technician', '3333');
    await page.getByTestId('nav-diagnostics').click();
    await page.getByTestId('diagnostics-summary').waitFor({ timeout: 60_000 });
    const status = (id: string) => page.locator(`[data-check="${id}"]`).getAttribute('data-status');
    expect(await status('store.integrity')).toBe('ok');
    expect(await status('store.audit')).toBe('ok');
    expect(await status('disk')).not.toBeNull();
    expect(await status('sync')).not.toBeNull();
    await page.screenshot({ path: path.join(artifacts, 'diagnostics-ar.png'), fullPage: true });
    await page.getByTestId('diagnostics-export-to').fill(out);
    await page.getByTestId('diagnostics-export').click();
    await page.getByText(out).waitFor();
    const bundles = readdirSync(out);
    expect(bundles).toHaveLength(1);
    expect(existsSync(path.join(out, bundles[0]!, 'report.json'))).toBe(true);
    await page.close();
  }, 120_000);

  it('a technician factory-resets through the screen: typed kiosk id + PIN, crypto-erase, the shell exits to be restarted', async () => {
    const fresh = await startKioskWeb();
    try {
      const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
      await signIn(page, fresh, 'technician', '3333');
      await page.getByTestId('nav-diagnostics').click();
      await page.getByTestId('reset-open').click();
      await page.getByTestId('reset-confirm').fill('K-DEMO-01');
      await page.getByTestId('reset-pin').fill('3333');
      const exited = new Promise<number | null>((resolve) => fresh.child.once('exit', (code) => resolve(code)));
      await page.getByTestId('reset-confirm-button').click();
      await page.getByTestId('reset-message').waitFor();
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running 60 s after the reset'), 60_000))]);
      expect(code, fresh.stderr().slice(-4000)).toBe(3);
      expect(readdirSync(fresh.dataDir)).toEqual(['factory-reset.json']);
      await page.close();
    } finally {
      await fresh.stop();
    }
  }, 120_000);

  it('clerks have no Diagnostics; a locked screen needs the same operator’s PIN', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await signIn(page, kiosk, 'clerk', '1111');
    expect(await page.getByTestId('nav-diagnostics').count()).toBe(0);
    await page.getByTestId('nav-lock').click();
    await page.getByTestId('lock-screen').waitFor();
    expect(await page.locator('main#main').getAttribute('aria-hidden')).toBe('true');
    await page.screenshot({ path: path.join(artifacts, 'lock-screen-ar.png') });
    await page.getByTestId('lock-pin').fill('2222');
    await page.getByTestId('lock-unlock').click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByTestId('lock-screen').count()).toBe(1);
    await page.getByTestId('lock-pin').fill('1111');
    await page.getByTestId('lock-unlock').click();
    await page.getByTestId('lock-screen').waitFor({ state: 'detached' });
    expect(await page.locator('main#main').getAttribute('aria-hidden')).toBeNull();
    await page.close();
  }, 120_000);
});
