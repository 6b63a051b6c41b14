// First-run provisioning end to end in real Chromium: a fresh non-demo kiosk (`kiosk web`, technician bootstrapped
// with `kiosk store operator add`) against the real `registry serve` on loopback. The technician meets each
// registration failure and reads its explanation (unreachable, wrong key fingerprint, expired token, used token,
// clock skew), then registers, downloads, picks the station, test-captures the R30x emulator, tests the camera
// (Chromium's fake device), checks models and clock, and puts the kiosk in service with the checklist all green.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { R30xEmulator } from '../../drivers/emulators/r30x-emulator.js';
import { DEFAULT_ID_SCHEMA } from '../../main/enrollment/id-schema.js';
import { registerKiosk } from '../../sync/engine/client.js';
import { publicKeyFingerprint, publicKeyOf } from '../../sync/packet/keys.js';
import { serveRegistry, type RunningRegistry } from '../../sync/registry/runtime.js';
import { chromiumPath, launchChromium } from '../helpers/browser.js';
import { projectRoot } from '../helpers/fixtures.js';
import { startKioskWeb, type RunningKiosk } from '../helpers/kiosk-process.js';

const artifacts = path.join(projectRoot, 'test-artifacts', 'e2e');

function registryCli(args: string[]): Record<string, unknown> {
  const r = spawnSync(process.execPath, [path.join(projectRoot, 'bin', 'registry.js'), ...args], { cwd: projectRoot, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`registry ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

async function startRegistryServer(dataDir: string): Promise<{ child: ChildProcess; url: string; signingPublicKey: string }> {
  const child = spawn(process.execPath, [path.join(projectRoot, 'bin', 'registry.js'), 'serve', '--data-dir', dataDir, '--port', '0'], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`registry did not start: ${stderr}`)), 60_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{"event":"ready"')) return;
      clearTimeout(timer);
      const m = JSON.parse(line) as { url: string; signingPublicKey: string };
      resolve({ child, url: m.url, signingPublicKey: m.signingPublicKey });
    });
    child.once('exit', (code) => reject(new Error(`registry exited ${code}: ${stderr}`)));
  });
}

describe.skipIf(!chromiumPath())('first-run provisioning in Chromium', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-prov-e2e-'));
  const regDir = path.join(dir, 'registry');
  const dataDir = path.join(dir, 'kiosk-data');
  let registry: { child: ChildProcess; url: string; signingPublicKey: string };
  let skewed: RunningRegistry;
  let kiosk: RunningKiosk;
  let emulator: R30xEmulator;
  let browser: Browser;
  let page: Page;
  let fp: string;

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    registry = await startRegistryServer(regDir);
    fp = publicKeyFingerprint(publicKeyOf(registry.signingPublicKey, 'Ed25519'));
    const publish = (kind: string, data: unknown) => {
      const f = path.join(dir, `${kind}.json`);
      writeFileSync(f, JSON.stringify(data));
      registryCli(['admin', 'publish', kind, f, '--data-dir', regDir]);
    };
    publish('config', { thresholds: { fingerQualityMin: 40 } });
    publish('id-schema', DEFAULT_ID_SCHEMA);
    publish('locations', { centres: [{ id: 'C-E2E', stations: ['S-01', 'S-02'] }] });
    publish('operators', { operators: [{ id: 'mona', role: 'clerk', displayName: 'Mona' }] });
    skewed = await serveRegistry({ dataDir: path.join(dir, 'registry-skewed'), clock: () => Date.now() + 2 * 3600_000 });
    emulator = await R30xEmulator.start({ subject: 'e2e-provisioning', pacing: false });

    const kioskJson = path.join(dir, 'kiosk.json');
    writeFileSync(kioskJson, JSON.stringify({ demo: false, kioskId: 'K-E2E-01', centreId: 'C-E2E', devices: { fingerprint: [] } }));
    const add = spawnSync(process.execPath, [path.join(projectRoot, 'bin', 'kiosk.js'), 'store', 'operator', 'add', '--id', 'tech', '--role', 'technician', '--name', 'Field Technician', '--data-dir', dataDir, '--config', kioskJson], {
      cwd: projectRoot,
      encoding: 'utf8',
      env: { ...process.env, KIOSK_OPERATOR_PIN: '4826', KIOSK_ALLOW_KEY_FILE: '1' },
    });
    expect(add.stderr).not.toMatch(/error/i);
    expect(add.status).toBe(0);
    // Outside demo mode the WEAK key file needs the explicit flag (key protection: test/node/security/tpm.test.ts).
    kiosk = await startKioskWeb({ dataDir, extraArgs: ['--config', kioskJson], env: { KIOSK_ALLOW_KEY_FILE: '1' } });
    browser = await launchChromium(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream']);
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await kiosk?.stop();
    await emulator?.dispose();
    await skewed?.close();
    if (registry?.child.exitCode === null) {
      const exited = new Promise((r) => registry.child.once('exit', r));
      registry.child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  async function register(url: string, token: string, fingerprint: string): Promise<void> {
    await page.getByTestId('prov-url').fill(url);
    await page.getByTestId('prov-token').fill(token);
    await page.getByTestId('prov-fingerprint').fill(fingerprint);
    await page.getByTestId('prov-register').click();
    await page.locator('[data-testid="prov-register"]:not([disabled])').waitFor();
  }

  async function registrationError(): Promise<{ code: string | null; text: string }> {
    const el = page.getByTestId('prov-error-registration');
    await el.waitFor();
    return { code: await el.getAttribute('data-code'), text: (await el.textContent()) ?? '' };
  }

  it('a fresh non-demo kiosk says it is not in service and opens the wizard for the technician', async () => {
    await page.goto(kiosk.loginUrl);
    await page.getByTestId('not-in-service').waitFor();
    await page.getByTestId('signin-operator').fill('tech');
    await page.getByTestId('signin-pin').fill('4826');
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('provisioning').waitFor();
    expect(await page.getByTestId('prov-check-registration').getAttribute('data-status')).toBe('pending');
    expect(await page.getByTestId('prov-enter-service').isDisabled()).toBe(true);
  });

  it('explains each registration failure (Arabic, then English)', async () => {
    // Arabic is the default language.
    await register('http://127.0.0.1:9', 'a'.repeat(32), fp);
    let e = await registrationError();
    expect(e.code).toBe('PROVISION_REGISTRY_UNREACHABLE');
    expect(e.text).toContain('تعذّر الوصول إلى السجل المركزي');
    expect(e.text).toContain('ECONNREFUSED');

    await page.getByTestId('prov-locale-en').click();
    await page.locator('html[lang="en"]').waitFor();
    await page.locator('[data-testid="prov-check-language"][data-status="ok"]').waitFor();

    const wrongKey = String(registryCli(['admin', 'issue-token', '--centre', 'C-E2E', '--data-dir', regDir]).token);
    await register(registry.url, wrongKey, '00'.repeat(16));
    e = await registrationError();
    expect(e.code).toBe('PROVISION_REGISTRY_KEY_MISMATCH');
    expect(e.text).toContain(`The registry’s key fingerprint (${fp})`);

    const expired = String(registryCli(['admin', 'issue-token', '--centre', 'C-E2E', '--ttl-hours', '-1', '--data-dir', regDir]).token);
    await register(registry.url, expired, fp);
    e = await registrationError();
    expect(e.code).toBe('PROVISION_TOKEN_EXPIRED');
    expect(e.text).toContain('This enrollment token has expired');

    const used = String(registryCli(['admin', 'issue-token', '--centre', 'C-E2E', '--data-dir', regDir]).token);
    await registerKiosk(registry.url, used, { kioskId: 'K-OTHER', centreId: 'C-E2E', privateKey: generateKeyPairSync('ed25519').privateKey });
    await register(registry.url, used, fp);
    e = await registrationError();
    expect(e.code).toBe('PROVISION_TOKEN_USED');
    expect(e.text).toContain('already used');

    const skewToken = await skewed.registry.issueToken({ centreId: 'C-E2E' });
    await register(skewed.url, skewToken, publicKeyFingerprint(skewed.registry.keys.signingPublicKeyObject));
    e = await registrationError();
    expect(e.code).toBe('PROVISION_CLOCK_SKEW');
    expect(e.text).toMatch(/The kiosk clock is 7\d\d\d s off/);
    await page.screenshot({ path: path.join(artifacts, 'provisioning-failure-en.png'), fullPage: true });

    // The token refused for a wrong key fingerprint was never spent: it registers this kiosk now.
    await register(registry.url, wrongKey, fp);
    await page.locator('[data-testid="prov-check-registration"][data-status="ok"]').waitFor();
    expect(await page.getByTestId('prov-registered').textContent()).toContain(registry.url);
  });

  it('downloads, station, device test capture on the emulator, camera, models, clock: all green, then in service', async () => {
    await page.getByTestId('prov-download').click();
    await page.locator('[data-testid="prov-check-downloads"][data-status="ok"]').waitFor();
    expect(await page.getByTestId('prov-downloads-done').textContent()).toContain('1 operators');

    await page.getByTestId('prov-station').selectOption('S-02');
    await page.getByTestId('prov-station-save').click();
    await page.locator('[data-testid="prov-check-site"][data-status="ok"]').waitFor();

    await page.getByTestId('prov-serial-path').fill(emulator.hostPath);
    await page.getByTestId('prov-discover').click();
    await page.getByTestId('prov-found').waitFor();
    const serialItems = page.locator('[data-testid^="prov-found-serial-"]');
    const n = await serialItems.count();
    let index = -1;
    for (let i = 0; i < n; i++) if ((await serialItems.nth(i).textContent())?.includes(emulator.hostPath)) index = i;
    expect(index).toBeGreaterThanOrEqual(0);
    await page.getByTestId(`prov-test-serial-${index}`).click();
    await page.locator('[data-testid="prov-check-fingerprint"][data-status="ok"]').waitFor({ timeout: 60_000 });
    const device = page.locator('[data-testid^="prov-device-"][data-ok="true"]');
    expect(await device.textContent()).toMatch(/256×288 at 500 ppi/);

    await page.getByTestId('prov-camera-test').click();
    await page.locator('[data-testid="prov-check-camera"][data-status="ok"]').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('prov-camera-done').textContent()).toMatch(/\d+×\d+/);

    await page.getByTestId('prov-models').click();
    await page.locator('[data-testid="prov-check-models"][data-status="ok"]').waitFor({ timeout: 60_000 });
    await page.getByTestId('prov-clock').click();
    await page.locator('[data-testid="prov-check-clock"][data-status="ok"]').waitFor();

    const statuses = await page.locator('[data-testid^="prov-check-"]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-testid')}=${e.getAttribute('data-status')}`));
    expect(statuses).toEqual(['language', 'registration', 'downloads', 'site', 'fingerprint', 'camera', 'models', 'clock'].map((id) => `prov-check-${id}=ok`));
    await page.screenshot({ path: path.join(artifacts, 'provisioning-green-en.png'), fullPage: true });
    await page.getByTestId('prov-enter-service').click();
    await page.getByTestId('prov-in-service').waitFor();

    const state = JSON.parse(readFileSync(path.join(dataDir, 'provisioning', 'state.json'), 'utf8')) as { inService: boolean; inServiceBy: string; stationId: string };
    expect(state).toMatchObject({ inService: true, inServiceBy: 'tech', stationId: 'S-02' });
    // The registry knows the kiosk; the kiosk's sync registration names the registry.
    const reg = JSON.parse(readFileSync(path.join(dataDir, 'sync', 'registration.json'), 'utf8')) as { kioskId: string; signingPublicKey: string };
    expect(reg.kioskId).toBe('K-E2E-01');
    expect(reg.signingPublicKey).toBe(registry.signingPublicKey);
  }, 180_000);

  it('operators screen: the downloaded operator has no PIN until the technician gives a temporary one', async () => {
    await page.getByTestId('nav-operators').click();
    const mona = page.getByTestId('operator-mona');
    await mona.waitFor();
    expect(await mona.getAttribute('data-pin')).toBe('unset');
    await page.getByTestId('operator-mona-pin').fill('7391');
    await page.getByTestId('operator-mona-reset').click();
    await page.locator('[data-testid="operator-mona"][data-pin="temporary"]').waitFor();
    // Mona signs in with it and must choose her own PIN first.
    await page.getByTestId('nav-signOut').click();
    await page.getByTestId('signin-operator').fill('mona');
    await page.getByTestId('signin-pin').fill('7391');
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('set-own-pin').waitFor();
    await page.getByTestId('setpin-current').fill('7391');
    await page.getByTestId('setpin-next').fill('1111');
    await page.getByTestId('setpin-confirm').fill('1111');
    await page.getByTestId('setpin-save').click();
    expect(await page.getByTestId('setpin-error').textContent()).toContain('not one repeated digit');
    await page.getByTestId('setpin-next').fill('5083');
    await page.getByTestId('setpin-confirm').fill('5083');
    await page.getByTestId('setpin-save').click();
    await page.getByTestId('nav-home').waitFor();
    expect(await page.getByTestId('set-own-pin').count()).toBe(0);
  });
});
