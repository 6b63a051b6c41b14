// Refusals: unsigned, wrongly signed, replayed, stale, unknown, revoked, tampered body, tampered or mis-keyed packets.
import { generateKeyPairSync } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateRegistryKeyPair, sealPacket } from '../../../sync/packet/index.js';
import { RegistryClient, registerKiosk } from '../../../sync/engine/client.js';
import { FileOutbox } from '../../../sync/engine/file-outbox.js';
import { httpRequest } from '../../../sync/engine/http.js';
import { SyncEngine } from '../../../sync/engine/sync-engine.js';
import { signRequest } from '../../../sync/protocol/http-signature.js';
import { BACKENDS, makePacket, newIdentity, registerNew, useTestRegistry } from './harness.js';

describe.each(BACKENDS)('registry security (%s)', (backend) => {
  const { tmp, registry } = useTestRegistry(backend, 'sync-sec-');

  const raw = async (p: string, headers: Record<string, string>, body = Buffer.from('{}'), method = 'POST') => {
    const res = await httpRequest(new URL(p, registry().running.url), { method, headers: { 'content-type': 'application/json', ...headers }, body, timeoutMs: 5000 });
    return { status: res.status, error: (JSON.parse(res.body.toString() || '{}') as { error?: { code: string; details?: Record<string, unknown> } }).error };
  };
  const signed = (kioskId: string, key: ReturnType<typeof generateKeyPairSync>['privateKey'], body: Buffer, opts: { now?: number; url?: string } = {}) => {
    const s = signRequest({ method: 'POST', targetUri: opts.url ?? `${registry().running.url}/v1/uploads`, body, keyid: kioskId, privateKey: key, ...(opts.now ? { now: opts.now } : {}) });
    return { 'content-digest': s['content-digest'], 'signature-input': s['signature-input'], signature: s.signature };
  };
  const audited = async (code: string) => (await registry().running.registry.store.listAudit(10_000)).filter((a) => a.code === code && a.event === 'request.refused');

  it('refuses unsigned, wrongly signed, replayed, stale, unknown-kiosk and digest-mismatched requests, and audits each', async () => {
    const { identity } = await registerNew(registry());
    const body = Buffer.from(JSON.stringify({ packetId: 'P1', sha256: 'a'.repeat(64), size: 10 }));

    expect(await raw('/v1/uploads', {}, body)).toMatchObject({ status: 401, error: { code: 'SIGNATURE_MISSING' } });
    // Unknown routes: authentication first (no route discovery without a key), then a typed 404.
    expect(await raw('/v2/anything', {}, body)).toMatchObject({ status: 401, error: { code: 'SIGNATURE_MISSING' } });
    expect(await raw('/v2/anything', signed(identity.kioskId, identity.privateKey, body, { url: `${registry().running.url}/v2/anything` }), body)).toMatchObject({ status: 404, error: { code: 'NOT_FOUND' } });

    const otherKey = generateKeyPairSync('ed25519').privateKey;
    expect(await raw('/v1/uploads', signed(identity.kioskId, otherKey, body), body)).toMatchObject({ status: 401, error: { code: 'SIGNATURE_INVALID' } });

    // Signed for another URL (the signature covers @target-uri).
    expect(await raw('/v1/uploads', signed(identity.kioskId, identity.privateKey, body, { url: `${registry().running.url}/v1/other` }), body)).toMatchObject({ status: 401, error: { code: 'SIGNATURE_INVALID' } });

    const good = signed(identity.kioskId, identity.privateKey, body);
    expect((await raw('/v1/uploads', good, body)).status).toBe(201);
    expect(await raw('/v1/uploads', good, body)).toMatchObject({ status: 401, error: { code: 'NONCE_REPLAYED' } });

    const stale = signed(identity.kioskId, identity.privateKey, body, { now: Date.now() - 3600_000 });
    const st = await raw('/v1/uploads', stale, body);
    expect(st).toMatchObject({ status: 401, error: { code: 'SIGNATURE_STALE', details: { windowSeconds: 300 } } });
    expect(Math.abs(Number(st.error?.details?.skewSeconds) - 3600)).toBeLessThan(5);

    const tampered = Buffer.from(JSON.stringify({ packetId: 'P2', sha256: 'a'.repeat(64), size: 10 }));
    expect(await raw('/v1/uploads', signed(identity.kioskId, identity.privateKey, body), tampered)).toMatchObject({ status: 401, error: { code: 'CONTENT_DIGEST_MISMATCH' } });

    expect(await raw('/v1/uploads', signed('K-NOBODY', identity.privateKey, body), body)).toMatchObject({ status: 401, error: { code: 'KIOSK_UNKNOWN' } });

    for (const code of ['SIGNATURE_MISSING', 'SIGNATURE_INVALID', 'NONCE_REPLAYED', 'SIGNATURE_STALE', 'CONTENT_DIGEST_MISMATCH', 'KIOSK_UNKNOWN']) expect((await audited(code)).length, code).toBeGreaterThan(0);
    expect((await audited('NONCE_REPLAYED'))[0]!.kioskId).toBe(identity.kioskId);
  });

  it('refuses a revoked kiosk with a typed 403 through the client, and audits it', async () => {
    const { identity, registration } = await registerNew(registry());
    const client = new RegistryClient(identity, registration);
    await expect(client.status('nothing-here')).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 });
    expect(await registry().running.registry.revokeKiosk(identity.kioskId)).toBe(true);
    await expect(client.createUpload('P-REV', 'b'.repeat(64), 5)).rejects.toMatchObject({ name: 'RegistryRequestError', code: 'KIOSK_REVOKED', status: 403 });
    expect((await audited('KIOSK_REVOKED')).some((a) => a.kioskId === identity.kioskId)).toBe(true);
    const revocations = await client.download('revocations').catch((e: unknown) => e);
    expect(revocations).toMatchObject({ code: 'KIOSK_REVOKED' });
  });

  it('registration tokens are one-time and centre-bound; a kiosk id cannot be taken over with another key', async () => {
    const id = newIdentity();
    const token = await registry().running.registry.issueToken({ centreId: id.centreId });
    await registerKiosk(registry().running.url, token, id);
    await expect(registerKiosk(registry().running.url, token, newIdentity())).rejects.toMatchObject({ code: 'TOKEN_INVALID', status: 401 });
    const t2 = await registry().running.registry.issueToken({ centreId: 'C-ELSEWHERE' });
    await expect(registerKiosk(registry().running.url, t2, newIdentity())).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    const t3 = await registry().running.registry.issueToken();
    await expect(registerKiosk(registry().running.url, t3, { ...newIdentity(id.kioskId, id.centreId) })).rejects.toMatchObject({ code: 'KIOSK_CONFLICT', status: 409 });
    await expect(registerKiosk(registry().running.url, 'x'.repeat(20), newIdentity())).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });

  it('rejects tampered packets, packets encrypted to another key and packets signed by another kiosk; keeps them on the kiosk', async () => {
    const { identity, registration } = await registerNew(registry());
    const outbox = new FileOutbox(path.join(tmp.dir, 'kiosk-bad'));
    const good = makePacket(identity, registration.encryptionPublicKey, 1);
    const flipped = makePacket(identity, registration.encryptionPublicKey, 2);
    flipped.bytes[flipped.bytes.length - 40]! ^= 0x01;
    const otherRegistry = generateRegistryKeyPair();
    const misKeyed = makePacket(identity, otherRegistry.publicKeyRaw.toString('base64'), 3);
    const stranger = newIdentity(identity.kioskId, identity.centreId);
    const foreign = makePacket(stranger, registration.encryptionPublicKey, 4);
    const wrongId = sealPacket({
      manifest: { recordId: 'R-INSIDE', rid: 'RID-X1', kioskId: identity.kioskId, centreId: identity.centreId, sealedAt: new Date().toISOString(), record: { demographics: {} } },
      parts: [],
      kioskPrivateKey: identity.privateKey,
      registryPublicKey: registration.encryptionPublicKey,
    });
    for (const p of [good, flipped, misKeyed, foreign]) await outbox.add(p.packetId, p.bytes);
    await outbox.add('R-OUTSIDE', wrongId.bytes);
    const engine = new SyncEngine(outbox, new RegistryClient(identity, registration), { retentionMs: 0, backoffBaseMs: 10 });
    await engine.syncUntilIdle(20);
    await engine.dispose();
    const state = async (id: string) => (await outbox.get(id))!;
    expect((await state(good.packetId)).state).toBe('purged');
    expect((await state(flipped.packetId)).state).toBe('rejected');
    expect((await state(flipped.packetId)).status!.payload.reason).toBe('PACKET_DECRYPT_FAILED');
    expect((await state(misKeyed.packetId)).status!.payload.reason).toBe('PACKET_DECRYPT_FAILED');
    expect((await state(foreign.packetId)).status!.payload.reason).toBe('PACKET_SIGNATURE_INVALID');
    expect((await state('R-OUTSIDE')).status!.payload.reason).toBe('PACKET_ID_MISMATCH');
    // Rejected packets stay on the kiosk for an operator, bytes included.
    expect((await outbox.read(flipped.packetId)).length).toBe(flipped.bytes.length);
    const rejectedAudit = (await registry().running.registry.store.listAudit(10_000)).filter((a) => a.event === 'packet.rejected').map((a) => a.code);
    expect(rejectedAudit).toEqual(expect.arrayContaining(['PACKET_DECRYPT_FAILED', 'PACKET_SIGNATURE_INVALID', 'PACKET_ID_MISMATCH']));
  });
});
