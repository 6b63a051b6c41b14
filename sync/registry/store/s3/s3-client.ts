// A small S3 client (node:http/https + SigV4): PUT, GET, HEAD, DELETE and ListObjectsV2 on one bucket, path-style
// addressing (what S3-compatible servers and AWS both accept), a timeout per request, a few retries of network
// errors and 5xx answers (every call here is idempotent), and typed PacketStoreErrors. dispose() ends the sockets.
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { PacketStoreError } from '../../../errors.js';
import { amzDateOf, authorization, EMPTY_SHA256, uriEncode, type S3Credentials } from './sigv4.js';

export interface S3ClientOptions {
  /** e.g. https://s3.eu-west-1.amazonaws.com or http://127.0.0.1:9000 */
  endpoint: string;
  bucket: string;
  region: string;
  credentials: S3Credentials;
  /** Per request, ms (default 30 s). */
  timeoutMs?: number;
  /** Extra tries after a network error or a 5xx answer (default 2). */
  retries?: number;
  clock?: () => number;
}

export interface S3Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface S3Object {
  key: string;
  size: number;
}

const AUTH_CODES = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied', 'ExpiredToken', 'InvalidToken', 'RequestTimeTooSkewed', 'AuthorizationHeaderMalformed']);

const xmlText = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&');
const tag = (xml: string, name: string) => {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return m ? xmlText(m[1]!) : undefined;
};

export class S3Client {
  private readonly url: URL;
  private readonly agent: http.Agent;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly clock: () => number;
  private readonly inflight = new Set<http.ClientRequest>();
  private disposed = false;

  constructor(private readonly o: S3ClientOptions) {
    try {
      this.url = new URL(o.endpoint);
    } catch (e) {
      throw new PacketStoreError('PACKET_STORE_CONFIG_INVALID', `S3 endpoint ${o.endpoint} is not a URL`, { cause: e });
    }
    if (this.url.protocol !== 'http:' && this.url.protocol !== 'https:') throw new PacketStoreError('PACKET_STORE_CONFIG_INVALID', `S3 endpoint must be http or https, not ${this.url.protocol}`);
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(o.bucket)) throw new PacketStoreError('PACKET_STORE_CONFIG_INVALID', `Invalid bucket name ${o.bucket}`, { details: { bucket: o.bucket } });
    if (!o.credentials.accessKeyId || !o.credentials.secretAccessKey) throw new PacketStoreError('PACKET_STORE_CONFIG_INVALID', 'S3 credentials missing (access key id and secret access key)');
    this.agent = this.url.protocol === 'https:' ? new https.Agent({ keepAlive: true, maxSockets: 16 }) : new http.Agent({ keepAlive: true, maxSockets: 16 });
    this.timeoutMs = o.timeoutMs ?? 30_000;
    this.retries = o.retries ?? 2;
    this.clock = o.clock ?? Date.now;
  }

  get bucket(): string {
    return this.o.bucket;
  }

  private objectPath(key: string): string {
    const base = this.url.pathname.replace(/\/+$/, '');
    return `${base}/${uriEncode(this.o.bucket)}${key ? `/${uriEncode(key, true)}` : ''}`;
  }

  /** One signed request, retried on network errors and 5xx. Answers of 4xx are returned to the caller. */
  async request(method: string, key: string, o: { query?: Record<string, string>; body?: Uint8Array; headers?: Record<string, string>; payloadHash?: string } = {}): Promise<S3Response> {
    let lastError: PacketStoreError | undefined;
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 100 * 2 ** (attempt - 1)));
      if (this.disposed) break;
      try {
        const res = await this.once(method, key, o);
        if (res.status < 500) return res;
        lastError = this.failure(method, key, res);
      } catch (e) {
        if (!(e instanceof PacketStoreError) || e.code !== 'PACKET_STORE_UNREACHABLE') throw e;
        lastError = e;
      }
    }
    throw lastError ?? new PacketStoreError('PACKET_STORE_UNREACHABLE', 'S3 client disposed');
  }

  private once(method: string, key: string, o: { query?: Record<string, string>; body?: Uint8Array; headers?: Record<string, string>; payloadHash?: string }): Promise<S3Response> {
    if (this.disposed) return Promise.reject(new PacketStoreError('PACKET_STORE_UNREACHABLE', 'S3 client disposed'));
    const body = o.body ?? new Uint8Array(0);
    const payloadHash = o.payloadHash ?? (body.byteLength ? createHash('sha256').update(body).digest('hex') : EMPTY_SHA256);
    const amzDate = amzDateOf(this.clock());
    const headers: Record<string, string> = { host: this.url.host, 'x-amz-date': amzDate, 'x-amz-content-sha256': payloadHash, ...(o.headers ?? {}) };
    if (this.o.credentials.sessionToken) headers['x-amz-security-token'] = this.o.credentials.sessionToken;
    const path = this.objectPath(key);
    const query = o.query ?? {};
    headers.authorization = authorization({ method, path, query, headers, payloadHash, region: this.o.region, amzDate }, this.o.credentials).authorization;
    if (method === 'PUT' || body.byteLength) headers['content-length'] = String(body.byteLength);
    const qs = Object.entries(query)
      .map(([k, v]) => `${uriEncode(k)}=${uriEncode(v)}`)
      .join('&');
    const lib = this.url.protocol === 'https:' ? https : http;
    return new Promise<S3Response>((resolve, reject) => {
      let settled = false;
      const done = (e: Error | null, r?: S3Response) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.inflight.delete(req);
        if (e) reject(e);
        else resolve(r!);
      };
      const req = lib.request({ protocol: this.url.protocol, hostname: this.url.hostname, port: this.url.port || undefined, method, path: qs ? `${path}?${qs}` : path, headers, agent: this.agent });
      this.inflight.add(req);
      const timer = setTimeout(() => {
        const e = new PacketStoreError('PACKET_STORE_UNREACHABLE', `S3 ${method} ${key || '/'} timed out after ${this.timeoutMs} ms`, { details: { method, key, timeoutMs: this.timeoutMs } });
        done(e);
        req.destroy(e);
      }, this.timeoutMs);
      req.on('error', (e) => done(e instanceof PacketStoreError ? e : new PacketStoreError('PACKET_STORE_UNREACHABLE', `S3 ${method} ${key || '/'} failed: ${e.message}`, { cause: e, details: { method, key, endpoint: this.url.origin } })));
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => done(new PacketStoreError('PACKET_STORE_UNREACHABLE', `S3 ${method} ${key || '/'}: answer cut off: ${e.message}`, { cause: e, details: { method, key } })));
        res.on('end', () => done(null, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.end(body.byteLength ? body : undefined);
    });
  }

  /** The typed error of an error answer. */
  failure(method: string, key: string, res: S3Response): PacketStoreError {
    const xml = res.body.toString('utf8');
    const s3Code = tag(xml, 'Code') ?? (res.status === 404 ? 'NoSuchKey' : res.status === 403 ? 'AccessDenied' : `HTTP${res.status}`);
    const message = tag(xml, 'Message') ?? '';
    const details = { method, key, status: res.status, s3Code, bucket: this.o.bucket };
    if (AUTH_CODES.has(s3Code) || res.status === 401 || (res.status === 403 && method === 'HEAD')) return new PacketStoreError('PACKET_STORE_AUTH', `S3 refused the credentials (${s3Code}) for ${method} ${key || '/'}${message ? `: ${message}` : ''}`, { details });
    if (res.status === 404) return new PacketStoreError('PACKET_STORE_NOT_FOUND', `S3 ${s3Code === 'NoSuchBucket' ? `bucket ${this.o.bucket}` : `object ${key}`} not found (${s3Code})`, { details });
    return new PacketStoreError('PACKET_STORE_FAILED', `S3 ${method} ${key || '/'} answered ${res.status} ${s3Code}${message ? `: ${message}` : ''}`, { details });
  }

  private async expectOk(method: string, key: string, res: S3Response): Promise<S3Response> {
    if (res.status >= 200 && res.status < 300) return res;
    throw this.failure(method, key, res);
  }

  async put(key: string, body: Uint8Array, headers: Record<string, string> = {}): Promise<void> {
    await this.expectOk('PUT', key, await this.request('PUT', key, { body, headers }));
  }

  async get(key: string): Promise<Buffer> {
    return (await this.expectOk('GET', key, await this.request('GET', key))).body;
  }

  /** Object metadata, or null when absent. */
  async head(key: string): Promise<{ size: number; meta: Record<string, string> } | null> {
    const res = await this.request('HEAD', key);
    if (res.status === 404) return null;
    await this.expectOk('HEAD', key, res);
    const meta: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (k.startsWith('x-amz-meta-') && typeof v === 'string') meta[k.slice(11)] = v;
    return { size: Number(res.headers['content-length'] ?? 0), meta };
  }

  /** Deletes a key (absent keys are fine: S3 answers 204 either way). */
  async delete(key: string): Promise<void> {
    const res = await this.request('DELETE', key);
    if (res.status === 404) return;
    await this.expectOk('DELETE', key, res);
  }

  /** Every key under a prefix (ListObjectsV2, page by page). */
  async list(prefix: string): Promise<S3Object[]> {
    const out: S3Object[] = [];
    let token: string | undefined;
    for (;;) {
      const query: Record<string, string> = { 'list-type': '2', prefix };
      if (token) query['continuation-token'] = token;
      const xml = (await this.expectOk('GET', `?prefix=${prefix}`, await this.request('GET', '', { query }))).body.toString('utf8');
      for (const m of xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)) {
        const key = tag(m[1]!, 'Key');
        if (key !== undefined) out.push({ key, size: Number(tag(m[1]!, 'Size') ?? 0) });
      }
      token = tag(xml, 'IsTruncated') === 'true' ? tag(xml, 'NextContinuationToken') : undefined;
      if (!token) return out;
    }
  }

  /** Creates the bucket when absent (test servers and first deployments); an existing own bucket is fine. */
  async ensureBucket(): Promise<void> {
    const res = await this.request('PUT', '');
    if (res.status < 300 || (res.status === 409 && /BucketAlreadyOwnedByYou/.test(res.body.toString('utf8')))) return;
    throw this.failure('PUT', '', res);
  }

  dispose(): void {
    this.disposed = true;
    for (const r of this.inflight) r.destroy(new PacketStoreError('PACKET_STORE_UNREACHABLE', 'S3 client disposed'));
    this.inflight.clear();
    this.agent.destroy();
  }
}
