// Picks the bridge: Electron's preload API when present, else the browser-shell WebSocket.
import type { KioskBridgeApi } from '../../../main/contract/ipc';
import { createWebSocketBridge } from './ws-bridge';

declare global {
  interface Window {
    kiosk?: KioskBridgeApi;
  }
}

export function getBridge(): KioskBridgeApi {
  return window.kiosk ?? createWebSocketBridge();
}
