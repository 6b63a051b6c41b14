// Packet bytes in an S3-compatible bucket, shared by every registry process on every machine.
//   <prefix>packets/<kiosk>/<packet>.<sha256>.pkt   stored packets, content-addressed (as the filesystem store)
//   <prefix>uploads/<upload>/<offset, 15 digits>    partial uploads: one object per received chunk
// S3 has no append: a part is the chain of chunk objects from offset 0, each found at the offset where the one
// before it ends (HEAD by name: no listing, so it works the same on every S3-compatible server and never depends
// on a listing's consistency). Any process can take the next chunk of an upload another process started. Two
// processes writing one offset at the same moment write the same key; finalize checks the SHA-256 of the whole
// chain before the packet is stored, and a chain without it is removed and re-sent (as with the filesystem store).
// Chunks left off the chain by such a race are garbage under uploads/: a bucket lifecycle rule expiring uploads/
// after a few days removes them (docs/REGISTRY.md). Characters of ids other than A-Z a-z 0-9 . _ - are written as
// ~XX in keys (":" → "~3A"), so that keys need no percent-encoding in any client or server.
import { PacketStoreError } from '../../../errors.js';
import { checkSha256, sha256Hex, type AppendResult, type PacketStore } from '../../blobs.js';
import { S3Client, type S3ClientOptions } from './s3-client.js';

const OFFSET_DIGITS = 15;

/** An id as a key segment: A-Z a-z 0-9 . _ - kept, any other byte ~XX (ids never hold "~": the mapping is one-to-one). */
export function keySafe(id: string): string {
  return Buffer.from(id, 'utf8')
    .toString('latin1')
    .replace(/[^A-Za-z0-9._-]/g, (c) => `~${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

export interface S3PacketStoreOptions extends S3ClientOptions {
  /** Key prefix inside the bucket ("" or ending in "/"). */
  prefix?: string;
}

export class S3PacketStore implements PacketStore {
  readonly kind = 's3' as const;
  readonly client: S3Client;
  private readonly prefix: string;

  constructor(o: S3PacketStoreOptions) {
    this.client = new S3Client(o);
    const p = (o.prefix ?? '').replace(/^\/+/, '');
    this.prefix = p && !p.endsWith('/') ? `${p}/` : p;
  }

  private packetKey(kioskId: string, packetId: string, sha256: string): string {
    checkSha256(sha256);
    return `${this.prefix}packets/${keySafe(kioskId)}/${keySafe(packetId)}.${sha256}.pkt`;
  }

  private chunkKey(uploadId: string, offset: number): string {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(uploadId)) throw new TypeError(`invalid upload id ${uploadId}`);
    return `${this.prefix}uploads/${uploadId}/${String(offset).padStart(OFFSET_DIGITS, '0')}`;
  }

  /** The chain of chunks from offset 0 (the part so far) and its size. */
  private async chain(uploadId: string): Promise<{ chunks: { key: string; offset: number; size: number }[]; size: number }> {
    const chunks: { key: string; offset: number; size: number }[] = [];
    let size = 0;
    for (;;) {
      const key = this.chunkKey(uploadId, size);
      const head = await this.client.head(key);
      if (!head || head.size === 0) return { chunks, size };
      chunks.push({ key, offset: size, size: head.size });
      size += head.size;
    }
  }

  async partOffset(uploadId: string): Promise<number> {
    return (await this.chain(uploadId)).size;
  }

  async append(uploadId: string, offset: number, data: Uint8Array): Promise<AppendResult> {
    const { size } = await this.chain(uploadId);
    if (size !== offset) return { ok: false, offset: size };
    if (data.byteLength === 0) return { ok: true, offset };
    await this.client.put(this.chunkKey(uploadId, offset), data);
    return { ok: true, offset: offset + data.byteLength };
  }

  async truncatePart(uploadId: string, size: number): Promise<void> {
    for (const c of (await this.chain(uploadId)).chunks) {
      if (c.offset >= size) await this.client.delete(c.key);
      else if (c.offset + c.size > size) await this.client.put(c.key, (await this.client.get(c.key)).subarray(0, size - c.offset));
    }
  }

  async readPart(uploadId: string): Promise<Buffer> {
    const parts: Buffer[] = [];
    for (const c of (await this.chain(uploadId)).chunks) parts.push(await this.client.get(c.key));
    return Buffer.concat(parts);
  }

  async removePart(uploadId: string): Promise<void> {
    for (const c of (await this.chain(uploadId)).chunks) await this.client.delete(c.key);
  }

  async putPacket(kioskId: string, packetId: string, sha256: string, data: Uint8Array): Promise<void> {
    const key = this.packetKey(kioskId, packetId, sha256);
    if (sha256Hex(data) !== sha256) throw new TypeError('packet bytes do not have the given sha256');
    // Idempotent: the key names the content, so an object already there with this size is this packet.
    const existing = await this.client.head(key);
    if (existing && existing.size === data.byteLength && (existing.meta.sha256 ?? sha256) === sha256) return;
    // x-amz-content-sha256 is the payload's SHA-256 (signed): the server refuses a body damaged on the way.
    await this.client.put(key, data, { 'content-type': 'application/octet-stream', 'x-amz-meta-sha256': sha256 });
  }

  async getPacket(kioskId: string, packetId: string, sha256: string): Promise<Buffer> {
    const key = this.packetKey(kioskId, packetId, sha256);
    let data: Buffer;
    try {
      data = await this.client.get(key);
    } catch (e) {
      if (e instanceof PacketStoreError && e.code === 'PACKET_STORE_NOT_FOUND') throw new PacketStoreError('PACKET_STORE_NOT_FOUND', `stored packet ${kioskId}/${packetId} not found in bucket ${this.client.bucket}`, { cause: e, details: { ...e.details, kioskId, packetId, sha256 } });
      throw e;
    }
    if (sha256Hex(data) !== sha256) throw new PacketStoreError('PACKET_STORE_INTEGRITY', `stored packet ${kioskId}/${packetId} does not have its recorded sha256`, { details: { kioskId, packetId, sha256, key } });
    return data;
  }

  /** HEAD only (no download): present, and its recorded hash (metadata written by putPacket) is this one. */
  async hasPacket(kioskId: string, packetId: string, sha256: string): Promise<boolean> {
    const key = this.packetKey(kioskId, packetId, sha256);
    const head = await this.client.head(key);
    if (head?.meta.sha256 !== undefined && head.meta.sha256 !== sha256) throw new PacketStoreError('PACKET_STORE_INTEGRITY', `stored packet ${kioskId}/${packetId} carries another sha256 in its metadata`, { details: { kioskId, packetId, sha256, key } });
    return head !== null;
  }

  async dispose(): Promise<void> {
    this.client.dispose();
  }
}
