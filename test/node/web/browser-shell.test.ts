// The browser-shell bridge in process: the contract over a WebSocket, events, bad messages, and clean disposal.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { loadConfig } from '../../../main/config/load-config.js';
import { createKioskCore, type KioskCore } from '../../../main/core/kiosk-core.js';
import { startBrowserShell, type BrowserShell } from '../../../main/web/browser-shell.js';
import { resolveStaticFile } from '../../../main/web/static-files.js';

let core: KioskCore;
let shell: BrowserShell;
let rendererDir: string;

beforeEach(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-shell-'));
  rendererDir = path.join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(path.join(rendererDir, 'index.html'), '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'">hello');
  core = await createKioskCore({ config: await loadConfig(undefined, { dataDir: path.join(dir, 'data') }), shell: 'browser', logToFile: false, devices: false, sync: false });
  shell = await startBrowserShell({ core, rendererDir, token: 't0k3n' });
});

afterEach(async () => {
  await shell.dispose();
  await core.dispose();
});

async function connect(): Promise<{ ws: WebSocket; next: () => Promise<Record<string, unknown>> }> {
  const ws = new WebSocket(`ws://127.0.0.1:${shell.port}/bridge`, { headers: { origin: shell.origin, cookie: 'kiosk_token=t0k3n' } });
  const inbox: Record<string, unknown>[] = [];
  const waiters: ((m: Record<string, unknown>) => void)[] = [];
  ws.on('message', (d) => {
    const m = JSON.parse(String(d)) as Record<string, unknown>;
    const w = waiters.shift();
    if (w) w(m);
    else inbox.push(m);
  });
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
  return { ws, next: () => (inbox.length ? Promise.resolve(inbox.shift()!) : new Promise((r) => waiters.push(r))) };
}

describe('browser shell bridge', () => {
  it('answers invokes in the envelope and validates them', async () => {
    const { ws, next } = await connect();
    ws.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'kiosk:app.info', payload: {} }));
    const info = await next();
    expect(info).toMatchObject({ type: 'result', id: 1, envelope: { ok: true, value: { shell: 'browser', kioskId: 'K-DEMO-01' } } });
    ws.send(JSON.stringify({ type: 'invoke', id: 2, channel: 'kiosk:settings.update', payload: { locale: 'de' } }));
    expect(await next()).toMatchObject({ id: 2, envelope: { ok: false, error: { code: 'VALIDATION_FAILED' } } });
    ws.send('not json');
    expect(await next()).toMatchObject({ type: 'error', envelope: { error: { code: 'VALIDATION_FAILED' } } });
    ws.send(JSON.stringify({ type: 'invoke', id: -1, channel: 'x' }));
    expect(await next()).toMatchObject({ type: 'error' });
    ws.send(JSON.stringify({ type: 'subscribe', event: 'kiosk:event.nope' }));
    expect(await next()).toMatchObject({ type: 'error', envelope: { error: { code: 'UNKNOWN_CHANNEL' } } });
    ws.close();
  });

  it('delivers the current state on subscribe and later events', async () => {
    const { ws, next } = await connect();
    ws.send(JSON.stringify({ type: 'subscribe', event: 'kiosk:event.sync-progress' }));
    expect(await next()).toMatchObject({ type: 'event', event: 'kiosk:event.sync-progress', payload: { state: 'not_registered' } });
    core.sync.update({ state: 'syncing', online: true, backlog: 3 });
    expect(await next()).toMatchObject({ type: 'event', payload: { state: 'syncing', backlog: 3, online: true } });
    ws.close();
  });

  it('refuses static files without the token and serves them with it', async () => {
    expect((await fetch(`${shell.origin}/`)).status).toBe(403);
    const ok = await fetch(`${shell.origin}/`, { headers: { cookie: 'kiosk_token=t0k3n' } });
    expect(await ok.text()).toContain('hello');
    expect(ok.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect((await fetch(`${shell.origin}/`, { method: 'POST', headers: { cookie: 'kiosk_token=t0k3n' } })).status).toBe(405);
  });

  it('keeps static paths inside the renderer dir', () => {
    expect(resolveStaticFile(rendererDir, '/index.html')).toBe(path.join(rendererDir, 'index.html'));
    expect(resolveStaticFile(rendererDir, '/../../etc/passwd')).toBeNull();
    expect(resolveStaticFile(rendererDir, '/%2e%2e/%2e%2e/etc/passwd')).toBeNull();
    expect(resolveStaticFile(rendererDir, '/%E0%A4%A')).toBeNull();
  });

  it('leaves no open handles after dispose', async () => {
    const { ws } = await connect();
    expect(shell.connections()).toBe(1);
    const closed = new Promise((r) => ws.once('close', r));
    await shell.dispose();
    await closed;
    const handles = process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap' || r === 'TCPSocketWrap');
    expect(handles).toEqual([]);
    shell = await startBrowserShell({ core, rendererDir, token: 't0k3n' });
  });
});
