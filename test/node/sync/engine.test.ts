// Sync engine details: clock skew, pause/resume, disposal; file outbox crash safety; signature properties.
import { generateKeyPairSync } from 'node:crypto';
import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../../sync/engine/client.js';
import { FileOutbox } from '../../../sync/engine/file-outbox.js';
import { backoffDelay } from '../../../sync/engine/pacing.js';
import { SyncEngine } from '../../../sync/engine/sync-engine.js';
import { contentDigest, parseSignature, signatureBase, signRequest, verifyRequestSignature } from '../../../sync/protocol/http-signature.js';
import { signDoc, verifyDoc } from '../../../sync/protocol/signed-doc.js';
import { backendStore, makePacket, registerNew, startTestRegistry, tempDir, type TestRegistry } from './harness.js';

describe('sync engine against a live registry', () => {
  const tmp = tempDir('sync-engine-');
  let reg: TestRegistry;
  beforeAll(async () => {
    reg = await startTestRegistry(await backendStore('sqlite'), path.join(tmp.dir, 'registry'));
  });
  afterAll(async () => {
    await reg.close();
    tmp.cleanup();
  });

  it('detects a kiosk clock 20 minutes slow from the Date header, reports it, and still syncs', async () => {
    const { identity, registration } = await registerNew(reg);
    const outbox = new FileOutbox(path.join(tmp.dir, 'skew'));
    const p = makePacket(identity, registration.encryptionPublicKey, 1);
    await outbox.add(p.packetId, p.bytes);
    const client = new RegistryClient(identity, registration, { clock: () => Date.now() - 20 * 60_000 });
    const engine = new SyncEngine(outbox, client, { backoffBaseMs: 5 });
    const skews: number[] = [];
    const retried: string[] = [];
    engine.on('clock-skew', (e) => skews.push(e.skewMs));
    engine.on('retry', (e) => retried.push(e.error.code));
    const r = await engine.syncUntilIdle(10);
    await engine.dispose();
    expect(r.pending).toBe(0);
    expect(retried[0]).toBe('SIGNATURE_STALE');
    expect(skews.length).toBeGreaterThan(0);
    expect(Math.abs(skews[0]! - 20 * 60_000)).toBeLessThan(5000);
  });

  it('pause holds uploads until resume; dispose ends the background loop and leaves no timers', async () => {
    const { identity, registration } = await registerNew(reg);
    const outbox = new FileOutbox(path.join(tmp.dir, 'pause'));
    for (let i = 0; i < 3; i++) {
      const p = makePacket(identity, registration.encryptionPublicKey, 10 + i);
      await outbox.add(p.packetId, p.bytes);
    }
    const timersBefore = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const engine = new SyncEngine(outbox, new RegistryClient(identity, registration), { backoffBaseMs: 5, pollIntervalMs: 50 });
    engine.pause();
    const uploaded: string[] = [];
    engine.on('uploaded', (e) => uploaded.push(e.packetId));
    engine.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(engine.isPaused).toBe(true);
    expect(uploaded).toEqual([]);
    expect((await outbox.pending()).every((e) => e.state === 'sealed')).toBe(true);
    engine.resume();
    for (let i = 0; i < 200 && (await outbox.pending()).length > 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(uploaded.length).toBe(3);
    expect(await outbox.pending()).toEqual([]);
    await engine.dispose();
    await new Promise((r) => setImmediate(r));
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBeLessThanOrEqual(timersBefore);
  });
});

describe('file outbox', () => {
  const tmp = tempDir('sync-outbox-');
  afterAll(() => tmp.cleanup());
  const receipt = (packetId: string, sha256: string) => ({ payload: { type: 'receipt' as const, packetId, kioskId: 'K', sha256, size: 3, receivedAt: '', via: 'online' as const }, alg: 'ed25519' as const, keyId: 'k', signature: 's' });
  const status = (packetId: string, s: 'accepted' | 'rejected' | 'received') => ({ payload: { type: 'packet-status' as const, packetId, kioskId: 'K', status: s, reason: null, duplicateOf: null, rid: null, updatedAt: '' }, alg: 'ed25519' as const, keyId: 'k', signature: 's' });

  it('survives reopen and a torn journal line; never acknowledges without a receipt; purges only acknowledged', async () => {
    const dir = path.join(tmp.dir, 'o1');
    const o = new FileOutbox(dir);
    const a = await o.add('A', Buffer.from('aaa'));
    const b = await o.add('B', Buffer.from('bbb'));
    await o.add('A', Buffer.from('aaa'));
    await expect(o.add('A', Buffer.from('xxx'))).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(o.markAcknowledged('A', status('A', 'accepted'))).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(o.markUploaded('A', receipt('A', b.sha256))).rejects.toMatchObject({ code: 'CONFLICT' });
    await o.markUploaded('A', receipt('A', a.sha256));
    await expect(o.markAcknowledged('A', status('A', 'received'))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await o.markAcknowledged('A', status('A', 'accepted'));
    appendFileSync(path.join(dir, 'journal.jsonl'), '{"packetId":"B","state":"acknow');

    const re = new FileOutbox(dir);
    expect((await re.get('A'))!.state).toBe('acknowledged');
    expect((await re.get('B'))!.state).toBe('sealed');
    expect(await re.purge(Date.now() + 1)).toEqual(['A']);
    expect((await re.get('B'))!.state).toBe('sealed');
    expect(Buffer.from(await re.read('B')).toString()).toBe('bbb');
    await expect(re.read('A')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    writeFileSync(path.join(dir, 'packets', 'B.pkt'), 'bbx');
    await expect(re.read('B')).rejects.toMatchObject({ code: 'TAMPER_DETECTED' });
  });

  it('a rejected final status is kept and never purged', async () => {
    const o = new FileOutbox(path.join(tmp.dir, 'o2'));
    const e = await o.add('R', Buffer.from('rrr'));
    await o.markUploaded('R', receipt('R', e.sha256));
    await o.markAcknowledged('R', status('R', 'rejected'));
    expect(await o.purge(Date.now() + 1e9)).toEqual([]);
    expect((await o.get('R'))!.state).toBe('rejected');
  });
});

describe('signatures', () => {
  const key = generateKeyPairSync('ed25519').privateKey;

  it('builds the RFC 9421 signature base and a strict Signature-Input', () => {
    const s = signRequest({ method: 'post', targetUri: 'http://r.example/v1/uploads', body: Buffer.from('{}'), keyid: 'K-1', privateKey: key, now: 1_700_000_000_000, nonce: 'abcdefgh12345678' });
    expect(s['signature-input']).toBe('sig1=("@method" "@target-uri" "content-digest");created=1700000000;nonce="abcdefgh12345678";keyid="K-1";alg="ed25519"');
    expect(s['content-digest']).toBe('sha-256=:RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o=:');
    const parsed = parseSignature(s['signature-input'], s.signature);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(signatureBase('POST', 'http://r.example/v1/uploads', s['content-digest'], parsed.params).split('\n')).toEqual([
      '"@method": POST',
      '"@target-uri": http://r.example/v1/uploads',
      `"content-digest": ${s['content-digest']}`,
      '"@signature-params": ("@method" "@target-uri" "content-digest");created=1700000000;nonce="abcdefgh12345678";keyid="K-1";alg="ed25519"',
    ]);
    expect(parseSignature(s['signature-input'].replace(' "content-digest"', ''), s.signature)).toMatchObject({ ok: false });
  });

  it('verifies exactly the signed request (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom('GET', 'POST', 'PATCH', 'HEAD'), fc.webPath(), fc.uint8Array({ maxLength: 200 }), fc.nat(3), (method, p, body, mutate) => {
        const uri = `http://127.0.0.1:1${p.startsWith('/') ? p : `/${p}`}`;
        const s = signRequest({ method, targetUri: uri, body, keyid: 'K', privateKey: key });
        const parsed = parseSignature(s['signature-input'], s.signature);
        if (!parsed.ok) return false;
        const args = { method, targetUri: uri, digest: contentDigest(body), params: parsed.params, signature: parsed.signature, publicKey: key };
        if (!verifyRequestSignature(args)) return false;
        const changed =
          mutate === 0 ? { ...args, method: method === 'GET' ? 'POST' : 'GET' } : mutate === 1 ? { ...args, targetUri: uri + 'x' } : mutate === 2 ? { ...args, digest: contentDigest(Buffer.concat([body, Buffer.from([1])])) } : { ...args, params: { ...args.params, created: args.params.created + 1 } };
        return !verifyRequestSignature(changed);
      }),
      { numRuns: 30 },
    );
  });

  it('signed documents verify only unmodified and only with the signing key', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string(), fc.integer(), fc.boolean())), (payload) => {
        const doc = signDoc(payload, key);
        const other = generateKeyPairSync('ed25519').privateKey;
        const tampered = { ...doc, payload: { ...payload, extra: 1 } };
        return verifyDoc(doc, key) && !verifyDoc(doc, other) && !verifyDoc(tampered, key);
      }),
      { numRuns: 30 },
    );
  });

  it('backoff grows exponentially with full jitter and respects the cap', () => {
    expect(backoffDelay(0, 100, 10_000, () => 0.999)).toBe(99);
    expect(backoffDelay(3, 100, 10_000, () => 0.999)).toBe(799);
    expect(backoffDelay(20, 100, 10_000, () => 0.999)).toBe(9990);
    expect(backoffDelay(5, 100, 10_000, () => 0)).toBe(0);
  });
});
