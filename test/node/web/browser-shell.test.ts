// The browser-shell bridge in process: the contract over a WebSocket, events, bad messages, and clean disposal.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
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

/** Exchanges a launch URL for the session cookie ("name=value"). */
async function login(url = shell.newLaunchUrl()): Promise<string> {
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

async function connect(): Promise<{ ws: WebSocket; next: () => Promise<Record<string, unknown>> }> {
  const ws = new WebSocket(`ws://127.0.0.1:${shell.port}/bridge`, { headers: { origin: shell.origin, cookie: await login() } });
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

  it('refuses static files without a session and serves them with one', async () => {
    expect((await fetch(`${shell.origin}/`)).status).toBe(403);
    const cookie = await login(shell.loginUrl);
    const ok = await fetch(`${shell.origin}/`, { headers: { cookie } });
    expect(await ok.text()).toContain('hello');
    expect(ok.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect((await fetch(`${shell.origin}/`, { method: 'POST', headers: { cookie } })).status).toBe(405);
  });

  it('finding 5: the launch token works once, the cookie is a random session (not the token), bound to this instance', async () => {
    const first = await fetch(shell.loginUrl, { redirect: 'manual' });
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe('/');
    const setCookie = first.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie.startsWith(`${shell.sessionCookie}=`)).toBe(true);
    expect(setCookie).not.toContain('t0k3n');
    // Replays of the launch URL fail: JSON for a script, a bilingual page for a browser navigation.
    const replay = await fetch(shell.loginUrl, { redirect: 'manual' });
    expect(replay.status).toBe(403);
    expect(((await replay.json()) as { error: { code: string } }).error.code).toBe('BRIDGE_TOKEN_INVALID');
    const page = await fetch(shell.loginUrl, { redirect: 'manual', headers: { 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate', accept: 'text/html' } });
    expect(page.status).toBe(403);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('هذه الصفحة تحتاج إلى جلسة جديدة');
    expect(html).toContain('This page needs a new session');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    // The token itself as a cookie value opens nothing.
    expect((await fetch(`${shell.origin}/`, { headers: { cookie: `${shell.sessionCookie}=t0k3n` } })).status).toBe(403);
    // A session of this instance does not open another instance (sessions live in the shell's memory).
    const cookie = setCookie.split(';')[0]!;
    expect((await fetch(`${shell.origin}/`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${shell.origin}/`, { headers: { cookie } })).headers.get('x-frame-options')).toBe('DENY');
    const port = shell.port;
    await shell.dispose();
    shell = await startBrowserShell({ core, rendererDir, token: 't0k3n', port });
    // (fetch may first try its pooled socket to the disposed instance)
    const again = await fetch(`${shell.origin}/`, { headers: { cookie } }).catch(() => fetch(`${shell.origin}/`, { headers: { cookie } }));
    expect(again.status).toBe(403);
  });

  it('sessions expire', async () => {
    let now = Date.now();
    await shell.dispose();
    shell = await startBrowserShell({ core, rendererDir, sessionTtlMs: 60_000, clock: () => now });
    const cookie = await login(shell.loginUrl);
    expect((await fetch(`${shell.origin}/`, { headers: { cookie } })).status).toBe(200);
    now += 61_000;
    expect((await fetch(`${shell.origin}/`, { headers: { cookie } })).status).toBe(403);
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

  it('stops at once with a request still half-sent (server.close alone would wait for it)', async () => {
    const socket = connectTcp(shell.port, '127.0.0.1');
    await new Promise((r, j) => (socket.once('connect', r), socket.once('error', j)));
    socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${shell.port}\r\n`); // headers never finished
    await new Promise((r) => setTimeout(r, 50));
    const ended = new Promise((r) => socket.once('close', r));
    const started = performance.now();
    await shell.dispose();
    await ended;
    expect(performance.now() - started).toBeLessThan(5_000);
    await new Promise((r) => setTimeout(r, 100)); // handle bookkeeping lags a tick behind 'close'
    expect(process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap' || r === 'TCPSocketWrap')).toEqual([]);
    shell = await startBrowserShell({ core, rendererDir, token: 't0k3n' });
  });
});
