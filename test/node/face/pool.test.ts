// WorkerPool: dispatch, typed errors across the boundary, replacement of a crashed worker, start failure, disposal.
import { describe, expect, it } from 'vitest';
import { WorkerPool, defaultWorkerCount, threadsPerWorker } from '../../../models/runtime/pool.js';
import { ImageInvalidError, ModelMissingError } from '../../../models/runtime/errors.js';

const url = new URL('./workers/echo.worker.js', import.meta.url);

describe('WorkerPool', () => {
  it('sizes itself for the machine', () => {
    expect(defaultWorkerCount(2)).toBe(1);
    expect(defaultWorkerCount(4)).toBe(2);
    expect(defaultWorkerCount(64)).toBe(4);
    expect(threadsPerWorker(1, 2)).toBe(1);
    expect(threadsPerWorker(2, 8)).toBe(3);
  });

  it('runs tasks, rebuilds typed errors, and replaces a worker that dies mid-task', async () => {
    const pool = await WorkerPool.start(url, 2, {});
    try {
      expect(pool.size).toBe(2);
      const results = await Promise.all([1, 2, 3, 4, 5].map((n) => pool.call<{ echo: number }>('echo', n)));
      expect(results.map((r) => r.echo)).toEqual([1, 2, 3, 4, 5]);
      const err = await pool.call('fail', null).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ImageInvalidError);
      expect(err).toMatchObject({ code: 'IMAGE_INVALID', details: { reason: 'test' } });
      await expect(pool.call('die', null)).rejects.toMatchObject({ code: 'INFERENCE_FAILED' });
      // The pool keeps serving and grows back to its size.
      expect((await pool.call<{ echo: string }>('echo', 'after')).echo).toBe('after');
      for (let i = 0; i < 50 && pool.size < 2; i++) await new Promise((r) => setTimeout(r, 100));
      expect(pool.size).toBe(2);
    } finally {
      await pool.dispose();
    }
    await expect(pool.call('echo', 1)).rejects.toMatchObject({ code: 'DISPOSED' });
  });

  it('fails to start with the worker’s typed error', async () => {
    await expect(WorkerPool.start(url, 1, { failStart: true })).rejects.toBeInstanceOf(ModelMissingError);
  });

  it('rejects queued tasks on dispose', async () => {
    const pool = await WorkerPool.start(url, 1, {});
    const settling = Promise.allSettled([pool.call('echo', 1), pool.call('echo', 2), pool.call('echo', 3)]);
    await pool.dispose();
    const settled = await settling;
    expect(settled.filter((s) => s.status === 'rejected').length).toBeGreaterThanOrEqual(2);
  });
});
