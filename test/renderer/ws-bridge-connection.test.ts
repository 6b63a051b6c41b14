// Issue 17 item 7 (renderer side): the browser-shell bridge reports its connection — online, offline while the core
// is away (calls answer BRIDGE_DISCONNECTED at once instead of hanging), back online when the same shell returns,
// and "restarted" when a core answers but refuses this page (a new kiosk run: reopen from the launcher).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWebSocketBridge, type BridgeConnection } from '../../renderer/src/bridge/ws-bridge';

class FakeSocket {
  static all: FakeSocket[] = [];
  static OPEN = 1;
  readyState = 0;
  onopen: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  sent: string[] = [];
  constructor(public url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.drop();
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  drop() {
    this.readyState = 3;
    this.onclose?.();
  }
}

const realWs = globalThis.WebSocket;
const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.WebSocket = realWs;
  globalThis.fetch = realFetch;
  FakeSocket.all = [];
  vi.useRealTimers();
});

describe('browser-shell bridge connection', () => {
  it('goes offline when the core disappears, fails calls at once, comes back online, and says "restarted" when refused', async () => {
    vi.useFakeTimers();
    globalThis.WebSocket = FakeSocket as unknown as typeof WebSocket;
    let status: number | null = null; // null: nothing listens
    globalThis.fetch = (async () => {
      if (status === null) throw new TypeError('connection refused');
      return { status } as Response;
    }) as typeof fetch;
    const bridge = createWebSocketBridge('ws://127.0.0.1:1/bridge', 'http://127.0.0.1:1');
    const states: BridgeConnection[] = [];
    bridge.onConnection((s) => states.push(s));
    FakeSocket.all[0]!.open();
    expect(bridge.connection()).toBe('online');

    FakeSocket.all[0]!.drop();
    expect(bridge.connection()).toBe('offline');
    await expect(bridge.invoke('kiosk:app.info', {})).resolves.toMatchObject({ ok: false, error: { code: 'BRIDGE_DISCONNECTED' } });

    // The same shell is back: the retry connects.
    status = 200;
    await vi.advanceTimersByTimeAsync(300);
    FakeSocket.all.at(-1)!.open();
    expect(bridge.connection()).toBe('online');

    // A new kiosk run on the same port refuses this page's cookie.
    status = 403;
    FakeSocket.all.at(-1)!.drop();
    await vi.advanceTimersByTimeAsync(10);
    expect(bridge.connection()).toBe('restarted');
    const sockets = FakeSocket.all.length;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(FakeSocket.all.length).toBe(sockets); // no more retries
    expect(states).toEqual(['online', 'offline', 'online', 'offline', 'restarted']);
    bridge.close();
  });
});
