// Serialises async work per key inside one process (an upload, a packet id, a partner's run): calls with the same key
// run one after another, calls with different keys run side by side; a failed call does not block the next one.
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await next;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Resolves when everything queued so far has finished (failures included). */
  async idle(): Promise<void> {
    await Promise.all([...this.tails.values()]);
  }
}
