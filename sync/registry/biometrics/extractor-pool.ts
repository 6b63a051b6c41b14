// A small pool of template-extraction workers; the ten fingers of a packet are extracted in parallel.
import type { Worker } from 'node:worker_threads';
import { KioskError, type KioskErrorShape } from '../../../main/contract/errors.js';
import type { Disposable } from '../../../main/platform/disposable.js';
import { startWorker } from '../../../main/platform/worker.js';
import type { FingerImageInput } from './probe.js';

/** An extracted template, its prefilter vector (of the kiosk template when checking one) and the check's score. */
export interface Extracted {
  template: Uint8Array;
  index: Int8Array;
  score: number | null;
}

type Reply = ({ seq: number; ok: true } & Extracted) | { seq: number; ok: false; error: KioskErrorShape };

export class ExtractorPool implements Disposable {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, { resolve(t: Extracted): void; reject(e: unknown): void }>();
  private readonly load = new Map<Worker, number>();
  private readonly owner = new Map<number, Worker>();
  private seq = 0;
  private next = 0;
  private disposed = false;

  /** youngGenerationMb: each worker's V8 young generation (3 × its semi-space); unset = V8's default. */
  constructor(size: number, youngGenerationMb?: number) {
    for (let i = 0; i < Math.max(1, size); i++) {
      const w = startWorker(new URL('./extract.worker.js', import.meta.url), youngGenerationMb ? { resourceLimits: { maxYoungGenerationSizeMb: youngGenerationMb } } : {});
      w.on('message', (r: Reply) => {
        const owner = this.owner.get(r.seq);
        if (owner) this.load.set(owner, (this.load.get(owner) ?? 1) - 1);
        this.owner.delete(r.seq);
        const p = this.pending.get(r.seq);
        if (!p) return;
        this.pending.delete(r.seq);
        if (r.ok) p.resolve({ template: r.template, index: r.index, score: r.score });
        else p.reject(new KioskError(r.error.code, r.error.message, r.error.details ? { details: r.error.details } : undefined));
      });
      w.on('error', (e) => this.failAll(new KioskError('INTERNAL', 'Extraction worker failed', { cause: e })));
      this.workers.push(w);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** Extracts a finger's template from its image; with `against` (the kiosk's KFT1), also scores the two. */
  extract(input: FingerImageInput, against?: Uint8Array): Promise<Extracted> {
    if (this.disposed) return Promise.reject(new KioskError('DISPOSED', 'Extractor pool disposed'));
    const seq = ++this.seq;
    // Least-loaded worker: one packet's fingers spread over every worker even when several packets are in flight.
    const w = this.pick();
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.load.set(w, (this.load.get(w) ?? 0) + 1);
      this.owner.set(seq, w);
      w.postMessage({ seq, input, ...(against ? { against } : {}) });
    });
  }

  private pick(): Worker {
    let best = this.workers[this.next++ % this.workers.length]!;
    for (const w of this.workers) if ((this.load.get(w) ?? 0) < (this.load.get(best) ?? 0)) best = w;
    return best;
  }

  private failAll(e: KioskError): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.failAll(new KioskError('DISPOSED', 'Extractor pool disposed'));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
