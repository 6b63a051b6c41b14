// Shared bits of the driver tests.
import { KioskError } from '../../../main/contract/errors.js';
import { openSerialLinks } from '../../../drivers/serial/link.js';

export { ChecksumError, ProtocolError } from '../../../drivers/errors.js';
export const KioskErrorLike = KioskError;

/** Handles and links that must be back to their baseline after a test disposes everything. */
export function resourceSnapshot(): { resources: string[]; links: number } {
  return { resources: process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap').sort(), links: openSerialLinks() };
}

/** Resources present now that were not in `before` (counted per kind), plus serial links still open. */
export function leaksSince(before: ReturnType<typeof resourceSnapshot>): string[] {
  const now = resourceSnapshot();
  const counts = new Map<string, number>();
  for (const r of before.resources) counts.set(r, (counts.get(r) ?? 0) + 1);
  const extra: string[] = [];
  for (const r of now.resources) {
    const c = counts.get(r) ?? 0;
    if (c > 0) counts.set(r, c - 1);
    else extra.push(r);
  }
  if (now.links > before.links) extra.push(`SerialLink×${now.links - before.links}`);
  return extra;
}

/** Rejects when `promise` has not settled within `ms` (a hang guard, not a speed assertion). */
export function settlesWithin<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`did not settle within ${ms} ms`)), ms);
    }),
  ]);
}

export async function settle<T>(promise: Promise<T>, ms = 10_000): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await settlesWithin(promise, ms) };
  } catch (error) {
    return { ok: false, error };
  }
}
