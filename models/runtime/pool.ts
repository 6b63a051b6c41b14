// A fixed pool of worker threads for model inference: each worker loads its sessions and warms up before it counts
// as ready; tasks queue FIFO and go to the first idle worker. A crashed worker fails its task and is replaced.
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { KioskError, type KioskErrorShape } from '../../main/contract/errors.js';
import { resolveWorkerModule, startWorker } from '../../main/platform/worker.js';
import { errorFromShape } from './errors.js';

export type WorkerRequest = { id: number; type: string; payload: unknown };
export type WorkerReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: KioskErrorShape };
export type WorkerHello = { ready: true } | { ready: false; error: KioskErrorShape };

/** Workers for a machine: leave a core for the UI/main thread; 2 cores → 1 worker, 4 → 2, never more than 4. */
export function defaultWorkerCount(cores = availableParallelism()): number {
  return Math.max(1, Math.min(4, Math.floor(cores / 2)));
}

/** Intra-op threads per worker: the cores left after one for the main thread/UI, shared by the workers (≥ 1). */
export function threadsPerWorker(workers: number, cores = availableParallelism()): number {
  return Math.max(1, Math.floor((cores - 1) / workers));
}

/**
 * startWorker, except for TypeScript sources (tests, tsx): Node 20 does not apply `--import tsx` to a worker's entry
 * module ("Unknown file extension .ts"), so the worker registers tsx's ESM hooks itself and then imports the source.
 */
export function spawnWorker(moduleUrl: URL, workerData: unknown, options: Pick<WorkerOptions, 'resourceLimits'> = {}): Worker {
  const { file, execArgv } = resolveWorkerModule(moduleUrl);
  if (execArgv.length === 0) return startWorker(moduleUrl, { ...options, workerData });
  const require = createRequire(import.meta.url);
  const api = pathToFileURL(require.resolve('tsx/package.json').replace(/package\.json$/, 'dist/esm/api/index.mjs')).href;
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(pathToFileURL(file).href)}); });`;
  return new Worker(code, { ...options, eval: true, workerData });
}

interface Task {
  request: WorkerRequest;
  transfer: ArrayBuffer[];
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

interface Slot {
  worker: Worker;
  busy: Task | undefined;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private disposed = false;

  private constructor(
    private readonly moduleUrl: URL,
    private readonly workerData: unknown,
  ) {}

  /** Starts `size` workers and waits until each has loaded and warmed up (or throws its typed error). */
  static async start(moduleUrl: URL, size: number, workerData: unknown): Promise<WorkerPool> {
    const pool = new WorkerPool(moduleUrl, workerData);
    try {
      await Promise.all(Array.from({ length: Math.max(1, size) }, () => pool.spawn()));
    } catch (error) {
      await pool.dispose();
      throw error;
    }
    return pool;
  }

  get size(): number {
    return this.slots.length;
  }

  private spawn(): Promise<Slot> {
    const worker = spawnWorker(this.moduleUrl, this.workerData);
    const slot: Slot = { worker, busy: undefined };
    return new Promise<Slot>((resolve, reject) => {
      let ready = false;
      worker.on('message', (msg: WorkerHello | WorkerReply) => {
        if (!ready) {
          if ('ready' in msg && msg.ready) {
            ready = true;
            this.slots.push(slot);
            resolve(slot);
            this.pump();
          } else if ('ready' in msg) {
            reject(errorFromShape(msg.error));
            void worker.terminate();
          }
          return;
        }
        const task = slot.busy;
        if (!task || !('id' in msg) || msg.id !== task.request.id) return;
        slot.busy = undefined;
        if (msg.ok) task.resolve(msg.result);
        else task.reject(errorFromShape(msg.error));
        this.pump();
      });
      const onDeath = (error: unknown) => {
        if (!ready) {
          reject(error instanceof Error ? new KioskError('INTERNAL', `Inference worker failed to start: ${error.message}`, { cause: error }) : error);
          return;
        }
        const index = this.slots.indexOf(slot);
        if (index >= 0) this.slots.splice(index, 1);
        const task = slot.busy;
        slot.busy = undefined;
        task?.reject(new KioskError('INFERENCE_FAILED', 'Inference worker stopped unexpectedly', { cause: error }));
        if (!this.disposed) {
          // Replace the lost worker; queued tasks wait for it.
          this.spawn().catch((e: unknown) => {
            for (const t of this.queue.splice(0)) t.reject(e);
          });
        }
      };
      worker.on('error', onDeath);
      worker.on('exit', (code) => {
        if (!this.disposed && (slot.busy || !ready || this.slots.includes(slot))) onDeath(new Error(`worker exited with code ${code}`));
      });
    });
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.busy) continue;
      const task = this.queue.shift();
      if (!task) return;
      slot.busy = task;
      slot.worker.postMessage(task.request, task.transfer);
    }
  }

  /** Sends one task; `transfer` buffers are moved to the worker (the caller must not use them afterwards). */
  call<T>(type: string, payload: unknown, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.disposed) return Promise.reject(new KioskError('DISPOSED', 'Inference pool has been disposed'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ request: { id: this.nextId++, type, payload }, transfer, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  /** Runs the same task on every worker (e.g. to read each one's memory). */
  async broadcast<T>(type: string, payload: unknown): Promise<T[]> {
    const results: Promise<T>[] = [];
    for (const slot of this.slots) {
      results.push(
        new Promise<T>((resolve, reject) => {
          const id = this.nextId++;
          const listener = (msg: WorkerReply) => {
            if (msg.id !== id) return;
            slot.worker.off('message', listener);
            if (msg.ok) resolve(msg.result as T);
            else reject(errorFromShape(msg.error));
          };
          slot.worker.on('message', listener);
          slot.worker.postMessage({ id, type, payload });
        }),
      );
    }
    return Promise.all(results);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const t of this.queue.splice(0)) t.reject(new KioskError('DISPOSED', 'Inference pool has been disposed'));
    const slots = this.slots.splice(0);
    for (const s of slots) s.busy?.reject(new KioskError('DISPOSED', 'Inference pool has been disposed'));
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
