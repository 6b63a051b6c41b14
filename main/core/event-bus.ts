// Typed events from the core to every connected renderer (device status, sync progress, camera analysis …).
import { events, type EventName, type EventOf } from '../contract/ipc.js';

type Listener = (event: EventName, payload: unknown) => void;

export class EventBus {
  private readonly listeners = new Set<Listener>();
  private readonly last = new Map<EventName, unknown>();

  emit<E extends EventName>(event: E, payload: EventOf<E>): void {
    const checked = events[event].parse(payload);
    this.last.set(event, checked);
    for (const listener of [...this.listeners]) listener(event, checked);
  }

  /** Listens to every event; returns the unsubscribe function. */
  listen(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The last payload of an event, so a new subscriber starts with the current state. */
  latest<E extends EventName>(event: E): EventOf<E> | undefined {
    return this.last.get(event) as EventOf<E> | undefined;
  }

  dispose(): void {
    this.listeners.clear();
    this.last.clear();
  }
}
