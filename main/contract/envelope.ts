// The reply envelope of every IPC call: success with a value, or a serializable KioskError.
import type { KioskErrorShape } from './errors.js';

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: KioskErrorShape };

export function ok<T>(value: T): Envelope<T> {
  return { ok: true, value };
}

export function fail(error: KioskErrorShape): Envelope<never> {
  return { ok: false, error };
}
