// The main-thread side of the store: starts the worker, sends typed calls, rebuilds typed errors.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { resolveWorkerModule, startWorker } from '../platform/worker.js';
import { StoreClosedError, storeErrorFromShape } from './errors.js';
import { transferables } from './transfer.js';
import type { ClientToWorker, StoreMethod, StoreMethods, StoreWorkerOptions, WorkerToClient } from './protocol.js';

export interface StoreClientOptions extends Partial<Omit<StoreWorkerOptions, 'file'>> {
  file: string;
  logger?: Pick<Logger, 'warn' | 'error'>;
}

/**
 * startWorker for the built app; for TypeScript sources (vitest, tsx) Node 20 does not apply `--import tsx` to a
 * worker's entry module, so the worker registers tsx's ESM hooks itself and then imports the source.
 */
function spawnStoreWorker(workerData: StoreWorkerOptions): Worker {
  const moduleUrl = new URL('./store.worker.js', import.meta.url);
  const { file, execArgv } = resolveWorkerModule(moduleUrl);
  if (execArgv.length === 0) return startWorker(moduleUrl, { workerData });
  const require = createRequire(import.meta.url);
  const api = pathToFileURL(require.resolve('tsx/package.json').replace(/package\.json$/, 'dist/esm/api/index.mjs')).href;
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(pathToFileURL(file).href)}); });`;
  return new Worker(code, { eval: true, workerData });
}

export class StoreClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  private closing: Promise<void> | null = null;
  private exited = false;
  private readonly committed = new Set<(method: StoreMethod, params: unknown) => void>();

  private constructor(
    private readonly worker: Worker,
    readonly userVersion: number,
    readonly migrated: number[],
    private readonly logger: StoreClientOptions['logger'],
  ) {
    worker.on('message', (m: WorkerToClient) => this.onMessage(m));
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', () => {
      this.exited = true;
      this.failAll(new StoreClosedError('The store worker exited'));
    });
  }

  static async open(options: StoreClientOptions): Promise<StoreClient> {
    const workerOptions: StoreWorkerOptions = {
      file: options.file,
      slowMs: options.slowMs ?? 50,
      quickCheckOnOpen: options.quickCheckOnOpen ?? 'auto',
      ...(options.trackSession !== undefined ? { trackSession: options.trackSession } : {}),
      ...(options.maxPageCount !== undefined ? { maxPageCount: options.maxPageCount } : {}),
      ...(options.readonly !== undefined ? { readonly: options.readonly } : {}),
    };
    const worker = spawnStoreWorker(workerOptions);
    const first = await new Promise<WorkerToClient>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    if (first.type === 'init-error') {
      await worker.terminate();
      throw storeErrorFromShape(first.error);
    }
    if (first.type !== 'ready') {
      await worker.terminate();
      throw new StoreClosedError('The store worker did not start');
    }
    return new StoreClient(worker, first.userVersion, first.migrated, options.logger);
  }

  /** True once the worker thread has exited. */
  get exitedWorker(): boolean {
    return this.exited;
  }

  /**
   * Observes every call that succeeded (after it committed), e.g. the dedup gallery following seal and purge. Listeners
   * must not throw; binary params may have been transferred (detached) by then.
   */
  onCommitted(listener: (method: StoreMethod, params: unknown) => void): () => void {
    this.committed.add(listener);
    return () => this.committed.delete(listener);
  }

  call<M extends StoreMethod>(method: M, params: StoreMethods[M]['req']): Promise<StoreMethods[M]['res']> {
    if (this.closing || this.exited) return Promise.reject(new StoreClosedError());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const done = (v: unknown) => {
        resolve(v as StoreMethods[M]['res']);
        for (const l of this.committed) l(method, params);
      };
      this.pending.set(id, { resolve: done, reject });
      const message: ClientToWorker = { type: 'call', id, method, params };
      this.worker.postMessage(message, transferables(params));
    });
  }

  private onMessage(m: WorkerToClient): void {
    if (m.type === 'result') {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(storeErrorFromShape(m.error));
    } else if (m.type === 'slow') {
      this.logger?.warn({ method: m.method, ms: m.ms }, 'slow store call');
    }
  }

  private failAll(error: unknown): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  /** Waits for in-flight calls, closes the database and stops the worker. */
  dispose(): Promise<void> {
    this.closing ??= (async () => {
      if (this.exited) return;
      const closed = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
      this.worker.postMessage({ type: 'close' } satisfies ClientToWorker);
      const timer = setTimeout(() => void this.worker.terminate(), 5000);
      await closed;
      clearTimeout(timer);
    })();
    return this.closing;
  }
}
