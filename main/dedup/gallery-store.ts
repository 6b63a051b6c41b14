// The dedup gallery at rest: an encrypted bulk snapshot of the workers' typed arrays plus an encrypted append-only
// log of the changes since. The key is derived from the store's key ring (StoreServices.deriveKey('dedup-gallery')),
// so erasing the key ring erases the gallery too, and nothing next to these files can decrypt them.
//
// gallery.snap: "KDS1" | u32 headerLen | header JSON | for every section, its bytes in chunks of `chunkBytes`:
//   nonce(12) | AES-256-GCM ciphertext | tag(16), AAD = SHA-256(header) | u32 section | u32 chunk.
//   The header (sizes, shard count, log ids) is authenticated through every chunk's AAD; the file length must be
//   exactly what the header announces.
// gallery.log: "KDL1" | logId(16) | baseSnapshotId(16, zeros = empty base), then records
//   u32 bodyLen | u8 op (1 upsert, 2 remove) | u8 gallery (0 main, 1 operators) | nonce(12) | ciphertext | tag(16)
//   AAD = logId | u32 record number | op | gallery (records cannot be moved, reordered or relabelled). Plaintext: the
//   encoded entry (upsert) or the id (remove). Appends are fsynced; a torn last record is cut off on open.
// Checkpoint: write the snapshot (temp, fsync, rename, fsync dir) naming a fresh log id and the current log as its
// predecessor, then replace the log by an empty one with that id. A crash between the two leaves a snapshot whose
// predecessor is the current log: its records are all in the snapshot, so they are skipped and the reset is redone.
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { KioskError } from '../contract/errors.js';
import { GalleryCorruptError } from '../../models/dedup/errors.js';
import { chunkAad, openChunk, readExactly, type SectionPlan } from '../../models/dedup/snapshot-io.js';
import type { GalleryName } from '../../models/dedup/protocol.js';

export { GalleryCorruptError };

export interface SnapshotSection {
  gallery: GalleryName;
  shard: number;
  size: number;
  idsBytes: number;
  arenaBytes: number;
  bytes: number;
}

interface SnapshotHeader {
  format: 'kiosk-dedup-snapshot';
  version: 1;
  snapshotId: string;
  createdAt: string;
  logId: string;
  prevLogId: string | null;
  shards: number;
  chunkBytes: number;
  sections: SnapshotSection[];
}

export type LogOp = { op: 'upsert'; gallery: GalleryName; data: Uint8Array } | { op: 'remove'; gallery: GalleryName; id: string };

export interface GalleryStoreOptions {
  dir: string;
  /** 32-byte AES-256 key (derived from the store's key ring). */
  key: Uint8Array;
  /** Plaintext bytes per snapshot chunk (default 4 MiB). */
  chunkBytes?: number;
}

const SNAP_MAGIC = Buffer.from('KDS1');
const LOG_MAGIC = Buffer.from('KDL1');
const LOG_HEADER = 4 + 16 + 16;
const OP_UPSERT = 1;
const OP_REMOVE = 2;
const GALLERIES: GalleryName[] = ['main', 'operators'];
const ZERO_ID = Buffer.alloc(16);
export const SNAPSHOT_FILE = 'gallery.snap';
export const LOG_FILE = 'gallery.log';

export class GalleryStore {
  private readonly key: Buffer;
  private readonly snapFile: string;
  private readonly logFile: string;
  private readonly chunkBytes: number;
  private header: SnapshotHeader | null = null;
  private headerBytes: Buffer = Buffer.alloc(0);
  private headerEnd = 0;
  private fd = -1;
  private logId: Buffer = Buffer.alloc(16);
  private logSize = LOG_HEADER;
  private records: { offset: number; length: number }[] = [];
  /** Log records already contained in the snapshot (interrupted checkpoint): skipped by replay. */
  private skipLog = false;
  private disposed = false;
  /** Bytes cut off a torn log tail on open. */
  truncatedBytes = 0;

  constructor(opts: GalleryStoreOptions) {
    if (!(opts.key instanceof Uint8Array) || opts.key.length !== 32) throw new KioskError('VALIDATION_FAILED', 'Gallery key must be 32 bytes');
    this.key = Buffer.from(opts.key);
    this.chunkBytes = opts.chunkBytes ?? 4 << 20;
    mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
    this.snapFile = path.join(opts.dir, SNAPSHOT_FILE);
    this.logFile = path.join(opts.dir, LOG_FILE);
    if (existsSync(this.snapFile)) this.readHeader();
    const h = this.header;
    if (!existsSync(this.logFile)) {
      if (h) throw new GalleryCorruptError('Dedup gallery log is missing next to its snapshot');
      this.resetLog(randomBytes(16), ZERO_ID);
      return;
    }
    this.fd = openSync(this.logFile, 'r+');
    const head = readExactly(this.fd, 0, LOG_HEADER, 'Dedup gallery log has no header');
    if (!head.subarray(0, 4).equals(LOG_MAGIC)) throw new GalleryCorruptError('Not a dedup gallery log');
    this.logId = Buffer.from(head.subarray(4, 20));
    const base = head.subarray(20, 36);
    if (!h) {
      if (!base.equals(ZERO_ID)) throw new GalleryCorruptError('Dedup gallery snapshot is missing (the log continues one)');
    } else if (this.logId.toString('hex') === h.logId) {
      if (base.toString('hex') !== h.snapshotId) throw new GalleryCorruptError('Dedup gallery log does not continue this snapshot');
    } else if (this.logId.toString('hex') === h.prevLogId) {
      this.skipLog = true;
    } else {
      throw new GalleryCorruptError('Dedup gallery log and snapshot do not belong together');
    }
    this.scanLog();
    if (this.skipLog) this.resetLog(Buffer.from(h!.logId, 'hex'), Buffer.from(h!.snapshotId, 'hex'));
  }

  /** Shard count and sections of the snapshot, or null when there is none yet. */
  get snapshot(): { shards: number; sections: SnapshotSection[] } | null {
    return this.header ? { shards: this.header.shards, sections: this.header.sections } : null;
  }

  get logBytes(): number {
    return this.logSize;
  }

  get logRecords(): number {
    return this.records.length;
  }

  get snapshotBytes(): number {
    return this.header ? this.header.sections.reduce((a, s) => a + s.bytes, 0) : 0;
  }

  /** Where each section lies in the snapshot file, for the workers to decrypt their own sections in parallel. */
  sectionPlans(): SectionPlan[] {
    this.guard();
    const h = this.header;
    if (!h) return [];
    const hash = createHash('sha256').update(this.headerBytes).digest();
    let pos = this.headerEnd;
    return h.sections.map((s, section) => {
      const plan = { file: this.snapFile, key: new Uint8Array(this.key), hash: new Uint8Array(hash), section, pos, bytes: s.bytes, chunkBytes: h.chunkBytes };
      pos += s.bytes + Math.ceil(s.bytes / h.chunkBytes) * 28;
      return plan;
    });
  }

  /** The log records after the snapshot, in order (decrypted lazily). */
  *replay(): Iterable<LogOp> {
    this.guard();
    if (this.skipLog) return;
    for (const [i, r] of this.records.entries()) {
      const rec = readExactly(this.fd, r.offset, r.length, 'Dedup gallery log is shorter than its index');
      const op = rec[4]!;
      const gallery = GALLERIES[rec[5]!]!;
      const plain = openChunk(this.key, rec.subarray(6), recordAad(this.logId, i, op, rec[5]!));
      yield op === OP_UPSERT ? { op: 'upsert', gallery, data: new Uint8Array(plain) } : { op: 'remove', gallery, id: plain.toString('utf8') };
    }
  }

  /** Appends changes; durable when it returns. */
  append(ops: LogOp[]): void {
    this.guard();
    if (!ops.length) return;
    const parts: Buffer[] = [];
    const added: { offset: number; length: number }[] = [];
    let offset = this.logSize;
    for (const [j, o] of ops.entries()) {
      const op = o.op === 'upsert' ? OP_UPSERT : OP_REMOVE;
      const g = GALLERIES.indexOf(o.gallery);
      const plain = o.op === 'upsert' ? o.data : Buffer.from(o.id, 'utf8');
      const sealed = sealChunk(this.key, plain, recordAad(this.logId, this.records.length + j, op, g));
      const head = Buffer.alloc(6);
      head.writeUInt32LE(2 + sealed.length, 0);
      head[4] = op;
      head[5] = g;
      parts.push(head, sealed);
      added.push({ offset, length: 6 + sealed.length });
      offset += 6 + sealed.length;
    }
    const buf = Buffer.concat(parts);
    writeAll(this.fd, buf, this.logSize);
    fsyncSync(this.fd);
    this.logSize += buf.length;
    this.records.push(...added);
  }

  /**
   * Writes a new snapshot of `sections` (their bytes come from `read`, in order) and starts an empty log after it.
   * The caller guarantees that nothing changes in between (the service serialises its mutations).
   */
  async checkpoint(shards: number, sections: SnapshotSection[], read: (section: number, offset: number, length: number) => Promise<Uint8Array>): Promise<void> {
    this.guard();
    const nextLog = randomBytes(16);
    const header: SnapshotHeader = {
      format: 'kiosk-dedup-snapshot',
      version: 1,
      snapshotId: randomBytes(16).toString('hex'),
      createdAt: new Date().toISOString(),
      logId: nextLog.toString('hex'),
      prevLogId: this.logId.toString('hex'),
      shards,
      chunkBytes: this.chunkBytes,
      sections,
    };
    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
    const hash = createHash('sha256').update(headerBytes).digest();
    const tmp = `${this.snapFile}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      const len = Buffer.alloc(4);
      len.writeUInt32LE(headerBytes.length, 0);
      let pos = 0;
      for (const b of [SNAP_MAGIC, len, headerBytes]) pos += writeAll(fd, b, pos);
      for (const [si, s] of sections.entries()) {
        for (let off = 0, ci = 0; off < s.bytes; off += this.chunkBytes, ci++) {
          const n = Math.min(this.chunkBytes, s.bytes - off);
          const plain = await read(si, off, n);
          if (plain.length !== n) throw new KioskError('INTERNAL', 'Snapshot chunk has the wrong size');
          pos += writeAll(fd, sealChunk(this.key, plain, chunkAad(hash, si, ci)), pos);
        }
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.snapFile);
    fsyncDir(path.dirname(this.snapFile));
    this.header = header;
    this.headerBytes = headerBytes;
    this.headerEnd = 8 + headerBytes.length;
    this.resetLog(nextLog, Buffer.from(header.snapshotId, 'hex'));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.fd >= 0) closeSync(this.fd);
    this.key.fill(0);
  }

  private guard(): void {
    if (this.disposed) throw new KioskError('DISPOSED', 'Dedup gallery store has been disposed');
  }

  private readHeader(): void {
    const fd = openSync(this.snapFile, 'r');
    try {
      const total = fstatSync(fd).size;
      const head = readExactly(fd, 0, 8, 'Dedup gallery snapshot has no header');
      if (!head.subarray(0, 4).equals(SNAP_MAGIC)) throw new GalleryCorruptError('Not a dedup gallery snapshot');
      const n = head.readUInt32LE(4);
      if (n > 16 << 20) throw new GalleryCorruptError('Dedup gallery snapshot header is too large');
      const bytes = readExactly(fd, 8, n, 'Dedup gallery snapshot header is truncated');
      let h: SnapshotHeader;
      try {
        h = JSON.parse(bytes.toString('utf8')) as SnapshotHeader;
      } catch (cause) {
        throw new GalleryCorruptError('Dedup gallery snapshot header is not JSON', undefined, cause);
      }
      if (h.format !== 'kiosk-dedup-snapshot' || h.version !== 1 || !Array.isArray(h.sections) || !(h.chunkBytes > 0) || !(h.shards >= 1)) {
        throw new GalleryCorruptError('Dedup gallery snapshot header is malformed');
      }
      let expected = 8 + n;
      for (const s of h.sections) expected += s.bytes + Math.ceil(s.bytes / h.chunkBytes) * 28;
      if (expected !== total) throw new GalleryCorruptError('Dedup gallery snapshot has the wrong length', { expected, actual: total });
      this.header = h;
      this.headerBytes = bytes;
      this.headerEnd = 8 + n;
    } finally {
      closeSync(fd);
    }
  }

  private scanLog(): void {
    const total = fstatSync(this.fd).size;
    let offset = LOG_HEADER;
    this.records = [];
    while (offset + 6 <= total) {
      const head = readExactly(this.fd, offset, 6, 'Dedup gallery log is truncated');
      const length = 4 + head.readUInt32LE(0);
      const bad = (head[4] !== OP_UPSERT && head[4] !== OP_REMOVE) || head[5]! > 1 || length < 6 + 28;
      if (bad || offset + length > total) {
        // A torn tail (crash mid-append) is cut off; anything malformed before the end is corruption.
        if (bad && offset + length < total) throw new GalleryCorruptError('Dedup gallery log record is malformed', { offset });
        break;
      }
      this.records.push({ offset, length });
      offset += length;
    }
    this.logSize = offset;
    if (offset < total) {
      this.truncatedBytes = total - offset;
      ftruncateSync(this.fd, offset);
      fsyncSync(this.fd);
    }
  }

  private resetLog(logId: Buffer, base: Buffer): void {
    const tmp = `${this.logFile}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeAll(fd, Buffer.concat([LOG_MAGIC, logId, base]), 0);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (this.fd >= 0) closeSync(this.fd);
    renameSync(tmp, this.logFile);
    fsyncDir(path.dirname(this.logFile));
    this.fd = openSync(this.logFile, 'r+');
    this.logId = Buffer.from(logId);
    this.logSize = LOG_HEADER;
    this.records = [];
    this.skipLog = false;
  }
}

function recordAad(logId: Buffer, n: number, op: number, gallery: number): Buffer {
  const b = Buffer.alloc(22);
  logId.copy(b, 0);
  b.writeUInt32LE(n, 16);
  b[20] = op;
  b[21] = gallery;
  return b;
}

function sealChunk(key: Buffer, plain: Uint8Array, aad: Buffer): Buffer {
  const nonce = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, nonce);
  c.setAAD(aad);
  const ct = Buffer.concat([c.update(plain), c.final()]);
  return Buffer.concat([nonce, ct, c.getAuthTag()]);
}

function writeAll(fd: number, buf: Uint8Array, pos: number): number {
  let done = 0;
  while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done, pos + done);
  return buf.length;
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some filesystems refuse fsync on directories; the rename is still atomic.
  }
}
