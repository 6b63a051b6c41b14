// Kiosk lockdown and resilience at the core level: crash → restart with the draft resumed, idle sign-out on a fake
// clock, screen lock that keeps the draft, and the technician's factory reset (crypto-erase, then wipe).
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createPublicKey, verify } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../main/config/load-config.js';
import { createKioskCore } from '../../../main/core/kiosk-core.js';
import { FACTORY_RESET_RECORD, factoryReset, type FactoryResetRecord } from '../../../main/diagnostics/factory-reset.js';
import { createLogger } from '../../../main/log/logger.js';
import { clerk, fakeCtx, fullPatch, openTest, silentLogger, technician, tempDataDir, testProtector } from '../store/helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));

function runUntilSaved(dataDir: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'crash-child.ts'), dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let id: string | null = null;
    const failsafe = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /saved (\S+)\n/.exec(out);
      if (m && !id) {
        id = m[1]!;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (_code, signal) => {
      clearTimeout(failsafe);
      if (id && signal === 'SIGKILL') resolve(id);
      else reject(new Error(`child ended without saving: ${err.slice(0, 2000)}`));
    });
  });
}

describe('crash → restart with the draft resumed', () => {
  const t = tempDataDir('kiosk-crash-');
  afterAll(() => t.cleanup());

  it('a draft saved before a SIGKILL is listed as the clerk’s open draft after restart, intact and editable', async () => {
    const id = await runUntilSaved(t.dir);
    const s = await openTest(t.dir);
    try {
      const drafts = await s.enrollment.list(clerk, { statuses: ['draft'] });
      expect(drafts.map((d) => d.id)).toContain(id);
      const record = await s.enrollment.get(clerk, id);
      const patch = fullPatch(7, 3);
      expect(record.demographics.nationalNumber).toBe(patch.demographics!.nationalNumber);
      expect(record.face?.quality).toEqual(patch.face!.quality);
      expect(record.fingers.map((f) => f.position)).toEqual([1, 2, 3, 4]);
      const resumed = await s.enrollment.updateDraft(clerk, id, { fingers: patch.fingers!.slice(4) });
      expect(resumed.fingers).toHaveLength(10);
      expect((await s.verifyAudit()).ok).toBe(true);
    } finally {
      await s.dispose();
    }
  }, 90_000);
});

describe('idle sign-out and screen lock', () => {
  const t = tempDataDir('kiosk-lock-');
  afterAll(() => t.cleanup());

  it('signs out after the configured idle time (fake clock), not before', async () => {
    let now = Date.parse('2026-05-01T08:00:00Z');
    const s = await openTest(t.dir, { clock: () => now });
    try {
      const ctx = fakeCtx();
      ctx.setSession(await s.auth.signIn('clerk', '1111'));
      now += 299_000;
      expect(s.auth.requireRole(ctx, ['clerk'], 'work').operatorId).toBe('clerk');
      now += 299_000; // activity refreshed at the previous call
      expect(s.auth.requireRole(ctx, ['clerk'], 'work').operatorId).toBe('clerk');
      now += 300_001;
      expect(() => s.auth.requireRole(ctx, ['clerk'], 'work')).toThrow(expect.objectContaining({ code: 'UNAUTHORIZED', details: { reason: 'idle_timeout' } }));
      expect(ctx.current()).toBeNull();
    } finally {
      await s.dispose();
    }
  });

  it('a locked screen refuses work until the same operator’s PIN; the draft is untouched', async () => {
    let now = Date.parse('2026-05-01T09:00:00Z');
    const s = await openTest(t.dir, { clock: () => now });
    try {
      const ctx = fakeCtx();
      ctx.setSession(await s.auth.signIn('clerk', '1111'));
      const draft = await s.enrollment.createDraft(s.auth.requireRole(ctx, ['clerk'], 'enrol'), { demographics: { givenNameLatin: 'Locked' } });
      await s.auth.lock(ctx);
      expect(ctx.current()?.locked).toBe(true);
      expect(() => s.auth.requireRole(ctx, ['clerk'], 'enrol')).toThrow(expect.objectContaining({ code: 'SCREEN_LOCKED' }));
      await expect(s.auth.unlock(ctx, '2222')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
      expect(ctx.current()?.locked).toBe(true);
      now += 60_000;
      await s.auth.unlock(ctx, '1111');
      const actor = s.auth.requireRole(ctx, ['clerk'], 'enrol');
      const again = await s.enrollment.get(actor, draft.id);
      expect(again.demographics.givenNameLatin).toBe('Locked');
      const audit = await s.client.call('audit.list', { afterSeq: 0, limit: 1000 });
      expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(['auth.lock', 'auth.unlock', 'auth.pin.failed']));
    } finally {
      await s.dispose();
    }
  });

  it('lock channels over IPC', async () => {
    const d = tempDataDir('kiosk-lock-ipc-');
    const core = await createKioskCore({ config: parseConfig({ dataDir: d.dir }), shell: 'browser', protector: testProtector(), sync: false, devices: false, logToFile: false });
    try {
      const ctx = core.newContext();
      expect(await core.router.dispatch('kiosk:lock.state', {}, ctx)).toEqual({ ok: true, value: { signedIn: false, locked: false, operatorId: null, role: null } });
      await core.router.dispatch('kiosk:auth.signIn', { operatorId: 'supervisor', pin: '2222' }, ctx);
      expect(await core.router.dispatch('kiosk:lock.engage', {}, ctx)).toMatchObject({ ok: true, value: { locked: true, operatorId: 'supervisor' } });
      expect(await core.router.dispatch('kiosk:diagnostics.run', {}, ctx)).toMatchObject({ ok: false, error: { code: 'SCREEN_LOCKED' } });
      expect(await core.router.dispatch('kiosk:lock.unlock', { pin: '2222' }, ctx)).toMatchObject({ ok: true, value: { locked: false } });
    } finally {
      await core.dispose();
      d.cleanup();
    }
  });
});

describe('factory reset', () => {
  it('refuses clerks and a wrong confirmation; crypto-erases the key ring, wipes the data dir and leaves a signed record', async () => {
    const t = tempDataDir('kiosk-reset-');
    const saved = tempDataDir('kiosk-reset-copy-');
    try {
      const s = await openTest(t.dir);
      await s.enrollment.createDraft(clerk, fullPatch(1, 5));
      const fingerprint = s.kiosk.fingerprint;
      await expect(factoryReset({ dataDir: t.dir, kioskId: 'K-TEST-01', actor: clerk, confirm: 'K-TEST-01', store: s, logger: silentLogger })).rejects.toMatchObject({ code: 'FORBIDDEN_ROLE' });
      await expect(factoryReset({ dataDir: t.dir, kioskId: 'K-TEST-01', actor: technician, confirm: 'yes', store: s, logger: silentLogger })).rejects.toMatchObject({ code: 'FACTORY_RESET_CONFIRMATION' });
      expect(existsSync(path.join(t.dir, 'keyring.json'))).toBe(true);
      // A thief's copy of the database taken just before the reset.
      await s.client.call('store.checkpointWal', {});
      mkdirSync(saved.dir, { recursive: true });
      copyFileSync(path.join(t.dir, 'enrollment.db'), path.join(saved.dir, 'enrollment.db'));
      const record = await factoryReset({ dataDir: t.dir, kioskId: 'K-TEST-01', actor: technician, confirm: ' K-TEST-01 ', store: s, logger: silentLogger });
      expect(readdirSync(t.dir)).toEqual([FACTORY_RESET_RECORD]);
      const onDisk = JSON.parse(readFileSync(path.join(t.dir, FACTORY_RESET_RECORD), 'utf8')) as FactoryResetRecord;
      expect(onDisk).toMatchObject({ event: 'factory-reset', kioskId: 'K-TEST-01', operatorId: 'technician', kioskKeyFingerprint: fingerprint, leftovers: [] });
      const { signature, leftovers: _l, ...body } = onDisk;
      expect(verify(null, Buffer.from(JSON.stringify(body), 'utf8'), createPublicKey(onDisk.kioskPublicKeyPem!), Buffer.from(signature!, 'base64'))).toBe(true);
      expect(record.at).toBe(onDisk.at);
      // The copy is unreadable: its key ring is gone (the data key existed nowhere else).
      await expect(openTest(saved.dir)).rejects.toMatchObject({ code: 'KEYRING_MISSING' });
      // The kiosk starts fresh in the same data dir.
      const fresh = await openTest(t.dir);
      expect(fresh.kiosk.fingerprint).not.toBe(fingerprint);
      expect((await fresh.enrollment.counts()).total).toBe(0);
      await fresh.dispose();
    } finally {
      t.cleanup();
      saved.cleanup();
    }
  });

  it('over IPC: technician only, with PIN and confirmation; the core reports the reset', async () => {
    const d = tempDataDir('kiosk-reset-ipc-');
    let resets = 0;
    const core = await createKioskCore({ config: parseConfig({ dataDir: d.dir, kioskId: 'K-RESET-01' }), shell: 'browser', protector: testProtector(), sync: false, devices: false, onFactoryReset: () => resets++ });
    try {
      const sup = core.newContext();
      await core.router.dispatch('kiosk:auth.signIn', { operatorId: 'supervisor', pin: '2222' }, sup);
      expect(await core.router.dispatch('kiosk:diagnostics.factoryReset', { confirm: 'K-RESET-01', pin: '2222' }, sup)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
      const tech = core.newContext();
      await core.router.dispatch('kiosk:auth.signIn', { operatorId: 'technician', pin: '3333' }, tech);
      expect(await core.router.dispatch('kiosk:diagnostics.factoryReset', { confirm: 'K-RESET-01', pin: '1111' }, tech)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
      expect(await core.router.dispatch('kiosk:diagnostics.factoryReset', { confirm: 'K-RESET-02', pin: '3333' }, tech)).toMatchObject({ ok: false, error: { code: 'FACTORY_RESET_CONFIRMATION' } });
      expect(existsSync(path.join(d.dir, 'keyring.json'))).toBe(true);
      const done = await core.router.dispatch('kiosk:diagnostics.factoryReset', { confirm: 'K-RESET-01', pin: '3333' }, tech);
      expect(done).toMatchObject({ ok: true });
      await new Promise((r) => setImmediate(r));
      expect(resets).toBe(1);
      expect(existsSync(path.join(d.dir, 'keyring.json'))).toBe(false);
      expect(existsSync(path.join(d.dir, 'enrollment.db'))).toBe(false);
      expect(existsSync(path.join(d.dir, FACTORY_RESET_RECORD))).toBe(true);
      expect(await core.router.dispatch('kiosk:lock.state', {}, tech)).toMatchObject({ ok: true, value: { signedIn: false } });
    } finally {
      await core.dispose();
      d.cleanup();
    }
  });
});

describe('logging across a factory reset', () => {
  it('never throws when the log folder is wiped under it or after dispose; rotation recreates the folder', () => {
    const t = tempDataDir('kiosk-log-wipe-');
    try {
      const log = createLogger({ dataDir: t.dir, level: 'info', maxFileBytes: 2000, maxFiles: 2 });
      log.logger.info({ i: 0 }, 'before');
      rmSync(path.join(t.dir, 'logs'), { recursive: true, force: true });
      expect(() => {
        for (let i = 0; i < 100; i++) log.logger.info({ i }, 'after the wipe');
      }).not.toThrow();
      expect(readFileSync(path.join(t.dir, 'logs', 'kiosk.log'), 'utf8')).toContain('after the wipe');
      log.dispose();
      expect(() => log.logger.warn({ code: 'X' }, 'after dispose')).not.toThrow();
    } finally {
      t.cleanup();
    }
  });
});
