// Offline provisioning in the wizard (no registry reachable): `kiosk provision --identity` → `registry admin
// make-bundle` (the real CLIs) → the technician applies the USB bundle in Chromium. A tampered copy and a wrong
// key fingerprint are refused with their explanation; the untouched bundle registers the kiosk and brings the
// downloads, and the clock is checked against the bundle.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ID_SCHEMA } from '../../main/enrollment/id-schema.js';
import { publicKeyFingerprint } from '../../sync/packet/keys.js';
import { loadOrCreateRegistryKeys } from '../../sync/registry/keys.js';
import { chromiumPath, launchChromium } from '../helpers/browser.js';
import { projectRoot } from '../helpers/fixtures.js';
import { startKioskWeb, type RunningKiosk } from '../helpers/kiosk-process.js';

function run(bin: 'kiosk' | 'registry', args: string[], env: Record<string, string> = {}): string {
  const r = spawnSync(process.execPath, [path.join(projectRoot, 'bin', `${bin}.js`), ...args], { cwd: projectRoot, encoding: 'utf8', timeout: 60_000, env: { ...process.env, KIOSK_ALLOW_KEY_FILE: '1', ...env } });
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

describe.skipIf(!chromiumPath())('offline provisioning with a USB bundle in Chromium', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-prov-offline-'));
  const regDir = path.join(dir, 'registry');
  const dataDir = path.join(dir, 'kiosk-data');
  const usb = path.join(dir, 'usb', 'K-OFF-01');
  const tampered = path.join(dir, 'usb', 'K-OFF-01-copy');
  let kiosk: RunningKiosk;
  let browser: Browser;
  let page: Page;
  let fp: string;

  beforeAll(async () => {
    const kioskJson = path.join(dir, 'kiosk.json');
    writeFileSync(kioskJson, JSON.stringify({ demo: false, kioskId: 'K-OFF-01', centreId: 'C-017', devices: { fingerprint: [] } }));
    const kioskArgs = ['--data-dir', dataDir, '--config', kioskJson];
    run('kiosk', ['store', 'operator', 'add', '--id', 'tech', '--role', 'technician', '--name', 'Technician', ...kioskArgs], { KIOSK_OPERATOR_PIN: '4826' });
    const identity = JSON.parse(run('kiosk', ['provision', '--identity', '--json', '--data-dir', dataDir, '--kiosk-config', kioskJson])) as { publicKey: string };
    for (const [kind, data] of [
      ['config', { v: 1 }],
      ['id-schema', DEFAULT_ID_SCHEMA],
      ['locations', { centres: [{ id: 'C-017', stations: ['S-01'] }] }],
      ['operators', { operators: [] }],
    ] as const) {
      writeFileSync(path.join(dir, `${kind}.json`), JSON.stringify(data));
      run('registry', ['admin', 'publish', kind, path.join(dir, `${kind}.json`), '--data-dir', regDir]);
    }
    run('registry', ['admin', 'make-bundle', '--kiosk', 'K-OFF-01', '--centre', 'C-017', '--kiosk-key', identity.publicKey, '--registry-url', 'https://registry.invalid', '--out', usb, '--data-dir', regDir]);
    fp = publicKeyFingerprint(loadOrCreateRegistryKeys(regDir).signingPublicKeyObject);
    cpSync(usb, tampered, { recursive: true });
    const f = path.join(tampered, 'downloads', 'config.json');
    writeFileSync(f, readFileSync(f, 'utf8').replace('"v":1', '"v":2'));
    // Outside demo mode the WEAK key file needs the explicit flag (key protection: test/node/security/tpm.test.ts).
    kiosk = await startKioskWeb({ dataDir, extraArgs: ['--config', kioskJson], env: { KIOSK_ALLOW_KEY_FILE: '1' } });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await kiosk?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function apply(bundle: string, fingerprint: string): Promise<void> {
    await page.getByTestId('prov-bundle-dir').fill(bundle);
    await page.getByTestId('prov-fingerprint').fill(fingerprint);
    await page.getByTestId('prov-register').click();
    await page.locator('[data-testid="prov-register"]:not([disabled])').waitFor();
  }

  it('refuses a tampered bundle and a foreign key, then provisions from the bundle', async () => {
    await page.goto(kiosk.loginUrl);
    await page.getByTestId('signin-operator').fill('tech');
    await page.getByTestId('signin-pin').fill('4826');
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('prov-mode-offline').click();

    await apply(tampered, fp);
    const err = page.getByTestId('prov-error-registration');
    await err.waitFor();
    expect(await err.getAttribute('data-code')).toBe('PROVISION_BUNDLE_TAMPERED');
    expect(await err.textContent()).toContain('عُدّلت الحزمة بعد توقيع السجل لها');
    expect(await err.textContent()).toContain('downloads/config.json');

    await apply(usb, 'ab'.repeat(16));
    await page.locator('[data-testid="prov-error-registration"][data-code="PROVISION_REGISTRY_KEY_MISMATCH"]').waitFor();

    await apply(usb, fp);
    await page.locator('[data-testid="prov-check-registration"][data-status="ok"]').waitFor();
    await page.locator('[data-testid="prov-check-downloads"][data-status="ok"]').waitFor();
    await page.getByTestId('prov-clock').click();
    await page.locator('[data-testid="prov-check-clock"][data-status="ok"]').waitFor();
    await page.getByTestId('prov-station').selectOption('S-01');
    await page.getByTestId('prov-station-save').click();
    await page.locator('[data-testid="prov-check-site"][data-status="ok"]').waitFor();
    const reg = JSON.parse(readFileSync(path.join(dataDir, 'sync', 'registration.json'), 'utf8')) as { kioskId: string; registryUrl: string };
    expect(reg).toMatchObject({ kioskId: 'K-OFF-01', registryUrl: 'https://registry.invalid' });
  });
});
