// A small pool of analysis workers (analysis.worker.ts). Jobs queue when every worker is busy; a crashed worker fails
// its job with a typed error and is replaced on the next job. dispose() terminates every worker.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { KioskError } from '../contract/errors.js';
import { startWorker } from '../platform/worker.js';
import type { AnalyseResult, AnalysisRequest, CompareResult, WorkerReply } from './analysis-protocol.js';
import { FingerAnalysisError } from './errors.js';

export interface FingerAnalyzer {
  /** Quality, feedback, minutiae and template of one grey image (any ppi; resampled to 500). */
  analyse(image: { width: number; height: number; ppi: number; pixels: Uint8Array }): Promise<AnalyseResult>;
  /** Normalised matcher scores of a probe template against candidates (compact "KFT1" templates). */
  compare(probe: Uint8Array, candidates: Uint8Array[]): Promise<number[]>;
  dispose(): Promise<void>;
}

interface Job {
  request: AnalysisRequest;
  transfer: ArrayBuffer[];
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

interface Slot {
  worker: Worker;
  job: (Job & { seq: number }) | null;
}

export class FingerAnalysisPool implements FingerAnalyzer {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private seq = 0;
  private disposed = false;
  readonly size: number;

  constructor(options: { size?: number } = {}) {
    this.size = Math.max(1, Math.min(4, options.size ?? Math.min(2, Math.max(1, availableParallelism() - 1))));
  }

  analyse(image: { width: number; height: number; ppi: number; pixels: Uint8Array }): Promise<AnalyseResult> {
    // A copy goes to the worker: the caller keeps its buffer.
    const pixels = image.pixels.slice();
    return this.run({ op: 'analyse', width: image.width, height: image.height, ppi: image.ppi, pixels }, [pixels.buffer as ArrayBuffer]) as Promise<AnalyseResult>;
  }

  async compare(probe: Uint8Array, candidates: Uint8Array[]): Promise<number[]> {
    if (candidates.length === 0) return [];
    return ((await this.run({ op: 'compare', probe, candidates }, [])) as CompareResult).scores;
  }

  private run(request: AnalysisRequest, transfer: ArrayBuffer[]): Promise<unknown> {
    if (this.disposed) return Promise.reject(new KioskError('DISPOSED', 'Finger analysis pool is disposed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ request, transfer, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length) {
      let slot = this.slots.find((s) => s.job === null);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const job = { ...this.queue.shift()!, seq: ++this.seq };
      slot.job = job;
      slot.worker.postMessage({ ...job.request, seq: job.seq }, job.transfer);
    }
  }

  private spawn(): Slot {
    const worker = startWorker(new URL('./analysis.worker.js', import.meta.url));
    const slot: Slot = { worker, job: null };
    worker.on('message', (reply: WorkerReply) => {
      const job = slot.job;
      if (!job || job.seq !== reply.seq) return;
      slot.job = null;
      if (reply.ok) job.resolve(reply.value);
      else job.reject(new KioskError(reply.error.code, reply.error.message, reply.error.details ? { details: reply.error.details } : undefined));
      this.pump();
    });
    const fail = (cause: unknown) => {
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      const job = slot.job;
      slot.job = null;
      job?.reject(new FingerAnalysisError('Finger analysis worker stopped', { cause }));
      if (!this.disposed) this.pump();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`worker exited with code ${code}`)));
    this.slots.push(slot);
    return slot;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const job of this.queue.splice(0)) job.reject(new KioskError('DISPOSED', 'Finger analysis pool is disposed'));
    const slots = this.slots.splice(0);
    for (const s of slots) s.job?.reject(new KioskError('DISPOSED', 'Finger analysis pool is disposed'));
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
