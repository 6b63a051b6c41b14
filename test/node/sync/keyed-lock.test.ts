// KeyedLock (sync/registry/keyed-lock.ts): same key in order, different keys side by side, a failure does not block.
import { describe, expect, it } from 'vitest';
import { KeyedLock } from '../../../sync/registry/keyed-lock.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('KeyedLock', () => {
  it('runs calls with one key one after another and other keys alongside; a failed call does not block the next', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const job = (name: string, fail = false) => async () => {
      log.push(`${name}:start`);
      await tick();
      log.push(`${name}:end`);
      if (fail) throw new Error(name);
      return name;
    };
    const a1 = lock.run('a', job('a1', true));
    const a2 = lock.run('a', job('a2'));
    const b1 = lock.run('b', job('b1'));
    await expect(a1).rejects.toThrow('a1');
    expect(await a2).toBe('a2');
    expect(await b1).toBe('b1');
    expect(log.indexOf('a2:start')).toBeGreaterThan(log.indexOf('a1:end'));
    expect(log.indexOf('b1:start')).toBeLessThan(log.indexOf('a1:end'));
    await lock.idle();
  });
});
