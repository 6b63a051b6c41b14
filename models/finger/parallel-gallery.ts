// 1:N gallery whose prefilter runs in worker threads over a SharedArrayBuffer of quantised index vectors
// (main/platform startWorker, via the tsx-aware spawnWorker of models/runtime); the best candidates are then matched with MCC LSS-R in the calling thread.
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../runtime/pool.js';
import { KioskError } from '../../main/contract/errors.js';
import { INDEX_DIMS } from './index-vector.js';
import { rankCandidates, type SearchHit, type SearchOptions } from './matcher.js';
import { quantizeIndex } from './prefilter.js';
import type { FingerTemplate } from './template.js';

interface Pending { resolve: (v: { index: Int32Array; score: Int32Array }) => void; reject: (e: unknown) => void }

export class ParallelGallery {
  private shared: SharedArrayBuffer;
  private matrix: Int8Array;
  private ids: string[] = [];
  /** Templates, or loaders called on first use (e.g. decoding a stored compact template) and then cached. */
  private templates: (FingerTemplate | (() => FingerTemplate))[] = [];
  private workers: Worker[] = [];
  private pending = new Map<number, Pending>();
  private nextId = 1;
  private disposed = false;

  constructor(capacity = 1024, private readonly workerCount = 2) {
    this.shared = new SharedArrayBuffer(Math.max(1, capacity) * INDEX_DIMS);
    this.matrix = new Int8Array(this.shared);
  }

  get size(): number {
    return this.ids.length;
  }

  add(id: string, template: FingerTemplate): void {
    this.addQuantized(id, template, quantizeIndex(template.index));
  }

  /**
   * Adds a template whose index vector is already quantised (bulk loading). `template` may be a loader that builds the
   * template on first use (the prefilter needs only the index row; MCC needs the template of shortlisted rows).
   */
  addQuantized(id: string, template: FingerTemplate | (() => FingerTemplate), q: Int8Array): void {
    if (this.disposed) throw new KioskError('DISPOSED', 'Gallery is disposed');
    const n = this.ids.length;
    if ((n + 1) * INDEX_DIMS > this.matrix.length) {
      const bigger = new SharedArrayBuffer(this.matrix.length * 2);
      new Int8Array(bigger).set(this.matrix);
      this.shared = bigger;
      this.matrix = new Int8Array(bigger);
      for (const w of this.workers) w.postMessage({ matrix: bigger });
    }
    this.matrix.set(q, n * INDEX_DIMS);
    this.ids.push(id);
    this.templates.push(template);
  }

  /** The quantised index matrix (rows × INDEX_DIMS bytes), for inspection and benchmarks. */
  matrixView(): Int8Array {
    return this.matrix;
  }

  templateAt(row: number): FingerTemplate {
    const t = this.templates[row];
    if (!t) throw new KioskError('NOT_FOUND', 'No template at this gallery row', { details: { row } });
    if (typeof t !== 'function') return t;
    const built = t();
    this.templates[row] = built;
    return built;
  }

  idAt(row: number): string {
    const id = this.ids[row];
    if (id === undefined) throw new KioskError('NOT_FOUND', 'No id at this gallery row', { details: { row } });
    return id;
  }

  private ensureWorkers(): void {
    if (this.workers.length) return;
    for (let i = 0; i < this.workerCount; i++) {
      const w = spawnWorker(new URL('./prefilter.worker.js', import.meta.url), { matrix: this.shared });
      w.on('message', (m: { id: number; index: Int32Array; score: Int32Array }) => {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        p?.resolve(m);
      });
      w.on('error', (e) => {
        for (const p of this.pending.values()) p.reject(e);
        this.pending.clear();
      });
      this.workers.push(w);
    }
  }

  /** Prefilter in workers: the best `candidates` gallery rows for the probe, best first. */
  async prefilter(probe: FingerTemplate, candidates: number): Promise<number[]> {
    if (this.disposed) throw new KioskError('DISPOSED', 'Gallery is disposed');
    this.ensureWorkers();
    const n = this.size;
    const q = quantizeIndex(probe.index);
    const step = Math.ceil(n / this.workers.length);
    const parts = await Promise.all(
      this.workers.map((w, k) => {
        const id = this.nextId++;
        return new Promise<{ index: Int32Array; score: Int32Array }>((resolve, reject) => {
          this.pending.set(id, { resolve, reject });
          w.postMessage({ id, probe: q, from: Math.min(n, k * step), to: Math.min(n, (k + 1) * step), candidates });
        });
      }),
    );
    const merged: { i: number; s: number }[] = [];
    for (const p of parts) for (let k = 0; k < p.index.length; k++) merged.push({ i: p.index[k]!, s: p.score[k]! });
    merged.sort((a, b) => b.s - a.s);
    return merged.slice(0, candidates).map((m) => m.i);
  }

  async search(probe: FingerTemplate, opts: SearchOptions = {}): Promise<SearchHit[]> {
    const n = this.size;
    const c = Math.min(n, opts.candidates ?? Math.max(200, Math.ceil(0.005 * n)));
    const cands = await this.prefilter(probe, c);
    return rankCandidates(probe, cands, (i) => this.templateAt(i), (i) => this.ids[i]!, opts.limit ?? 10);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const p of this.pending.values()) p.reject(new KioskError('DISPOSED', 'Gallery is disposed'));
    this.pending.clear();
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers = [];
  }
}
