// Packet bytes: partial uploads (append-only) and stored packets. PacketStore is what the registry needs; the
// filesystem implementation is safe for several writers on one (shared) folder: stored packets are named by their
// content (kiosk/packet.sha256.pkt) and written temp + fsync + rename with a temp name unique per host and process,
// so two processes receiving one packet at the same moment, or two contents under one packet id, never overwrite
// each other's bytes. An S3-compatible implementation is still on paper (docs/REGISTRY.md).
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

export interface PacketStore {
  partOffset(uploadId: string): number;
  append(uploadId: string, offset: number, data: Uint8Array): { ok: true; offset: number } | { ok: false; offset: number };
  truncatePart(uploadId: string, size: number): void;
  readPart(uploadId: string): Buffer;
  removePart(uploadId: string): void;
  /** Stores the bytes of a packet durably under its content hash (idempotent). */
  putPacket(kioskId: string, packetId: string, sha256: string, data: Uint8Array): void;
  /** The stored bytes with this hash; throws when absent or when the bytes on disk do not have this hash. */
  getPacket(kioskId: string, packetId: string, sha256: string): Buffer;
  hasPacket(kioskId: string, packetId: string, sha256: string): boolean;
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
  constructor(private readonly dir: string) {
    mkdirSync(path.join(dir, 'uploads'), { recursive: true });
    mkdirSync(path.join(dir, 'packets'), { recursive: true });
  }

  private partFile(uploadId: string): string {
    return path.join(this.dir, 'uploads', `${uploadId}.part`);
  }

  private packetFile(kioskId: string, packetId: string, sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new TypeError('sha256 must be 64 hex digits');
    return path.join(this.dir, 'packets', kioskId, `${packetId}.${sha256}.pkt`);
  }

  /** Where registries before content-addressed names stored a packet. */
  private legacyFile(kioskId: string, packetId: string): string {
    return path.join(this.dir, 'packets', kioskId, `${packetId}.pkt`);
  }

  partOffset(uploadId: string): number {
    const f = this.partFile(uploadId);
    return existsSync(f) ? statSync(f).size : 0;
  }

  /**
   * Appends at `offset` (must equal the current size); returns the new size. Not fsynced: the offset is the file
   * size, so bytes lost in an OS crash are simply asked for again, and finalize checks the SHA-256 before the
   * packet is stored durably.
   */
  append(uploadId: string, offset: number, data: Uint8Array): { ok: true; offset: number } | { ok: false; offset: number } {
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

  truncatePart(uploadId: string, size: number): void {
    const fd = openSync(this.partFile(uploadId), 'r+');
    try {
      ftruncateSync(fd, size);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  readPart(uploadId: string): Buffer {
    return existsSync(this.partFile(uploadId)) ? readFileSync(this.partFile(uploadId)) : Buffer.alloc(0);
  }

  removePart(uploadId: string): void {
    rmSync(this.partFile(uploadId), { force: true });
  }

  putPacket(kioskId: string, packetId: string, sha256: string, data: Uint8Array): void {
    const file = this.packetFile(kioskId, packetId, sha256);
    if (sha256Hex(data) !== sha256) throw new TypeError('packet bytes do not have the given sha256');
    mkdirSync(path.dirname(file), { recursive: true });
    writeDurably(file, data);
  }

  getPacket(kioskId: string, packetId: string, sha256: string): Buffer {
    const file = this.packetFile(kioskId, packetId, sha256);
    const data = readFileSync(existsSync(file) ? file : this.legacyFile(kioskId, packetId));
    if (sha256Hex(data) !== sha256) throw new Error(`stored packet ${kioskId}/${packetId} does not have its recorded sha256`);
    return data;
  }

  hasPacket(kioskId: string, packetId: string, sha256: string): boolean {
    return existsSync(this.packetFile(kioskId, packetId, sha256)) || existsSync(this.legacyFile(kioskId, packetId));
  }
}

/** @deprecated name kept for imports: the filesystem packet store. */
export const BlobStore = FilePacketStore;

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
