// Electron IPC: one handler per contract channel; every message's sender frame is checked before dispatch.
import { fail } from '../contract/envelope.js';
import { channels, type ChannelName } from '../contract/ipc.js';
import type { CallContext } from '../core/handlers.js';
import type { KioskCore } from '../core/kiosk-core.js';
import type { IpcMainLike, WebContentsLike } from './electron-api.js';
import { isTrustedSender } from './security.js';

export const EVENT_CHANNEL = 'kiosk:event';

export function registerIpc(ipcMain: IpcMainLike, core: KioskCore): { attach(contents: WebContentsLike): void; dispose(): void } {
  const contexts = new Map<number, CallContext>();
  const names = Object.keys(channels) as ChannelName[];
  for (const channel of names) {
    ipcMain.handle(channel, async (event, payload) => {
      if (!isTrustedSender(event.senderFrame)) {
        core.logger.warn({ channel, sender: event.sender.id }, 'ipc refused: untrusted sender frame');
        return fail({ code: 'FORBIDDEN_SENDER', message: 'IPC from an untrusted frame' });
      }
      let ctx = contexts.get(event.sender.id);
      if (!ctx) {
        ctx = core.newContext(`webcontents-${event.sender.id}`);
        contexts.set(event.sender.id, ctx);
      }
      return core.router.dispatch(channel, payload, ctx);
    });
  }
  const offs: (() => void)[] = [];
  return {
    attach(contents) {
      offs.push(
        core.events.listen((event, payload) => {
          if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, { event, payload });
        }),
      );
    },
    dispose() {
      for (const channel of names) ipcMain.removeHandler(channel);
      for (const off of offs.splice(0)) off();
      contexts.clear();
    },
  };
}
