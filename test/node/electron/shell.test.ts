// The Electron shell's pure parts, with a stand-in for the electron module's objects.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { serveAppRequest } from '../../../main/electron/app-protocol.js';
import type { IpcMainInvokeEventLike, IpcMainLike, PreventableEvent, WebContentsLike } from '../../../main/electron/electron-api.js';
import { registerIpc } from '../../../main/electron/ipc-main.js';
import { hardenWebContents, isTrustedSender, permissionCheckHandler, permissionRequestHandler } from '../../../main/electron/security.js';
import { buildWindowOptions } from '../../../main/electron/window-options.js';
import { loadConfig } from '../../../main/config/load-config.js';
import { createKioskCore } from '../../../main/core/kiosk-core.js';

describe('window options', () => {
  it('are hardened in every mode', () => {
    for (const kioskMode of [true, false]) {
      const o = buildWindowOptions({ preloadPath: '/p/preload.cjs', kioskMode, title: 't' });
      expect(o.webPreferences).toMatchObject({
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        disableBlinkFeatures: 'Auxclick',
        preload: '/p/preload.cjs',
      });
      expect(o.kiosk).toBe(kioskMode);
      expect(o.fullscreen).toBe(kioskMode);
      expect(o.webPreferences.devTools).toBe(!kioskMode);
    }
  });
});

function fakeContents() {
  const handlers = new Map<string, (...args: unknown[]) => void>();
  let openHandler: ((d: { url: string }) => unknown) | null = null;
  const contents = {
    id: 1,
    on: (event: string, listener: (...args: unknown[]) => void) => handlers.set(event, listener),
    setWindowOpenHandler: (h: (d: { url: string }) => unknown) => (openHandler = h),
    send: vi.fn(),
    reload: vi.fn(),
    isDestroyed: () => false,
  } as unknown as WebContentsLike;
  return { contents, handlers, open: (url: string) => openHandler!({ url }) };
}

describe('web contents policy', () => {
  it('denies navigation, redirects, webviews and new windows', () => {
    const denied: string[] = [];
    const { contents, handlers, open } = fakeContents();
    hardenWebContents(contents, (what) => denied.push(what));
    for (const event of ['will-navigate', 'will-redirect']) {
      const e: PreventableEvent = { preventDefault: vi.fn() };
      handlers.get(event)!(e, 'https://evil.example/');
      expect(e.preventDefault).toHaveBeenCalled();
    }
    const w: PreventableEvent = { preventDefault: vi.fn() };
    handlers.get('will-attach-webview')!(w);
    expect(w.preventDefault).toHaveBeenCalled();
    expect(open('https://evil.example/')).toEqual({ action: 'deny' });
    expect(denied).toEqual(['navigation', 'redirect', 'webview', 'new-window']);
  });

  it('grants only the camera, only to app://kiosk', () => {
    const decide = (permission: string, url: string, mediaTypes?: string[]) =>
      new Promise<boolean>((resolve) => permissionRequestHandler(null, permission, resolve, { requestingUrl: url, ...(mediaTypes ? { mediaTypes } : {}) }));
    return Promise.all([
      expect(decide('media', 'app://kiosk/index.html', ['video'])).resolves.toBe(true),
      expect(decide('media', 'app://kiosk/index.html', ['audio'])).resolves.toBe(false),
      expect(decide('media', 'https://evil.example/', ['video'])).resolves.toBe(false),
      expect(decide('geolocation', 'app://kiosk/index.html')).resolves.toBe(false),
      expect(decide('notifications', 'app://kiosk/')).resolves.toBe(false),
    ]).then(() => {
      expect(permissionCheckHandler(null, 'media', 'app://kiosk', { mediaType: 'video' })).toBe(true);
      expect(permissionCheckHandler(null, 'media', 'file://', { mediaType: 'video' })).toBe(false);
      expect(permissionCheckHandler(null, 'clipboard-read', 'app://kiosk', {})).toBe(false);
    });
  });

  it('trusts only our top-level frame', () => {
    expect(isTrustedSender({ url: 'app://kiosk/index.html', parent: null })).toBe(true);
    expect(isTrustedSender({ url: 'app://kiosk/index.html', parent: { url: 'app://kiosk/', parent: null } })).toBe(false);
    expect(isTrustedSender({ url: 'https://kiosk/index.html', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'app://evil/index.html', parent: null })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });
});

describe('IPC over the stand-in ipcMain', () => {
  it('checks the sender frame of every message, then dispatches through the router', async () => {
    const handlers = new Map<string, (e: IpcMainInvokeEventLike, p: unknown) => Promise<unknown>>();
    const ipcMain: IpcMainLike = { handle: (c, l) => handlers.set(c, l), removeHandler: (c) => handlers.delete(c) };
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-ipc-'));
    const core = await createKioskCore({ config: await loadConfig(undefined, { dataDir }), shell: 'electron', logToFile: false, devices: false, sync: false });
    const ipc = registerIpc(ipcMain, core);
    expect([...handlers.keys()].every((c) => c.startsWith('kiosk:'))).toBe(true);
    const good = { senderFrame: { url: 'app://kiosk/index.html', parent: null }, sender: { id: 3 } };
    const evil = { senderFrame: { url: 'https://evil.example/', parent: null }, sender: { id: 4 } };
    const info = (await handlers.get('kiosk:app.info')!(good, {})) as { ok: boolean; value: { shell: string } };
    expect(info.ok).toBe(true);
    expect(info.value.shell).toBe('electron');
    expect(await handlers.get('kiosk:app.info')!(evil, {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    ipc.dispose();
    expect(handlers.size).toBe(0);
    await core.dispose();
  });
});

describe('app:// protocol', () => {
  it('serves the renderer with the CSP and refuses traversal', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-app-'));
    writeFileSync(path.join(dir, 'index.html'), `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha384-x'">`);
    writeFileSync(path.join(dir, 'a.js'), 'x');
    const index = await serveAppRequest(dir, 'app://kiosk/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toBe("default-src 'none'; script-src 'sha384-x'");
    expect((await serveAppRequest(dir, 'app://kiosk/a.js')).headers.get('content-type')).toContain('javascript');
    const escape = await serveAppRequest(dir, 'app://kiosk/..%2f..%2fetc%2fpasswd');
    expect(await escape.text()).not.toContain('root:');
    expect((await serveAppRequest(dir, 'app://other/index.html')).status).toBe(404);
  });
});
