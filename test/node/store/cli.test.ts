import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { commands } from '../../../main/cli/commands/store.js';
import type { CliIo } from '../../../main/cli/command.js';
import { openPacket } from '../../../sync/packet/index.js';
import { demoRegistryPrivateKey } from '../../../main/enrollment/services.js';
import { readKeyring } from '../../../main/store/crypto/keyring.js';
import { statSync } from 'node:fs';
import path from 'node:path';
import { tempDataDir } from './helpers.js';

async function run(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  const words = args.filter((a) => !a.startsWith('-'));
  const cmd = [...commands].sort((a, b) => b.path.length - a.path.length).find((c) => c.path.every((p, i) => words[i] === p));
  if (!cmd) throw new Error(`no command for ${args.join(' ')}`);
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const io: CliIo = { stdout, stderr, cwd, stopSignal: new AbortController().signal };
  const rest = [...args];
  for (const p of cmd.path) rest.splice(rest.indexOf(p), 1);
  const code = await cmd.run(rest, io);
  return { code, out, err };
}

describe('kiosk store CLI', () => {
  const t = tempDataDir('kiosk-cli-');
  const prev = process.env.KIOSK_PASSPHRASE;
  process.env.KIOSK_PASSPHRASE = 'cli test passphrase';
  afterAll(() => {
    if (prev === undefined) delete process.env.KIOSK_PASSPHRASE;
    else process.env.KIOSK_PASSPHRASE = prev;
    t.cleanup();
  });

  it('init, seed (approved + sealed), status without decrypting, export key, verify audit', async () => {
    const init = await run(['store', 'init', '--data-dir', 'd', '--json'], t.dir);
    expect(init.code).toBe(0);
    expect(JSON.parse(init.out).keyMode).toMatchObject({ mode: 'passphrase', weak: false });
    const dataDir = path.join(t.dir, 'd');
    expect(statSync(path.join(dataDir, 'keyring.json')).mode & 0o777).toBe(0o600);

    const seed = await run(['store', 'dev', 'seed', '--count', '2', '--approve', '--procedural', '--seed', '7', '--data-dir', 'd', '--json'], t.dir);
    expect(seed.code).toBe(0);
    const seeded = JSON.parse(seed.out) as { created: { rid: string; status: string; nationalNumber: string; nameAr: string }[] };
    expect(seeded.created).toHaveLength(2);
    for (const c of seeded.created) {
      expect(c.status).toBe('sealed');
      expect(c.nationalNumber).toMatch(/^[23]\d{13}$/);
      expect(c.nameAr).toMatch(/[\u0600-\u06FF]/);
    }

    // status works without the passphrase: it never decrypts.
    delete process.env.KIOSK_PASSPHRASE;
    const status = await run(['store', 'status', '--json', '--data-dir', 'd'], t.dir);
    process.env.KIOSK_PASSPHRASE = 'cli test passphrase';
    const st = JSON.parse(status.out);
    expect(st.counts.byStatus.sealed).toBe(2);
    expect(st.counts.total).toBe(2);
    expect(st.keyMode.mode).toBe('passphrase');
    expect(st.sizeBytes.total).toBeGreaterThan(0);

    const key = await run(['store', 'export-public-key', '--data-dir', 'd', '--json'], t.dir);
    const k = JSON.parse(key.out);
    expect(k.pem).toContain('BEGIN PUBLIC KEY');
    expect(k.raw).toBe(readKeyring(dataDir).kioskPublicKey);

    const verify = await run(['store', 'audit', 'verify', '--data-dir', 'd'], t.dir);
    expect(verify.code).toBe(0);
    expect(verify.out).toMatch(/^audit OK: \d+ entries/);

    // The seeded packets open with the demo registry key and are signed by the exported kiosk key.
    const { openStoreServices } = await import('../../../main/enrollment/services.js');
    const { selectProtector } = await import('../../../main/store/protector-select.js');
    const pino = (await import('pino')).default;
    const { loadConfig } = await import('../../../main/config/load-config.js');
    const s = await openStoreServices({ config: await loadConfig(undefined, { dataDir }), logger: pino({ level: 'silent' }), protector: selectProtector(dataDir, process.env, { demo: true }) });
    try {
      const id = await s.enrollment.findByRid({ operatorId: 'system', role: 'system' }, seeded.created[0]!.rid);
      const { packet } = await s.enrollment.packet(id!);
      const opened = openPacket(packet, demoRegistryPrivateKey(dataDir), k.raw);
      expect(opened.manifest.record.demographics).toMatchObject({ nationalNumber: seeded.created[0]!.nationalNumber });
      expect(opened.parts.size).toBe(22);
    } finally {
      await s.dispose();
    }
  });

  it('refuses to open a passphrase store without the passphrase', async () => {
    delete process.env.KIOSK_PASSPHRASE;
    await expect(run(['store', 'dev', 'seed', '--count', '1', '--data-dir', 'd'], t.dir)).rejects.toMatchObject({ code: 'PASSPHRASE_REQUIRED' });
    process.env.KIOSK_PASSPHRASE = 'wrong passphrase!';
    await expect(run(['store', 'init', '--data-dir', 'd'], t.dir)).rejects.toMatchObject({ code: 'KEY_UNWRAP_FAILED' });
    process.env.KIOSK_PASSPHRASE = 'cli test passphrase';
  });
});

describe('kiosk store operator add (non-demo bootstrap)', () => {
  const t = tempDataDir('kiosk-cli-op-');
  afterAll(() => t.cleanup());

  it('creates the first technician outside demo mode; PIN only from the environment', async () => {
    const { writeFileSync } = await import('node:fs');
    const cfg = path.join(t.dir, 'kiosk.json');
    writeFileSync(cfg, JSON.stringify({ demo: false, dataDir: 'data', kioskId: 'K-PROD-01', centreId: 'C-PROD' }));
    const keyFileEnv = process.env.KIOSK_PASSPHRASE;
    delete process.env.KIOSK_PASSPHRASE;
    try {
      await expect(run(['store', 'operator', 'add', '--id', 'tech1', '--role', 'technician', '--name', 'Tech One', '--config', cfg], t.dir)).rejects.toThrow(/KIOSK_OPERATOR_PIN/);
      process.env.KIOSK_OPERATOR_PIN = '8642';
      // Outside demo mode the WEAK key file needs an explicit flag (no passphrase, TPM or OS key store here).
      await expect(run(['store', 'operator', 'add', '--id', 'tech1', '--role', 'technician', '--name', 'Tech One', '--config', cfg], t.dir)).rejects.toThrow(/KIOSK_ALLOW_KEY_FILE/);
      process.env.KIOSK_ALLOW_KEY_FILE = '1';
      const r = await run(['store', 'operator', 'add', '--id', 'tech1', '--role', 'technician', '--name', 'Tech One', '--config', cfg], t.dir);
      expect(r.out).toBe('operator tech1 (technician) added\n');
      const status = JSON.parse((await run(['store', 'status', '--json', '--config', cfg], t.dir)).out);
      expect(status.keyMode).toEqual({ mode: 'key-file', weak: true });
      const { openStoreServices } = await import('../../../main/enrollment/services.js');
      const { selectProtector } = await import('../../../main/store/protector-select.js');
      const { loadConfig } = await import('../../../main/config/load-config.js');
      const pino = (await import('pino')).default;
      const config = await loadConfig(cfg);
      const s = await openStoreServices({ config, logger: pino({ level: 'silent' }), protector: selectProtector(config.dataDir, process.env, { demo: config.demo }) });
      try {
        expect((await s.auth.listOperators()).map((o) => [o.id, o.role])).toEqual([['tech1', 'technician']]);
        await expect(s.auth.signIn('tech1', '8642')).resolves.toMatchObject({ role: 'technician' });
        expect(s.registry.source).toBe('none');
      } finally {
        await s.dispose();
      }
    } finally {
      delete process.env.KIOSK_OPERATOR_PIN;
      delete process.env.KIOSK_ALLOW_KEY_FILE;
      if (keyFileEnv !== undefined) process.env.KIOSK_PASSPHRASE = keyFileEnv;
    }
  });
});
