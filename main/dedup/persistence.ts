// Gallery persistence. The store implements GalleryPersistence over its encrypted tables (the lead wires that
// adapter); FileGalleryPersistence is a self-contained encrypted implementation for tests and for use until then.
//
// File format (gallery.kdg): header "KDG1" | 16-byte file id, then records
//   u32 bodyLen | u8 op (1 upsert, 2 remove) | u16 idLen | id (UTF-8) | 12-byte nonce | ciphertext | 16-byte tag
// AES-256-GCM; the additional data binds the file id, op and id, so records cannot be moved between files or
// relabelled. Ids (enrollment ULIDs) are in clear so that loading can skip superseded records without decrypting
// them. Appends are fsynced; a torn last record (crash mid-append) is cut off on open; compaction rewrites the live
// records to a temp file, fsyncs it and renames it over the log.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { KioskError } from '../contract/errors.js';
import type { Disposable } from '../platform/disposable.js';

export interface GalleryRecord {
  id: string;
  /** An entry encoded by encodeEntry (models/dedup/codec.ts); opaque to the persistence. */
  data: Uint8Array;
}

/** What dedup needs from whoever keeps the gallery at rest (the store implements it over its encrypted tables). */
export interface GalleryPersistence {
  /** Every live record, in batches (order irrelevant). */
  loadAll(): AsyncIterable<GalleryRecord[]>;
  /** Inserts or replaces records by id; durable when the promise resolves. */
  upsert(records: GalleryRecord[]): Promise<void>;
  /** Removes records by id (unknown ids are ignored); durable when the promise resolves. */
  remove(ids: string[]): Promise<void>;
  dispose(): Promise<void> | void;
}

export class GalleryFileCorruptError extends KioskError {
  override name = 'GalleryFileCorruptError';
  constructor(message: string, details?: Record<string, unknown>, cause?: unknown) {
    super('DEDUP_GALLERY_CORRUPT', message, { details, cause });
  }
}

const MAGIC = Buffer.from('KDG1');
const HEADER = 4 + 16;
const OP_UPSERT = 1;
const OP_REMOVE = 2;
const BATCH = 512;
const WINDOW = 8 << 20;

interface Slot {
  offset: number;
  length: number;
}

export interface FileGalleryOptions {
  /** Directory of the log file. */
  dir: string;
  /** 32-byte AES-256 key (from the kiosk key ring). */
  key: Uint8Array;
  /** File name; default gallery.kdg. */
  name?: string;
  /** Compact when superseded records exceed this share of the file (and 1 MiB). Default 0.5. */
  compactRatio?: number;
}

export class FileGalleryPersistence implements GalleryPersistence, Disposable {
  private readonly file: string;
  private readonly key: Buffer;
  private fd: number;
  private fileId = Buffer.alloc(16);
  private size = 0;
  /** Latest upsert of every live id. */
  private live = new Map<string, Slot>();
  private dead = 0;
  private disposed = false;
  private readonly compactRatio: number;
  /** Bytes cut off a torn tail when the log was opened. */
  readonly truncatedBytes: number;

  constructor(opts: FileGalleryOptions) {
    if (!(opts.key instanceof Uint8Array) || opts.key.length !== 32) throw new KioskError('VALIDATION_FAILED', 'Gallery key must be 32 bytes');
    this.key = Buffer.from(opts.key);
    this.compactRatio = opts.compactRatio ?? 0.5;
    mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
    this.file = path.join(opts.dir, opts.name ?? 'gallery.kdg');
    const fresh = !existsSync(this.file);
    this.fd = openSync(this.file, fresh ? 'w+' : 'r+', 0o600);
    if (fresh) {
      this.fileId = randomBytes(16);
      writeSync(this.fd, Buffer.concat([MAGIC, this.fileId]), 0, HEADER, 0);
      fsyncSync(this.fd);
      this.size = HEADER;
      this.truncatedBytes = 0;
    } else {
      this.truncatedBytes = this.scan();
    }
  }

  /** Number of live records. */
  get count(): number {
    return this.live.size;
  }

  /** Bytes of the log file. */
  get bytes(): number {
    return this.size;
  }

  async *loadAll(): AsyncIterable<GalleryRecord[]> {
    this.guard();
    let batch: GalleryRecord[] = [];
    // Sequential reads in large windows (file order), not one read per record.
    const slots = [...this.live].sort((a, b) => a[1].offset - b[1].offset);
    let win: Buffer = Buffer.alloc(0);
    let winStart = 0;
    for (const [id, slot] of slots) {
      if (slot.offset < winStart || slot.offset + slot.length > winStart + win.length) {
        winStart = slot.offset;
        win = this.readAt(winStart, Math.min(this.size - winStart, Math.max(slot.length, WINDOW)));
      }
      const parsed = parseRecord(win, slot.offset - winStart);
      if (!parsed || parsed.id !== id) throw new GalleryFileCorruptError('Gallery record does not match its index');
      batch.push({ id, data: decryptRecord(this.key, this.fileId, parsed) });
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  }

  async upsert(records: GalleryRecord[]): Promise<void> {
    this.guard();
    const parts: Buffer[] = [];
    const slots: [string, Slot][] = [];
    let offset = this.size;
    for (const r of records) {
      const rec = this.encrypt(OP_UPSERT, r.id, r.data);
      slots.push([r.id, { offset, length: rec.length }]);
      parts.push(rec);
      offset += rec.length;
    }
    this.append(Buffer.concat(parts));
    for (const [id, slot] of slots) {
      const old = this.live.get(id);
      if (old) this.dead += old.length;
      this.live.set(id, slot);
    }
    this.maybeCompact();
  }

  async remove(ids: string[]): Promise<void> {
    this.guard();
    const known = ids.filter((id) => this.live.has(id));
    if (!known.length) return;
    const parts = known.map((id) => this.encrypt(OP_REMOVE, id, new Uint8Array(0)));
    this.append(Buffer.concat(parts));
    for (const [i, id] of known.entries()) {
      this.dead += this.live.get(id)!.length + parts[i]!.length;
      this.live.delete(id);
    }
    this.maybeCompact();
  }

  /** Rewrites the log with only the live records (temp file, fsync, rename, fsync dir). */
  compact(): void {
    this.guard();
    const tmp = `${this.file}.compact.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    const fileId = randomBytes(16);
    const next = new Map<string, Slot>();
    let size = HEADER;
    try {
      writeSync(fd, Buffer.concat([MAGIC, fileId]), 0, HEADER, 0);
      let chunk: Buffer[] = [];
      let chunkBytes = 0;
      const flush = () => {
        if (!chunkBytes) return;
        const b = Buffer.concat(chunk);
        writeSync(fd, b, 0, b.length, size - chunkBytes);
        chunk = [];
        chunkBytes = 0;
      };
      for (const [id, slot] of this.live) {
        const rec = encryptRecord(this.key, fileId, OP_UPSERT, id, this.decryptAt(id, slot));
        next.set(id, { offset: size, length: rec.length });
        chunk.push(rec);
        chunkBytes += rec.length;
        size += rec.length;
        if (chunkBytes > 8 << 20) flush();
      }
      flush();
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    closeSync(this.fd);
    renameSync(tmp, this.file);
    fsyncDir(path.dirname(this.file));
    this.fd = openSync(this.file, 'r+');
    this.fileId = fileId;
    this.live = next;
    this.size = size;
    this.dead = 0;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    closeSync(this.fd);
  }

  private guard(): void {
    if (this.disposed) throw new KioskError('DISPOSED', 'Gallery persistence has been disposed');
  }

  private maybeCompact(): void {
    if (this.dead > 1 << 20 && this.dead > this.compactRatio * this.size) this.compact();
  }

  private append(buf: Buffer): void {
    writeSync(this.fd, buf, 0, buf.length, this.size);
    fsyncSync(this.fd);
    this.size += buf.length;
  }

  private encrypt(op: number, id: string, data: Uint8Array): Buffer {
    return encryptRecord(this.key, this.fileId, op, id, data);
  }

  private readAt(offset: number, length: number): Buffer {
    const b = Buffer.alloc(length);
    let got = 0;
    while (got < length) {
      const n = readSync(this.fd, b, got, length - got, offset + got);
      if (n === 0) break;
      got += n;
    }
    if (got !== length) throw new GalleryFileCorruptError('Gallery log is shorter than its index');
    return b;
  }

  private decryptAt(id: string, slot: Slot): Uint8Array {
    const rec = this.readAt(slot.offset, slot.length);
    const parsed = parseRecord(rec, 0);
    if (!parsed || parsed.id !== id) throw new GalleryFileCorruptError('Gallery record does not match its index');
    return decryptRecord(this.key, this.fileId, parsed);
  }

  /** Reads the headers of every record; returns the bytes of a torn tail that were cut off. */
  private scan(): number {
    const total = fstatSync(this.fd).size;
    if (total < HEADER) throw new GalleryFileCorruptError('Gallery log has no header', { size: total });
    const head = this.readAt(0, HEADER);
    if (!head.subarray(0, 4).equals(MAGIC)) throw new GalleryFileCorruptError('Not a dedup gallery log');
    this.fileId = Buffer.from(head.subarray(4, HEADER));
    let offset = HEADER;
    while (offset + 7 <= total) {
      const head = this.readAt(offset, 7);
      const bodyLen = head.readUInt32LE(0);
      const op = head[4]!;
      const idLen = head.readUInt16LE(5);
      const length = 4 + bodyLen;
      const bad = (op !== OP_UPSERT && op !== OP_REMOVE) || bodyLen < 3 + idLen + 28;
      if (bad || offset + length > total) {
        // A torn tail (crash mid-append) is cut off; anything malformed before the end is corruption.
        if (bad && offset + length < total) throw new GalleryFileCorruptError('Gallery log record is malformed', { offset });
        break;
      }
      const id = this.readAt(offset + 7, idLen).toString('utf8');
      const old = this.live.get(id);
      if (old) this.dead += old.length;
      if (op === OP_UPSERT) this.live.set(id, { offset, length });
      else {
        this.live.delete(id);
        this.dead += length;
      }
      offset += length;
    }
    this.size = offset;
    if (offset < total) {
      ftruncateSync(this.fd, offset);
      fsyncSync(this.fd);
      return total - offset;
    }
    return 0;
  }
}

interface ParsedRecord {
  op: number;
  id: string;
  idBytes: Buffer;
  nonce: Buffer;
  ct: Buffer;
  tag: Buffer;
}

function aad(fileId: Buffer, op: number, idBytes: Buffer): Buffer {
  return Buffer.concat([fileId, Buffer.from([op]), idBytes]);
}

function encryptRecord(key: Buffer, fileId: Buffer, op: number, id: string, data: Uint8Array): Buffer {
  const idBytes = Buffer.from(id, 'utf8');
  if (idBytes.length === 0 || idBytes.length > 1024) throw new KioskError('VALIDATION_FAILED', 'Gallery record id must be 1–1024 bytes');
  const nonce = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, nonce);
  c.setAAD(aad(fileId, op, idBytes));
  const ct = Buffer.concat([c.update(data), c.final()]);
  const tag = c.getAuthTag();
  const head = Buffer.alloc(7);
  head.writeUInt32LE(3 + idBytes.length + 12 + ct.length + 16, 0);
  head[4] = op;
  head.writeUInt16LE(idBytes.length, 5);
  return Buffer.concat([head, idBytes, nonce, ct, tag]);
}

function parseRecord(b: Buffer, o: number): ParsedRecord | null {
  if (o + 7 > b.length) return null;
  const bodyLen = b.readUInt32LE(o);
  const op = b[o + 4]!;
  const idLen = b.readUInt16LE(o + 5);
  const end = o + 4 + bodyLen;
  if (end > b.length || bodyLen < 3 + idLen + 28) return null;
  const idBytes = b.subarray(o + 7, o + 7 + idLen);
  const nonce = b.subarray(o + 7 + idLen, o + 19 + idLen);
  return { op, id: idBytes.toString('utf8'), idBytes, nonce, ct: b.subarray(o + 19 + idLen, end - 16), tag: b.subarray(end - 16, end) };
}

function decryptRecord(key: Buffer, fileId: Buffer, r: ParsedRecord): Uint8Array {
  try {
    const d = createDecipheriv('aes-256-gcm', key, r.nonce);
    d.setAAD(aad(fileId, r.op, r.idBytes));
    d.setAuthTag(r.tag);
    const plain = d.update(r.ct);
    d.final();
    return new Uint8Array(plain);
  } catch (cause) {
    throw new GalleryFileCorruptError('Gallery record failed authentication (wrong key or tampered file)', undefined, cause);
  }
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
