// Packet bytes on disk: partial uploads (append-only, fsync per chunk) and stored packets (atomic write).
// At scale this is object storage (docs/REGISTRY.md); the interface stays the same.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../main/platform/atomic-file.js';

export class BlobStore {
  constructor(private readonly dir: string) {
    mkdirSync(path.join(dir, 'uploads'), { recursive: true });
    mkdirSync(path.join(dir, 'packets'), { recursive: true });
  }

  private partFile(uploadId: string): string {
    return path.join(this.dir, 'uploads', `${uploadId}.part`);
  }

  private packetFile(kioskId: string, packetId: string): string {
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

  putPacket(kioskId: string, packetId: string, data: Uint8Array): void {
    mkdirSync(path.dirname(this.packetFile(kioskId, packetId)), { recursive: true });
    writeFileAtomic(this.packetFile(kioskId, packetId), data);
  }

  getPacket(kioskId: string, packetId: string): Buffer {
    return readFileSync(this.packetFile(kioskId, packetId));
  }

  hasPacket(kioskId: string, packetId: string): boolean {
    return existsSync(this.packetFile(kioskId, packetId));
  }
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
