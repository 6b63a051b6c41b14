// Reading files that arrive on removable media or from another party (USB exports and receipts, offline bundles):
// regular files only (no symlink, FIFO, device or directory: a symlink to /dev/zero or a FIFO must not hang or
// exhaust the reader), a size cap checked on the open descriptor before any byte is read, and SHA-256 computed while
// streaming so a file is hashed before it is parsed.
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync } from 'node:fs';
import { KioskError } from '../contract/errors.js';

export class UnsafeFileError extends KioskError {
  override name = 'UnsafeFileError';
  constructor(reason: 'missing' | 'not_regular' | 'symlink' | 'too_large' | 'changed', file: string, extra: Record<string, unknown> = {}) {
    // Only the file's base name goes into details (audit logs): no sizes of files we refused to read.
    super('UNSAFE_FILE', `Refused to read ${file.split(/[\\/]/).pop() ?? file}: ${reason.replace('_', ' ')}`, { details: { reason, file: file.split(/[\\/]/).pop() ?? file, ...extra } });
  }
}

const CHUNK = 1 << 20;

/** Opens `file` for reading if it is a regular file no larger than `maxBytes`; returns the descriptor and its size. */
function openRegular(file: string, maxBytes: number): { fd: number; size: number } {
  let st;
  try {
    st = lstatSync(file);
  } catch {
    throw new UnsafeFileError('missing', file);
  }
  if (st.isSymbolicLink()) throw new UnsafeFileError('symlink', file);
  if (!st.isFile()) throw new UnsafeFileError('not_regular', file);
  // O_NOFOLLOW: the path cannot be swapped for a symlink between lstat and open; O_NONBLOCK: a FIFO swapped in
  // cannot block the open (it then fails the isFile check on the descriptor).
  const flags = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
  let fd: number;
  try {
    fd = openSync(file, flags);
  } catch {
    throw new UnsafeFileError('not_regular', file);
  }
  const fst = fstatSync(fd);
  if (!fst.isFile() || fst.ino !== st.ino || fst.dev !== st.dev) {
    closeSync(fd);
    throw new UnsafeFileError('changed', file);
  }
  if (fst.size > maxBytes) {
    closeSync(fd);
    throw new UnsafeFileError('too_large', file, { maxBytes });
  }
  return { fd, size: fst.size };
}

/** Reads a regular file of at most `maxBytes` (never more, even if it grows while read) and its SHA-256. */
export function readRegularFile(file: string, maxBytes: number): { bytes: Buffer; sha256: string } {
  const { fd, size } = openRegular(file, maxBytes);
  try {
    const out = Buffer.allocUnsafe(size);
    const hash = createHash('sha256');
    let off = 0;
    while (off < size) {
      const n = readSync(fd, out, off, Math.min(CHUNK, size - off), off);
      if (n === 0) break;
      hash.update(out.subarray(off, off + n));
      off += n;
    }
    if (off !== size) throw new UnsafeFileError('changed', file);
    return { bytes: out, sha256: hash.digest('hex') };
  } finally {
    closeSync(fd);
  }
}

/** SHA-256 and size of a regular file of at most `maxBytes`, streamed in 1 MiB chunks (nothing kept in memory). */
export function hashRegularFile(file: string, maxBytes: number): { size: number; sha256: string } {
  const { fd, size } = openRegular(file, maxBytes);
  try {
    const buf = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(1, size)));
    const hash = createHash('sha256');
    let off = 0;
    while (off < size) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, size - off), off);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
      off += n;
    }
    if (off !== size) throw new UnsafeFileError('changed', file);
    return { size, sha256: hash.digest('hex') };
  } finally {
    closeSync(fd);
  }
}

/** Reads a small regular file as UTF-8 JSON (size-capped); `undefined` when it is not JSON. */
export function readRegularJson(file: string, maxBytes: number): { value: unknown; sha256: string; ok: boolean } {
  const { bytes, sha256 } = readRegularFile(file, maxBytes);
  try {
    return { value: JSON.parse(bytes.toString('utf8')) as unknown, sha256, ok: true };
  } catch {
    return { value: undefined, sha256, ok: false };
  }
}
