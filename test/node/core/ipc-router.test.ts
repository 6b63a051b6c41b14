import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { KioskError } from '../../../main/contract/errors.js';
import { createCallContext } from '../../../main/core/call-context.js';
import { IpcRouter } from '../../../main/core/ipc-router.js';

const quiet = pino({ level: 'silent' });

describe('IpcRouter', () => {
  it('validates requests, runs the handler and wraps the value', async () => {
    const router = new IpcRouter(quiet);
    router.register({ 'kiosk:settings.update': async (req) => ({ locale: req.locale ?? 'ar', cameraDeviceId: null }) });
    const ctx = createCallContext();
    expect(await router.dispatch('kiosk:settings.update', { locale: 'en' }, ctx)).toEqual({ ok: true, value: { locale: 'en', cameraDeviceId: null } });
    const bad = await router.dispatch('kiosk:settings.update', { locale: 'fr' }, ctx);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error.code).toBe('VALIDATION_FAILED');
    expect(!bad.ok && bad.error.message).toContain('locale');
    const extra = await router.dispatch('kiosk:settings.update', { locale: 'en', evil: 1 }, ctx);
    expect(!extra.ok && extra.error.code).toBe('VALIDATION_FAILED');
  });

  it('refuses unknown and unregistered channels', async () => {
    const router = new IpcRouter(quiet);
    const ctx = createCallContext();
    const unknown = await router.dispatch('kiosk:nope', {}, ctx);
    expect(!unknown.ok && unknown.error.code).toBe('UNKNOWN_CHANNEL');
    const unregistered = await router.dispatch('kiosk:app.info', {}, ctx);
    expect(!unregistered.ok && unregistered.error.code).toBe('UNKNOWN_CHANNEL');
  });

  it('passes KioskErrors through and hides unexpected errors', async () => {
    const router = new IpcRouter(quiet);
    router.register({
      'kiosk:settings.get': async () => {
        throw new KioskError('FORBIDDEN_ROLE', 'Supervisors only', { details: { needed: 'supervisor' } });
      },
      'kiosk:app.info': async () => {
        throw new Error('secret path /var/lib/x');
      },
    });
    const ctx = createCallContext();
    expect(await router.dispatch('kiosk:settings.get', {}, ctx)).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN_ROLE', message: 'Supervisors only', details: { needed: 'supervisor' } },
    });
    const hidden = await router.dispatch('kiosk:app.info', {}, ctx);
    expect(hidden).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'Internal error' } });
  });

  it('refuses handler values outside the contract', async () => {
    const router = new IpcRouter(quiet);
    router.register({ 'kiosk:settings.get': async () => ({ locale: 'xx' }) as never });
    const r = await router.dispatch('kiosk:settings.get', {}, createCallContext());
    expect(!r.ok && r.error.code).toBe('INTERNAL');
  });

  it('refuses duplicate registration', () => {
    const router = new IpcRouter(quiet);
    router.register({ 'kiosk:settings.get': async () => ({ locale: 'ar', cameraDeviceId: null }) });
    expect(() => router.register({ 'kiosk:settings.get': async () => ({ locale: 'ar', cameraDeviceId: null }) })).toThrow(/Duplicate/);
  });
});
