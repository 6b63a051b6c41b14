// File-backed outbox: DIR/packets/<id>.pkt (atomic write, fsync) + DIR/journal.jsonl, an append-only journal of
// entry versions (one JSON line per change, fsync per append; last version wins on replay; a torn last line from a
// crash is ignored). Packet bytes are written before the journal names them; the journal is compacted on open.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../main/platform/atomic-file.js';
import { OutboxError } from '../errors.js';
import type { SignedDoc } from '../protocol/signed-doc.js';
import { FINAL_STATUSES, type ReceiptPayload, type StatusPayload } from '../protocol/schemas.js';
import type { Outbox, OutboxEntry } from './outbox.js';

interface Journal {
  entries: Record<string, OutboxEntry>;
}

const ID_RE = /^[A-Za-z0-9_.:-]{1,128}$/;

export class FileOutbox implements Outbox {
  private journal: Journal;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly clock: () => number;

  constructor(
    readonly dir: string,
    options: { clock?: () => number } = {},
  ) {
    this.clock = options.clock ?? Date.now;
    mkdirSync(path.join(dir, 'packets'), { recursive: true });
    this.journal = { entries: {} };
    const file = this.journalFile;
    if (existsSync(file)) {
      const lines = readFileSync(file, 'utf8').split('\n');
      for (const line of lines) {
        if (!line) continue;
        try {
          const e = JSON.parse(line) as OutboxEntry;
          this.journal.entries[e.packetId] = e;
        } catch {
          // torn last line after a crash: the change it held was never acknowledged to the caller
        }
      }
      const entries = Object.values(this.journal.entries);
      if (lines.length > 2 * entries.length + 16) writeFileAtomic(file, entries.map((e) => JSON.stringify(e) + '\n').join(''));
    }
  }

  private get journalFile(): string {
    return path.join(this.dir, 'journal.jsonl');
  }

  private append(entries: OutboxEntry[]): void {
    if (entries.length === 0) return;
    const fd = openSync(this.journalFile, 'a', 0o600);
    try {
      writeSync(fd, entries.map((e) => JSON.stringify(e) + '\n').join(''));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  private packetFile(id: string): string {
    return path.join(this.dir, 'packets', `${id}.pkt`);
  }

  /** Runs `fn` serialised; `fn` returns the entries it changed, which are journaled before the promise resolves. */
  private mutate<T>(fn: () => { changed: OutboxEntry[]; result: T }): Promise<T> {
    const run = this.chain.then(() => {
      const { changed, result } = fn();
      this.append(changed);
      return result;
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  private entry(id: string): OutboxEntry {
    const e = this.journal.entries[id];
    if (!e) throw new OutboxError('NOT_FOUND', `Outbox has no packet ${id}`, { details: { packetId: id } });
    return e;
  }

  /** Adds a sealed packet (idempotent for the same bytes). */
  add(packetId: string, bytes: Uint8Array, sealedAt = new Date(this.clock()).toISOString()): Promise<OutboxEntry> {
    if (!ID_RE.test(packetId)) return Promise.reject(new OutboxError('VALIDATION_FAILED', 'invalid packet id', { details: { packetId } }));
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    return this.mutate(() => {
      const existing = this.journal.entries[packetId];
      if (existing) {
        if (existing.sha256 !== sha256) throw new OutboxError('CONFLICT', `Outbox already holds ${packetId} with other content`, { details: { packetId } });
        return { changed: [], result: { ...existing } };
      }
      writeFileAtomic(this.packetFile(packetId), bytes);
      const e: OutboxEntry = { packetId, sha256, size: bytes.byteLength, sealedAt, state: 'sealed', receipt: null, status: null, uploadedAt: null, acknowledgedAt: null };
      this.journal.entries[packetId] = e;
      return { changed: [e], result: { ...e } };
    });
  }

  async pending(): Promise<OutboxEntry[]> {
    await this.chain;
    return Object.values(this.journal.entries)
      .filter((e) => e.state === 'sealed' || e.state === 'uploaded')
      .sort((a, b) => (a.sealedAt < b.sealedAt ? -1 : a.sealedAt > b.sealedAt ? 1 : a.packetId < b.packetId ? -1 : 1))
      .map((e) => ({ ...e }));
  }

  async all(): Promise<OutboxEntry[]> {
    await this.chain;
    return Object.values(this.journal.entries).map((e) => ({ ...e }));
  }

  async get(packetId: string): Promise<OutboxEntry | undefined> {
    await this.chain;
    const e = this.journal.entries[packetId];
    return e ? { ...e } : undefined;
  }

  async read(packetId: string): Promise<Uint8Array> {
    const e = this.entry(packetId);
    if (e.state === 'purged') throw new OutboxError('NOT_FOUND', `Packet ${packetId} was purged`, { details: { packetId } });
    const bytes = readFileSync(this.packetFile(packetId));
    if (createHash('sha256').update(bytes).digest('hex') !== e.sha256) throw new OutboxError('TAMPER_DETECTED', `Outbox packet ${packetId} does not match its hash`, { details: { packetId } });
    return bytes;
  }

  markUploaded(packetId: string, receipt: SignedDoc<ReceiptPayload>): Promise<void> {
    return this.mutate(() => {
      const e = this.entry(packetId);
      if (receipt.payload.sha256 !== e.sha256 || receipt.payload.packetId !== packetId) throw new OutboxError('CONFLICT', `Receipt does not match outbox packet ${packetId}`, { details: { packetId } });
      if (e.state !== 'sealed') return { changed: [], result: undefined };
      e.state = 'uploaded';
      e.receipt = receipt;
      e.uploadedAt = new Date(this.clock()).toISOString();
      return { changed: [e], result: undefined };
    });
  }

  markAcknowledged(packetId: string, status: SignedDoc<StatusPayload>): Promise<void> {
    return this.mutate(() => {
      const e = this.entry(packetId);
      if (e.state === 'sealed' || !e.receipt) throw new OutboxError('CONFLICT', `Packet ${packetId} has no receipt yet`, { details: { packetId } });
      if (!FINAL_STATUSES.includes(status.payload.status)) throw new OutboxError('VALIDATION_FAILED', 'status is not final', { details: { packetId } });
      if (e.state !== 'uploaded') return { changed: [], result: undefined };
      e.status = status;
      e.state = status.payload.status === 'rejected' ? 'rejected' : 'acknowledged';
      e.acknowledgedAt = new Date(this.clock()).toISOString();
      return { changed: [e], result: undefined };
    });
  }

  purge(acknowledgedBefore: number): Promise<string[]> {
    return this.mutate(() => {
      const purged: OutboxEntry[] = [];
      for (const e of Object.values(this.journal.entries)) {
        if (e.state !== 'acknowledged' || !e.acknowledgedAt || Date.parse(e.acknowledgedAt) > acknowledgedBefore) continue;
        e.state = 'purged';
        purged.push(e);
      }
      // Journal first, then delete: a crash in between leaves a file the journal calls purged, never the reverse.
      this.append(purged);
      for (const e of purged) rmSync(this.packetFile(e.packetId), { force: true });
      return { changed: [], result: purged.map((e) => e.packetId) };
    });
  }

  /** Sync I/O only; nothing to release. Present for symmetry with store-backed outboxes. */
  async dispose(): Promise<void> {
    await this.chain;
  }
}
