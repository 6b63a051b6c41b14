// `kiosk provision` (mass provisioning from a file, offline from a bundle, --identity) and `registry admin
// make-bundle`, run as the CLIs run them, against a real registry on loopback and the R30x emulator.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { R30xEmulator } from '../../../drivers/emulators/r30x-emulator.js';
import { commands } from '../../../main/cli/commands/provision.js';
import { DEFAULT_ID_SCHEMA } from '../../../main/enrollment/id-schema.js';
import { runRegistryCli } from '../../../sync/registry/cli.js';
import { publicKeyFingerprint } from '../../../sync/packet/keys.js';
import { serveRegistry, type RunningRegistry } from '../../../sync/registry/runtime.js';
import { tempDataDir } from '../store/helpers.js';

function io(cwd: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += String(d)));
  stderr.on('data', (d) => (err += String(d)));
  return { io: { stdout, stderr, cwd, stopSignal: new AbortController().signal }, out: () => out, err: () => err };
}

const provision = commands.find((c) => c.path.join(' ') === 'provision')!;

describe('kiosk provision', () => {
  const tmp = tempDataDir('kiosk-prov-cli-');
  let registry: RunningRegistry;
  let emulator: R30xEmulator;
  let fp: string;

  function kiosk(name: string, kioskId: string): string[] {
    const dir = path.join(tmp.dir, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'kiosk.json'), JSON.stringify({ demo: false, kioskId, centreId: 'C-017', devices: { fingerprint: [] } }));
    return ['--kiosk-config', path.join(dir, 'kiosk.json'), '--data-dir', path.join(dir, 'data')];
  }

  async function run(args: string[]): Promise<{ code: number; json: Record<string, unknown> }> {
    const c = io(tmp.dir);
    const code = await provision.run([...args, '--json'], c.io);
    return { code, json: JSON.parse(c.out().trim().split('\n').pop()!) as Record<string, unknown> };
  }

  beforeAll(async () => {
    // Outside demo mode the WEAK key file needs the explicit flag (key protection: test/node/security/tpm.test.ts).
    process.env.KIOSK_ALLOW_KEY_FILE = '1';
    registry = await serveRegistry({ dataDir: path.join(tmp.dir, 'registry') });
    fp = publicKeyFingerprint(registry.registry.keys.signingPublicKeyObject);
    const r = registry.registry;
    await r.publish('config', { v: 1 });
    await r.publish('id-schema', DEFAULT_ID_SCHEMA);
    await r.publish('locations', { centres: [{ id: 'C-017', stations: ['S-01', 'S-02'] }] });
    await r.publish('operators', { operators: [] });
    emulator = await R30xEmulator.start({ subject: 'cli-test', pacing: false });
  });

  afterAll(async () => {
    delete process.env.KIOSK_ALLOW_KEY_FILE;
    await emulator?.dispose();
    await registry?.close();
    tmp.cleanup();
  });

  it('provisions a kiosk from a file: registration, downloads, station, device test capture, waiver, in service', async () => {
    const token = await registry.registry.issueToken({ centreId: 'C-017' });
    const file = path.join(tmp.dir, 'k1.provision.json');
    writeFileSync(
      file,
      JSON.stringify({
        language: 'ar',
        registry: { url: registry.url, token, keyFingerprint: fp },
        station: 'S-01',
        devices: [{ id: 'scanner-1', kind: 'r30x', path: emulator.hostPath }],
        waive: { camera: 'camera is tested by the clerk at first sign-in' },
      }),
    );
    const { code, json } = await run(['--config', file, ...kiosk('k1', 'K-0001')]);
    expect(json.steps).toEqual(expect.arrayContaining([{ step: 'registration', ok: true }, { step: 'device:scanner-1', ok: true }, { step: 'in-service', ok: true }]));
    expect(code).toBe(0);
    expect(json.inService).toBe(true);
    const items = json.checklist as { id: string; status: string }[];
    expect(items.filter((i) => i.status !== 'ok').map((i) => `${i.id}:${i.status}`)).toEqual(['camera:waived']);
    // --status agrees, and exits 0 for a kiosk in service.
    const status = await run(['--status', ...kiosk('k1', 'K-0001')]);
    expect(status.code).toBe(0);
    expect(status.json.stationId).toBe('S-01');
  });

  it('reports the typed failure and exits 1 (expired token; invalid file)', async () => {
    const token = await registry.registry.issueToken({ centreId: 'C-017', ttlHours: -1 });
    const file = path.join(tmp.dir, 'k2.provision.json');
    writeFileSync(file, JSON.stringify({ registry: { url: registry.url, token, keyFingerprint: fp } }));
    const { code, json } = await run(['--config', file, ...kiosk('k2', 'K-0002')]);
    expect(code).toBe(1);
    expect(json.inService).toBe(false);
    expect(json.steps).toEqual([expect.objectContaining({ step: 'registration', ok: false, code: 'PROVISION_TOKEN_EXPIRED', messageKey: 'provisioning.errors.PROVISION_TOKEN_EXPIRED' })]);
    writeFileSync(file, JSON.stringify({ registry: { url: registry.url, token } }));
    await expect(provision.run(['--config', file, ...kiosk('k2', 'K-0002')], io(tmp.dir).io)).rejects.toMatchObject({ code: 'PROVISION_FILE_INVALID' });
  });

  it('offline: --identity → registry admin make-bundle → provision --bundle; a tampered copy is refused', async () => {
    const args = kiosk('k3', 'K-0003');
    const id = await run(['--identity', ...args]);
    expect(id.json).toMatchObject({ kioskId: 'K-0003', centreId: 'C-017' });
    const keyFile = path.join(tmp.dir, 'k3-identity.json');
    writeFileSync(keyFile, JSON.stringify(id.json));
    const usb = path.join(tmp.dir, 'usb-k3');
    const rc = io(tmp.dir);
    const made = await runRegistryCli(['admin', 'make-bundle', '--kiosk', 'K-0003', '--centre', 'C-017', '--kiosk-key', keyFile, '--registry-url', registry.url, '--out', usb, '--data-dir', path.join(tmp.dir, 'registry')], rc.io);
    expect(rc.err()).toBe('');
    expect(made).toBe(0);
    expect(JSON.parse(rc.out()).files).toContain('downloads/locations.json');

    const tampered = path.join(tmp.dir, 'usb-k3-tampered');
    cpSync(usb, tampered, { recursive: true });
    const loc = path.join(tampered, 'downloads', 'locations.json');
    writeFileSync(loc, readFileSync(loc, 'utf8').replace('S-02', 'S-03'));
    const bad = await run(['--bundle', tampered, '--registry-fingerprint', fp, ...args]);
    expect(bad.code).toBe(1);
    expect(bad.json.steps).toEqual([expect.objectContaining({ step: 'bundle', ok: false, code: 'PROVISION_BUNDLE_TAMPERED' })]);

    const good = await run(['--bundle', usb, '--registry-fingerprint', fp, ...args]);
    expect(good.json.steps).toEqual(expect.arrayContaining([{ step: 'bundle', ok: true }, { step: 'clock', ok: true }, { step: 'models', ok: true }]));
    expect(good.code).toBe(0);
    const items = good.json.checklist as { id: string; status: string }[];
    expect(items.find((i) => i.id === 'registration')!.status).toBe('ok');
    expect(items.find((i) => i.id === 'downloads')!.status).toBe('ok');
  });

  it('refuses ambiguous invocations', async () => {
    await expect(provision.run(['--identity', '--status'], io(tmp.dir).io)).rejects.toThrow(/exactly one/);
  });
});
