// Background uploader: drains the outbox with resumable chunked uploads, verifies receipts, polls processing
// status, purges acknowledged packets after the retention period. Never deletes anything not acknowledged.
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { KioskError } from '../../main/contract/errors.js';
import { RegistryRequestError, RegistryResponseInvalidError } from '../errors.js';
import type { SignedDoc } from '../protocol/signed-doc.js';
import type { ReceiptPayload, StatusPayload } from '../protocol/schemas.js';
import { isFinalStatus, type RegistryClient } from './client.js';
import { TransportError } from './http.js';
import type { Outbox, OutboxEntry } from './outbox.js';
import { abortableSleep, backoffDelay, TokenBucket } from './pacing.js';

export interface SyncEngineOptions {
  outbox: Outbox;
  client: RegistryClient;
  chunkBytes?: number;
  /** Upload bandwidth cap, bytes/s (0 = none). */
  bandwidthBytesPerSec?: number;
  /** Keep sealed bytes this long after acknowledgement (ms). */
  retentionMs?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Attempts per protocol step before the packet is left for the next pass. */
  stepAttempts?: number;
  /** Pause between passes when idle (background mode). */
  pollIntervalMs?: number;
  /** Report clock skew beyond this (ms). */
  skewWarnMs?: number;
  clock?: () => number;
  random?: () => number;
}

export interface PassReport {
  uploaded: number;
  acknowledged: number;
  rejected: number;
  purged: number;
  pending: number;
  failures: number;
}

export interface SyncEngineEvents {
  progress: [{ packetId: string; offset: number; size: number }];
  uploaded: [{ packetId: string; receipt: SignedDoc<ReceiptPayload> }];
  outcome: [{ packetId: string; status: StatusPayload }];
  purged: [{ packetIds: string[] }];
  retry: [{ packetId: string | null; attempt: number; delayMs: number; error: { code: string; message: string } }];
  'clock-skew': [{ skewMs: number }];
  failed: [{ packetId: string; error: { code: string; message: string } }];
  pass: [PassReport];
}

function shapeOf(e: unknown): { code: string; message: string } {
  if (e instanceof KioskError) return { code: e.code, message: e.message };
  if (e instanceof TransportError) return { code: 'NETWORK', message: e.message };
  return { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
}

function retryable(e: unknown): boolean {
  if (e instanceof RegistryRequestError) return e.retryable;
  if (e instanceof RegistryResponseInvalidError) return true; // a mangled response over a bad link; the next one is checked again
  return e instanceof TransportError || (e instanceof Error && (e.name === 'AbortError' || /ECONN|EPIPE|socket|parse/i.test(e.message)));
}

export class SyncEngine extends EventEmitter<SyncEngineEvents> {
  private readonly o: Required<Omit<SyncEngineOptions, 'outbox' | 'client'>>;
  private readonly bucket: TokenBucket;
  private readonly abort = new AbortController();
  private paused = false;
  private resumeWaiters: (() => void)[] = [];
  private loop: Promise<void> | null = null;
  private passRunning: Promise<PassReport> | null = null;
  private failureStreak = 0;
  lastSkewMs = 0;

  constructor(
    private readonly outbox: Outbox,
    private readonly client: RegistryClient,
    options: Omit<SyncEngineOptions, 'outbox' | 'client'> = {},
  ) {
    super();
    this.o = {
      chunkBytes: options.chunkBytes ?? 256 * 1024,
      bandwidthBytesPerSec: options.bandwidthBytesPerSec ?? 0,
      retentionMs: options.retentionMs ?? 7 * 24 * 3600_000,
      backoffBaseMs: options.backoffBaseMs ?? 500,
      backoffCapMs: options.backoffCapMs ?? 60_000,
      stepAttempts: options.stepAttempts ?? 6,
      pollIntervalMs: options.pollIntervalMs ?? 30_000,
      skewWarnMs: options.skewWarnMs ?? 60_000,
      clock: options.clock ?? Date.now,
      random: options.random ?? Math.random,
    };
    this.bucket = new TokenBucket(this.o.bandwidthBytesPerSec, Math.max(this.o.bandwidthBytesPerSec, this.o.chunkBytes));
  }

  setBandwidth(bytesPerSec: number): void {
    this.bucket.rate = bytesPerSec;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    for (const w of this.resumeWaiters.splice(0)) w();
  }

  get isPaused(): boolean {
    return this.paused;
  }

  private async gate(): Promise<void> {
    if (this.abort.signal.aborted) throw new KioskError('DISPOSED', 'Sync engine disposed');
    while (this.paused && !this.abort.signal.aborted) await new Promise<void>((r) => this.resumeWaiters.push(r));
    if (this.abort.signal.aborted) throw new KioskError('DISPOSED', 'Sync engine disposed');
  }

  private noteClock(): void {
    const skew = this.client.clockOffsetMs;
    if (Math.abs(skew) > this.o.skewWarnMs && skew !== this.lastSkewMs) this.emit('clock-skew', { skewMs: skew });
    this.lastSkewMs = skew;
  }

  /** Runs one protocol step with retries (exponential backoff + jitter). */
  private async step<T>(packetId: string | null, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      await this.gate();
      try {
        const r = await fn();
        this.noteClock();
        return r;
      } catch (e) {
        this.noteClock();
        if (!retryable(e) || attempt + 1 >= this.o.stepAttempts || this.abort.signal.aborted) throw e;
        const delayMs = backoffDelay(attempt, this.o.backoffBaseMs, this.o.backoffCapMs, this.o.random);
        this.emit('retry', { packetId, attempt, delayMs, error: shapeOf(e) });
        await abortableSleep(delayMs, this.abort.signal);
      }
    }
  }

  private async upload(entry: OutboxEntry): Promise<SignedDoc<ReceiptPayload>> {
    const bytes = await this.outbox.read(entry.packetId);
    if (createHash('sha256').update(bytes).digest('hex') !== entry.sha256) throw new KioskError('TAMPER_DETECTED', `Outbox packet ${entry.packetId} does not match its hash`);
    const expect = { packetId: entry.packetId, sha256: entry.sha256 };
    if (bytes.byteLength <= this.o.chunkBytes) {
      await this.gate();
      await this.bucket.take(bytes.byteLength, this.abort.signal);
      const receipt = await this.step(entry.packetId, () => this.client.putPacket(entry.packetId, entry.sha256, bytes));
      this.emit('progress', { packetId: entry.packetId, offset: bytes.byteLength, size: bytes.byteLength });
      return receipt;
    }
    for (let round = 0; round < 4; round++) {
      const created = await this.step(entry.packetId, () => this.client.createUpload(entry.packetId, entry.sha256, bytes.byteLength));
      if (created.state === 'complete') return created.receipt;
      let offset = created.offset;
      try {
        while (offset < bytes.byteLength) {
          const end = Math.min(bytes.byteLength, offset + this.o.chunkBytes);
          await this.gate();
          await this.bucket.take(end - offset, this.abort.signal);
          const from = offset;
          offset = await this.step(entry.packetId, async () => {
            try {
              return await this.client.uploadChunk(created.uploadId, from, bytes.subarray(from, end));
            } catch (e) {
              // The chunk may have been committed before the link broke: ask where the registry is.
              if (e instanceof RegistryRequestError && e.code === 'UPLOAD_OFFSET_MISMATCH') return Number(e.details?.offset ?? from);
              if (retryable(e)) {
                const at = await this.client.uploadOffset(created.uploadId).catch(() => null);
                if (at !== null && at !== from) return at;
              }
              throw e;
            }
          });
          this.emit('progress', { packetId: entry.packetId, offset, size: bytes.byteLength });
        }
        return await this.step(entry.packetId, () => this.client.finalize(created.uploadId, expect));
      } catch (e) {
        // Finalized by an earlier attempt whose answer was lost (upload gone), or bytes to resend: start over.
        if (e instanceof RegistryRequestError && ['UPLOAD_NOT_FOUND', 'UPLOAD_INCOMPLETE', 'UPLOAD_HASH_MISMATCH'].includes(e.code)) continue;
        throw e;
      }
    }
    throw new KioskError('SYNC_UPLOAD_FAILED', `Upload of ${entry.packetId} did not complete`);
  }

  /** One pass over the outbox. Errors are per packet; the pass always completes. */
  runOnce(): Promise<PassReport> {
    this.passRunning ??= this.pass().finally(() => {
      this.passRunning = null;
    });
    return this.passRunning;
  }

  private async pass(): Promise<PassReport> {
    const report: PassReport = { uploaded: 0, acknowledged: 0, rejected: 0, purged: 0, pending: 0, failures: 0 };
    const fail = (packetId: string, e: unknown): boolean => {
      if (e instanceof KioskError && e.code === 'DISPOSED') return true;
      report.failures++;
      this.emit('failed', { packetId, error: shapeOf(e) });
      return false;
    };
    // Uploads first (the link is busy with data, and the registry gets time to process), then status polls.
    const pending = await this.outbox.pending();
    for (const entry of pending.filter((e) => e.state === 'sealed')) {
      if (this.abort.signal.aborted) break;
      try {
        const receipt = await this.upload(entry);
        await this.outbox.markUploaded(entry.packetId, receipt);
        this.emit('uploaded', { packetId: entry.packetId, receipt });
        report.uploaded++;
      } catch (e) {
        if (fail(entry.packetId, e)) break;
      }
    }
    for (const entry of await this.outbox.pending()) {
      if (this.abort.signal.aborted) break;
      if (entry.state !== 'uploaded') continue;
      try {
        const status = await this.step(entry.packetId, () => this.client.status(entry.packetId));
        if (isFinalStatus(status.payload.status)) {
          await this.outbox.markAcknowledged(entry.packetId, status);
          this.emit('outcome', { packetId: entry.packetId, status: status.payload });
          if (status.payload.status === 'rejected') report.rejected++;
          else report.acknowledged++;
        }
      } catch (e) {
        if (fail(entry.packetId, e)) break;
      }
    }
    if (!this.abort.signal.aborted) {
      const purged = await this.outbox.purge(this.o.clock() - this.o.retentionMs);
      report.purged = purged.length;
      if (purged.length) this.emit('purged', { packetIds: purged });
    }
    report.pending = (await this.outbox.pending()).length;
    this.emit('pass', report);
    return report;
  }

  /** Repeats passes (with backoff after failures) until nothing is pending or `maxPasses` is reached. */
  async syncUntilIdle(maxPasses = 50): Promise<PassReport> {
    let last: PassReport | undefined;
    for (let i = 0; i < maxPasses && !this.abort.signal.aborted; i++) {
      last = await this.runOnce();
      if (last.pending === 0) return last;
      const delay = last.failures ? backoffDelay(i, this.o.backoffBaseMs, this.o.backoffCapMs, this.o.random) : Math.min(this.o.pollIntervalMs, this.o.backoffBaseMs);
      await abortableSleep(delay, this.abort.signal);
    }
    return last ?? { uploaded: 0, acknowledged: 0, rejected: 0, purged: 0, pending: (await this.outbox.pending()).length, failures: 0 };
  }

  /** Background mode: a pass, then wait (poll interval, or backoff after failures), until disposed. */
  start(): void {
    this.loop ??= (async () => {
      while (!this.abort.signal.aborted) {
        await this.gate().catch(() => undefined);
        if (this.abort.signal.aborted) break;
        const r = await this.runOnce();
        this.failureStreak = r.failures ? this.failureStreak + 1 : 0;
        const wait = this.failureStreak ? Math.max(backoffDelay(this.failureStreak, this.o.backoffBaseMs, this.o.backoffCapMs, this.o.random), 50) : this.o.pollIntervalMs;
        await abortableSleep(wait, this.abort.signal);
      }
    })();
  }

  async dispose(): Promise<void> {
    this.abort.abort();
    this.resume();
    await this.loop;
    await this.passRunning?.catch(() => undefined);
    this.removeAllListeners();
  }
}
