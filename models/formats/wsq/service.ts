// WSQ codec on a worker thread (docs/CONVENTIONS.md "Workers"): requests run in order on one worker; typed errors come
// back as WsqError; dispose() terminates the worker and fails pending requests with DISPOSED.
import type { Worker } from 'node:worker_threads';
import { KioskError, type KioskErrorShape } from '../../../main/contract/errors.js';
import type { Disposable } from '../../../main/platform/disposable.js';
import { spawnWorker } from '../../runtime/pool.js';
import { WsqError } from '../errors.js';
import type { WsqDecodeOptions } from './decode.js';
import type { WsqEncodeOptions } from './encode.js';

export interface DecodedWsq {
  width: number;
  height: number;
  ppi: number | undefined;
  pixels: Uint8Array;
  comments: string[];
  nistcom: Record<string, string> | undefined;
}

export type WsqRequest =
  | { id: number; op: 'encode'; pixels: Uint8Array; width: number; height: number; options: WsqEncodeOptions }
  | { id: number; op: 'decode'; bytes: Uint8Array; options: WsqDecodeOptions };

export type WsqReply = { id: number; ok: true; bytes?: Uint8Array; image?: DecodedWsq } | { id: number; ok: false; error: KioskErrorShape };

function toError(shape: KioskErrorShape): KioskError {
  if (shape.code === 'WSQ_CORRUPT' || shape.code === 'WSQ_UNSUPPORTED' || shape.code === 'WSQ_INVALID_INPUT')
    return new WsqError(shape.message, shape.details ? { code: shape.code, details: shape.details } : { code: shape.code });
  return new KioskError(shape.code, shape.message, shape.details ? { details: shape.details } : undefined);
}

export class WsqService implements Disposable {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve(r: WsqReply): void; reject(e: unknown): void }>();
  private nextId = 1;
  private disposed = false;

  constructor() {
    this.worker = spawnWorker(new URL('./wsq.worker.js', import.meta.url), undefined);
    this.worker.on('message', (reply: WsqReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      p.resolve(reply);
    });
    this.worker.on('error', (e) => this.failAll(new KioskError('INTERNAL', 'WSQ worker crashed', { cause: e })));
    this.worker.on('exit', () => this.failAll(new KioskError('DISPOSED', 'WSQ worker stopped')));
  }

  private failAll(error: KioskError): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  private call(req: WsqRequest, transfer: ArrayBuffer[]): Promise<WsqReply> {
    if (this.disposed) return Promise.reject(new KioskError('DISPOSED', 'WSQ service disposed'));
    return new Promise((resolve, reject) => {
      this.pending.set(req.id, { resolve, reject });
      this.worker.postMessage(req, transfer);
    });
  }

  /** Encodes a copy of `pixels` (the caller keeps its buffer). */
  async encode(pixels: Uint8Array, width: number, height: number, options: WsqEncodeOptions = {}): Promise<Uint8Array> {
    const copy = pixels.slice();
    const r = await this.call({ id: this.nextId++, op: 'encode', pixels: copy, width, height, options }, [copy.buffer]);
    if (!r.ok) throw toError(r.error);
    return r.bytes!;
  }

  async decode(bytes: Uint8Array, options: WsqDecodeOptions = {}): Promise<DecodedWsq> {
    const copy = bytes.slice();
    const r = await this.call({ id: this.nextId++, op: 'decode', bytes: copy, options }, [copy.buffer]);
    if (!r.ok) throw toError(r.error);
    return r.image!;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.failAll(new KioskError('DISPOSED', 'WSQ service disposed'));
    await this.worker.terminate();
  }
}
