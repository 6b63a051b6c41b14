// End to end: the real browser shell under Node, driven in real Chromium.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { projectRoot } from '../helpers/fixtures.js';
import { startKioskWeb, type RunningKiosk } from '../helpers/kiosk-process.js';

const artifacts = path.join(projectRoot, 'test-artifacts', 'e2e');

async function signIn(page: Page, operatorId = 'clerk', pin = '1111'): Promise<void> {
  await page.getByTestId('signin-operator').fill(operatorId);
  await page.getByTestId('signin-pin').fill(pin);
  await page.getByTestId('signin-submit').click();
}

describe('browser shell in Chromium', () => {
  let kiosk: RunningKiosk;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    kiosk = await startKioskWeb();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await kiosk?.stop();
  });

  it('loads in Arabic, right to left, with the status bar', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(kiosk.loginUrl);
    await page.getByTestId('status-kiosk').filter({ hasText: 'K-DEMO-01' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ar');
    await page.getByRole('heading', { name: 'تسجيل الدخول' }).waitFor();
    await page.screenshot({ path: path.join(artifacts, 'signin-ar-1366x768.png') });
    // Arabic-Indic digits in the PIN are accepted.
    await signIn(page, 'clerk', '١١١١');
    await page.getByRole('heading', { name: 'الرئيسية' }).waitFor();
    await page.getByTestId('count-total').filter({ hasText: '٠' }).waitFor();
    expect(await page.getByTestId('status-operator').textContent()).toContain('clerk');
    // Demo mode drives the real R30x driver against the emulator on a pseudo-terminal.
    await page.getByTestId('device-demo-r30x').filter({ hasText: 'جاهز' }).waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('device-demo-r30x').textContent()).toContain('R30x');
    // Demo mode registers with an embedded registry on loopback and syncs: the status bar shows it up to date.
    await page.getByTestId('status-online').filter({ hasText: 'محدَّث' }).waitFor({ timeout: 60_000 });
    // The token moved into an HttpOnly cookie: the address bar no longer carries it.
    expect(page.url()).toBe(`${kiosk.origin}/`);
    await page.screenshot({ path: path.join(artifacts, 'home-ar-1366x768.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('switches to English and back, and remembers the choice', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(kiosk.loginUrl);
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('locale-en').click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('ltr');
    await page.getByTestId('nav-signIn').click();
    await signIn(page, 'supervisor', '2222');
    await page.getByRole('heading', { name: 'Home' }).waitFor();
    await page.screenshot({ path: path.join(artifacts, 'home-en-1366x768.png') });
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('locale-ar').click();
    await page.getByRole('heading', { name: 'الإعدادات' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await page.close();
  });

  it('is usable at 1024×768 and by keyboard', async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    await page.goto(kiosk.loginUrl);
    await page.getByTestId('status-kiosk').filter({ hasText: 'K-DEMO-01' }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))) === 'nav-settings') break;
    }
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'الإعدادات' }).waitFor();
    const smallest = await page.evaluate(() =>
      Math.min(...[...document.querySelectorAll('button')].map((b) => Math.min(b.getBoundingClientRect().height, b.getBoundingClientRect().width))),
    );
    expect(smallest).toBeGreaterThanOrEqual(44);
    await page.screenshot({ path: path.join(artifacts, 'settings-ar-1024x768.png') });
    await page.close();
  });

  it('fits a supervisor’s navigation into 1024×768 and 1366×768, Arabic and English', async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    await page.goto(kiosk.loginUrl);
    await signIn(page, 'supervisor', '2222');
    await page.getByTestId('nav-outcomes').waitFor();
    for (const locale of ['ar', 'en'] as const) {
      await page.getByTestId('nav-settings').click();
      await page.getByTestId(`locale-${locale}`).click();
      await page.locator(`html[lang="${locale}"]`).waitFor();
      for (const width of [1024, 1366]) {
        await page.setViewportSize({ width, height: 768 });
        await page.waitForTimeout(100);
        const fit = await page.evaluate(() => {
          const nav = document.querySelector('header.top-bar nav')!;
          const buttons = [...nav.querySelectorAll('button')].map((b) => b.getBoundingClientRect());
          return {
            pageOverflow: document.documentElement.scrollWidth - window.innerWidth,
            navOverflow: nav.scrollWidth - nav.clientWidth,
            outside: buttons.filter((r) => r.left < 0 || r.right > window.innerWidth).length,
            count: buttons.length,
            rows: new Set(buttons.map((r) => Math.round(r.top))).size,
          };
        });
        // Every entry visible inside the window (a supervisor has 13), nothing scrolls sideways; at most two rows.
        expect(fit.count).toBe(13);
        expect(fit.pageOverflow).toBeLessThanOrEqual(0);
        expect(fit.navOverflow).toBeLessThanOrEqual(0);
        expect(fit.outside).toBe(0);
        expect(fit.rows).toBeLessThanOrEqual(2);
        await page.screenshot({ path: path.join(artifacts, `nav-supervisor-${locale}-${width}x768.png`) });
      }
      await page.setViewportSize({ width: 1024, height: 768 });
    }
    // Keyboard: Tab reaches the last entry of the second row (sign out) in document order.
    await page.getByTestId('nav-home').focus();
    for (let i = 0; i < 14; i++) {
      if ((await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))) === 'nav-signOut') break;
      await page.keyboard.press('Tab');
    }
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('nav-signOut');
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('locale-ar').click();
    await page.locator('html[lang="ar"]').waitFor();
    await page.getByTestId('nav-signOut').click();
    await page.close();
  });

  it('shows wrong PINs and the lockout clearly', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(kiosk.loginUrl);
    await page.getByRole('heading', { name: 'تسجيل الدخول' }).waitFor();
    await signIn(page, 'technician', '0000');
    await page.getByTestId('signin-error').filter({ hasText: 'غير صحيح' }).waitFor();
    for (let i = 0; i < 5; i++) await signIn(page, 'technician', '0000');
    await page.getByTestId('signin-error').filter({ hasText: 'مقفل' }).waitFor();
    await signIn(page, 'technician', '3333');
    await page.getByTestId('signin-error').filter({ hasText: 'مقفل' }).waitFor();
    await page.screenshot({ path: path.join(artifacts, 'signin-locked-ar.png') });
    await page.close();
  });

  it('refuses requests without the token, from other origins and for other hosts', async () => {
    const noToken = await fetch(`${kiosk.origin}/`);
    expect(noToken.status).toBe(403);
    expect(((await noToken.json()) as { error: { code: string } }).error.code).toBe('BRIDGE_TOKEN_INVALID');
    const badToken = await fetch(`${kiosk.origin}/auth?token=wrong`, { redirect: 'manual' });
    expect(badToken.status).toBe(403);

    const page = await browser.newPage();
    const fresh = await page.goto(`${kiosk.origin}/`);
    expect(fresh?.status()).toBe(403);
    await page.close();

    const login = await fetch(kiosk.loginUrl, { redirect: 'manual' });
    expect(login.status).toBe(302);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const withCookie = await fetch(`${kiosk.origin}/`, { headers: { cookie } });
    expect(withCookie.status).toBe(200);
    expect(withCookie.headers.get('content-security-policy')).toContain("script-src 'sha384-");

    const { WebSocket } = await import('ws');
    const tryWs = (headers: Record<string, string>) =>
      new Promise<number | 'open'>((resolve) => {
        const ws = new WebSocket(`${kiosk.origin.replace('http', 'ws')}/bridge`, { headers });
        ws.on('open', () => {
          ws.close();
          resolve('open');
        });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('error', () => resolve(-1));
      });
    expect(await tryWs({ origin: kiosk.origin, cookie })).toBe('open');
    expect(await tryWs({ origin: kiosk.origin })).toBe(403);
    expect(await tryWs({ origin: 'http://evil.example', cookie })).toBe(403);
    expect(await tryWs({ origin: kiosk.origin, cookie, host: `attacker.example:${new URL(kiosk.origin).port}` })).toBe(421);
  });
});
