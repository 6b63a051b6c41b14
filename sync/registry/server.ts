// Fastify HTTP front of the registry (API v1, docs/registry-api.yaml). Bodies are kept raw so that the
// Content-Digest covers exactly the bytes received.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { PacketStoreError, SyncError } from '../errors.js';
import { createUploadSchema } from '../protocol/schemas.js';
import { PARTNER_ROUTE_PREFIX, registerPartnerRoutes } from './partners/routes.js';
import type { PartnerService } from './partners/service.js';
import type { PartnerRow } from './partners/store.js';
import type { Registry } from './registry.js';
import type { KioskRow } from './store/types.js';

export interface RegistryServerOptions {
  /**
   * Origin used for "@target-uri" (e.g. behind a TLS terminator). Without it the Host header is used: only for
   * loopback registries (tests, demo); `registry serve` on any other address refuses to start without it.
   */
  publicOrigin?: string;
  logger?: boolean;
  chunkLimitBytes?: number;
  /** Cross-matching (POST /v1/partners/match); absent: no partner routes. */
  partners?: PartnerService;
  /** Whole time to receive one request (headers + body), default 60 s; headers alone: 10 s. */
  requestTimeoutMs?: number;
  headersTimeoutMs?: number;
  /** Open connections at most (default 512). */
  maxConnections?: number;
  /** Requests per kiosk: `burst` at once, refilled at `perSecond` (default 200, 100/s). */
  kioskRate?: { burst: number; perSecond: number };
  /** Unauthenticated requests (registration) per remote address: default 10 at once, 1 every 6 s. */
  openRate?: { burst: number; perSecond: number };
  /** Partner requests per remote address before authentication: default 60 at once, 1 a second. */
  partnerRate?: { burst: number; perSecond: number };
}

/** Largest body accepted per route, enforced while reading (before a byte is buffered past it). */
export const ROUTE_BODY_LIMITS = {
  register: 16 * 1024,
  createUpload: 4 * 1024,
  small: 1024,
} as const;

/** Token bucket per key (kiosk id or remote address). */
class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private readonly o: { burst: number; perSecond: number }) {}
  take(key: string, now = Date.now()): boolean {
    const b = this.buckets.get(key) ?? { tokens: this.o.burst, at: now };
    b.tokens = Math.min(this.o.burst, b.tokens + ((now - b.at) / 1000) * this.o.perSecond);
    b.at = now;
    this.buckets.set(key, b);
    if (this.buckets.size > 10_000) for (const k of this.buckets.keys()) if (k !== key && this.buckets.delete(k) && this.buckets.size <= 5_000) break;
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    kiosk: KioskRow | null;
    partner: PartnerRow | null;
  }
}

function parseJson(body: unknown): unknown {
  const buf = body instanceof Buffer ? body : Buffer.alloc(0);
  try {
    return JSON.parse(buf.toString('utf8')) as unknown;
  } catch {
    throw new SyncError('VALIDATION_FAILED', 'Body is not JSON', 400);
  }
}

export function buildRegistryServer(registry: Registry, options: RegistryServerOptions = {}): FastifyInstance {
  const chunkLimit = options.chunkLimitBytes ?? 8 * 1024 * 1024;
  const app = Fastify({
    logger: options.logger ?? false,
    exposeHeadRoutes: false,
    bodyLimit: ROUTE_BODY_LIMITS.small,
    forceCloseConnections: true,
    return503OnClosing: true,
    requestTimeout: options.requestTimeoutMs ?? 60_000,
    connectionTimeout: options.requestTimeoutMs ?? 60_000,
    keepAliveTimeout: 5_000,
  });
  app.server.headersTimeout = options.headersTimeoutMs ?? 10_000;
  app.server.maxConnections = options.maxConnections ?? 512;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.decorateRequest('kiosk', null);
  app.decorateRequest('partner', null);
  const kioskRate = new RateLimiter(options.kioskRate ?? { burst: 200, perSecond: 100 });
  const openRate = new RateLimiter(options.openRate ?? { burst: 10, perSecond: 1 / 6 });
  // Partner requests before their signature is checked; the partner service limits verified runs per partner.
  const partnerRate = new RateLimiter(options.partnerRate ?? { burst: 60, perSecond: 1 });

  const targetUri = (req: FastifyRequest) => `${options.publicOrigin ?? `http://${req.headers.host ?? ''}`}${req.url}`;
  const rawBody = (req: FastifyRequest) => (req.body instanceof Buffer ? req.body : Buffer.alloc(0));

  // Authentication runs on the headers before the body is read (the signature covers Content-Digest); the body is
  // then read up to the route's own limit and checked against that digest.
  app.addHook('onRequest', async (req) => {
    // Unknown routes authenticate too: no route discovery without a key.
    if (req.routeOptions.url === '/v1/health' || req.routeOptions.url === '/v1/ready') return;
    if (options.partners && req.routeOptions.url?.startsWith(PARTNER_ROUTE_PREFIX)) {
      if (!partnerRate.take(req.ip)) throw new SyncError('RATE_LIMITED', 'Too many partner requests from this address', 429);
      req.partner = await options.partners.authenticateHeaders({ method: req.method, targetUri: targetUri(req), headers: req.headers });
      return;
    }
    if (req.routeOptions.url === '/v1/kiosks/register') {
      if (!openRate.take(req.ip)) throw new SyncError('RATE_LIMITED', 'Too many registration attempts from this address', 429);
      return;
    }
    req.kiosk = await registry.authenticateHeaders({ method: req.method, targetUri: targetUri(req), headers: req.headers });
    if (!kioskRate.take(req.kiosk.kioskId)) throw new SyncError('RATE_LIMITED', `Too many requests from kiosk ${req.kiosk.kioskId}`, 429, { details: { kioskId: req.kiosk.kioskId } });
  });
  app.addHook('preHandler', async (req) => {
    if (req.kiosk) registry.checkDigest(req.headers, rawBody(req));
  });

  app.setErrorHandler(async (error: unknown, req: FastifyRequest, reply: FastifyReply) => {
    let e: SyncError;
    if (error instanceof SyncError) e = error;
    else if (error instanceof PacketStoreError) {
      // The packet store (S3) failing is the registry's problem, not the kiosk's: 503 with its code, retried.
      req.log.error({ err: error }, 'registry packet store error');
      e = new SyncError(error.code, 'Packet storage not available; retry later', 503);
    } else {
      const fe = error as { statusCode?: number; code?: string; message?: string };
      if (fe.statusCode === 413) e = new SyncError('UPLOAD_TOO_LARGE', 'Request body too large', 413);
      else if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) e = new SyncError('VALIDATION_FAILED', fe.message ?? 'Bad request', fe.statusCode);
      else {
        req.log.error({ err: error }, 'registry internal error');
        e = new SyncError('INTERNAL', 'Internal error', 500);
      }
    }
    if (e.status < 500) {
      const keyid = /keyid="([^"]{1,128})"/.exec(String(req.headers['signature-input'] ?? ''))?.[1] ?? null;
      const named = (e.details as { kioskId?: unknown } | undefined)?.kioskId;
      await registry.refuse(e, req.kiosk?.kioskId ?? keyid ?? (typeof named === 'string' ? named : null), { method: req.method, route: req.routeOptions.url ?? req.url, status: e.status });
    }
    if (e.code === 'UPLOAD_OFFSET_MISMATCH') void reply.header('upload-offset', String((e.details as { offset: number }).offset));
    // HEAD responses have no body: the code also travels in a header.
    return reply.status(e.status).header('error-code', e.code).send({ error: e.toShape() });
  });

  app.setNotFoundHandler(async (req, reply) => {
    // A signed request to a route that does not exist is a probe by (or with the key of) a kiosk: audited.
    if (req.kiosk) await registry.refuse(new SyncError('NOT_FOUND', 'No such route', 404), req.kiosk.kioskId, { method: req.method, route: req.url.split('?')[0]!.slice(0, 200), status: 404 });
    return reply.status(404).send({ error: { code: 'NOT_FOUND', message: `No route ${req.method} ${req.url.split('?')[0]}` } });
  });

  app.get('/v1/health', async () => ({ ok: true, signingPublicKey: registry.keys.signingPublicKey, time: registry.time() }));
  // Readiness for a load balancer / operator: the store answers; the claim queue's depth and the search gallery's
  // lag behind the store's change feed (several processes). 503 when the store does not answer.
  app.get('/v1/ready', async (_req, reply) => {
    try {
      return { ready: true, ...(await registry.readiness()) };
    } catch {
      return reply.status(503).header('error-code', 'NOT_READY').send({ error: { code: 'NOT_READY', message: 'Registry store not reachable' } });
    }
  });

  app.post('/v1/kiosks/register', { bodyLimit: ROUTE_BODY_LIMITS.register }, async (req, reply) => reply.status(201).send(await registry.register(parseJson(req.body))));

  app.post('/v1/uploads', { bodyLimit: ROUTE_BODY_LIMITS.createUpload }, async (req, reply) => {
    const parsed = createUploadSchema.safeParse(parseJson(req.body));
    if (!parsed.success) throw new SyncError('VALIDATION_FAILED', 'Upload request invalid', 400, { details: { issues: parsed.error.issues.map((i) => i.path.join('.')) } });
    const r = await registry.createUpload(req.kiosk!, parsed.data);
    if (r.state === 'complete') return reply.status(200).send({ state: 'complete', receipt: r.receipt });
    return reply.status(201).header('upload-offset', String(r.offset)).header('location', `/v1/uploads/${r.uploadId}`).send(r);
  });

  app.route({
    method: ['HEAD', 'GET'],
    url: '/v1/uploads/:id',
    handler: async (req, reply) => {
      const { id } = req.params as { id: string };
      const r = await registry.uploadOffset(req.kiosk!, id);
      void reply.header('upload-offset', String(r.offset)).header('upload-length', String(r.size)).header('cache-control', 'no-store');
      return req.method === 'HEAD' ? reply.status(204).send() : reply.send(r);
    },
  });

  app.patch('/v1/uploads/:id', { bodyLimit: chunkLimit }, async (req, reply) => {
    const { id } = req.params as { id: string };
    if (req.headers['content-type'] !== 'application/offset+octet-stream') throw new SyncError('VALIDATION_FAILED', 'Content-Type must be application/offset+octet-stream', 415);
    const offset = Number(req.headers['upload-offset']);
    if (!Number.isSafeInteger(offset) || offset < 0) throw new SyncError('VALIDATION_FAILED', 'Upload-Offset header required', 400);
    const next = await registry.appendChunk(req.kiosk!, id, offset, rawBody(req));
    return reply.status(204).header('upload-offset', String(next)).send();
  });

  app.post('/v1/uploads/:id/finalize', async (req) => {
    const { id } = req.params as { id: string };
    return { state: 'complete', receipt: await registry.finalize(req.kiosk!, id) };
  });

  // Single-request upload for packets that fit one chunk: same exactly-once semantics, one round trip.
  app.put('/v1/packets/:id', { bodyLimit: chunkLimit }, async (req) => {
    const { id } = req.params as { id: string };
    if (req.headers['content-type'] !== 'application/octet-stream') throw new SyncError('VALIDATION_FAILED', 'Content-Type must be application/octet-stream', 415);
    const declared = String(req.headers['packet-sha256'] ?? '');
    if (!/^[0-9a-f]{64}$/.test(declared) || !/^[A-Za-z0-9_.:-]{1,128}$/.test(id)) throw new SyncError('VALIDATION_FAILED', 'Packet-Sha256 header and a valid packet id required', 400);
    return { state: 'complete', receipt: await registry.putPacket(req.kiosk!, id, declared, rawBody(req)) };
  });

  app.get('/v1/packets/:id/status', async (req) => registry.status(req.kiosk!, (req.params as { id: string }).id));

  app.get('/v1/downloads/:kind', async (req) => registry.download((req.params as { kind: string }).kind, req.kiosk!, req.query as { since?: string }));

  if (options.partners) registerPartnerRoutes(app, options.partners, (url, host) => `${options.publicOrigin ?? `http://${host ?? ''}`}${url}`);

  return app;
}
