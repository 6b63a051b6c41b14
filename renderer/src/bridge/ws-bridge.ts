// The browser-shell bridge: the same KioskBridgeApi over the token-protected WebSocket.
import type { ClientMessage, ServerMessage } from '../../../main/contract/bridge-protocol';
import type { ChannelName, Envelope, EventName, EventOf, KioskBridgeApi, RequestOf, ResponseOf } from '../../../main/contract/ipc';

const BRIDGE_PATH = '/bridge';

/**
 * What the page knows about its link to the kiosk core: `online`; `offline` (the core does not answer: retrying);
 * `restarted` (a core answers but no longer accepts this page — the kiosk was restarted: reopen it from the launcher).
 */
export type BridgeConnection = 'connecting' | 'online' | 'offline' | 'restarted';

/** Bridges that can report their connection (the browser shell's; Electron's preload is always connected). */
export interface ConnectionAware {
  connection(): BridgeConnection;
  onConnection(listener: (state: BridgeConnection) => void): () => void;
}

export function isConnectionAware(bridge: unknown): bridge is ConnectionAware {
  return typeof (bridge as Partial<ConnectionAware> | null)?.onConnection === 'function';
}

/** Asks the page's own origin whether this page is still accepted: 401/403 mean a new kiosk run (new token or session). */
async function probeRestarted(origin: string): Promise<boolean | null> {
  try {
    const r = await fetch(`${origin}/`, { method: 'HEAD', cache: 'no-store', credentials: 'same-origin' });
    return r.status === 401 || r.status === 403;
  } catch {
    return null;
  }
}

export function createWebSocketBridge(
  url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${BRIDGE_PATH}`,
  origin = typeof location === 'undefined' ? '' : location.origin,
): KioskBridgeApi & ConnectionAware & { close(): void } {
  let socket: WebSocket | null = null;
  let state: BridgeConnection = 'connecting';
  const stateListeners = new Set<(s: BridgeConnection) => void>();
  const setState = (next: BridgeConnection) => {
    if (next === state) return;
    state = next;
    for (const l of [...stateListeners]) l(next);
  };
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
      setState('online');
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
      if (closed) return;
      if (state === 'online' || state === 'connecting') setState('offline');
      void probeRestarted(origin).then((restarted) => {
        if (closed) return;
        // A restarted kiosk will never accept this page again: stop retrying and say what to do.
        if (restarted) return setState('restarted');
        setTimeout(() => connect(attempt + 1), Math.min(5000, 200 * 2 ** attempt));
      });
    };
  };
  connect();

  return {
    invoke<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<Envelope<ResponseOf<C>>> {
      const id = nextId++;
      // Nothing is queued while the core is away: the caller learns it now (and the status bar says why).
      if (state === 'offline' || state === 'restarted') return Promise.resolve({ ok: false, error: { code: 'BRIDGE_DISCONNECTED', message: 'Connection to the kiosk core was lost' } });
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
    connection: () => state,
    onConnection(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    close() {
      closed = true;
      socket?.close();
    },
  };
}
