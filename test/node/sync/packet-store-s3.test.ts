// The S3-compatible packet store against a real S3 server on loopback (moto, with SigV4 authentication on): the
// PacketStore contract shared with the filesystem store, then the typed errors: refused credentials (wrong secret,
// unknown key), missing bucket, nothing listening, a server that never answers (timeout), and dispose(); then a
// registry serving kiosks with --packet-store s3://… (chunked uploads land in the bucket, are processed and
// acknowledged) and the CLI's refusals (credentials on the command line, an open credentials file, bad credentials).
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerKiosk, RegistryClient } from '../../../sync/engine/client.js';
import { FileOutbox } from '../../../sync/engine/file-outbox.js';
import { SyncEngine } from '../../../sync/engine/sync-engine.js';
import { PacketStoreError } from '../../../sync/errors.js';
import { runRegistryCli } from '../../../sync/registry/cli.js';
import { serveRegistry } from '../../../sync/registry/runtime.js';
import { sha256Hex } from '../../../sync/registry/blobs.js';
import { S3Client } from '../../../sync/registry/store/s3/s3-client.js';
import { keySafe, S3PacketStore } from '../../../sync/registry/store/s3/s3-packet-store.js';
import { hasS3Server, startS3Server, type TestS3 } from '../../helpers/moto.js';
import { hasPostgres, startPostgres } from '../../helpers/postgres.js';
import { makePacket, newIdentity, tempDir } from './harness.js';
import { packetStoreContract } from './packet-store-contract.js';

describe.skipIf(!hasS3Server())('S3PacketStore on a loopback S3 server (moto)', () => {
  const tmp = tempDir('packet-store-s3-');
  let s3: TestS3;
  let a: S3PacketStore;
  let b: S3PacketStore;
  const open = (o: Partial<ConstructorParameters<typeof S3PacketStore>[0]> = {}) => new S3PacketStore({ endpoint: s3.endpoint, region: s3.region, bucket: 'registry-packets', credentials: s3.credentials, prefix: 'pilot/', timeoutMs: 10_000, ...o });
  beforeAll(async () => {
    s3 = await startS3Server();
    a = open();
    b = open();
    await a.client.ensureBucket();
    await b.client.ensureBucket(); // a bucket that is already ours is fine
  }, 60_000);
  afterAll(async () => {
    await a?.dispose();
    await b?.dispose();
    await s3?.stop();
    tmp.cleanup();
  });
  const credentialsFile = (name: string, creds: object, mode = 0o600) => {
    const f = path.join(tmp.dir, name);
    writeFileSync(f, JSON.stringify(creds));
    chmodSync(f, mode);
    return f;
  };

  packetStoreContract(() => ({
    a,
    b,
    corrupt: (k, p, sha, bytes) => a.client.put(`pilot/packets/${keySafe(k)}/${keySafe(p)}.${sha}.pkt`, bytes),
  }));

  it('stores under the prefix, content-addressed, with the hash as metadata; ids become plain keys', async () => {
    const x = Buffer.from('under the prefix');
    await a.putPacket('K:7', 'P-7', sha256Hex(x), x);
    const head = await a.client.head(`pilot/packets/K~3A7/P-7.${sha256Hex(x)}.pkt`);
    expect(head).toMatchObject({ size: x.length, meta: { sha256: sha256Hex(x) } });
    expect(keySafe('K:7/é~')).toBe('K~3A7~2F~C3~A9~7E');
    // An object under this name whose metadata names another hash (replaced behind the store's back): HEAD says so.
    await a.client.put(`pilot/packets/K~3A7/P-7.${sha256Hex(x)}.pkt`, x, { 'x-amz-meta-sha256': 'b'.repeat(64) });
    await expect(a.hasPacket('K:7', 'P-7', sha256Hex(x))).rejects.toMatchObject({ code: 'PACKET_STORE_INTEGRITY' });
    await a.putPacket('K:7', 'P-7', sha256Hex(x), x); // not taken for present: written again, whole
    expect(await a.hasPacket('K:7', 'P-7', sha256Hex(x))).toBe(true);
    const listed = await a.client.list('');
    expect(listed.map((o) => o.key)).toContain(`pilot/packets/K~3A7/P-7.${sha256Hex(x)}.pkt`);
  });

  it('refused credentials are PACKET_STORE_AUTH, a missing bucket PACKET_STORE_NOT_FOUND', async () => {
    const x = Buffer.from('auth');
    const wrongSecret = open({ credentials: { ...s3.credentials, secretAccessKey: `${s3.credentials.secretAccessKey}x` } });
    const unknownKey = open({ credentials: { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'nope' } });
    try {
      await expect(wrongSecret.client.put('pilot/x', x)).rejects.toMatchObject({ code: 'PACKET_STORE_AUTH', details: { s3Code: 'SignatureDoesNotMatch' } });
      await expect(wrongSecret.putPacket('K-1', 'P-A', sha256Hex(x), x)).rejects.toMatchObject({ code: 'PACKET_STORE_AUTH', details: { status: 403 } });
      await expect(unknownKey.getPacket('K-1', 'P-A', sha256Hex(x))).rejects.toMatchObject({ code: 'PACKET_STORE_AUTH', details: { s3Code: 'InvalidAccessKeyId' } });
      const e = await wrongSecret.partOffset('0b9f6c1e-1111-4222-8333-944455566699').catch((err: unknown) => err);
      expect(e).toBeInstanceOf(PacketStoreError);
      expect((e as PacketStoreError).retryable).toBe(true);
    } finally {
      await wrongSecret.dispose();
      await unknownKey.dispose();
    }
    const noBucket = open({ bucket: 'no-such-bucket' });
    try {
      await expect(noBucket.getPacket('K-1', 'P-A', sha256Hex(x))).rejects.toMatchObject({ code: 'PACKET_STORE_NOT_FOUND', details: { s3Code: 'NoSuchBucket' } });
    } finally {
      await noBucket.dispose();
    }
  });

  it('nothing listening and a server that never answers are PACKET_STORE_UNREACHABLE (after the retries)', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => void sockets.push(s)); // accepts and never answers
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as net.AddressInfo).port;
    const hung = open({ endpoint: `http://127.0.0.1:${port}`, timeoutMs: 200, retries: 1 });
    const closedPort = await new Promise<number>((r) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => r(p));
      });
    });
    const refused = open({ endpoint: `http://127.0.0.1:${closedPort}`, retries: 0 });
    try {
      const t0 = Date.now();
      await expect(hung.hasPacket('K-1', 'P-1', 'a'.repeat(64))).rejects.toMatchObject({ code: 'PACKET_STORE_UNREACHABLE', details: { timeoutMs: 200 } });
      expect(Date.now() - t0).toBeGreaterThanOrEqual(400); // two tries of 200 ms
      await expect(refused.partOffset('0b9f6c1e-1111-4222-8333-944455566600')).rejects.toMatchObject({ code: 'PACKET_STORE_UNREACHABLE' });
      // dispose() ends a request in flight at once.
      const pending = hung.readPart('0b9f6c1e-1111-4222-8333-944455566601').catch((e: unknown) => e);
      await new Promise((r) => setTimeout(r, 50));
      await hung.dispose();
      expect(await pending).toMatchObject({ code: 'PACKET_STORE_UNREACHABLE' });
    } finally {
      await hung.dispose();
      await refused.dispose();
      for (const s of sockets) s.destroy();
    await new Promise((r) => silent.close(r));
    }
  });

  it('refuses a bad configuration with PACKET_STORE_CONFIG_INVALID', () => {
    expect(() => open({ endpoint: 'ftp://x' })).toThrow(expect.objectContaining({ code: 'PACKET_STORE_CONFIG_INVALID' }));
    expect(() => open({ bucket: 'Bad_Bucket' })).toThrow(expect.objectContaining({ code: 'PACKET_STORE_CONFIG_INVALID' }));
    expect(() => open({ credentials: { accessKeyId: '', secretAccessKey: '' } })).toThrow(expect.objectContaining({ code: 'PACKET_STORE_CONFIG_INVALID' }));
  });

  it('registry serve --packet-store s3://…: chunked kiosk uploads land in the bucket, are processed and acknowledged', async () => {
    const dataDir = path.join(tmp.dir, 'serve');
    const running = await serveRegistry({ dataDir, packetStoreSpec: { url: 's3://registry-packets/serve', endpoint: s3.endpoint, region: s3.region, credentialsFile: credentialsFile('serve.json', s3.credentials) } });
    const identity = newIdentity();
    const outbox = new FileOutbox(path.join(tmp.dir, 'kiosk'));
    const other = open({ prefix: 'serve' }); // another registry process on the same bucket and prefix
    let engine: SyncEngine | undefined;
    try {
      const registration = await registerKiosk(running.url, await running.registry.issueToken({ centreId: identity.centreId }), identity);
      const packets = Array.from({ length: 3 }, (_, i) => makePacket(identity, registration.encryptionPublicKey, i, { bytes: 50_000 }));
      for (const p of packets) await outbox.add(p.packetId, p.bytes);
      engine = new SyncEngine(outbox, new RegistryClient(identity, registration), { chunkBytes: 16_384, retentionMs: 60_000, backoffBaseMs: 10 });
      const outcomes = new Map<string, string>();
      engine.on('outcome', (e) => outcomes.set(e.packetId, e.status.status));
      expect((await engine.syncUntilIdle(20)).pending).toBe(0);
      for (const p of packets) {
        expect(outcomes.get(p.packetId)).toBe('accepted');
        const row = (await running.registry.store.getPacket(p.packetId))!;
        expect(await running.registry.blobs.hasPacket(row.kioskId, row.packetId, row.sha256)).toBe(true);
        expect(sha256Hex(await other.getPacket(row.kioskId, row.packetId, row.sha256))).toBe(row.sha256);
      }
      expect(running.registry.blobs.kind).toBe('s3');
      const keys = (await a.client.list('')).map((o) => o.key);
      expect(keys.filter((k) => k.startsWith('serve/packets/')).length).toBe(3);
      expect(keys.filter((k) => k.startsWith('serve/uploads/'))).toEqual([]); // finalized parts removed
      expect(existsSync(path.join(dataDir, 'packets'))).toBe(false); // nothing on the local disk
    } finally {
      await engine?.dispose();
      await running.close();
      await other.dispose();
    }
  });

  it('the CLI refuses credentials on the command line, an open credentials file, refused credentials and a missing bucket', async () => {
    const run = async (...extra: string[]) => {
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let err = '';
      stderr.on('data', (d) => (err += String(d)));
      const code = await runRegistryCli(['status', '--data-dir', path.join(tmp.dir, 'cli'), ...extra], { stdout, stderr, cwd: tmp.dir, stopSignal: new AbortController().signal });
      return { code, err };
    };
    const store = ['--packet-store', 's3://registry-packets/cli', '--s3-endpoint', s3.endpoint];
    expect(await run(...store, '--s3-credentials', credentialsFile('ok.json', s3.credentials))).toMatchObject({ code: 0 });
    expect(await run(...store, '--s3-secret-key', 'x')).toMatchObject({ code: 2, err: expect.stringMatching(/never given on the command line/) });
    expect(await run('--s3-endpoint', s3.endpoint)).toMatchObject({ code: 2, err: expect.stringMatching(/needs --packet-store/) });
    expect(await run('--packet-store', 's3://AKIA:secret@registry-packets/x', '--s3-endpoint', s3.endpoint)).toMatchObject({ code: 1, err: expect.stringMatching(/PACKET_STORE_CONFIG_INVALID/) });
    expect(await run(...store, '--s3-credentials', credentialsFile('open.json', s3.credentials, 0o644))).toMatchObject({ code: 1, err: expect.stringMatching(/PACKET_STORE_CONFIG_INVALID: .*chmod 600/) });
    expect(await run(...store, '--s3-credentials', credentialsFile('bad.json', { ...s3.credentials, secretAccessKey: 'wrong' }))).toMatchObject({ code: 1, err: expect.stringMatching(/PACKET_STORE_AUTH/) });
    expect(await run('--packet-store', 's3://no-such-bucket/x', '--s3-endpoint', s3.endpoint, '--s3-credentials', credentialsFile('ok2.json', s3.credentials))).toMatchObject({ code: 1, err: expect.stringMatching(/PACKET_STORE_NOT_FOUND/) });
  });

  it.skipIf(!hasPostgres())('two registry processes over one PostgreSQL and one bucket: one upload\'s chunks alternate between them', async () => {
    const pg = await startPostgres();
    const dataDir = path.join(tmp.dir, 'two'); // only the registry keys are shared; packet bytes live in the bucket
    const spec = { url: 's3://registry-packets/two', endpoint: s3.endpoint, region: s3.region, credentialsFile: credentialsFile('two.json', s3.credentials) };
    const common = { dataDir, postgresUrl: pg.url, postgresSchema: 's3two', packetStoreSpec: spec };
    const procA = await serveRegistry({ ...common, processId: 'A' });
    const procB = await serveRegistry({ ...common, processId: 'B' });
    try {
      const identity = newIdentity();
      const registration = await registerKiosk(procA.url, await procA.registry.issueToken({ centreId: identity.centreId }), identity);
      const [toA, toB] = [procA, procB].map((r) => new RegistryClient(identity, { ...registration, registryUrl: r.url }));
      const p = makePacket(identity, registration.encryptionPublicKey, 0, { bytes: 60_000 });
      const sha = sha256Hex(p.bytes);
      const up = await toA!.createUpload(p.packetId, sha, p.bytes.length);
      if (up.state !== 'open') throw new Error('expected an open upload');
      let offset = 0;
      for (let i = 0; offset < p.bytes.length; i++) {
        const client = i % 2 === 0 ? toA! : toB!;
        offset = await client.uploadChunk(up.uploadId, offset, p.bytes.subarray(offset, Math.min(p.bytes.length, offset + 16_384)));
        expect(await (i % 2 === 0 ? toB! : toA!).uploadOffset(up.uploadId)).toBe(offset); // the other process sees it
      }
      const receipt = await toB!.finalize(up.uploadId, { packetId: p.packetId, sha256: sha });
      expect(receipt.payload.sha256).toBe(sha);
      expect((await toA!.createUpload(p.packetId, sha, p.bytes.length)).state).toBe('complete'); // re-send: same receipt
      const until = Date.now() + 20_000;
      let status = '';
      while (Date.now() < until && status !== 'accepted') {
        status = (await toA!.status(p.packetId)).payload.status;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe('accepted');
      const keys = (await a.client.list('')).map((o) => o.key).filter((k) => k.startsWith('two/'));
      expect(keys).toEqual([`two/packets/${identity.kioskId}/${p.packetId}.${sha}.pkt`]); // parts gone, one packet
      expect(existsSync(path.join(dataDir, 'packets'))).toBe(false);
    } finally {
      await procA.close();
      await procB.close();
      await pg.stop();
    }
  }, 60_000);
});

// The client's own handling of error answers, against a loopback HTTP server that answers like an overloaded S3
// (503 SlowDown) a set number of times: retried with backoff, then the typed PACKET_STORE_FAILED with the S3 code.
describe('S3Client retries 5xx answers and then fails typed; signs a session token', () => {
  it('retries SlowDown, succeeds within the retries, fails as PACKET_STORE_FAILED after them', async () => {
    let failuresLeft = 0;
    let requests = 0;
    let lastHeaders: http.IncomingHttpHeaders = {};
    const server = http.createServer((req, res) => {
      requests++;
      lastHeaders = req.headers;
      req.resume();
      req.on('end', () => {
        if (failuresLeft > 0) {
          failuresLeft--;
          res.writeHead(503, { 'content-type': 'application/xml' }).end('<?xml version="1.0"?><Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>');
        } else res.writeHead(200, { 'content-length': '2' }).end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const client = new S3Client({ endpoint: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, bucket: 'b-1', region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret', sessionToken: 'TOKEN-1' }, retries: 2 });
    try {
      failuresLeft = 2;
      expect((await client.get('k')).toString()).toBe('ok');
      expect(requests).toBe(3);
      // Temporary credentials: the session token travels and is signed.
      expect(lastHeaders['x-amz-security-token']).toBe('TOKEN-1');
      expect(lastHeaders.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKID\/\d{8}\/us-east-1\/s3\/aws4_request,SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,Signature=[0-9a-f]{64}$/);
      failuresLeft = 3;
      requests = 0;
      const e = await client.get('k').catch((x: unknown) => x);
      expect(e).toBeInstanceOf(PacketStoreError);
      expect(e).toMatchObject({ code: 'PACKET_STORE_FAILED', retryable: true, details: { status: 503, s3Code: 'SlowDown' } });
      expect(requests).toBe(3);
    } finally {
      client.dispose();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

