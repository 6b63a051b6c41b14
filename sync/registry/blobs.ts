// Packet bytes: partial uploads (append-only) and stored packets. PacketStore is what the registry needs; the
// filesystem implementation is safe for several writers on one (shared) folder: stored packets are named by their
// content (kiosk/packet.sha256.pkt) and written temp + fsync + rename with a temp name unique per host and process,
// so two processes receiving one packet at the same moment, or two contents under one packet id, never overwrite
// each other's bytes. The S3-compatible implementation is store/s3/s3-packet-store.ts. Every method is async (an
// object store answers over the network); the filesystem one does its (short) file I/O synchronously inside.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { PacketStoreError } from '../errors.js';

export type AppendResult = { ok: true; offset: number } | { ok: false; offset: number };

/** Where the registry keeps packet bytes: partial uploads and stored packets (content-addressed). */
export interface PacketStore {
  readonly kind: 'file' | 's3';
  /** Bytes of a partial upload received so far (0 when none). */
  partOffset(uploadId: string): Promise<number>;
  /** Appends at `offset`, which must equal the current size (else ok: false with the current size). */
  append(uploadId: string, offset: number, data: Uint8Array): Promise<AppendResult>;
  truncatePart(uploadId: string, size: number): Promise<void>;
  readPart(uploadId: string): Promise<Buffer>;
  removePart(uploadId: string): Promise<void>;
  /** Stores the bytes of a packet durably under its content hash (idempotent: the same content again is a no-op). */
  putPacket(kioskId: string, packetId: string, sha256: string, data: Uint8Array): Promise<void>;
  /** The stored bytes with this hash; PacketStoreError NOT_FOUND when absent, INTEGRITY when they lost their hash. */
  getPacket(kioskId: string, packetId: string, sha256: string): Promise<Buffer>;
  hasPacket(kioskId: string, packetId: string, sha256: string): Promise<boolean>;
  /** Ends sockets and timers (the filesystem store holds none). */
  dispose(): Promise<void>;
}

export function checkSha256(sha256: string): void {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new TypeError('sha256 must be 64 hex digits');
}

/** temp + fsync + rename + fsync(dir); the temp name is unique across hosts and processes sharing the folder. */
function writeDurably(file: string, data: Uint8Array): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${hostname()}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  try {
    const dirFd = openSync(path.dirname(file), 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch {
    // Some filesystems refuse fsync on directories; the rename is still atomic.
  }
}

export class FilePacketStore implements PacketStore {
  readonly kind = 'file' as const;
  constructor(private readonly dir: string) {
    mkdirSync(path.join(dir, 'uploads'), { recursive: true });
    mkdirSync(path.join(dir, 'packets'), { recursive: true });
  }

  private partFile(uploadId: string): string {
    return path.join(this.dir, 'uploads', `${uploadId}.part`);
  }

  private packetFile(kioskId: string, packetId: string, sha256: string): string {
    checkSha256(sha256);
    return path.join(this.dir, 'packets', kioskId, `${packetId}.${sha256}.pkt`);
  }

  /** Where registries before content-addressed names stored a packet. */
  private legacyFile(kioskId: string, packetId: string): string {
    return path.join(this.dir, 'packets', kioskId, `${packetId}.pkt`);
  }

  async partOffset(uploadId: string): Promise<number> {
    const f = this.partFile(uploadId);
    return existsSync(f) ? statSync(f).size : 0;
  }

  /**
   * Appends at `offset` (must equal the current size); returns the new size. Not fsynced: the offset is the file
   * size, so bytes lost in an OS crash are simply asked for again, and finalize checks the SHA-256 before the
   * packet is stored durably.
   */
  async append(uploadId: string, offset: number, data: Uint8Array): Promise<AppendResult> {
    const fd = openSync(this.partFile(uploadId), existsSync(this.partFile(uploadId)) ? 'r+' : 'w+', 0o600);
    try {
      const size = fstatSync(fd).size;
      if (size !== offset) return { ok: false, offset: size };
      writeSync(fd, data, 0, data.byteLength, offset);
      return { ok: true, offset: offset + data.byteLength };
    } finally {
      closeSync(fd);
    }
  }

  async truncatePart(uploadId: string, size: number): Promise<void> {
    const fd = openSync(this.partFile(uploadId), 'r+');
    try {
      ftruncateSync(fd, size);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  async readPart(uploadId: string): Promise<Buffer> {
    return existsSync(this.partFile(uploadId)) ? readFileSync(this.partFile(uploadId)) : Buffer.alloc(0);
  }

  async removePart(uploadId: string): Promise<void> {
    rmSync(this.partFile(uploadId), { force: true });
  }

  async putPacket(kioskId: string, packetId: string, sha256: string, data: Uint8Array): Promise<void> {
    const file = this.packetFile(kioskId, packetId, sha256);
    if (sha256Hex(data) !== sha256) throw new TypeError('packet bytes do not have the given sha256');
    mkdirSync(path.dirname(file), { recursive: true });
    writeDurably(file, data);
  }

  async getPacket(kioskId: string, packetId: string, sha256: string): Promise<Buffer> {
    const file = this.packetFile(kioskId, packetId, sha256);
    const found = existsSync(file) ? file : existsSync(this.legacyFile(kioskId, packetId)) ? this.legacyFile(kioskId, packetId) : null;
    if (!found) throw new PacketStoreError('PACKET_STORE_NOT_FOUND', `stored packet ${kioskId}/${packetId} not found`, { details: { kioskId, packetId, sha256 } });
    const data = readFileSync(found);
    if (sha256Hex(data) !== sha256) throw new PacketStoreError('PACKET_STORE_INTEGRITY', `stored packet ${kioskId}/${packetId} does not have its recorded sha256`, { details: { kioskId, packetId, sha256 } });
    return data;
  }

  async hasPacket(kioskId: string, packetId: string, sha256: string): Promise<boolean> {
    return existsSync(this.packetFile(kioskId, packetId, sha256)) || existsSync(this.legacyFile(kioskId, packetId));
  }

  async dispose(): Promise<void> {
    // Nothing held between calls.
  }
}

/** @deprecated name kept for imports: the filesystem packet store. */
export const BlobStore = FilePacketStore;

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
