// Zero-copy hand-off of large byte arrays between the main thread and the store worker. Only arrays that own their
// whole ArrayBuffer (and are large enough never to come from Node's shared Buffer pool) are transferred; the sender
// must not use them afterwards. Everything else is copied by structured clone.
const MIN_TRANSFER_BYTES = 8192;

export function transferables(value: unknown, out: ArrayBuffer[] = [], seen = new Set<ArrayBuffer>(), depth = 0): ArrayBuffer[] {
  if (value === null || typeof value !== 'object' || depth > 5) return out;
  if (value instanceof Uint8Array) {
    const buf = value.buffer;
    if (buf instanceof ArrayBuffer && value.byteOffset === 0 && value.byteLength === buf.byteLength && buf.byteLength >= MIN_TRANSFER_BYTES && !seen.has(buf)) {
      seen.add(buf);
      out.push(buf);
    }
    return out;
  }
  if (Array.isArray(value)) {
    for (const v of value) transferables(v, out, seen, depth + 1);
    return out;
  }
  for (const v of Object.values(value as Record<string, unknown>)) transferables(v, out, seen, depth + 1);
  return out;
}
