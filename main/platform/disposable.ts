// Everything that holds a port, session, timer or file implements Disposable.
export interface Disposable {
  dispose(): void | Promise<void>;
}

/** Disposes in reverse order of registration; collects errors and throws the first after trying all. */
export class DisposableStack implements Disposable {
  private readonly items: Disposable[] = [];
  private disposed = false;

  add<T extends Disposable>(item: T): T {
    if (this.disposed) throw new Error('DisposableStack already disposed');
    this.items.push(item);
    return item;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    let first: unknown;
    while (this.items.length) {
      const item = this.items.pop()!;
      try {
        await item.dispose();
      } catch (error) {
        first ??= error;
      }
    }
    if (first !== undefined) throw first;
  }
}
