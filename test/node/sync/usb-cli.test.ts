// USB round trip and both CLIs: kiosk register/export/import-receipts/sync, registry admin/import/export-receipts.
import { existsSync, readdirSync, readFileSync, rmSync, truncateSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { commands as storeCommands } from '../../../main/cli/commands/store.js';
import { commands as syncCommands } from '../../../main/cli/commands/sync.js';
import { loadConfig } from '../../../main/config/load-config.js';
import { openStoreServices, selectProtector, type StoreServices } from '../../../main/store/index.js';
import { runRegistryCli } from '../../../sync/registry/cli.js';
import { BACKENDS, backendStore, startTestRegistry, tempDir, type TestRegistry } from './harness.js';

const kioskCommands = [...syncCommands, ...storeCommands];

function io(cwd: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += String(d)));
  stderr.on('data', (d) => (err += String(d)));
  return { io: { stdout, stderr, cwd, stopSignal: new AbortController().signal }, out: () => out, err: () => err };
}

/** The kiosk's own store, opened the way the CLI opens it (same key ring, same outbox). */
async function withKioskStore<T>(dataDir: string, fn: (s: StoreServices) => Promise<T>): Promise<T> {
  const config = await loadConfig(undefined, { dataDir });
  const s = await openStoreServices({ config, logger: pino({ level: 'silent' }), protector: selectProtector(dataDir, process.env, { demo: config.demo }) });
  try {
    return await fn(s);
  } finally {
    await s.dispose();
  }
}

/** Creates approved enrollments through the store's own path; they are sealed to the registered registry's key. */
async function seedSealed(kdir: string, count: number): Promise<string[]> {
  const s = io(kdir);
  const cmd = storeCommands.find((c) => c.path.join(' ') === 'store dev seed')!;
  expect(await cmd.run(['--count', String(count), '--approve', '--procedural', '--json', '--data-dir', kdir], s.io)).toBe(0);
  const created = (JSON.parse(s.out()) as { created: { id: string; status: string }[] }).created;
  expect(created.every((c) => c.status === 'sealed')).toBe(true);
  return withKioskStore(kdir, async (st) => (await st.outbox.pending()).map((e) => e.packetId).filter((id) => created.some((c) => id.includes(c.id) || c.id === id)));
}

function lastJson(text: string): Record<string, unknown> {
  const lines = text.trim().split('\n').filter((l) => l.startsWith('{'));
  return JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>;
}

async function kiosk(cwd: string, ...args: string[]) {
  const cmd = kioskCommands.find((c) => args.slice(0, c.path.length).join(' ') === c.path.join(' '))!;
  const s = io(cwd);
  const code = await cmd.run(args.slice(cmd.path.length), s.io);
  return { code, json: code === 0 ? lastJson(s.out()) : {}, err: s.err() };
}

async function registry(cwd: string, ...args: string[]) {
  const s = io(cwd);
  const code = await runRegistryCli(args, s.io);
  return { code, json: code === 0 ? lastJson(s.out()) : {}, err: s.err() };
}

describe.each(BACKENDS)('USB transfer and CLIs (%s)', (backend) => {
  const tmp = tempDir('sync-usb-');
  const regDir = path.join(tmp.dir, 'registry');
  let reg: TestRegistry;
  let release: () => Promise<void>;
  let pgArgs: string[] = [];

  beforeAll(async () => {
    const b = await backendStore(backend);
    release = b.release;
    reg = await startTestRegistry(b, regDir);
    if (backend === 'postgres') pgArgs = ['--postgres', (reg.store as unknown as { url: string }).url];
  });
  afterAll(async () => {
    await reg.close();
    await release();
    tmp.cleanup();
  });

  it('register → export → import (exactly once) → export-receipts → import-receipts, and sync --once', async () => {
    if (backend === 'postgres') {
      // The CLI uses the default "registry" schema: serve a registry on it for this test.
      await reg.close();
      const { serveRegistry } = await import('../../../sync/registry/runtime.js');
      const running = await serveRegistry({ dataDir: regDir, postgresUrl: pgArgs[1]! });
      reg = { ...reg, running, close: () => running.close() };
    }
    const kdir = path.join(tmp.dir, 'kiosk');
    const usb = path.join(tmp.dir, 'usb');
    const tok = await registry(tmp.dir, 'admin', 'issue-token', '--data-dir', regDir, '--centre', 'C-DEMO', ...pgArgs);
    expect(tok.code).toBe(0);
    const r = await kiosk(tmp.dir, 'register', '--registry', reg.running.url, '--token', String(tok.json.token), '--data-dir', kdir);
    expect(r).toMatchObject({ code: 0, json: { registered: 'K-DEMO-01', centreId: 'C-DEMO' } });
    const ids = await seedSealed(kdir, 5);
    expect(ids).toHaveLength(5);
    expect((await kiosk(tmp.dir, 'export', '--to', usb, '--data-dir', kdir)).json).toMatchObject({ exported: 5 });
    expect(readdirSync(path.join(usb, 'packets')).filter((f) => f.endsWith('.partial'))).toEqual([]);

    expect((await registry(tmp.dir, 'import', usb, '--data-dir', regDir, ...pgArgs)).json).toMatchObject({ packets: 5, newlyReceived: 5 });
    expect((await registry(tmp.dir, 'import', usb, '--data-dir', regDir, ...pgArgs)).json).toMatchObject({ packets: 5, newlyReceived: 0 });
    expect((await registry(tmp.dir, 'export-receipts', usb, '--data-dir', regDir, ...pgArgs)).json).toMatchObject({ receipts: 5 });
    expect((await kiosk(tmp.dir, 'import-receipts', usb, '--data-dir', kdir)).json).toEqual({ uploaded: 5, acknowledged: 5, rejected: 0, unknown: 0 });
    await withKioskStore(kdir, async (st) => {
      for (const id of ids) expect((await st.outbox.get(id))!.state).toBe('acknowledged');
    });
    const rows = await reg.running.registry.store.listPackets('K-DEMO-01');
    expect(rows.filter((x) => ids.includes(x.packetId)).map((x) => x.via)).toEqual(Array(5).fill('usb'));

    // Online sync afterwards finds nothing left; a new enrollment goes up with `sync --once`.
    const [fresh] = await seedSealed(kdir, 1);
    const s = await kiosk(tmp.dir, 'sync', '--once', '--data-dir', kdir);
    expect(s.code).toBe(0);
    expect(s.json).toMatchObject({ event: 'pass', uploaded: 1, failures: 0 });
    expect(await reg.running.registry.store.getPacket(fresh!)).toBeDefined();
  });

  it('detects a truncated export, a missing manifest and a manifest not signed by the kiosk; audits the refusal', async () => {
    const kdir = path.join(tmp.dir, 'kiosk');
    if (!existsSync(kdir)) return expect.fail('previous test must run first');
    const ids = await seedSealed(kdir, 3);
    const usb = path.join(tmp.dir, 'usb2');
    await kiosk(tmp.dir, 'export', '--to', usb, '--data-dir', kdir);
    const files = readdirSync(path.join(usb, 'packets'));
    truncateSync(path.join(usb, 'packets', files[1]!), 1000);
    const t = await registry(tmp.dir, 'import', usb, '--data-dir', regDir, ...pgArgs);
    expect(t.code).toBe(1);
    expect(t.err).toMatch(/USB_EXPORT_INVALID.*incomplete or altered/);

    const manifest = readFileSync(path.join(usb, 'manifest.json'), 'utf8');
    rmSync(path.join(usb, 'manifest.json'));
    expect((await registry(tmp.dir, 'import', usb, '--data-dir', regDir, ...pgArgs)).err).toMatch(/manifest.json missing/);

    const forged = JSON.parse(manifest) as { payload: { files: unknown[] } };
    forged.payload.files = forged.payload.files.slice(0, 1);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(usb, 'manifest.json'), JSON.stringify(forged));
    expect((await registry(tmp.dir, 'import', usb, '--data-dir', regDir, ...pgArgs)).err).toMatch(/signature does not verify/);
    await expect(kiosk(tmp.dir, 'import-receipts', usb, '--data-dir', kdir)).rejects.toMatchObject({ code: 'USB_EXPORT_INVALID' });

    const audit = await reg.running.registry.store.listAudit(1000);
    expect(audit.filter((a) => a.event === 'usb.refused').length).toBeGreaterThanOrEqual(3);
    expect(files.filter((f) => ids.includes(f.replace('.pkt', ''))).length).toBe(3);
    for (const id of ids) expect(await reg.running.registry.store.getPacket(id)).toBeUndefined();
  });

  it('refuses a --biometric-dedup value other than on/off with the usage text', async () => {
    const r = await registry(tmp.dir, 'import', path.join(tmp.dir, 'usb'), '--data-dir', regDir, '--biometric-dedup', 'maybe', ...pgArgs);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--biometric-dedup must be on or off[\s\S]*registry serve .*--biometric-dedup on\|off/);
  });
});
