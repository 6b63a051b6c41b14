// Streaming R30x packet parser: accepts arbitrary chunking, skips garbage by resynchronising on the EF 01 header,
// and bounds its buffer (at most one maximal packet is ever held).
import { ChecksumError, type ProtocolError } from '../errors.js';
import { PID, checksum, type R30xPacket } from './packet.js';

/** Largest payload the protocol uses (256-byte data packets) plus slack for acks. */
export const MAX_PAYLOAD = 256 + 32;
const HEADER_LEN = 9;
const VALID_PIDS = new Set<number>([PID.command, PID.data, PID.ack, PID.endData]);

export type R30xParseEvent = { type: 'packet'; packet: R30xPacket } | { type: 'error'; error: ChecksumError | ProtocolError };

export class R30xParser {
  private buf = new Uint8Array(0);
  /** Bytes discarded while looking for a header. */
  garbageBytes = 0;

  /** Bytes of a started but unfinished packet (empty when idle). */
  pending(): Uint8Array {
    return this.buf.slice();
  }

  reset(): void {
    this.buf = new Uint8Array(0);
  }

  push(chunk: Uint8Array): R30xParseEvent[] {
    const events: R30xParseEvent[] = [];
    const joined = new Uint8Array(this.buf.length + chunk.length);
    joined.set(this.buf);
    joined.set(chunk, this.buf.length);
    let pos = 0;
    while (pos < joined.length) {
      // Find the header.
      let start = pos;
      while (start < joined.length && !(joined[start] === 0xef && (start + 1 >= joined.length || joined[start + 1] === 0x01))) start++;
      this.garbageBytes += start - pos;
      pos = start;
      if (joined.length - pos < HEADER_LEN) break;
      const pid = joined[pos + 6]!;
      const length = (joined[pos + 7]! << 8) | joined[pos + 8]!;
      if (!VALID_PIDS.has(pid) || length < 2 || length > MAX_PAYLOAD + 2) {
        // Not a real header (EF 01 inside noise): skip one byte and keep looking.
        this.garbageBytes += 1;
        pos += 1;
        continue;
      }
      const total = HEADER_LEN + length;
      if (joined.length - pos < total) break;
      const frame = joined.subarray(pos, pos + total);
      const payload = frame.slice(HEADER_LEN, total - 2);
      const got = (frame[total - 2]! << 8) | frame[total - 1]!;
      const want = checksum(pid, length, payload);
      if (got !== want) {
        events.push({ type: 'error', error: new ChecksumError(`R30x checksum mismatch (expected ${want}, got ${got})`, frame.slice(), want, got) });
      } else {
        const address = ((frame[2]! << 24) | (frame[3]! << 16) | (frame[4]! << 8) | frame[5]!) >>> 0;
        events.push({ type: 'packet', packet: { address, pid, payload } });
      }
      pos += total;
    }
    this.buf = joined.slice(pos);
    return events;
  }
}
