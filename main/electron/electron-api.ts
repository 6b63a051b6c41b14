// The subset of Electron's API the kiosk uses, as structural types. The Electron package is an optional
// dependency (its binary cannot be downloaded everywhere), so the shell compiles against these and the
// bootstrap passes the real module in. Unit tests pass a stand-in with the same shape.

export interface WebPreferencesLike {
  preload: string;
  contextIsolation: boolean;
  sandbox: boolean;
  nodeIntegration: boolean;
  nodeIntegrationInWorker: boolean;
  nodeIntegrationInSubFrames: boolean;
  webSecurity: boolean;
  allowRunningInsecureContent: boolean;
  experimentalFeatures: boolean;
  webviewTag: boolean;
  navigateOnDragDrop: boolean;
  spellcheck: boolean;
  devTools: boolean;
  safeDialogs: boolean;
  /** Middle-click (auxclick) could open links in new windows. */
  disableBlinkFeatures: string;
}

export interface BrowserWindowOptionsLike {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: boolean;
  fullscreen: boolean;
  kiosk: boolean;
  autoHideMenuBar: boolean;
  backgroundColor: string;
  title: string;
  webPreferences: WebPreferencesLike;
}

export interface FrameLike {
  url: string;
  parent: FrameLike | null;
}

export interface PreventableEvent {
  preventDefault(): void;
}

export interface WebContentsLike {
  id: number;
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'render-process-gone', listener: (event: unknown, details: { reason: string }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void;
  send(channel: string, ...args: unknown[]): void;
  reload(): void;
  isDestroyed(): boolean;
}

export type PermissionRequestHandler = (
  webContents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details: { requestingUrl?: string; mediaTypes?: string[] },
) => void;

export type PermissionCheckHandler = (webContents: unknown, permission: string, requestingOrigin: string, details: { mediaType?: string }) => boolean;

export interface SessionLike {
  setPermissionRequestHandler(handler: PermissionRequestHandler): void;
  setPermissionCheckHandler(handler: PermissionCheckHandler): void;
}

export interface IpcMainInvokeEventLike {
  senderFrame: FrameLike | null;
  sender: { id: number };
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEventLike, payload: unknown) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}
