// The browser-shell bridge: the same KioskBridgeApi over the token-protected WebSocket.
import type { ClientMessage, ServerMessage } from '../../../main/contract/bridge-protocol';
import type { ChannelName, Envelope, EventName, EventOf, KioskBridgeApi, RequestOf, ResponseOf } from '../../../main/contract/ipc';

const BRIDGE_PATH = '/bridge';

export function createWebSocketBridge(url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${BRIDGE_PATH}`): KioskBridgeApi & { close(): void } {
  let socket: WebSocket | null = null;
  let nextId = 1;
  let closed = false;
  const pending = new Map<number, (e: Envelope<unknown>) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const queue: ClientMessage[] = [];

  const send = (m: ClientMessage) => {
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(m));
    else queue.push(m);
  };

  const connect = (attempt = 0) => {
    if (closed) return;
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      for (const event of listeners.keys()) ws.send(JSON.stringify({ type: 'subscribe', event } satisfies ClientMessage));
      while (queue.length) ws.send(JSON.stringify(queue.shift()));
    };
    ws.onmessage = (e) => {
      const message = JSON.parse(String(e.data)) as ServerMessage;
      if (message.type === 'result') {
        pending.get(message.id)?.(message.envelope);
        pending.delete(message.id);
      } else if (message.type === 'event') {
        for (const l of listeners.get(message.event) ?? []) l(message.payload);
      }
    };
    ws.onclose = () => {
      for (const [id, resolve] of pending) {
        resolve({ ok: false, error: { code: 'BRIDGE_DISCONNECTED', message: 'Connection to the kiosk core was lost' } });
        pending.delete(id);
      }
      if (!closed) setTimeout(() => connect(attempt + 1), Math.min(5000, 200 * 2 ** attempt));
    };
  };
  connect();

  return {
    invoke<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<Envelope<ResponseOf<C>>> {
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve as (e: Envelope<unknown>) => void);
        send({ type: 'invoke', id, channel, payload: request });
      });
    },
    subscribe<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
        send({ type: 'subscribe', event });
      }
      set.add(listener as (p: unknown) => void);
      return () => {
        set.delete(listener as (p: unknown) => void);
        if (set.size === 0) {
          listeners.delete(event);
          send({ type: 'unsubscribe', event });
        }
      };
    },
    close() {
      closed = true;
      socket?.close();
    },
  };
}
