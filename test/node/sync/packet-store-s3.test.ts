// The S3-compatible packet store against a real S3 server on loopback (moto, with SigV4 authentication on): the
// PacketStore contract shared with the filesystem store, then the typed errors: refused credentials (wrong secret,
// unknown key), missing bucket, nothing listening, a server that never answers (timeout), and dispose().
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PacketStoreError } from '../../../sync/errors.js';
import { sha256Hex } from '../../../sync/registry/blobs.js';
import { keySafe, S3PacketStore } from '../../../sync/registry/store/s3/s3-packet-store.js';
import { hasS3Server, startS3Server, type TestS3 } from '../../helpers/moto.js';
import { packetStoreContract } from './packet-store-contract.js';

describe.skipIf(!hasS3Server())('S3PacketStore on a loopback S3 server (moto)', () => {
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
  });

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
});
