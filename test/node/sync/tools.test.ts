// The test tools themselves: the fault proxy does what each fault says; the token bucket paces by its rate.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { httpRequest } from '../../../sync/engine/http.js';
import { TokenBucket } from '../../../sync/engine/pacing.js';
import { FaultProxy, type Fault } from '../../../sync/testing/fault-proxy.js';

describe('fault proxy', () => {
  let server: http.Server;
  let port = 0;
  let handled = 0;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        handled++;
        res.setHeader('connection', 'close');
        res.end(`ok ${handled}`);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  const once = async (fault: Fault, body = Buffer.alloc(100)) => {
    const proxy = await FaultProxy.start({ targetPort: port, faults: fault === 'pass' ? {} : { [fault]: 1 }, dropWithinBytes: 50 });
    const before = handled;
    try {
      const res = await httpRequest(new URL('/x', proxy.url), { method: 'POST', headers: {}, body, timeoutMs: 3000 }).then(
        (r) => ({ status: r.status, body: r.body.toString() }),
        (e: Error) => ({ error: e.message }),
      );
      await new Promise((r) => setTimeout(r, 100));
      return { res, handled: handled - before, stats: proxy.stats };
    } finally {
      await proxy.close();
    }
  };

  it('pass forwards; 503 never reaches the server; reset-after-commit reaches it but the client sees an error', async () => {
    expect(await once('pass')).toMatchObject({ res: { status: 200 }, handled: 1 });
    expect(await once('status-503')).toMatchObject({ res: { status: 503 }, handled: 0 });
    const reset = await once('reset-after-commit');
    expect(reset.handled).toBe(1);
    expect(reset.res).toHaveProperty('error');
  });

  it('drop-request cuts the request before the server handles it; duplicate-request makes the server handle it twice', async () => {
    const drop = await once('drop-request', Buffer.alloc(10_000));
    expect(drop.handled).toBe(0);
    expect(drop.res).toHaveProperty('error');
    const dup = await once('duplicate-request');
    expect(dup.res).toMatchObject({ status: 200 });
    expect(dup.handled).toBe(2);
    expect(dup.stats['duplicate-request']).toBe(1);
  });
});

describe('token bucket', () => {
  afterAll(() => {
    vi.useRealTimers();
  });
  it('lets a burst through, then paces at the rate', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const bucket = new TokenBucket(1000, 1000);
    let done = false;
    await bucket.take(1000);
    const p = bucket.take(500).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(499);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(2);
    await p;
    expect(done).toBe(true);
    vi.useRealTimers();
  });
});
