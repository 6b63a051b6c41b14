// Audit findings 1 and 2 reproduced against a real encrypted store: a clerk walking a record with no biometrics,
// no dedup and no co-signed exceptions to approval, and a technician walking a sealed record to purged. Both now
// fail with typed errors, audited; the raw lifecycle channels are gone from the renderer's contract.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IpcRouter } from '../../../main/core/ipc-router.js';
import { channels } from '../../../main/contract/ipc.js';
import type { StoreServices } from '../../../main/enrollment/services.js';
import { FINGER_POSITIONS, type BiometricException, type FingerPosition } from '../../../main/enrollment/model.js';
import { proceduralFingerCapture } from '../../../main/enrollment/synthetic.js';
import { approvalEvidence, clerk, fakeCtx, fullPatch, openTest, silentLogger, supervisorCreds, technician, tempDataDir } from '../store/helpers.js';

const SYSTEM = { operatorId: 'system', role: 'system' } as const;

describe('lifecycle invariants (no workflow bypass, no purge without a registry receipt)', () => {
  let data: ReturnType<typeof tempDataDir>;
  let s: StoreServices;
  beforeEach(async () => {
    data = tempDataDir('kiosk-sec-lifecycle-');
    s = await openTest(data.dir);
  });
  afterEach(async () => {
    await s.dispose();
    data.cleanup();
  });

  const audit = async () => (await s.client.call('audit.list', { afterSeq: 0, limit: 1000 })).map((a) => a.action);

  it('the raw createDraft / updateDraft / transition channels are not in the contract: the router refuses them', async () => {
    for (const raw of ['kiosk:enrollment.createDraft', 'kiosk:enrollment.updateDraft', 'kiosk:enrollment.transition']) expect(Object.keys(channels)).not.toContain(raw);
    const router = new IpcRouter(silentLogger);
    router.register(s.handlers);
    const ctx = fakeCtx();
    await router.dispatch('kiosk:auth.signIn', { operatorId: 'clerk', pin: '1111' }, ctx);
    const all: BiometricException[] = [{ modality: 'face', kind: 'unable', reason: 'x' }, ...FINGER_POSITIONS.map((p) => ({ modality: 'finger' as const, position: p, kind: 'missing' as const, reason: 'x' }))];
    const env = await router.dispatch('kiosk:enrollment.createDraft', { exceptions: all }, ctx);
    expect(env).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
  });

  it('finding 1: all-exceptions record walked to pending_approval cannot be approved (no co-sign, no dedup), audited', async () => {
    const base = fullPatch(1);
    const exceptions: BiometricException[] = [{ modality: 'face', kind: 'unable', reason: 'none' }, ...FINGER_POSITIONS.map((p) => ({ modality: 'finger' as const, position: p, kind: 'missing' as const, reason: 'none' }))];
    const r = await s.enrollment.createDraft(clerk, { demographics: base.demographics!, consent: base.consent!, exceptions });
    await s.enrollment.transition(clerk, r.id, 'captured');
    await s.enrollment.transition(clerk, r.id, 'pending_approval');
    const err = await s.enrollment.transition(clerk, r.id, 'approved', { supervisor: supervisorCreds }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'ApprovalEvidenceError', code: 'APPROVAL_EVIDENCE_INCOMPLETE' });
    expect((err as { details: { missing: string[] } }).details.missing).toEqual(['face.exception_not_cosigned', 'dedup.not_run']);
    expect(await audit()).toContain('enrollment.approve.refused');
    expect((await s.enrollment.list(clerk))[0]).toMatchObject({ id: r.id, status: 'pending_approval' });
  });

  it('a duplicate search is evidence only for the biometrics it ran on; a flagged one needs a "not a duplicate" decision', async () => {
    const p = fullPatch(2);
    const r = await s.enrollment.createDraft(clerk, p);
    // Biometrics changed after the search: a different finger 3.
    await s.enrollment.updateDraft(clerk, r.id, { fingers: [proceduralFingerCapture('someone-else', 3 as FingerPosition, '2026-01-02T03:04:05.000Z')] });
    await s.enrollment.transition(clerk, r.id, 'captured');
    await s.enrollment.transition(clerk, r.id, 'pending_approval');
    await expect(s.enrollment.transition(clerk, r.id, 'approved', { supervisor: supervisorCreds })).rejects.toMatchObject({ code: 'APPROVAL_EVIDENCE_INCOMPLETE', details: { missing: ['dedup.stale'] } });

    const q = fullPatch(3);
    const flagged = { dedup: { ...(approvalEvidence(q).dedup as object), state: 'possible_duplicate', adjudication: null } };
    const r2 = await s.enrollment.createDraft(clerk, { ...q, workflow: flagged });
    await s.enrollment.transition(clerk, r2.id, 'captured');
    await s.enrollment.transition(clerk, r2.id, 'pending_approval');
    await expect(s.enrollment.transition(clerk, r2.id, 'approved', { supervisor: supervisorCreds })).rejects.toMatchObject({ details: { missing: ['dedup.not_adjudicated'] } });
  });

  it('queue flags read exceptions from the record before sealing (no receipt yet)', async () => {
    const p = fullPatch(4);
    const exceptions: BiometricException[] = [{ modality: 'finger', position: 10, kind: 'amputated', reason: 'old injury' }];
    const r = await s.enrollment.createDraft(clerk, { ...p, fingers: p.fingers!.filter((f) => f.position !== 10), exceptions });
    await s.enrollment.transition(clerk, r.id, 'captured');
    await s.enrollment.transition(clerk, r.id, 'pending_approval');
    const [row] = await s.enrollment.listWithWorkflow(clerk, { statuses: ['pending_approval'] });
    expect(row).toMatchObject({ id: r.id, receipt: null, exceptions: 1 });
  });

  it('finding 2: a sealed record cannot be walked to purged by a technician or outside the outbox; the outbox purges only with a stored receipt', async () => {
    const r = await s.enrollment.createDraft(clerk, fullPatch(5));
    await s.enrollment.transition(clerk, r.id, 'captured');
    await s.enrollment.transition(clerk, r.id, 'pending_approval');
    expect((await s.enrollment.transition(clerk, r.id, 'approved', { supervisor: supervisorCreds })).status).toBe('sealed');
    await expect(s.enrollment.transition(technician, r.id, 'uploaded')).rejects.toMatchObject({ code: 'FORBIDDEN_ROLE' });
    await expect(s.enrollment.transition(SYSTEM, r.id, 'uploaded')).rejects.toMatchObject({ code: 'LIFECYCLE_RESERVED' });
    // A row forced to "acknowledged" without a registry receipt (what the old technician walk produced) is never purged.
    const row = (await s.client.call('outbox.get', { id: r.id }))!;
    const up = await s.client.call('outbox.advance', { id: r.id, expectRev: row.rev, status: 'uploaded', at: Date.now(), registryState: 'uploaded', audit: s.audit.entry('system', 'test', r.id) });
    await s.client.call('outbox.advance', { id: r.id, expectRev: up.rev, status: 'acknowledged', at: Date.now() - 10, registryState: 'acknowledged', audit: s.audit.entry('system', 'test', r.id) });
    await expect(s.enrollment.transition(technician, r.id, 'purged')).rejects.toMatchObject({ code: 'FORBIDDEN_ROLE' });
    expect(await s.outbox.purge(Date.now() + 1)).toEqual([]);
    expect(await audit()).toContain('enrollment.purge.refused');
    expect((await s.enrollment.packet(r.id)).packet.length).toBeGreaterThan(0);
  });
});
