// Caller-side handle of a dedup worker: request/response over postMessage, typed errors, clean disposal.
import type { Worker } from 'node:worker_threads';
import { KioskError } from '../../main/contract/errors.js';
import type { Disposable } from '../../main/platform/disposable.js';
import { spawnWorker } from '../runtime/pool.js';
import type { WorkerRequest, WorkerResponse } from './protocol.js';

/** `high`: posted before every queued `normal` request (only with `maxInFlight`; see the constructor). */
export type DedupPriority = 'normal' | 'high';

interface Queued {
  req: WorkerRequest;
  transfer: ArrayBuffer[];
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export class DedupClient implements Disposable {
  private readonly worker: Worker;
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  private disposed = false;
  private readonly maxInFlight: number;
  private readonly queued: Record<DedupPriority, Queued[]> = { high: [], normal: [] };

  /**
   * youngGenerationMb: the worker's V8 young generation (3 × its semi-space); unset = V8's default.
   * maxInFlight: requests posted to the worker at once; the rest wait here, high priority first, so that a small
   * request (a search among a few rows under a lock) does not queue in the worker behind whole-gallery searches.
   * Unset: every request is posted at once (worker order = call order).
   */
  constructor(options: { youngGenerationMb?: number; maxInFlight?: number } = {}) {
    this.maxInFlight = options.maxInFlight ?? Infinity;
    // spawnWorker = startWorker (main/platform) that also works from .ts sources under vitest.
    const resourceLimits = options.youngGenerationMb ? { maxYoungGenerationSizeMb: options.youngGenerationMb } : undefined;
    this.worker = spawnWorker(new URL('./dedup.worker.js', import.meta.url), null, resourceLimits ? { resourceLimits } : {});
    this.worker.on('message', (m: WorkerResponse) => {
      const p = this.pending.get(m.seq);
      if (!p) return;
      this.pending.delete(m.seq);
      if (m.ok) p.resolve(m.value);
      else p.reject(new KioskError(m.error.code, m.error.message, m.error.details ? { details: m.error.details } : undefined));
      this.pump();
    });
    this.worker.on('error', (error) => this.failAll(new KioskError('INTERNAL', 'Dedup worker failed', { cause: error })));
    this.worker.on('exit', () => this.failAll(new KioskError('DISPOSED', 'Dedup worker has exited')));
  }

  call<T>(req: WorkerRequest, transfer: ArrayBuffer[] = [], priority: DedupPriority = 'normal'): Promise<T> {
    if (this.disposed) return Promise.reject(new KioskError('DISPOSED', 'Dedup worker has been disposed'));
    return new Promise<T>((resolve, reject) => {
      this.queued[priority].push({ req, transfer, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  /** Requests waiting on this side (not yet posted to the worker). */
  get waiting(): number {
    return this.queued.high.length + this.queued.normal.length;
  }

  private pump(): void {
    while (!this.disposed && this.pending.size < this.maxInFlight) {
      const next = this.queued.high.shift() ?? this.queued.normal.shift();
      if (!next) return;
      const seq = ++this.seq;
      this.pending.set(seq, { resolve: next.resolve, reject: next.reject });
      this.worker.postMessage({ ...next.req, seq }, next.transfer);
    }
  }

  private failAll(error: KioskError): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
    for (const q of [...this.queued.high, ...this.queued.normal]) q.reject(error);
    this.queued.high.length = 0;
    this.queued.normal.length = 0;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.failAll(new KioskError('DISPOSED', 'Dedup worker has been disposed'));
    await this.worker.terminate();
  }
}
