// A size-rotated log file: kiosk.log → kiosk.log.1 → … → kiosk.log.N (oldest dropped). Synchronous writes
// so that the last lines before a power cut are on disk.
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

export class RotatingFile {
  private fd: number;
  private size: number;

  constructor(
    readonly file: string,
    private readonly maxBytes: number,
    private readonly maxFiles: number,
  ) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    this.fd = openSync(file, 'a', 0o600);
    this.size = fstatSync(this.fd).size;
  }

  /** Never throws: a log line that cannot be written (disposed, folder wiped by a factory reset, disk full) is dropped. */
  write(chunk: string): boolean {
    if (this.fd < 0) return false;
    const bytes = Buffer.byteLength(chunk);
    try {
      if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
      writeSync(this.fd, chunk);
      this.size += bytes;
      return true;
    } catch {
      return false;
    }
  }

  private rotate(): void {
    closeSync(this.fd);
    this.fd = -1;
    try {
      const oldest = `${this.file}.${this.maxFiles}`;
      if (existsSync(oldest)) rmSync(oldest);
      for (let i = this.maxFiles - 1; i >= 1; i--) {
        const from = `${this.file}.${i}`;
        if (existsSync(from)) renameSync(from, `${this.file}.${i + 1}`);
      }
      if (existsSync(this.file)) renameSync(this.file, `${this.file}.1`);
    } finally {
      // Reopen even when a rename failed (e.g. the folder was wiped): logging goes on in a fresh file.
      mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      this.fd = openSync(this.file, 'a', 0o600);
      this.size = fstatSync(this.fd).size;
    }
  }

  dispose(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}
