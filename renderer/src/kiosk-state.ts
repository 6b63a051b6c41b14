// React hooks over the bridge: calls with typed envelopes, and subscriptions to core events.
import { createContext, useContext, useEffect, useState } from 'react';
import { isConnectionAware, type BridgeConnection } from './bridge/ws-bridge';
import type { ChannelName, EventName, EventOf, KioskBridgeApi, KioskErrorShape, RequestOf, ResponseOf } from '../../main/contract/ipc';

export const BridgeContext = createContext<KioskBridgeApi | null>(null);

export function useBridge(): KioskBridgeApi {
  const bridge = useContext(BridgeContext);
  if (!bridge) throw new Error('BridgeContext missing');
  return bridge;
}

export type CallState<T> = { status: 'loading' } | { status: 'ok'; value: T } | { status: 'error'; error: KioskErrorShape };

/** Calls a channel once (and again when `deps` change). */
export function useCall<C extends ChannelName>(channel: C, request: RequestOf<C>, deps: unknown[] = []): [CallState<ResponseOf<C>>, () => void] {
  const bridge = useBridge();
  const [state, setState] = useState<CallState<ResponseOf<C>>>({ status: 'loading' });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    void bridge.invoke(channel, request).then((envelope) => {
      if (!live) return;
      setState(envelope.ok ? { status: 'ok', value: envelope.value } : { status: 'error', error: envelope.error });
    });
    return () => {
      live = false;
    };
  }, [bridge, channel, tick, ...deps]);
  return [state, () => setTick((t) => t + 1)];
}

export function useEvent<E extends EventName>(event: E): EventOf<E> | undefined {
  const bridge = useBridge();
  const [value, setValue] = useState<EventOf<E> | undefined>(undefined);
  useEffect(() => bridge.subscribe(event, setValue), [bridge, event]);
  return value;
}

/** The bridge's link to the core (always `online` for bridges that cannot lose it, e.g. Electron's preload). */
export function useConnection(): BridgeConnection {
  const bridge = useBridge();
  const [state, setState] = useState<BridgeConnection>(() => (isConnectionAware(bridge) ? bridge.connection() : 'online'));
  useEffect(() => {
    if (!isConnectionAware(bridge)) return;
    setState(bridge.connection());
    return bridge.onConnection(setState);
  }, [bridge]);
  return state;
}
