// Minimal HTTP/1.1 client for the kiosk: one connection per request (no keep-alive), so a half-broken link or a
// stray duplicated response can never be matched to the next request. Hard timeout per request.
import http from 'node:http';
import https from 'node:https';

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export class TransportError extends Error {
  override name = 'TransportError';
}

export function httpRequest(url: URL, init: { method: string; headers: Record<string, string>; body?: Uint8Array; timeoutMs: number; signal?: AbortSignal }): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const mod = url.protocol === 'https:' ? https : http;
    const req = mod.request(url, { method: init.method, headers: { ...init.headers, connection: 'close', 'content-length': String(init.body?.byteLength ?? 0) }, agent: false, signal: init.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        if (!res.complete) reject(new TransportError('response cut short'));
        else resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      });
      res.on('error', (e) => {
        clearTimeout(timer);
        reject(new TransportError(`response failed: ${e.message}`));
      });
    });
    const timer = setTimeout(() => req.destroy(new TransportError(`timeout after ${init.timeoutMs} ms`)), init.timeoutMs);
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(e instanceof TransportError ? e : new TransportError(`${(e as NodeJS.ErrnoException).code ?? 'ERR'}: ${e.message}`));
    });
    req.end(init.body ? Buffer.from(init.body.buffer, init.body.byteOffset, init.body.byteLength) : undefined);
  });
}
