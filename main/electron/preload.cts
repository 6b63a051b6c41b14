// Preload (sandboxed, CommonJS): exposes one narrow typed API to the renderer. Nothing else crosses.
import electron = require('electron');

const { contextBridge, ipcRenderer } = electron;
type IpcRendererEvent = electron.IpcRendererEvent;

const EVENT_CHANNEL = 'kiosk:event';
const listeners = new Map<string, Set<(payload: unknown) => void>>();

ipcRenderer.on(EVENT_CHANNEL, (_e: IpcRendererEvent, message: { event: string; payload: unknown }) => {
  for (const listener of listeners.get(message.event) ?? []) listener(message.payload);
});

contextBridge.exposeInMainWorld('kiosk', {
  invoke(channel: string, request: unknown): Promise<unknown> {
    if (typeof channel !== 'string' || !channel.startsWith('kiosk:') || channel === EVENT_CHANNEL) {
      return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_CHANNEL', message: 'Not a kiosk channel' } });
    }
    return ipcRenderer.invoke(channel, request);
  },
  subscribe(event: string, listener: (payload: unknown) => void): () => void {
    if (typeof event !== 'string' || !event.startsWith('kiosk:event.') || typeof listener !== 'function') return () => {};
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  },
});
