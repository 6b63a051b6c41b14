// Token bucket (bandwidth cap) and exponential backoff with full jitter (AWS Architecture Blog, "Exponential
// Backoff And Jitter", 2015): sleep = random(0, min(cap, base * 2^attempt)).

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export class TokenBucket {
  private tokens: number;
  private last = performance.now();

  /** `rate` bytes per second; `burst` bytes (default one second's worth). rate ≤ 0 disables the cap. */
  constructor(
    public rate: number,
    private readonly burst = Math.max(rate, 1),
  ) {
    this.tokens = this.burst;
  }

  /** Waits until `n` bytes may be sent. Large requests go into debt rather than wait forever. */
  async take(n: number, signal?: AbortSignal): Promise<void> {
    if (this.rate <= 0) return;
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    this.tokens -= n;
    if (this.tokens < 0) await abortableSleep((-this.tokens / this.rate) * 1000, signal);
  }
}

export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30)));
}
