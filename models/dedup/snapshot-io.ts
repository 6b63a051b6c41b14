// Reading the encrypted gallery snapshot (format in main/dedup/gallery-store.ts): chunk AAD and AES-256-GCM opening,
// shared by the store (main thread) and the dedup workers, which decrypt their own sections in parallel at load.
import { createDecipheriv } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { GalleryCorruptError } from './errors.js';

export const CHUNK_OVERHEAD = 12 + 16;

export function chunkAad(hash: Uint8Array, section: number, chunk: number): Buffer {
  const b = Buffer.alloc(40);
  b.set(hash.subarray(0, 32), 0);
  b.writeUInt32LE(section, 32);
  b.writeUInt32LE(chunk, 36);
  return b;
}

export function openChunk(key: Uint8Array, sealed: Buffer, aad: Buffer): Buffer {
  try {
    const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
    d.setAAD(aad);
    d.setAuthTag(sealed.subarray(sealed.length - 16));
    const out = d.update(sealed.subarray(12, sealed.length - 16));
    d.final();
    return out;
  } catch (cause) {
    throw new GalleryCorruptError('Dedup gallery failed authentication (wrong key or tampered file)', undefined, cause);
  }
}

export function readExactly(fd: number, offset: number, length: number, message: string): Buffer {
  const b = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, b, got, length - got, offset + got);
    if (n === 0) break;
    got += n;
  }
  if (got !== length) throw new GalleryCorruptError(message, { offset, length, got });
  return b;
}

/** Where one section of a snapshot lies and how to open it. */
export interface SectionPlan {
  file: string;
  key: Uint8Array;
  /** SHA-256 of the snapshot header (part of every chunk's AAD). */
  hash: Uint8Array;
  section: number;
  /** File offset of the section's first chunk. */
  pos: number;
  bytes: number;
  chunkBytes: number;
}

/** Decrypts one section chunk by chunk, in order. */
export function readSection(plan: SectionPlan, onChunk: (offset: number, plain: Buffer) => void): void {
  const fd = openSync(plan.file, 'r');
  try {
    let pos = plan.pos;
    for (let off = 0, ci = 0; off < plan.bytes; off += plan.chunkBytes, ci++) {
      const len = Math.min(plan.chunkBytes, plan.bytes - off);
      const sealed = readExactly(fd, pos, len + CHUNK_OVERHEAD, 'Dedup gallery snapshot is truncated');
      pos += len + CHUNK_OVERHEAD;
      onChunk(off, openChunk(plan.key, sealed, chunkAad(plan.hash, plan.section, ci)));
    }
  } finally {
    closeSync(fd);
  }
}
