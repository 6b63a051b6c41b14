// Diagnostics: disk-space gate, the full report (live core and CLI), the PII-free export bundle, role checks over IPC.
import { appendFileSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/kiosk.js';
import { parseConfig } from '../../../main/config/load-config.js';
import type { KioskConfig } from '../../../main/config/schema.js';
import { createKioskCore, type KioskCore } from '../../../main/core/kiosk-core.js';
import { DiskSpaceGuard, type StatFs } from '../../../main/diagnostics/disk-space.js';
import { exportDiagnostics, scrubLogLine } from '../../../main/diagnostics/export.js';
import { runFullDiagnostics } from '../../../main/diagnostics/report.js';
import { demoPerson } from '../../../main/enrollment/demo-people.js';
import { clerk, contains, fullPatch, openTest, tempDataDir, testProtector } from '../store/helpers.js';

const MB = 1024 * 1024;
const fakeDisk = (freeMb: number): StatFs => () => ({ bavail: freeMb * 256, bsize: 4096, blocks: 100_000 * 256 });

/** Known test people: names and numbers that appear nowhere else, searched for in the bundle's bytes. */
const PEOPLE: Record<string, string>[] = [
  { ...demoPerson(1, 9), givenNameLatin: 'Zenobia', familyNameLatin: 'Quarterman', givenNameAr: 'زنوبيا', familyNameAr: 'قرطمان', phone: '01098765432' },
  { ...demoPerson(2, 9), givenNameLatin: 'Thaddeus', familyNameLatin: 'Okonkwo', givenNameAr: 'ثاديوس', familyNameAr: 'أوكونكو', phone: '01234509876' },
];

function cliIo(cwd: string) {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: new Writable({ write: (c, _e, cb) => ((out += String(c)), cb()) }),
      stderr: new Writable({ write: (c, _e, cb) => ((err += String(c)), cb()) }),
      cwd,
      stopSignal: new AbortController().signal,
    },
    out: () => out,
    err: () => err,
  };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('disk-space gate', () => {
  it('reports ok / warn / block against the thresholds', () => {
    const at = (mb: number) => new DiskSpaceGuard({ dataDir: '.', warnMegabytes: 500, blockMegabytes: 100, statfs: fakeDisk(mb) }).check();
    expect(at(2000).level).toBe('ok');
    expect(at(300).level).toBe('warn');
    expect(at(50).level).toBe('block');
    expect(at(50).freeBytes).toBe(50 * MB);
    const real = new DiskSpaceGuard({ dataDir: process.cwd(), warnMegabytes: 1, blockMegabytes: 1 }).check();
    expect(real.totalBytes).toBeGreaterThan(0);
    expect(real.freeBytes).toBeGreaterThan(0);
  });

  it('blocks new drafts with DISK_SPACE_LOW but still saves edits to an existing draft', async () => {
    const t = tempDataDir('kiosk-diag-disk-');
    let free = 1000;
    const guard = new DiskSpaceGuard({ dataDir: t.dir, warnMegabytes: 500, blockMegabytes: 100, statfs: () => fakeDisk(free)(t.dir) });
    const s = await openTest(t.dir, { storageGuard: guard });
    try {
      const draft = await s.enrollment.createDraft(clerk, { demographics: { givenNameLatin: 'Early' } });
      free = 40;
      await expect(s.enrollment.createDraft(clerk, {})).rejects.toMatchObject({ code: 'DISK_SPACE_LOW', details: { freeMegabytes: 40, requiredMegabytes: 100 } });
      const edited = await s.enrollment.updateDraft(clerk, draft.id, { demographics: { familyNameLatin: 'Later' } });
      expect(edited.demographics.familyNameLatin).toBe('Later');
      free = 101;
      await expect(s.enrollment.createDraft(clerk, {})).resolves.toMatchObject({ status: 'draft' });
    } finally {
      await s.dispose();
      t.cleanup();
    }
  });
});

describe('full diagnostics, export bundle and IPC', () => {
  const t = tempDataDir('kiosk-diag-');
  const out = tempDataDir('kiosk-diag-out-');
  let config: KioskConfig;
  let core: KioskCore;

  beforeAll(async () => {
    config = parseConfig({ dataDir: t.dir, kioskId: 'K-DIAG-01', centreId: 'C-DIAG' });
    core = await createKioskCore({ config, shell: 'browser', protector: testProtector(), sync: false, devices: false });
    const store = core.store!;
    for (const [i, person] of PEOPLE.entries()) {
      const patch = fullPatch(i + 1, 9);
      const draft = await store.enrollment.createDraft(clerk, { ...patch, demographics: person });
      await store.enrollment.transition(clerk, draft.id, 'captured');
    }
    // A careless log line: PII under keys the logger does not know, and in the message itself.
    const p = PEOPLE[0]!;
    core.logger.info({ note: `${p.givenNameLatin} ${p.familyNameLatin}`, who: { label: p.givenNameAr, nn: p.nationalNumber }, digits: Number(p.phone) }, `saved ${p.familyNameAr} ${p.nationalNumber}`);
    // And one written by something else entirely, not JSON.
    appendFileSync(path.join(t.dir, 'logs', 'kiosk.log'), `plain text ${p.givenNameLatin} ${p.nationalNumber}\n`);
  }, 60_000);

  afterAll(async () => {
    await core?.dispose();
    t.cleanup();
    out.cleanup();
  });

  it('reports store integrity, audit chain, key mode, disk, sync, versions and model pins (live core)', async () => {
    const r = await runFullDiagnostics({ config, disk: new DiskSpaceGuard({ dataDir: t.dir, warnMegabytes: 1, blockMegabytes: 1 }), store: core.store, sync: core.sync.get(), devices: core.devices.list() });
    const byId = new Map(r.checks.map((c) => [c.id, c]));
    expect(byId.get('store.integrity')?.status).toBe('ok');
    expect(byId.get('store.audit')?.status).toBe('ok');
    expect(byId.get('store.key-mode')?.detail).toContain('passphrase');
    expect(byId.get('disk')?.status).toBe('ok');
    expect(byId.get('sync')?.detail).toContain('backlog 0');
    expect(r.store.integrity).toBe('ok');
    expect(r.store.audit?.entries).toBeGreaterThan(0);
    expect(r.store.counts?.captured).toBe(2);
    expect(r.keyMode).toEqual({ mode: 'passphrase', weak: false });
    expect(r.versions.app).toMatch(/^\d+\.\d+\.\d+/);
    expect(r.versions.node).toBe(process.versions.node);
    expect(r.models.length).toBe(6);
    expect(r.devices.map((d) => d.id)).toContain('camera');
  });

  it('warns and fails on the disk thresholds', async () => {
    const low = await runFullDiagnostics({ config, disk: new DiskSpaceGuard({ dataDir: t.dir, warnMegabytes: 500, blockMegabytes: 100, statfs: fakeDisk(50) }), store: core.store });
    expect(low.checks.find((c) => c.id === 'disk')).toMatchObject({ status: 'fail' });
    expect(low.checks.find((c) => c.id === 'disk')?.detail).toContain('BLOCKED');
    expect(low.ok).toBe(false);
    const warn = await runFullDiagnostics({ config, disk: new DiskSpaceGuard({ dataDir: t.dir, warnMegabytes: 500, blockMegabytes: 100, statfs: fakeDisk(300) }), store: core.store });
    expect(warn.checks.find((c) => c.id === 'disk')?.status).toBe('warn');
  });

  it('the export bundle holds the report and scrubbed logs but none of the known names and numbers', async () => {
    const report = await runFullDiagnostics({ config, disk: new DiskSpaceGuard({ dataDir: t.dir, warnMegabytes: 1, blockMegabytes: 1 }), store: core.store });
    core.logger.flush();
    const result = exportDiagnostics({ report, config, to: out.dir });
    const files = filesUnder(result.dir);
    expect(files.map((f) => path.relative(result.dir, f)).sort()).toEqual(['config.json', 'logs/kiosk.log.jsonl', 'manifest.json', 'report.json']);
    expect(result.droppedLogLines).toBe(1);
    const bytes = files.map((f) => readFileSync(f));
    const needles: string[] = [];
    for (const p of PEOPLE) needles.push(p.givenNameLatin!, p.familyNameLatin!, p.givenNameAr!, p.familyNameAr!, p.nationalNumber!, p.phone!, p.addressLine!, p.dateOfBirth!);
    const leaks = needles.filter((n) => bytes.some((b) => contains(b, Buffer.from(n, 'utf8')) || contains(b, Buffer.from(n, 'utf16le'))));
    expect(leaks).toEqual([]);
    // Positive controls: the scan finds what is there, and the logs were kept (scrubbed), not dropped.
    const log = readFileSync(path.join(result.dir, 'logs', 'kiosk.log.jsonl'), 'utf8');
    expect(log).toContain('kiosk core ready');
    expect(log).toContain('saved ');
    expect(bytes.some((b) => contains(b, Buffer.from('K-DIAG-01')))).toBe(true);
    expect(bytes.some((b) => contains(b, Buffer.from('store.integrity')))).toBe(true);
    const manifest = JSON.parse(readFileSync(path.join(result.dir, 'manifest.json'), 'utf8')) as { files: { name: string }[] };
    expect(manifest.files.map((f) => f.name)).toContain('report.json');
  });

  it('scrubs log lines by allow-list', () => {
    const line = scrubLogLine(JSON.stringify({ level: 30, msg: 'x 29001011234567 زنوبيا', code: 'STORE_FULL', givenName: 'Zed', note: 'Zed', n: 5 }))!;
    expect(JSON.parse(line)).toEqual({ level: 30, msg: 'x ############## ??????', code: 'STORE_FULL', givenName: '[redacted]', note: '[redacted]', n: 5 });
    expect(scrubLogLine('not json')).toBeNull();
  });

  it('IPC: supervisors and technicians run diagnostics, clerks may not; technicians export', async () => {
    const ctx = core.newContext();
    expect((await core.router.dispatch('kiosk:diagnostics.run', {}, ctx)).ok).toBe(false);
    await core.router.dispatch('kiosk:auth.signIn', { operatorId: 'clerk', pin: '1111' }, ctx);
    const denied = await core.router.dispatch('kiosk:diagnostics.run', {}, ctx);
    expect(denied).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
    const tech = core.newContext();
    await core.router.dispatch('kiosk:auth.signIn', { operatorId: 'technician', pin: '3333' }, tech);
    const ran = await core.router.dispatch('kiosk:diagnostics.run', {}, tech);
    expect(ran.ok).toBe(true);
    if (ran.ok) expect((ran.value as { kioskId: string }).kioskId).toBe('K-DIAG-01');
    const exported = await core.router.dispatch('kiosk:diagnostics.export', { to: out.dir }, tech);
    expect(exported).toMatchObject({ ok: true, value: { files: 4 } });
  });

  it('kiosk doctor --full and kiosk diagnostics export from the data dir alone', async () => {
    const c = cliIo(t.dir);
    const code = await runCli(['doctor', '--full', '--json', '--data-dir', t.dir], c.io);
    const report = JSON.parse(c.out()) as { checks: { id: string; status: string }[]; store: { integrity: string } };
    expect(report.store.integrity).toBe('ok');
    expect(report.checks.find((x) => x.id === 'store.audit')?.status).toBe('ok');
    expect(code).toBe(report.checks.some((x) => x.status === 'fail') ? 1 : 0);
    const e = cliIo(t.dir);
    expect(await runCli(['diagnostics', 'export', '--to', out.dir, '--data-dir', t.dir], e.io)).toBe(0);
    expect(e.out()).toContain('no personal data');
    const u = cliIo(t.dir);
    expect(await runCli(['diagnostics', 'export'], u.io)).toBe(2);
  });
});
