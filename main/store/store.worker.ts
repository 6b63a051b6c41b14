// The store worker: owns the only SQLite connection. Receives typed calls, answers results or error shapes.
import { parentPort, workerData } from 'node:worker_threads';
import { KioskError, toKioskErrorShape, type KioskErrorShape } from '../contract/errors.js';
import { StoreDb } from './db.js';
import { mapSqliteError } from './errors.js';
import type { ClientToWorker, StoreWorkerOptions, WorkerToClient } from './protocol.js';
import { transferables } from './transfer.js';

const port = parentPort!;
const options = workerData as StoreWorkerOptions;

function shapeOf(error: unknown): KioskErrorShape {
  const mapped = mapSqliteError(error);
  if (mapped instanceof KioskError) return mapped.toShape();
  return toKioskErrorShape(new KioskError('INTERNAL', `Store worker error: ${(mapped as Error)?.message ?? String(mapped)}`));
}

function post(message: WorkerToClient): void {
  port.postMessage(message);
}

let store: StoreDb | null = null;
try {
  store = StoreDb.open(options);
  post({ type: 'ready', userVersion: store.userVersion, migrated: store.migrated });
} catch (error) {
  post({ type: 'init-error', error: shapeOf(error) });
}

port.on('message', (message: ClientToWorker) => {
  if (message.type === 'close') {
    store?.close();
    store = null;
    post({ type: 'closed' });
    port.close();
    return;
  }
  if (!store) {
    post({ type: 'result', id: message.id, ok: false, error: { code: 'STORE_CLOSED', message: 'The enrollment store is closed' } });
    return;
  }
  const t0 = performance.now();
  try {
    const value = store.call(message.method, message.params as never);
    port.postMessage({ type: 'result', id: message.id, ok: true, value } satisfies WorkerToClient, transferables(value));
  } catch (error) {
    post({ type: 'result', id: message.id, ok: false, error: shapeOf(error) });
  }
  const ms = performance.now() - t0;
  if (ms > options.slowMs) post({ type: 'slow', method: message.method, ms: Math.round(ms * 10) / 10 });
});
