// Sign-in, lockout, idle timeout and role checks, exercised through the IPC handler layer.
import { afterEach, describe, expect, it } from 'vitest';
import type { StoreServices } from '../../../main/store/index.js';
import { fakeCtx, fullPatch, openTest, tempDataDir, testConfig } from './helpers.js';
import { patchFromWire } from '../../../main/enrollment/handlers.js';
import { draftPatchSchema, enrollmentChannels } from '../../../main/contract/channels/enrollment.js';

function wire(index: number) {
  const p = fullPatch(index);
  return {
    demographics: p.demographics as Record<string, string>,
    consent: p.consent!,
    face: { imageBase64: Buffer.from(p.face!.image).toString('base64'), embeddingBase64: Buffer.from(p.face!.embedding.buffer).toString('base64'), quality: p.face!.quality, capturedAt: p.face!.capturedAt },
    fingers: p.fingers!.map((f) => ({
      position: f.position,
      width: f.image.width,
      height: f.image.height,
      ppi: 500 as const,
      pixelsBase64: Buffer.from(f.image.pixels).toString('base64'),
      templateBase64: Buffer.from(f.template).toString('base64'),
      templateFormat: f.templateFormat,
      quality: f.quality,
      attempts: f.attempts,
      capturedAt: f.capturedAt,
    })),
  };
}

describe('auth through the handler layer', () => {
  let s: StoreServices | undefined;
  let cleanup: (() => void) | undefined;
  afterEach(async () => {
    await s?.dispose();
    cleanup?.();
    s = undefined;
  });

  async function setup(demo = true) {
    const t = tempDataDir();
    cleanup = t.cleanup;
    let now = Date.UTC(2026, 0, 5, 9, 0, 0);
    s = await openTest(t.dir, { clock: () => now, config: testConfig(t.dir, { demo }) });
    return { h: s.handlers, advance: (ms: number) => (now += ms) };
  }

  it('locks an operator after pinMaxAttempts wrong PINs for lockoutMinutes, then lets them in', async () => {
    const { h, advance } = await setup();
    const ctx = fakeCtx();
    await expect(h['kiosk:auth.signIn']({ operatorId: 'clerk', pin: '0000' }, ctx)).rejects.toMatchObject({ code: 'UNAUTHORIZED', details: { attemptsLeft: 2 } });
    await expect(h['kiosk:auth.signIn']({ operatorId: 'clerk', pin: '0001' }, ctx)).rejects.toMatchObject({ code: 'UNAUTHORIZED', details: { attemptsLeft: 1 } });
    await expect(h['kiosk:auth.signIn']({ operatorId: 'clerk', pin: '0002' }, ctx)).rejects.toMatchObject({ code: 'OPERATOR_LOCKED' });
    await expect(h['kiosk:auth.signIn']({ operatorId: 'clerk', pin: '1111' }, ctx)).rejects.toMatchObject({ code: 'OPERATOR_LOCKED' });
    expect(ctx.current()).toBeNull();
    advance(14 * 60_000);
    await expect(h['kiosk:auth.signIn']({ operatorId: 'clerk', pin: '1111' }, ctx)).rejects.toMatchObject({ code: 'OPERATOR_LOCKED' });
    advance(61_000);
    const view = await h['kiosk:auth.signIn']({ operatorId: 'clerk', pin: '1111' }, ctx);
    expect(view).toMatchObject({ operatorId: 'clerk', role: 'clerk', idleTimeoutSeconds: 300 });
    expect(ctx.current()?.role).toBe('clerk');
    // Unknown operators get the same answer as a wrong PIN.
    await expect(h['kiosk:auth.signIn']({ operatorId: 'nobody', pin: '1111' }, fakeCtx())).rejects.toMatchObject({ code: 'UNAUTHORIZED', details: { reason: 'bad_credentials' } });
  });

  it('checks roles in main and expires idle sessions', async () => {
    const { h, advance } = await setup();
    const anon = fakeCtx();
    await expect(h['kiosk:enrollment.list']({}, anon)).rejects.toMatchObject({ code: 'UNAUTHORIZED', details: { reason: 'not_signed_in' } });
    await expect(h['kiosk:store.counts']({}, anon)).rejects.toMatchObject({ code: 'UNAUTHORIZED', details: { reason: 'not_signed_in' } });
    // Raw lifecycle channels are main-side APIs only: the renderer's contract has none.
    for (const raw of ['kiosk:enrollment.createDraft', 'kiosk:enrollment.updateDraft', 'kiosk:enrollment.transition']) {
      expect(Object.keys(enrollmentChannels)).not.toContain(raw);
      expect(Object.keys(h)).not.toContain(raw);
    }

    const clerk = fakeCtx();
    await h['kiosk:auth.signIn']({ operatorId: 'clerk', pin: '1111' }, clerk);
    const clerkActor = s!.auth.requireRole(clerk, ['clerk'], 'enrol');
    // The wire shape is what the router validates against the channel schema; patches decode into the same record.
    const record = await s!.enrollment.createDraft(clerkActor, { ...patchFromWire(draftPatchSchema.parse(wire(1))), workflow: fullPatch(1).workflow! });
    const view = await h['kiosk:enrollment.get']({ id: record.id }, clerk);
    expect(view.missing).toEqual([]);
    expect(enrollmentChannels['kiosk:enrollment.get'].request.safeParse({ id: 'not-a-ulid' }).success).toBe(false);
    expect(view.face?.imageBase64.length).toBeGreaterThan(100);
    await expect(h['kiosk:auth.createOperator']({ id: 'x1', role: 'clerk', displayName: 'X', pin: '1234' }, clerk)).rejects.toMatchObject({ code: 'FORBIDDEN_ROLE' });

    const tech = fakeCtx();
    await h['kiosk:auth.signIn']({ operatorId: 'technician', pin: '3333' }, tech);
    await expect(h['kiosk:enrollment.get']({ id: view.id }, tech)).rejects.toMatchObject({ code: 'FORBIDDEN_ROLE' });
    const techList = await h['kiosk:enrollment.list']({}, tech);
    expect(techList.items[0]).toMatchObject({ id: view.id, displayName: null });
    expect((await h['kiosk:enrollment.list']({}, clerk)).items[0]?.displayName?.latin).toContain(fullPatch(1).demographics!.givenNameLatin!);
    await h['kiosk:auth.createOperator']({ id: 'clerk2', role: 'clerk', displayName: 'Second Clerk', pin: '4567' }, tech);
    expect((await h['kiosk:auth.listOperators']({}, tech)).operators.map((o) => o.id)).toContain('clerk2');

    // Clerk submits; approval needs the supervisor's own credentials, even over the clerk's session.
    const e = s!.enrollment;
    await e.transition(clerkActor, view.id, 'captured');
    await e.transition(clerkActor, view.id, 'pending_approval');
    await expect(e.transition(clerkActor, view.id, 'approved')).rejects.toMatchObject({ code: 'SUPERVISOR_CREDENTIALS_REQUIRED' });
    await expect(e.transition(clerkActor, view.id, 'approved', { supervisor: { operatorId: 'clerk2', pin: '4567' } })).rejects.toMatchObject({ code: 'FORBIDDEN_ROLE' });
    await expect(e.transition(clerkActor, view.id, 'approved', { supervisor: { operatorId: 'supervisor', pin: '0000' } })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const sealed = await e.transition(clerkActor, view.id, 'approved', { supervisor: { operatorId: 'supervisor', pin: '2222' } });
    expect(sealed.status).toBe('sealed');
    await expect(e.transition(clerkActor, view.id, 'draft')).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    expect(await h['kiosk:store.counts']({}, tech)).toEqual({ today: 1, pendingApproval: 0, awaitingUpload: 1, total: 1 });

    advance(301_000);
    await expect(h['kiosk:enrollment.list']({}, clerk)).rejects.toMatchObject({ code: 'UNAUTHORIZED', details: { reason: 'idle_timeout' } });
    expect(clerk.current()).toBeNull();
    expect(await h['kiosk:auth.session']({}, tech)).toEqual({ session: null });
    const again = fakeCtx();
    await h['kiosk:auth.signIn']({ operatorId: 'clerk', pin: '1111' }, again);
    expect((await h['kiosk:auth.session']({}, again)).session?.operatorId).toBe('clerk');
    expect(await h['kiosk:auth.signOut']({}, again)).toEqual({ signedOut: true });
    expect(again.current()).toBeNull();
  });

  it('outside demo mode there are no default credentials', async () => {
    const { h } = await setup(false);
    for (const [operatorId, pin] of [['clerk', '1111'], ['supervisor', '2222'], ['technician', '3333']] as const) {
      await expect(h['kiosk:auth.signIn']({ operatorId, pin }, fakeCtx())).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    }
    expect(await s!.auth.hasOperators()).toBe(false);
  });

  it('wire patches decode base64 biometrics into typed arrays', () => {
    const p = patchFromWire(wire(2));
    expect(p.face?.embedding).toBeInstanceOf(Float32Array);
    expect(p.face?.embedding.length).toBe(512);
    expect(p.fingers?.[9]?.image.pixels.length).toBe(p.fingers![9]!.image.width * p.fingers![9]!.image.height);
  });
});
