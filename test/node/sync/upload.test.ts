// End-to-end upload over real HTTP on loopback, against every registry backend.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RegistryClient } from '../../../sync/engine/client.js';
import { FileOutbox } from '../../../sync/engine/file-outbox.js';
import { SyncEngine } from '../../../sync/engine/sync-engine.js';
import { BACKENDS, makePacket, registerNew, useTestRegistry } from './harness.js';

describe.each(BACKENDS)('upload and processing (%s)', (backend) => {
  const { tmp, registry } = useTestRegistry(backend, 'sync-upload-');

  it('uploads in chunks, verifies receipts, acknowledges final statuses and purges after retention', async () => {
    const { identity, registration } = await registerNew(registry());
    const outbox = new FileOutbox(path.join(tmp.dir, 'kiosk1'));
    const packets = Array.from({ length: 6 }, (_, i) => makePacket(identity, registration.encryptionPublicKey, i, { bytes: 50_000 }));
    for (const p of packets) await outbox.add(p.packetId, p.bytes);
    // same national number as packet 0 → duplicate of its RID
    const dup = makePacket(identity, registration.encryptionPublicKey, 0);
    await outbox.add(dup.packetId, dup.bytes);

    const engine = new SyncEngine(outbox, new RegistryClient(identity, registration), { chunkBytes: 16_384, retentionMs: 60_000, backoffBaseMs: 10 });
    const progress: number[] = [];
    engine.on('progress', (e) => progress.push(e.offset));
    const outcomes = new Map<string, string>();
    engine.on('outcome', (e) => outcomes.set(e.packetId, e.status.status));
    const report = await engine.syncUntilIdle(20);
    expect(report.pending).toBe(0);
    expect(progress.length).toBeGreaterThan(packets.length * 3);

    const entries = await outbox.all();
    expect(entries.every((e) => e.state === 'acknowledged')).toBe(true);
    for (const p of packets) expect(outcomes.get(p.packetId)).toBe('accepted');
    expect(outcomes.get(dup.packetId)).toBe('duplicate');
    const dupRow = await registry().running.registry.store.getPacket(dup.packetId);
    expect(dupRow?.duplicateOf).toBe(`RID-${packets[0]!.packetId}`);
    expect(await registry().running.registry.store.countPackets()).toBe(7);

    // Retention not yet over: nothing purged; then with the retention passed, files go and entries say purged.
    expect(existsSync(path.join(outbox.dir, 'packets', `${packets[0]!.packetId}.pkt`))).toBe(true);
    const later = new SyncEngine(outbox, new RegistryClient(identity, registration), { retentionMs: 0 });
    const r2 = await later.runOnce();
    expect(r2.purged).toBe(7);
    expect(existsSync(path.join(outbox.dir, 'packets', `${packets[0]!.packetId}.pkt`))).toBe(false);
    expect((await outbox.all()).every((e) => e.state === 'purged')).toBe(true);
    await engine.dispose();
    await later.dispose();
  });

  it('re-sending a received packet returns the very same signed receipt; other content under the same id is refused', async () => {
    const { identity, registration } = await registerNew(registry());
    const client = new RegistryClient(identity, registration);
    const p = makePacket(identity, registration.encryptionPublicKey, 100);
    const outbox = new FileOutbox(path.join(tmp.dir, 'kiosk2'));
    await outbox.add(p.packetId, p.bytes);
    const engine = new SyncEngine(outbox, client, { backoffBaseMs: 10 });
    await engine.syncUntilIdle(10);
    const first = (await outbox.get(p.packetId))!.receipt!;
    const { createHash } = await import('node:crypto');
    const sha = createHash('sha256').update(p.bytes).digest('hex');
    const again = await client.createUpload(p.packetId, sha, p.bytes.length);
    expect(again.state).toBe('complete');
    expect(again.state === 'complete' && again.receipt).toEqual(first);
    await expect(client.createUpload(p.packetId, 'f'.repeat(64), 10)).rejects.toMatchObject({ code: 'PACKET_CONFLICT', status: 409 });
    // The single-request path (small packets) is idempotent the same way.
    expect(await client.putPacket(p.packetId, sha, p.bytes)).toEqual(first);
    await expect(client.putPacket('R-OTHER', 'e'.repeat(64), p.bytes)).rejects.toMatchObject({ code: 'UPLOAD_HASH_MISMATCH', status: 422 });
    const other = makePacket(identity, registration.encryptionPublicKey, 101);
    await expect(client.putPacket(p.packetId, createHash('sha256').update(other.bytes).digest('hex'), other.bytes)).rejects.toMatchObject({ code: 'PACKET_CONFLICT' });
    await engine.dispose();
  });

  it('resumes an interrupted upload from the registry offset (HEAD) without resending committed bytes', async () => {
    const { identity, registration } = await registerNew(registry());
    const client = new RegistryClient(identity, registration);
    const p = makePacket(identity, registration.encryptionPublicKey, 200, { bytes: 40_000 });
    const { createHash } = await import('node:crypto');
    const sha = createHash('sha256').update(p.bytes).digest('hex');
    const u = await client.createUpload(p.packetId, sha, p.bytes.length);
    if (u.state !== 'open') throw new Error('expected open upload');
    expect(await client.uploadChunk(u.uploadId, 0, p.bytes.subarray(0, 10_000))).toBe(10_000);
    // A second create for the same packet finds the same upload at the committed offset.
    const again = await client.createUpload(p.packetId, sha, p.bytes.length);
    expect(again).toMatchObject({ state: 'open', uploadId: u.uploadId, offset: 10_000 });
    expect(await client.uploadOffset(u.uploadId)).toBe(10_000);
    await expect(client.uploadChunk(u.uploadId, 0, p.bytes.subarray(0, 10_000))).rejects.toMatchObject({ code: 'UPLOAD_OFFSET_MISMATCH', details: { offset: 10_000 } });
    await expect(client.finalize(u.uploadId, { packetId: p.packetId, sha256: sha })).rejects.toMatchObject({ code: 'UPLOAD_INCOMPLETE' });
    await client.uploadChunk(u.uploadId, 10_000, p.bytes.subarray(10_000));
    const receipt = await client.finalize(u.uploadId, { packetId: p.packetId, sha256: sha });
    expect(receipt.payload).toMatchObject({ packetId: p.packetId, sha256: sha, size: p.bytes.length, kioskId: identity.kioskId });

    // An abandoned upload is collected (row and partial bytes); a later create starts from zero.
    const q = makePacket(identity, registration.encryptionPublicKey, 201, { bytes: 40_000 });
    const qsha = createHash('sha256').update(q.bytes).digest('hex');
    const qu = await client.createUpload(q.packetId, qsha, q.bytes.length);
    if (qu.state !== 'open') throw new Error('expected open upload');
    await client.uploadChunk(qu.uploadId, 0, q.bytes.subarray(0, 5000));
    expect(await registry().running.registry.gcUploads(-1000)).toBeGreaterThanOrEqual(1);
    await expect(client.uploadOffset(qu.uploadId)).rejects.toMatchObject({ code: 'UPLOAD_NOT_FOUND' });
    expect(await client.createUpload(q.packetId, qsha, q.bytes.length)).toMatchObject({ state: 'open', offset: 0 });
  });

  it('processing resumes packets a crash left between stages', async () => {
    const { identity, registration } = await registerNew(registry());
    const reg = registry().running.registry;
    const kiosk = (await reg.store.getKiosk(identity.kioskId))!;
    const p = makePacket(identity, registration.encryptionPublicKey, 300);
    await reg.storePacket(kiosk, p.packetId, p.bytes, 'online');
    await reg.idle();
    await reg.store.setPacketStatus(p.packetId, 'validated', {}, new Date().toISOString());
    expect(await reg.processPending()).toBe(1);
    expect((await reg.store.getPacket(p.packetId))!.status).toBe('accepted');
  });
});
