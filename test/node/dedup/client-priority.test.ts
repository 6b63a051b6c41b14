// DedupClient's caller-side queue: with maxInFlight, high-priority requests are posted before queued normal ones;
// without it every request goes to the worker at once, in call order. A dead or disposed worker fails the queue too.
import { afterEach, describe, expect, it } from 'vitest';
import { DedupClient } from '../../../models/dedup/client.js';

let client: DedupClient | null = null;
afterEach(async () => {
  await client?.dispose();
  client = null;
});

async function order(c: DedupClient): Promise<string[]> {
  const done: string[] = [];
  const call = (label: string, priority: 'normal' | 'high') => c.call({ op: 'ids', gallery: 'main' }, [], priority).then(() => void done.push(label));
  await Promise.all([call('a', 'normal'), call('b', 'normal'), call('c', 'normal'), call('high', 'high')]);
  return done;
}

describe('DedupClient request queue', () => {
  it('posts a high-priority request before the queued normal ones when requests are held back', async () => {
    client = new DedupClient({ maxInFlight: 1 });
    const first = client.call({ op: 'ids', gallery: 'main' });
    expect(client.waiting).toBe(0);
    const done = order(client);
    expect(client.waiting).toBe(4);
    await first;
    expect(await done).toEqual(['high', 'a', 'b', 'c']);
    expect(client.waiting).toBe(0);
  });

  it('keeps call order when every request is posted at once (the kiosk’s default)', async () => {
    client = new DedupClient();
    expect(await order(client)).toEqual(['a', 'b', 'c', 'high']);
  });

  it('rejects queued requests with DISPOSED when disposed', async () => {
    client = new DedupClient({ maxInFlight: 1 });
    const calls = Promise.allSettled([1, 2, 3].map(() => client!.call({ op: 'ids', gallery: 'main' })));
    await client.dispose();
    const settled = await calls;
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const s of settled) expect((s as PromiseRejectedResult).reason).toMatchObject({ code: 'DISPOSED' });
  });
});
