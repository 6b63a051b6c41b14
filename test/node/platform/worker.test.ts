import { describe, expect, it } from 'vitest';
import { resolveWorkerModule, startWorker } from '../../../main/platform/worker.js';

describe('startWorker', () => {
  it('runs a TypeScript worker from sources (tests) and refuses a missing module', async () => {
    const worker = startWorker(new URL('./echo.worker.js', import.meta.url));
    const reply = await new Promise<number>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.postMessage(21);
    });
    expect(reply).toBe(42);
    await worker.terminate();
    expect(() => resolveWorkerModule(new URL('./none.worker.js', import.meta.url))).toThrow(/not found/);
  });
});
