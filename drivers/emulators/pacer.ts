// Writes bytes at the pace of a real UART (8N1: 10 bits per byte), or as fast as possible when pacing is off.
const UNPACED_SLICE = 2048;

export class PacedWriter {
  private clock = 0;
  constructor(
    private readonly write: (bytes: Uint8Array) => Promise<void>,
    /** Baud to pace at; 0 disables pacing. */
    private readonly baud: () => number,
  ) {}

  /** Resolves when the bytes are on the wire; stops early (without error) when `signal` aborts. */
  async send(bytes: Uint8Array, signal?: AbortSignal): Promise<void> {
    const baud = this.baud();
    if (baud <= 0) {
      // Unpaced, but still in drained slices: a write that fills the pty (EAGAIN) makes serialport's bindings poll
      // for "writable", and a concurrent read's poll for "readable" replaces that wait (bindings-cpp Poller::poll
      // starts uv_poll with only the new event), which can stall the write for good. Small drained writes never block.
      for (let off = 0; off < bytes.length && !signal?.aborted; off += UNPACED_SLICE) await this.write(bytes.subarray(off, off + UNPACED_SLICE));
      return;
    }
    const bytesPerMs = baud / 10 / 1000;
    // ~10 ms of wire time per chunk: at least 16 bytes, at most one drained slice.
    const chunk = Math.min(UNPACED_SLICE, Math.max(16, Math.round(bytesPerMs * 10)));
    const now = performance.now();
    if (this.clock < now) this.clock = now;
    for (let off = 0; off < bytes.length; off += chunk) {
      if (signal?.aborted) return;
      const part = bytes.subarray(off, Math.min(bytes.length, off + chunk));
      this.clock += part.length / bytesPerMs;
      await this.write(part);
      const wait = this.clock - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    }
  }
}
