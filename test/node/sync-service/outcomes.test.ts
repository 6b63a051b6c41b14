// Registry processing outcomes surfaced to the supervisor: a real kiosk store syncs to a real registry on loopback;
// one person is already registered centrally (duplicate_of), one packet is rejected (a corrupt photo); the outbox keeps
// the signed statuses and kiosk:sync.outcomes returns them — to supervisors only. Packets carry WSQ fingers.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { syncChannels } from '../../../main/contract/channels/sync.js';
import { openStoreServices, type StoreServices } from '../../../main/store/index.js';
import { createSyncOutcomeHandlers } from '../../../main/sync-service/outcome-handlers.js';
import { RegistryClient, registerKiosk } from '../../../sync/engine/client.js';
import { SyncEngine } from '../../../sync/engine/sync-engine.js';
import { openPacket, publicKeyOf } from '../../../sync/packet/index.js';
import { serveRegistry, type RunningRegistry } from '../../../sync/registry/runtime.js';
import { approvalEvidence, clerk, fakeCtx, fullPatch, silentLogger, supervisorCreds, tempDataDir, testConfig, testProtector } from '../store/helpers.js';

describe('registry outcomes for the supervisor', () => {
  const open: { store?: StoreServices; registry?: RunningRegistry; engine?: SyncEngine; cleanup?: () => void } = {};
  afterEach(async () => {
    await open.engine?.dispose();
    await open.registry?.close();
    await open.store?.dispose();
    open.cleanup?.();
  });

  it('stores central duplicates and rejections from the signed statuses and lists them over IPC (supervisor only)', async () => {
    const t = tempDataDir('kiosk-sync-outcomes-');
    open.cleanup = t.cleanup;
    const config = testConfig(t.dir);
    open.store = await openStoreServices({ config, logger: silentLogger, protector: testProtector() });
    const store = open.store;
    open.registry = await serveRegistry({ dataDir: path.join(t.dir, 'registry') });
    const registry = open.registry.registry;
    const identity = { kioskId: config.kioskId, centreId: config.centreId, privateKey: store.kiosk.signingKey };
    const registration = await registerKiosk(open.registry.url, await registry.issueToken({ centreId: config.centreId }), identity);
    await store.enrollment.setRegistryPublicKey(publicKeyOf(registration.encryptionPublicKey, 'X25519'));

    const approve = async (index: number, patch = fullPatch(index, 11)) => {
      const r = await store.enrollment.createDraft(clerk, patch);
      await store.enrollment.transition(clerk, r.id, 'captured');
      await store.enrollment.transition(clerk, r.id, 'pending_approval');
      const s = await store.enrollment.transition(clerk, r.id, 'approved', { supervisor: supervisorCreds });
      return { id: r.id, rid: r.rid, nn: String(r.demographics.nationalNumber), summary: s };
    };
    const ok = await approve(1);
    const dup = await approve(2);
    // The second person is already registered centrally (another kiosk, earlier): the registry's blind index holds it.
    await registry.store.claimDedupKey(`nn:${registry.blindIndex(dup.nn)}`, 'C-99.K-9.20250101.0001.7');
    const badPatch = { ...fullPatch(3, 11), exceptions: [{ modality: 'finger' as const, position: 1 as const, kind: 'bandaged' as const, reason: 'bandage photo', photo: new Uint8Array([1, 2, 3, 4, 5]) }] };
    const bad = await approve(3, { ...badPatch, workflow: approvalEvidence(badPatch) });

    // Manifest v2: fingers as WSQ, face + 10 fingers well under 150 KB on the wire.
    const sealed = await store.enrollment.packet(ok.id);
    const opened = openPacket(sealed.packet, registry.keys.encryptionPrivateKey);
    expect(opened.manifest.version).toBe(2);
    expect([...opened.parts.keys()].filter((n) => n.endsWith('.wsq'))).toHaveLength(10);
    expect(sealed.packet.length).toBeLessThan(150 * 1024);

    open.engine = new SyncEngine(store.outbox, new RegistryClient(identity, registration), { backoffBaseMs: 100 });
    const report = await open.engine.syncUntilIdle(200);
    expect(report.pending).toBe(0);

    const outcomes = await store.outbox.outcomes();
    expect(outcomes.map((o) => o.recordId).sort()).toEqual([dup.id, bad.id].sort());

    const h = createSyncOutcomeHandlers({ outbox: store.outbox, auth: store.auth });
    const req = syncChannels['kiosk:sync.outcomes'].request.parse({});
    const clerkCtx = fakeCtx('clerk');
    await store.handlers['kiosk:auth.signIn']({ operatorId: 'clerk', pin: '1111' }, clerkCtx);
    await expect(h['kiosk:sync.outcomes'](req, clerkCtx)).rejects.toMatchObject({ code: expect.stringMatching(/FORBIDDEN|UNAUTHORIZED/) });
    await expect(h['kiosk:sync.outcomes'](req, fakeCtx('anon'))).rejects.toMatchObject({ code: 'UNAUTHORIZED' });

    const sup = fakeCtx('sup');
    await store.handlers['kiosk:auth.signIn']({ operatorId: supervisorCreds.operatorId, pin: supervisorCreds.pin }, sup);
    const res = syncChannels['kiosk:sync.outcomes'].response.parse(await h['kiosk:sync.outcomes'](req, sup));
    expect(res.counts).toEqual({ duplicate: 1, rejected: 1 });
    const d = res.outcomes.find((o) => o.recordId === dup.id)!;
    expect(d).toMatchObject({ kind: 'duplicate', action: 'review', rid: dup.rid, duplicateOf: 'C-99.K-9.20250101.0001.7' });
    const r = res.outcomes.find((o) => o.recordId === bad.id)!;
    expect(r).toMatchObject({ kind: 'rejected', action: 'reenroll', rid: null, reason: 'PART_NOT_JPEG:exception.finger.1.jpg' });

    // Purging acknowledged records after retention keeps the outcomes (the status documents stay).
    const later = new SyncEngine(store.outbox, new RegistryClient(identity, registration), { retentionMs: 0 });
    await later.runOnce();
    await later.dispose();
    expect((await store.outbox.outcomes()).map((o) => o.recordId).sort()).toEqual([dup.id, bad.id].sort());
  }, 120_000);
});
