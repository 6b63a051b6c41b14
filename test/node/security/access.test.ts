// Audit finding 7 (kiosk side): face channels answered on a locked screen, counts and settings before sign-in.
// Through the real core's router: before sign-in only status and sign-in answer; a locked screen answers only
// unlock (and its own state / sign-out).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../main/config/load-config.js';
import { LOCKED_CHANNELS, PUBLIC_CHANNELS } from '../../../main/core/access-policy.js';
import { createKioskCore, type KioskCore } from '../../../main/core/kiosk-core.js';
import { channels, type ChannelName } from '../../../main/contract/ipc.js';

describe('channel access before sign-in and on a locked screen', () => {
  let dir: string;
  let core: KioskCore;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-sec-access-'));
    core = await createKioskCore({ config: await loadConfig(undefined, { dataDir: path.join(dir, 'data') }), shell: 'browser', logToFile: false, devices: false, sync: false });
  });
  afterAll(async () => {
    await core.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = (channel: string, payload: unknown, ctx = core.newContext()) => core.router.dispatch(channel, payload, ctx);

  it('before sign-in every channel outside the status/sign-in list answers UNAUTHORIZED, before validating the request', async () => {
    const ctx = core.newContext();
    for (const name of Object.keys(channels) as ChannelName[]) {
      if (PUBLIC_CHANNELS.has(name)) continue;
      expect(await call(name, { junk: true }, ctx), name).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    }
    expect(await call('kiosk:home.summary', {}, ctx)).toMatchObject({ ok: true, value: { counts: null } });
    expect(await call('kiosk:settings.update', { cameraDeviceId: 'cam-1' }, ctx)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(await call('kiosk:settings.update', { locale: 'en' }, ctx)).toMatchObject({ ok: true, value: { locale: 'en' } });
    expect(await call('kiosk:app.info', {}, ctx)).toMatchObject({ ok: true });
  });

  it('a locked screen answers only unlock, its state and sign-out; unlocking restores the session', async () => {
    const ctx = core.newContext();
    expect(await call('kiosk:auth.signIn', { operatorId: 'clerk', pin: '1111' }, ctx)).toMatchObject({ ok: true });
    expect(await call('kiosk:home.summary', {}, ctx)).toMatchObject({ ok: true, value: { counts: { total: 0 } } });
    expect(await call('kiosk:lock.engage', {}, ctx)).toMatchObject({ ok: true, value: { locked: true } });
    for (const name of Object.keys(channels) as ChannelName[]) {
      if (LOCKED_CHANNELS.has(name)) continue;
      expect(await call(name, {}, ctx), name).toMatchObject({ ok: false, error: { code: 'SCREEN_LOCKED' } });
    }
    expect(await call('kiosk:lock.unlock', { pin: '1111' }, ctx)).toMatchObject({ ok: true, value: { locked: false } });
    expect(await call('kiosk:workflow.drafts', {}, ctx)).toMatchObject({ ok: true });
  });
});
