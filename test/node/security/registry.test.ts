// Audit findings 3, 4 and part of 7 against a real registry (SQLite backend, HTTP on loopback): a kiosk-signed USB
// manifest without a packetId, a stored row with a NULL id, a packet whose processing keeps failing, bodies sent
// before authentication, floods from one kiosk, ".." as a kiosk id, a revoked kiosk registering again, signed probes
// of unknown routes, and `registry serve` off loopback without --public-origin. Each fails safely with a typed
// error and an audit entry.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createHash, randomUUID } from 'node:crypto';
import { rawPublicKeyOf } from '../../../sync/packet/keys.js';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerKiosk } from '../../../sync/engine/client.js';
import { httpRequest } from '../../../sync/engine/http.js';
import { signRequest } from '../../../sync/protocol/http-signature.js';
import { signDoc } from '../../../sync/protocol/signed-doc.js';
import { runRegistryCli } from '../../../sync/registry/cli.js';
import { MAX_PROCESSING_ATTEMPTS } from '../../../sync/registry/registry.js';
import { openRegistry, serveRegistry, type RunningRegistry } from '../../../sync/registry/runtime.js';
import { importFromUsb } from '../../../sync/registry/usb.js';
import { makePacket, newIdentity, tempDir } from '../sync/harness.js';

describe('registry hardening', () => {
  const tmp = tempDir('sec-registry-');
  let r: RunningRegistry;
  beforeAll(async () => {
    r = await serveRegistry({ dataDir: path.join(tmp.dir, 'registry'), kioskRate: { burst: 30, perSecond: 0.01 } });
  });
  afterAll(async () => {
    await r.close();
    tmp.cleanup();
  });

  const audit = async () => r.registry.store.listAudit(10_000);
  const register = async (identity = newIdentity()) => {
    const token = await r.registry.issueToken({ centreId: identity.centreId });
    return { identity, registration: await registerKiosk(r.url, token, identity) };
  };
  const send = async (p: string, opts: { method?: string; headers?: Record<string, string>; body?: Buffer } = {}) => {
    const res = await httpRequest(new URL(p, r.url), { method: opts.method ?? 'POST', headers: { 'content-type': 'application/json', ...(opts.headers ?? {}) }, body: opts.body ?? Buffer.from('{}'), timeoutMs: 10_000 });
    return { status: res.status, code: (JSON.parse(res.body.toString() || '{}') as { error?: { code: string } }).error?.code };
  };
  const signedHeaders = (kioskId: string, key: Parameters<typeof signRequest>[0]['privateKey'], url: string, body: Buffer, method = 'POST') => {
    const s = signRequest({ method, targetUri: url, body, keyid: kioskId, privateKey: key });
    return { 'content-digest': s['content-digest'], 'signature-input': s['signature-input'], signature: s.signature };
  };

  it('finding 3: a kiosk-signed USB manifest whose entry has no packetId is refused by schema, audited; nothing stored', async () => {
    const { identity } = await register();
    const drive = path.join(tmp.dir, 'usb-no-id');
    mkdirSync(path.join(drive, 'packets'), { recursive: true });
    const p = makePacket(identity, r.registry.keys.encryptionPublicKey, 1);
    writeFileSync(path.join(drive, 'packets', 'x.pkt'), p.bytes);
    const files = [{ file: 'packets/x.pkt', size: p.bytes.length, sha256: createHash('sha256').update(p.bytes).digest('hex') }];
    const manifest = signDoc({ type: 'usb-export', exportId: randomUUID(), kioskId: identity.kioskId, createdAt: new Date().toISOString(), files }, identity.privateKey);
    writeFileSync(path.join(drive, 'manifest.json'), JSON.stringify(manifest));
    const before = await r.registry.store.countPackets();
    await expect(importFromUsb(r.registry, drive)).rejects.toMatchObject({ name: 'UsbExportInvalidError', code: 'USB_EXPORT_INVALID', details: { issues: ['files.0.packetId'] } });
    expect(await r.registry.store.countPackets()).toBe(before);
    expect((await audit()).some((a) => a.event === 'usb.refused' && a.kioskId === identity.kioskId)).toBe(true);
  });

  it('finding 3: a row already stored with a NULL id cannot make processing spin; it is quarantined once, audited', async () => {
    const { identity } = await register();
    const at = new Date().toISOString();
    await r.registry.store.insertPacket({ packetId: null as unknown as string, kioskId: identity.kioskId, sha256: 'a'.repeat(64), size: 1, receivedAt: at, via: 'usb', receipt: '{}', status: 'received', reason: null, duplicateOf: null, rid: null, updatedAt: at });
    expect(await r.registry.processPending()).toBe(0);
    expect(await r.registry.processPending()).toBe(0);
    const q = (await audit()).filter((a) => a.event === 'packet.quarantined' && a.code === 'INVALID_PACKET_ID');
    expect(q).toHaveLength(1);
    // The health route still answers while that row sits there.
    expect((await send('/v1/health', { method: 'GET', body: Buffer.alloc(0) })).status).toBe(200);
    await expect(r.registry.storePacket((await r.registry.store.getKiosk(identity.kioskId))!, undefined as unknown as string, Buffer.from('x'), 'usb')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('a packet whose processing keeps throwing is tried MAX_PROCESSING_ATTEMPTS times, then quarantined as rejected', async () => {
    // The failing dedup is a stand-in inside this unit test of the registry's processing loop.
    const reg = await openRegistry({ dataDir: path.join(tmp.dir, 'registry-failing'), biometricDedup: { search: async () => Promise.reject(new Error('matcher worker died')), enroll: async () => undefined }, processingRetry: { maxAttempts: MAX_PROCESSING_ATTEMPTS, spacingMs: 0 } });
    try {
      const identity = newIdentity();
      const token = await reg.issueToken({ centreId: identity.centreId });
      const { registerRequestSchema } = await import('../../../sync/protocol/schemas.js');
      await reg.register(registerRequestSchema.parse({ token, kioskId: identity.kioskId, centreId: identity.centreId, publicKey: rawPublicKeyOf(identity.privateKey).toString('base64') }));
      const kiosk = (await reg.store.getKiosk(identity.kioskId))!;
      const p = makePacket(identity, reg.keys.encryptionPublicKey, 7);
      await reg.storePacket(kiosk, p.packetId, Buffer.from(p.bytes), 'usb');
      await reg.idle();
      for (let i = 1; i < MAX_PROCESSING_ATTEMPTS; i++) await reg.processPending();
      expect(await reg.store.getPacket(p.packetId)).toMatchObject({ status: 'rejected', reason: 'PROCESSING_FAILED' });
      const events = (await reg.store.listAudit(1000)).filter((a) => a.event === 'packet.processing-failed' || a.event === 'packet.quarantined').map((a) => a.event);
      expect(events.filter((e) => e === 'packet.quarantined')).toHaveLength(1);
      expect(events.filter((e) => e === 'packet.processing-failed').length).toBe(MAX_PROCESSING_ATTEMPTS);
    } finally {
      await reg.dispose();
      await reg.closeStore();
    }
  });

  it('finding 4: bodies are limited per route before authentication; unauthenticated bodies are never read', async () => {
    const big = Buffer.alloc(1024 * 1024, 0x61);
    expect(await send('/v1/uploads', { body: big })).toMatchObject({ status: 401, code: 'SIGNATURE_MISSING' });
    expect(await send('/v1/kiosks/register', { body: Buffer.alloc(64 * 1024, 0x20) })).toMatchObject({ status: 413, code: 'UPLOAD_TOO_LARGE' });
    const { identity } = await register();
    const url = `${r.url}/v1/uploads`;
    expect(await send('/v1/uploads', { body: big, headers: signedHeaders(identity.kioskId, identity.privateKey, url, big) })).toMatchObject({ status: 413, code: 'UPLOAD_TOO_LARGE' });
    expect(r.app.server.headersTimeout).toBe(10_000);
    expect(r.app.server.requestTimeout).toBe(60_000);
    expect(r.app.server.maxConnections).toBe(512);
  });

  it('finding 4: one kiosk flooding is rate-limited (429, audited), signed probes of unknown routes are audited', async () => {
    const { identity } = await register();
    const url = `${r.url}/v1/nothing-here`;
    let limited = 0;
    for (let i = 0; i < 40; i++) {
      const body = Buffer.from('{}');
      const res = await send('/v1/nothing-here', { body, headers: signedHeaders(identity.kioskId, identity.privateKey, url, body) });
      if (res.status === 429) {
        expect(res.code).toBe('RATE_LIMITED');
        limited++;
      } else expect(res).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    }
    expect(limited).toBeGreaterThan(0);
    const mine = (await audit()).filter((a) => a.kioskId === identity.kioskId && a.event === 'request.refused');
    expect(mine.some((a) => a.code === 'NOT_FOUND')).toBe(true);
    expect(mine.some((a) => a.code === 'RATE_LIMITED')).toBe(true);
  });

  it('finding 7: ".." is not a kiosk id; a revoked kiosk stays out even with a fresh token', async () => {
    const evil = newIdentity('..');
    const token = await r.registry.issueToken();
    await expect(registerKiosk(r.url, token, evil)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    const { identity } = await register();
    expect(await r.registry.revokeKiosk(identity.kioskId)).toBe(true);
    const t2 = await r.registry.issueToken({ centreId: identity.centreId });
    await expect(registerKiosk(r.url, t2, identity)).rejects.toMatchObject({ code: 'KIOSK_REVOKED', status: 403 });
    expect((await audit()).some((a) => a.event === 'request.refused' && a.code === 'KIOSK_REVOKED' && a.kioskId === identity.kioskId)).toBe(true);
  });

  it('finding 7: `registry serve` off loopback needs --public-origin (the signed @target-uri never comes from Host)', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await runRegistryCli(['serve', '--data-dir', path.join(tmp.dir, 'reg-cli'), '--host', '0.0.0.0'], { stdout, stderr, cwd: tmp.dir, stopSignal: new AbortController().signal });
    expect(code).toBe(2);
    expect(err).toMatch(/--public-origin is required/);
  });
});
