// The thin Electron bootstrap: the only process code that needs the Electron binary. Everything it wires
// (core, IPC router, renderer) also runs under plain Node in the browser shell.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config/load-config.js';
import { createKioskCore } from '../core/kiosk-core.js';
import type { BrowserWindowOptionsLike, IpcMainLike, SessionLike, WebContentsLike } from './electron-api.js';
import { serveAppRequest } from './app-protocol.js';
import { registerIpc } from './ipc-main.js';
import { APP_ORIGIN, APP_SCHEME } from './origin.js';
import { applySessionPolicies, hardenWebContents } from './security.js';
import { buildWindowOptions } from './window-options.js';

interface ElectronModule {
  app: {
    requestSingleInstanceLock(): boolean;
    quit(): void;
    relaunch(): void;
    exit(code: number): void;
    whenReady(): Promise<void>;
    on(event: string, listener: (...args: unknown[]) => void): void;
  };
  BrowserWindow: new (options: BrowserWindowOptionsLike) => {
    webContents: WebContentsLike;
    loadURL(url: string): Promise<void>;
    once(event: 'ready-to-show', listener: () => void): void;
    show(): void;
    focus(): void;
    setMenu(menu: null): void;
  };
  ipcMain: IpcMainLike;
  protocol: {
    registerSchemesAsPrivileged(schemes: { scheme: string; privileges: Record<string, boolean> }[]): void;
    handle(scheme: string, handler: (request: Request) => Promise<Response>): void;
  };
  session: { defaultSession: SessionLike };
}

const here = path.dirname(fileURLToPath(import.meta.url));
const distRoot = path.resolve(here, '..', '..');

async function main(): Promise<void> {
  const electron = (await import('electron')).default as unknown as ElectronModule;
  const { app, BrowserWindow, ipcMain, protocol, session } = electron;
  // `enrollment-kiosk --cli doctor --full`: the packaged app has no Node (the runAsNode fuse is off), so the technician
  // CLI runs inside the app binary, without a window and without taking the single-instance lock.
  const cli = process.argv.indexOf('--cli');
  if (cli >= 0) {
    const { runCli } = await import('../cli/kiosk.js');
    const code = await runCli(process.argv.slice(cli + 1), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), stopSignal: new AbortController().signal });
    app.exit(code);
    return;
  }
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  // Packaged app: the face models are extra resources beside app.asar; workers inherit the path through the env.
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  if (resources && existsSync(path.join(resources, 'models', 'manifest.json'))) process.env.KIOSK_MODELS_DIR ??= path.join(resources, 'models', 'files');
  const kioskMode = process.argv.includes('--kiosk');
  const configFlag = process.argv.indexOf('--config');
  const config = await loadConfig(configFlag > 0 ? process.argv[configFlag + 1] : undefined);

  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  await app.whenReady();

  // After a technician's factory reset the app restarts into the first-run state.
  const core = await createKioskCore({ config, shell: 'electron', warmFace: true, onFactoryReset: () => (app.relaunch(), app.exit(0)) });
  const rendererDir = path.join(distRoot, 'renderer');
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(rendererDir, request.url));
  applySessionPolicies(session.defaultSession);
  const ipc = registerIpc(ipcMain, core);

  const options = buildWindowOptions({ preloadPath: path.join(here, 'preload.cjs'), kioskMode, title: 'Enrollment kiosk' });
  // The security-critical flags are restated at the construction site so that reviewers and static analysis
  // (electronegativity) see them where the window is made; buildWindowOptions() is unit-tested to agree.
  const win = new BrowserWindow({
    ...options,
    webPreferences: { ...options.webPreferences, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, disableBlinkFeatures: 'Auxclick' },
  });
  if (kioskMode) win.setMenu(null);
  hardenWebContents(win.webContents, (what, url) => core.logger.warn({ what, url: url.slice(0, 200) }, 'blocked by policy'));
  ipc.attach(win.webContents);
  win.webContents.on('render-process-gone', (_e, details) => {
    core.logger.error({ reason: details.reason }, 'renderer gone; reloading');
    if (!win.webContents.isDestroyed()) win.webContents.reload();
  });
  win.once('ready-to-show', () => win.show());
  app.on('second-instance', () => win.focus());
  app.on('child-process-gone', (...args: unknown[]) => core.logger.error({ details: args[1] }, 'child process gone'));
  app.on('web-contents-created', (...args: unknown[]) => hardenWebContents(args[1] as WebContentsLike));
  app.on('window-all-closed', () => {
    ipc.dispose();
    void core.dispose().finally(() => app.quit());
  });
  process.on('uncaughtException', (error) => {
    core.logger.fatal({ err: error }, 'uncaught exception; restarting');
    app.relaunch();
    app.exit(1);
  });
  await win.loadURL(`${APP_ORIGIN}/index.html`);
}

void main();
