// Caller-side handle of a dedup worker: request/response over postMessage, typed errors, clean disposal.
import type { Worker } from 'node:worker_threads';
import { KioskError } from '../../main/contract/errors.js';
import type { Disposable } from '../../main/platform/disposable.js';
import { spawnWorker } from '../runtime/pool.js';
import type { WorkerRequest, WorkerResponse } from './protocol.js';

export class DedupClient implements Disposable {
  private readonly worker: Worker;
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  private disposed = false;

  /** youngGenerationMb: the worker's V8 young generation (3 × its semi-space); unset = V8's default. */
  constructor(options: { youngGenerationMb?: number } = {}) {
    // spawnWorker = startWorker (main/platform) that also works from .ts sources under vitest.
    const resourceLimits = options.youngGenerationMb ? { maxYoungGenerationSizeMb: options.youngGenerationMb } : undefined;
    this.worker = spawnWorker(new URL('./dedup.worker.js', import.meta.url), null, resourceLimits ? { resourceLimits } : {});
    this.worker.on('message', (m: WorkerResponse) => {
      const p = this.pending.get(m.seq);
      if (!p) return;
      this.pending.delete(m.seq);
      if (m.ok) p.resolve(m.value);
      else p.reject(new KioskError(m.error.code, m.error.message, m.error.details ? { details: m.error.details } : undefined));
    });
    this.worker.on('error', (error) => this.failAll(new KioskError('INTERNAL', 'Dedup worker failed', { cause: error })));
    this.worker.on('exit', () => this.failAll(new KioskError('DISPOSED', 'Dedup worker has exited')));
  }

  call<T>(req: WorkerRequest, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.disposed) return Promise.reject(new KioskError('DISPOSED', 'Dedup worker has been disposed'));
    const seq = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(seq, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...req, seq }, transfer);
    });
  }

  private failAll(error: KioskError): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.failAll(new KioskError('DISPOSED', 'Dedup worker has been disposed'));
    await this.worker.terminate();
  }
}
