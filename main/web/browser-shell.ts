// The browser shell: serves the built renderer on 127.0.0.1 and bridges the IPC contract over a WebSocket.
// Access needs the per-run token: `GET /auth?token=T` sets an HttpOnly cookie; every other request and the
// WebSocket upgrade need that cookie, the right Host (DNS-rebinding guard) and, for the WebSocket, our Origin.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { BRIDGE_MAX_MESSAGE_BYTES, BRIDGE_PATH, TOKEN_COOKIE, clientMessageSchema, type ServerMessage } from '../contract/bridge-protocol.js';
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
  /** Fixed token (tests); a random one per run otherwise. */
  token?: string;
}

export interface BrowserShell {
  url: string;
  /** The URL that carries the token (what the operator opens). */
  loginUrl: string;
  origin: string;
  port: number;
  token: string;
  connections(): number;
  dispose(): Promise<void>;
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

export async function startBrowserShell(options: BrowserShellOptions): Promise<BrowserShell> {
  const { core } = options;
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(32).toString('base64url');
  const logger = core.logger.child({ component: 'browser-shell' });
  let port = 0;
  const allowedHosts = () => new Set([`${host}:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://${host}:${port}`, `http://localhost:${port}`]);
  const csp = readRendererCsp(options.rendererDir);
  const headers = () => ({ ...SECURITY_HEADERS, 'Content-Security-Policy': csp });

  const refuse = (res: ServerResponse, status: number, code: string, message: string) => {
    res.writeHead(status, { ...headers(), 'Content-Type': 'application/json' });
    res.end(JSON.stringify(fail({ code, message })));
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (!allowedHosts().has(req.headers.host ?? '')) return refuse(res, 421, 'BRIDGE_ORIGIN_REFUSED', 'Host not allowed');
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'VALIDATION_FAILED', 'Method not allowed');
    const url = new URL(req.url ?? '/', `http://${host}:${port}`);
    if (url.pathname === '/auth') {
      if (!sameToken(url.searchParams.get('token'), token)) return refuse(res, 403, 'BRIDGE_TOKEN_INVALID', 'Invalid token');
      res.writeHead(302, {
        ...headers(),
        'Set-Cookie': `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: '/',
      });
      return res.end();
    }
    if (!sameToken(parseCookies(req.headers.cookie).get(TOKEN_COOKIE), token)) {
      return refuse(res, 403, 'BRIDGE_TOKEN_INVALID', 'This kiosk page needs the token printed at start-up');
    }
    const file = resolveStaticFile(options.rendererDir, url.pathname) ?? resolveStaticFile(options.rendererDir, '/');
    if (!file) return refuse(res, 404, 'NOT_FOUND', 'Renderer not built: run `npm run build`');
    sendFile(res, file, headers());
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: BRIDGE_MAX_MESSAGE_BYTES });
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
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
    if (!sameToken(parseCookies(req.headers.cookie).get(TOKEN_COOKIE), token)) return reject(403, 'token');
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
  });

  function attach(ws: WebSocket) {
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
    connections: () => wss.clients.size,
    async dispose() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
    },
  };
}
