// HTTP for SBI: node:http with the custom methods (MOSIPDISC, MOSIPDINFO, RCAPTURE, STREAM) on 127.0.0.1.
import { request, type IncomingMessage } from 'node:http';
import { CaptureCancelledError, DeviceDisconnectedError, DeviceNotFoundError, DeviceTimeoutError, ProtocolError } from '../errors.js';

export const SBI_HOST = '127.0.0.1';
/** Largest response body we buffer (a ten-print capture with raw images is a few MB). */
export const MAX_BODY = 32 * 1024 * 1024;

export interface SbiRequest {
  port: number;
  method: string;
  path: string;
  body?: unknown;
  /** Idle timeout: no byte for this long ends the request with DeviceTimeoutError. */
  timeoutMs: number;
  signal?: AbortSignal;
  onProgress?: (received: number, total: number | undefined) => void;
}

function open(req: SbiRequest): Promise<{ res: IncomingMessage; cancel: () => void; reason: () => Error | undefined }> {
  return new Promise((resolve, reject) => {
    if (req.signal?.aborted) return reject(new CaptureCancelledError());
    const payload = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
    const r = request({
      host: SBI_HOST,
      port: req.port,
      method: req.method,
      path: req.path,
      agent: false,
      headers: { 'content-type': 'application/json', ...(payload ? { 'content-length': payload.length } : {}), connection: 'close' },
    });
    let settled = false;
    // Why we destroyed the request ourselves (timeout, cancel): the response then reports it instead of a disconnect.
    let reason: Error | undefined;
    const destroy = (error: Error) => {
      reason ??= error;
      r.destroy(error);
    };
    const onAbort = () => destroy(new CaptureCancelledError());
    req.signal?.addEventListener('abort', onAbort, { once: true });
    const cleanup = () => req.signal?.removeEventListener('abort', onAbort);
    r.setTimeout(req.timeoutMs, () => destroy(new DeviceTimeoutError(`SBI ${req.method} on port ${req.port}: no answer within ${req.timeoutMs} ms`, { details: { port: req.port } })));
    r.once('error', (error: Error & { code?: string }) => {
      cleanup();
      if (settled) return;
      settled = true;
      if (error instanceof CaptureCancelledError || error instanceof DeviceTimeoutError) reject(error);
      else if (error.code === 'ECONNREFUSED') reject(new DeviceNotFoundError(`No SBI service on 127.0.0.1:${req.port}`, { details: { port: req.port } }));
      else reject(new DeviceDisconnectedError(`SBI ${req.method} on port ${req.port} failed: ${error.code ?? error.message}`, { cause: error, details: { port: req.port } }));
    });
    r.once('response', (res) => {
      settled = true;
      resolve({
        res,
        reason: () => reason,
        cancel: () => {
          cleanup();
          r.destroy();
        },
      });
    });
    r.end(payload);
  });
}

/** Sends one request and buffers the whole (bounded) response body. */
export async function sbiRequest(req: SbiRequest): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> {
  const { res, cancel, reason } = await open(req);
  const total = Number(res.headers['content-length']) || undefined;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let done = false;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      cancel();
      if (error) reject(error);
      else resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
    };
    res.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > MAX_BODY) return finish(new ProtocolError(`SBI response larger than ${MAX_BODY} bytes`, chunk.subarray(0, 32)));
      chunks.push(chunk);
      req.onProgress?.(received, total);
    });
    res.once('end', () => finish());
    res.once('aborted', () => finish(reason() ?? new DeviceDisconnectedError(`SBI device on port ${req.port} closed the connection mid-response`, { details: { port: req.port, received } })));
    res.once('error', (error: Error) => {
      const own = reason();
      if (own) finish(own);
      else if (error instanceof CaptureCancelledError || error instanceof DeviceTimeoutError) finish(error);
      else finish(new DeviceDisconnectedError(`SBI device on port ${req.port} closed the connection mid-response`, { cause: error, details: { port: req.port, received } }));
    });
  });
}

/** Streams a response (STREAM): yields body chunks until the server ends or the caller stops iterating. */
export async function* sbiStream(req: SbiRequest): AsyncGenerator<Buffer> {
  const { res, cancel, reason } = await open(req);
  try {
    for await (const chunk of res) yield chunk as Buffer;
  } catch (error) {
    const own = reason();
    if (own) throw own;
    if (error instanceof CaptureCancelledError || error instanceof DeviceTimeoutError) throw error;
    throw new DeviceDisconnectedError(`SBI stream on port ${req.port} ended abruptly`, { cause: error });
  } finally {
    cancel();
  }
}

export function parseJson(body: Buffer, what: string): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new ProtocolError(`SBI ${what}: response is not JSON`, body.subarray(0, 64), { cause: error });
  }
}
