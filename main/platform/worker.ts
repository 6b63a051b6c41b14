// Starting worker threads from compiled JS (dist/) or, under the test runner, from TypeScript via tsx.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Resolves a worker module given as `new URL('./x.worker.js', import.meta.url)`: uses the .js file when it exists
 * (built app), else the .ts source with the tsx loader (vitest, `tsx`).
 */
export function resolveWorkerModule(moduleUrl: URL): { file: string; execArgv: string[] } {
  const file = fileURLToPath(moduleUrl);
  if (existsSync(file)) return { file, execArgv: [] };
  const ts = file.replace(/\.js$/, '.ts');
  if (ts !== file && existsSync(ts)) return { file: ts, execArgv: ['--import', 'tsx'] };
  throw new Error(`Worker module not found: ${file}`);
}

export function startWorker(moduleUrl: URL, options: WorkerOptions = {}): Worker {
  const { file, execArgv } = resolveWorkerModule(moduleUrl);
  if (execArgv.length === 0) return new Worker(file, options);
  // Node 20 does not apply `--import tsx` to worker threads: register tsx inside the worker, then load the module.
  const bootstrap = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(pathToFileURL(file).href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}
