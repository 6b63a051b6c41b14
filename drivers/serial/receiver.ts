// Hands parsed packets (or parse errors) to one waiting reader, with an idle timeout and AbortSignal support.
import { CaptureCancelledError, DeviceBusyError } from '../errors.js';

type Item<P> = { packet: P } | { error: Error };

export interface NextOptions {
  /** Rejects when no byte at all arrives for this long (the timer restarts on every received chunk). */
  idleMs: number;
  signal?: AbortSignal;
  /** Error to reject with on idle timeout (e.g. a ProtocolError when a partial packet is pending). */
  onTimeout: () => Error;
}

export class Receiver<P> {
  private readonly queue: Item<P>[] = [];
  private sticky: Error | undefined;
  private waiter: { resolve: (p: P) => void; reject: (e: Error) => void; touch: () => void } | undefined;
  /** Bounds the queue: a device that floods us with packets nobody reads cannot grow memory without limit. */
  constructor(private readonly maxQueued = 4096) {}

  push(packet: P): void {
    this.deliver({ packet });
  }

  /** A non-fatal error (e.g. a checksum mismatch) delivered in order with packets. */
  pushError(error: Error): void {
    this.deliver({ error });
  }

  /** A fatal error (disconnect, dispose): every current and future next() rejects with it until reset(). */
  fail(error: Error): void {
    this.sticky ??= error;
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(error);
  }

  /** Bytes arrived: restarts the idle timer of the current reader. */
  touch(): void {
    this.waiter?.touch();
  }

  clear(): void {
    this.queue.length = 0;
  }

  private deliver(item: Item<P>): void {
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      if ('packet' in item) w.resolve(item.packet);
      else w.reject(item.error);
      return;
    }
    if (this.queue.length >= this.maxQueued) this.queue.shift();
    this.queue.push(item);
  }

  next(options: NextOptions): Promise<P> {
    if (this.sticky) return Promise.reject(this.sticky);
    const item = this.queue.shift();
    if (item) return 'packet' in item ? Promise.resolve(item.packet) : Promise.reject(item.error);
    if (this.waiter) return Promise.reject(new DeviceBusyError('Another read is already waiting on this device'));
    if (options.signal?.aborted) return Promise.reject(new CaptureCancelledError());
    return new Promise<P>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const cleanup = () => {
        if (timer) clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        if (this.waiter === waiter) this.waiter = undefined;
        cleanup();
        reject(new CaptureCancelledError());
      };
      const arm = () => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => {
          if (this.waiter === waiter) this.waiter = undefined;
          cleanup();
          reject(options.onTimeout());
        }, options.idleMs);
      };
      const waiter = {
        resolve: (p: P) => {
          cleanup();
          resolve(p);
        },
        reject: (e: Error) => {
          cleanup();
          reject(e);
        },
        touch: arm,
      };
      this.waiter = waiter;
      options.signal?.addEventListener('abort', onAbort, { once: true });
      arm();
    });
  }
}

/** Resolves after `ms`, or rejects with CaptureCancelledError when `signal` aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(new CaptureCancelledError());
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(t);
      reject(new CaptureCancelledError());
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
