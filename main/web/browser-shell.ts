// The browser shell: serves the built renderer on 127.0.0.1 and bridges the IPC contract over a WebSocket.
// Access starts with a single-use launch token: `GET /auth?token=T` exchanges it (once) for a random session id in
// an HttpOnly, SameSite=Strict cookie and redirects to `/` so the address bar and history keep no live credential.
// Sessions live in this shell instance's memory (a restart ends them). Every other request and the WebSocket upgrade
// need a live session, the right Host (DNS-rebinding guard) and, for the WebSocket, our Origin; no page may frame us.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { BRIDGE_MAX_MESSAGE_BYTES, BRIDGE_PATH, clientMessageSchema, type ServerMessage } from '../contract/bridge-protocol.js';
import { fail } from '../contract/envelope.js';
import { isEventName, type EventName } from '../contract/ipc.js';
import type { KioskCore } from '../core/kiosk-core.js';
import { SECURITY_HEADERS, readRendererCsp } from './csp.js';
import { resolveStaticFile, sendFile } from './static-files.js';

export interface BrowserShellOptions {
  core: KioskCore;
  rendererDir: string;
  host?: '127.0.0.1';
  port?: number;
  /** Fixed first launch token (tests); a random one per run otherwise. */
  token?: string;
  /** Session lifetime (default 24 h); the operator's own sign-in has its idle timeout on top. */
  sessionTtlMs?: number;
  clock?: () => number;
}

export interface BrowserShell {
  url: string;
  /** The first launch URL (single use: what the operator's browser opens at start-up). */
  loginUrl: string;
  origin: string;
  port: number;
  /** The first launch token. */
  token: string;
  /** A fresh single-use launch URL (a browser restarted by the service manager, a second window). */
  newLaunchUrl(): string;
  /** Name of this instance's session cookie (port-specific: two shells on one host never share it). */
  sessionCookie: string;
  connections(): number;
  dispose(): Promise<void>;
}

/** A short bilingual page for a browser that arrives without a live session (instead of raw JSON). */
function sessionPage(): string {
  return `<!doctype html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>انتهت الجلسة — Session ended</title>
<style>body{font-family:system-ui,sans-serif;margin:3rem auto;max-width:40rem;line-height:1.6;padding:0 1rem}section{margin-bottom:2rem}[lang=en]{direction:ltr;text-align:left}</style></head>
<body><section><h1>هذه الصفحة تحتاج إلى جلسة جديدة</h1><p>انتهت صلاحية رابط التشغيل أو الجلسة، أو سبق استخدام الرابط. أعد تشغيل الكشك أو افتح رابط التشغيل الجديد الذي يطبعه عند بدء التشغيل. لم يُفقد أي تسجيل محفوظ.</p></section>
<section lang="en"><h1>This page needs a new session</h1><p>The launch link or session has expired, or the link was already used. Restart the kiosk or open the new launch link it prints at start-up. No saved enrollment was lost.</p></section></body></html>`;
}

function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

function sameToken(a: string | undefined | null, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Set lookup in constant time per entry (ids are random 256-bit values). */
function findToken(set: Iterable<string>, candidate: string | null | undefined): string | null {
  if (!candidate) return null;
  let found: string | null = null;
  for (const t of set) if (sameToken(candidate, t)) found = t;
  return found;
}

export async function startBrowserShell(options: BrowserShellOptions): Promise<BrowserShell> {
  const { core } = options;
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(32).toString('base64url');
  const clock = options.clock ?? Date.now;
  const ttl = options.sessionTtlMs ?? 24 * 3600_000;
  const logger = core.logger.child({ component: 'browser-shell' });
  let port = 0;
  const cookieName = () => `kiosk_session_${port}`;
  /** Unused launch tokens; each is deleted when exchanged. */
  const launchTokens = new Set<string>([token]);
  /** Live sessions of this instance: id → expiry. */
  const sessions = new Map<string, number>();
  const allowedHosts = () => new Set([`${host}:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://${host}:${port}`, `http://localhost:${port}`]);
  // frame-ancestors only works as a header (not in the page's meta policy): no other page, on any port, may frame us.
  const csp = `${readRendererCsp(options.rendererDir)}; frame-ancestors 'none'`;
  const headers = () => ({ ...SECURITY_HEADERS, 'Content-Security-Policy': csp, 'X-Frame-Options': 'DENY', 'Cache-Control': 'no-store' });

  const sessionOf = (req: IncomingMessage): string | null => {
    const id = findToken(sessions.keys(), parseCookies(req.headers.cookie).get(cookieName()));
    if (!id) return null;
    if (sessions.get(id)! <= clock()) {
      sessions.delete(id);
      return null;
    }
    return id;
  };

  const isDocument = (req: IncomingMessage) => req.headers['sec-fetch-dest'] === 'document' || req.headers['sec-fetch-mode'] === 'navigate' || /\btext\/html\b/.test(String(req.headers.accept ?? ''));

  const refuse = (res: ServerResponse, status: number, code: string, message: string, req?: IncomingMessage) => {
    if (req && status === 403 && isDocument(req)) {
      res.writeHead(status, { ...headers(), 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'", 'Content-Type': 'text/html; charset=utf-8' });
      return res.end(req.method === 'HEAD' ? undefined : sessionPage());
    }
    res.writeHead(status, { ...headers(), 'Content-Type': 'application/json' });
    res.end(JSON.stringify(fail({ code, message })));
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (!allowedHosts().has(req.headers.host ?? '')) return refuse(res, 421, 'BRIDGE_ORIGIN_REFUSED', 'Host not allowed');
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'VALIDATION_FAILED', 'Method not allowed');
    const url = new URL(req.url ?? '/', `http://${host}:${port}`);
    if (url.pathname === '/auth') {
      const launch = findToken(launchTokens, url.searchParams.get('token'));
      if (!launch) {
        logger.warn('launch token refused (unknown or already used)');
        return refuse(res, 403, 'BRIDGE_TOKEN_INVALID', 'Invalid or already used launch token', req);
      }
      launchTokens.delete(launch);
      const sid = randomBytes(32).toString('base64url');
      sessions.set(sid, clock() + ttl);
      res.writeHead(302, {
        ...headers(),
        'Set-Cookie': `${cookieName()}=${sid}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${Math.floor(ttl / 1000)}`,
        // The redirect replaces the launch URL: the address bar shows `/`, and the token in history is dead.
        Location: '/',
      });
      return res.end();
    }
    if (!sessionOf(req)) {
      return refuse(res, 403, 'BRIDGE_TOKEN_INVALID', 'This kiosk page needs the launch link printed at start-up', req);
    }
    const file = resolveStaticFile(options.rendererDir, url.pathname) ?? resolveStaticFile(options.rendererDir, '/');
    if (!file) return refuse(res, 404, 'NOT_FOUND', 'Renderer not built: run `npm run build`');
    sendFile(res, file, headers());
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: BRIDGE_MAX_MESSAGE_BYTES });
  const sockets = new Set<Socket>();
  let disposing = false;
  server.on('connection', (socket) => {
    if (disposing) return void socket.destroy();
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  server.on('upgrade', (req, socket, head) => {
    const reject = (status: number, why: string) => {
      logger.warn({ why }, 'bridge connection refused');
      socket.end(`HTTP/1.1 ${status} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const url = new URL(req.url ?? '/', `http://${host}:${port}`);
    if (url.pathname !== BRIDGE_PATH) return reject(404, 'path');
    if (!allowedHosts().has(req.headers.host ?? '')) return reject(421, 'host');
    if (!allowedOrigins().has(req.headers.origin ?? '')) return reject(403, 'origin');
    if (!sessionOf(req)) return reject(403, 'session');
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
  });

  function attach(ws: WebSocket) {
    if (disposing) return void ws.terminate();
    const ctx = core.newContext();
    const subscribed = new Set<EventName>();
    const send = (message: ServerMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    const off = core.events.listen((event, payload) => {
      if (subscribed.has(event)) send({ type: 'event', event, payload });
    });
    ws.on('message', async (data, isBinary) => {
      if (isBinary) return send({ type: 'error', envelope: fail({ code: 'VALIDATION_FAILED', message: 'Binary frames are not accepted' }) });
      let parsed: unknown;
      try {
        parsed = JSON.parse(data.toString());
      } catch {
        return send({ type: 'error', envelope: fail({ code: 'VALIDATION_FAILED', message: 'Message is not JSON' }) });
      }
      const message = clientMessageSchema.safeParse(parsed);
      if (!message.success) return send({ type: 'error', envelope: fail({ code: 'VALIDATION_FAILED', message: 'Malformed bridge message' }) });
      const m = message.data;
      if (m.type === 'invoke') {
        const envelope = await core.router.dispatch(m.channel, m.payload, ctx);
        return send({ type: 'result', id: m.id, envelope });
      }
      if (!isEventName(m.event)) {
        return send({ type: 'error', envelope: fail({ code: 'UNKNOWN_CHANNEL', message: `Unknown event: ${m.event.slice(0, 80)}` }) });
      }
      if (m.type === 'subscribe') {
        subscribed.add(m.event);
        const latest = core.events.latest(m.event);
        if (latest !== undefined) send({ type: 'event', event: m.event, payload: latest });
      } else {
        subscribed.delete(m.event);
      }
    });
    ws.on('close', () => {
      off();
      ctx.setSession(null);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://${host}:${port}`;
  logger.info({ port }, 'browser shell listening');

  return {
    url: `${origin}/`,
    loginUrl: `${origin}/auth?token=${token}`,
    origin,
    port,
    token,
    newLaunchUrl() {
      const t = randomBytes(32).toString('base64url');
      launchTokens.add(t);
      return `${origin}/auth?token=${t}`;
    },
    sessionCookie: cookieName(),
    connections: () => wss.clients.size,
    async dispose() {
      // Stop listening first, then cut every connection at once: server.close() alone waits for busy keep-alive
      // sockets and for an upgrade still in flight (a renderer reconnecting while the kiosk stops), which can be forever.
      disposing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await closed;
      sessions.clear();
      launchTokens.clear();
    },
  };
}
