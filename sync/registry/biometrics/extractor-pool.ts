// A small pool of template-extraction workers; the ten fingers of a packet are extracted in parallel.
import type { Worker } from 'node:worker_threads';
import { KioskError, type KioskErrorShape } from '../../../main/contract/errors.js';
import type { Disposable } from '../../../main/platform/disposable.js';
import { startWorker } from '../../../main/platform/worker.js';
import type { FingerImageInput } from './probe.js';

type Reply = { seq: number; ok: true; template: Uint8Array } | { seq: number; ok: false; error: KioskErrorShape };

export class ExtractorPool implements Disposable {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, { resolve(t: Uint8Array): void; reject(e: unknown): void }>();
  private seq = 0;
  private next = 0;
  private disposed = false;

  constructor(size: number) {
    for (let i = 0; i < Math.max(1, size); i++) {
      const w = startWorker(new URL('./extract.worker.js', import.meta.url));
      w.on('message', (r: Reply) => {
        const p = this.pending.get(r.seq);
        if (!p) return;
        this.pending.delete(r.seq);
        if (r.ok) p.resolve(r.template);
        else p.reject(new KioskError(r.error.code, r.error.message, r.error.details ? { details: r.error.details } : undefined));
      });
      w.on('error', (e) => this.failAll(new KioskError('INTERNAL', 'Extraction worker failed', { cause: e })));
      this.workers.push(w);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  extract(input: FingerImageInput): Promise<Uint8Array> {
    if (this.disposed) return Promise.reject(new KioskError('DISPOSED', 'Extractor pool disposed'));
    const seq = ++this.seq;
    const w = this.workers[this.next++ % this.workers.length]!;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      w.postMessage({ seq, input });
    });
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
