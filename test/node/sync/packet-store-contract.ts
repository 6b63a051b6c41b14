// What every PacketStore must do (filesystem and S3-compatible alike), run by packet-store.test.ts and
// packet-store-s3.test.ts: content-addressed packets read back by their hash, idempotent writes, typed errors for
// absent and damaged packets, and resumable partial uploads that a second store instance (another registry
// process) can continue, truncate and remove.
import { expect, it } from 'vitest';
import { PacketStoreError } from '../../../sync/errors.js';
import { sha256Hex, type PacketStore } from '../../../sync/registry/blobs.js';

export interface ContractSubject {
  /** Two instances over the same storage (two processes). */
  a: PacketStore;
  b: PacketStore;
  /** Replaces the stored bytes of a packet behind the store's back (damage at rest). */
  corrupt(kioskId: string, packetId: string, sha256: string, bytes: Buffer): Promise<void>;
}

export function packetStoreContract(subject: () => ContractSubject): void {
  it('keeps two contents of one packet id apart, reads each back by its hash, and re-writes idempotently', async () => {
    const { a, b } = subject();
    const x = Buffer.from('first content');
    const y = Buffer.from('second content');
    await a.putPacket('K-1', 'P-1', sha256Hex(x), x);
    await b.putPacket('K-1', 'P-1', sha256Hex(y), y);
    await a.putPacket('K-1', 'P-1', sha256Hex(x), x);
    await Promise.all([a.putPacket('K-1', 'P-1', sha256Hex(x), x), b.putPacket('K-1', 'P-1', sha256Hex(x), x)]); // two processes at once
    expect(await b.getPacket('K-1', 'P-1', sha256Hex(x))).toEqual(x);
    expect(await a.getPacket('K-1', 'P-1', sha256Hex(y))).toEqual(y);
    expect(await a.hasPacket('K-1', 'P-1', sha256Hex(x))).toBe(true);
    const big = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
    big.write('large packet');
    await a.putPacket('K:2', 'P.big', sha256Hex(big), big);
    expect(sha256Hex(await b.getPacket('K:2', 'P.big', sha256Hex(big)))).toBe(sha256Hex(big));
  });

  it('refuses bytes that do not have the declared hash, on write and on read; absent packets are NOT_FOUND', async () => {
    const { a, corrupt } = subject();
    const x = Buffer.from('abc');
    await expect(a.putPacket('K-1', 'P-2', sha256Hex(Buffer.from('other')), x)).rejects.toThrow(/sha256/);
    await expect(a.putPacket('K-1', 'P-2', '../../etc', x)).rejects.toThrow(/64 hex/);
    await a.putPacket('K-1', 'P-2', sha256Hex(x), x);
    await corrupt('K-1', 'P-2', sha256Hex(x), Buffer.from('abd'));
    const damaged = a.getPacket('K-1', 'P-2', sha256Hex(x));
    await expect(damaged).rejects.toBeInstanceOf(PacketStoreError);
    await expect(damaged).rejects.toMatchObject({ code: 'PACKET_STORE_INTEGRITY' });
    expect(await a.hasPacket('K-9', 'P-9', sha256Hex(x))).toBe(false);
    await expect(a.getPacket('K-9', 'P-9', sha256Hex(x))).rejects.toMatchObject({ code: 'PACKET_STORE_NOT_FOUND', details: { kioskId: 'K-9', packetId: 'P-9' } });
  });

  it('resumes a partial upload across instances: offsets, wrong-offset refusal, truncate and remove', async () => {
    const { a, b } = subject();
    const id = '0b9f6c1e-1111-4222-8333-944455566677';
    expect(await a.partOffset(id)).toBe(0);
    expect(await a.readPart(id)).toEqual(Buffer.alloc(0));
    expect(await a.append(id, 0, Buffer.from('hello '))).toEqual({ ok: true, offset: 6 });
    expect(await b.append(id, 3, Buffer.from('xx'))).toEqual({ ok: false, offset: 6 }); // the kiosk is told where to go on
    expect(await b.append(id, 6, Buffer.from('world'))).toEqual({ ok: true, offset: 11 }); // another process continues
    expect(await a.partOffset(id)).toBe(11);
    expect((await a.readPart(id)).toString()).toBe('hello world');
    await b.truncatePart(id, 8);
    expect((await a.readPart(id)).toString()).toBe('hello wo');
    await a.truncatePart(id, 0);
    expect(await b.partOffset(id)).toBe(0);
    expect(await a.append(id, 0, Buffer.from('again'))).toEqual({ ok: true, offset: 5 });
    await b.removePart(id);
    expect(await a.partOffset(id)).toBe(0);
    await a.removePart(id); // removing what is gone is fine
  });
}
