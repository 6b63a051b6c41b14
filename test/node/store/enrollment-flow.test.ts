import { afterEach, describe, expect, it } from 'vitest';
import { openPacket } from '../../../sync/packet/index.js';
import { wsq } from '../../../models/formats/index.js';
import { demoRegistryPrivateKey } from '../../../main/enrollment/services.js';
import { IllegalTransitionError } from '../../../main/enrollment/lifecycle.js';
import type { StoreServices } from '../../../main/store/index.js';
import { clerk, fullPatch, openTest, supervisor, supervisorCreds, technician, tempDataDir } from './helpers.js';

describe('enrollment flow', () => {
  let services: StoreServices | undefined;
  let cleanup: (() => void) | undefined;
  afterEach(async () => {
    await services?.dispose();
    cleanup?.();
    services = undefined;
  });

  it('creates, edits, captures, approves, seals; the sealed packet opens with the registry key', async () => {
    const t = tempDataDir();
    cleanup = t.cleanup;
    services = await openTest(t.dir);
    const { enrollment } = services;
    const full = fullPatch(1);
    const draft = await enrollment.createDraft(clerk, { demographics: { givenNameLatin: full.demographics!.givenNameLatin! } });
    expect(draft.status).toBe('draft');
    expect(draft.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(draft.rid).toMatch(/^C-TEST\.K-TEST-01\.\d{8}\.000001\.\d{2}$/);
    await expect(enrollment.transition(clerk, draft.id, 'captured')).rejects.toMatchObject({ code: 'ENROLLMENT_INCOMPLETE' });

    const updated = await enrollment.updateDraft(clerk, draft.id, full);
    expect(updated.fingers).toHaveLength(10);
    const got = await enrollment.get(clerk, draft.id);
    expect(got.demographics.nationalNumber).toBe(full.demographics!.nationalNumber);
    expect(Buffer.from(got.fingers[3]!.image.pixels).equals(Buffer.from(full.fingers![3]!.image.pixels))).toBe(true);
    expect(Array.from(got.face!.embedding.slice(0, 4))).toEqual(Array.from(full.face!.embedding.slice(0, 4)));

    expect(await enrollment.findByNationalNumber(clerk, full.demographics!.nationalNumber!)).toEqual([draft.id]);
    expect(await enrollment.findByRid(clerk, draft.rid)).toBe(draft.id);

    await enrollment.transition(clerk, draft.id, 'captured');
    await enrollment.transition(clerk, draft.id, 'pending_approval');
    expect((await enrollment.counts()).pendingApproval).toBe(1);
    await expect(enrollment.transition(clerk, draft.id, 'sealed')).rejects.toBeInstanceOf(IllegalTransitionError);
    await expect(enrollment.transition(clerk, draft.id, 'approved', { supervisor: { operatorId: 'supervisor', pin: '9999' } })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const sealed = await enrollment.transition(clerk, draft.id, 'approved', { supervisor: supervisorCreds });
    expect(sealed.status).toBe('sealed');
    expect(sealed.supervisorId).toBe('supervisor');
    expect(sealed.receipt?.fingersCaptured).toBe(10);
    expect(await enrollment.counts()).toMatchObject({ pendingApproval: 0, awaitingUpload: 1, total: 1, today: 1 });

    // Plaintext-capable ciphertext is gone; RID, status, receipt, packet and gallery remain.
    const after = await services.client.call('enrollment.get', { id: draft.id, withBlobs: true });
    expect(after?.row.demographics).toBeNull();
    expect(after?.row.details).toBeNull();
    expect(after?.blobs).toHaveLength(0);
    const list = await enrollment.list(supervisor);
    expect(list[0]).toMatchObject({ id: draft.id, rid: draft.rid, status: 'sealed', displayName: null });
    await expect(enrollment.get(clerk, draft.id)).resolves.toMatchObject({ status: 'sealed', fingers: [], face: null });
    const gallery = await enrollment.galleryEntry(draft.id);
    expect(gallery.templates).toHaveLength(10);
    expect(gallery.embedding).toHaveLength(512);

    const { packet } = await enrollment.packet(draft.id);
    const opened = openPacket(packet, demoRegistryPrivateKey(t.dir), services.kiosk.publicKeyRaw);
    expect(opened.manifest.rid).toBe(draft.rid);
    expect(opened.manifest.record.demographics).toMatchObject({ nationalNumber: full.demographics!.nationalNumber });
    // Manifest v2: fingers travel as WSQ (docs/REGISTRY_API.md, "Packet contents").
    const finger4 = wsq.decodeWsq(opened.parts.get('finger.4.wsq')!);
    expect([finger4.width, finger4.height]).toEqual([full.fingers![3]!.image.width, full.fingers![3]!.image.height]);
    expect(opened.parts.get('face.jpg')!.equals(Buffer.from(full.face!.image))).toBe(true);
    expect(opened.signerVerifiedAgainstExpected).toBe(true);

    // Technicians see no PII and cannot create enrollments.
    await expect(enrollment.get(technician, draft.id)).rejects.toMatchObject({ code: 'FORBIDDEN_ROLE' });
    await expect(enrollment.createDraft(technician)).rejects.toMatchObject({ code: 'FORBIDDEN_ROLE' });
    // Supervisors may not approve what they captured.
    const own = await enrollment.createDraft(supervisor, fullPatch(2));
    await enrollment.transition(supervisor, own.id, 'captured');
    await enrollment.transition(supervisor, own.id, 'pending_approval');
    await expect(enrollment.transition(supervisor, own.id, 'approved', { supervisor: supervisorCreds })).rejects.toMatchObject({ code: 'SELF_APPROVAL' });

    const audit = await services.verifyAudit();
    expect(audit.ok).toBe(true);
    expect(audit.entries).toBeGreaterThan(8);
  });

  it('refuses invalid demographics with the field name and no value', async () => {
    const t = tempDataDir();
    cleanup = t.cleanup;
    services = await openTest(t.dir);
    const bad = services.enrollment.createDraft(clerk, { demographics: { nationalNumber: '12345678901234', givenNameAr: 'Latin' } });
    await expect(bad).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const error = (await bad.catch((e: unknown) => e)) as { details: { problems: { field: string }[] } };
    expect(error.details.problems.map((p) => p.field).sort()).toEqual(['givenNameAr', 'nationalNumber']);
    expect(JSON.stringify(error.details)).not.toContain('12345678901234');
  });
});

describe('disposal', () => {
  it('dispose stops the store worker and leaves no handles behind', async () => {
    const t = tempDataDir();
    const count = () => process.getActiveResourcesInfo().filter((r) => /Worker|MessagePort|Timeout/.test(r)).length;
    const before = count();
    const s = await openTest(t.dir);
    expect(s.client.exitedWorker).toBe(false);
    await s.enrollment.createDraft(clerk, fullPatch(1));
    await s.dispose();
    await s.dispose(); // idempotent
    await new Promise((r) => setTimeout(r, 50));
    expect(s.client.exitedWorker).toBe(true);
    expect(count()).toBeLessThanOrEqual(before);
    await expect(s.enrollment.counts()).rejects.toMatchObject({ code: 'STORE_CLOSED' });
    t.cleanup();
  });
});
