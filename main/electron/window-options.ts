// The hardened BrowserWindow options, built by a pure function so tests can check every flag.
import type { BrowserWindowOptionsLike } from './electron-api.js';

export interface WindowOptionsInput {
  preloadPath: string;
  /** Kiosk mode: full screen, no menu, devtools off. */
  kioskMode: boolean;
  title: string;
}

export function buildWindowOptions(input: WindowOptionsInput): BrowserWindowOptionsLike {
  return {
    width: 1366,
    height: 768,
    minWidth: 1024,
    minHeight: 768,
    show: false,
    fullscreen: input.kioskMode,
    kiosk: input.kioskMode,
    autoHideMenuBar: true,
    backgroundColor: '#f4f6f8',
    title: input.title,
    webPreferences: {
      preload: input.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: !input.kioskMode,
      safeDialogs: true,
      disableBlinkFeatures: 'Auxclick',
    },
  };
}
