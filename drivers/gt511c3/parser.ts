// Streaming GT-511C3 parser. Accepts arbitrary chunking; resynchronises on 55 AA (commands/responses) and on 5A A5
// (data, only when a data packet of known length is expected — data packets carry no length field).
// Memory is bounded: one 12-byte packet, or one expected data packet.
import { ChecksumError } from '../errors.js';
import { PACKET_LEN, sum16, type GtPacket } from './packet.js';

/** Largest data packet the driver ever asks for (GetImage 52,116 bytes), with slack. */
export const MAX_DATA = 64 * 1024;

export type GtParseEvent =
  | { type: 'packet'; packet: GtPacket }
  | { type: 'data'; deviceId: number; data: Uint8Array }
  | { type: 'error'; error: ChecksumError };

export class GtParser {
  private head = new Uint8Array(PACKET_LEN);
  private headLen = 0;
  private data: Uint8Array | undefined;
  private dataLen = 0;
  private expected: number[] = [];
  garbageBytes = 0;

  /** The next data packet (after the pending response) carries `length` bytes. Calls queue up in order. */
  expectData(length: number): void {
    if (!Number.isInteger(length) || length < 0 || length > MAX_DATA) throw new RangeError(`GT-511C3 data length out of range: ${length}`);
    this.expected.push(length);
  }

  /** Bytes of an unfinished packet (0 when between packets). */
  pendingBytes(): number {
    return this.data ? this.dataLen : this.headLen;
  }

  pending(): Uint8Array {
    return this.data ? this.data.slice(0, Math.min(this.dataLen, 64)) : this.head.slice(0, this.headLen);
  }

  /** Progress of the data packet being received: [received, total] (total 0 when none). */
  dataProgress(): [number, number] {
    return this.data ? [this.dataLen, this.data.length] : [0, 0];
  }

  reset(): void {
    this.headLen = 0;
    this.data = undefined;
    this.dataLen = 0;
    this.expected = [];
  }

  push(chunk: Uint8Array): GtParseEvent[] {
    const events: GtParseEvent[] = [];
    let i = 0;
    while (i < chunk.length) {
      if (this.data) {
        const n = Math.min(chunk.length - i, this.data.length - this.dataLen);
        this.data.set(chunk.subarray(i, i + n), this.dataLen);
        this.dataLen += n;
        i += n;
        if (this.dataLen === this.data.length) events.push(this.finishData());
        continue;
      }
      const b = chunk[i++]!;
      if (this.headLen === 0) {
        if (b === 0x55 || (b === 0x5a && this.expected.length > 0)) this.head[this.headLen++] = b;
        else this.garbageBytes++;
        continue;
      }
      if (this.headLen === 1) {
        const first = this.head[0]!;
        if ((first === 0x55 && b === 0xaa) || (first === 0x5a && b === 0xa5)) {
          this.head[this.headLen++] = b;
          if (first === 0x5a) {
            const length = this.expected.shift()!;
            this.data = new Uint8Array(4 + length + 2);
            this.data[0] = 0x5a;
            this.data[1] = 0xa5;
            this.dataLen = 2;
            this.headLen = 0;
          }
        } else {
          // Not a header: drop the first byte, reconsider this one as a possible start.
          this.garbageBytes++;
          this.headLen = 0;
          i--;
        }
        continue;
      }
      this.head[this.headLen++] = b;
      if (this.headLen === PACKET_LEN) {
        this.headLen = 0;
        const frame = this.head.slice();
        const v = new DataView(frame.buffer);
        const want = sum16(frame, 10);
        const got = v.getUint16(10, true);
        if (want !== got) events.push({ type: 'error', error: new ChecksumError(`GT-511C3 checksum mismatch (expected ${want}, got ${got})`, frame, want, got) });
        else events.push({ type: 'packet', packet: { deviceId: v.getUint16(2, true), parameter: v.getUint32(4, true), code: v.getUint16(8, true) } });
      }
    }
    return events;
  }

  private finishData(): GtParseEvent {
    const frame = this.data!;
    this.data = undefined;
    this.dataLen = 0;
    const end = frame.length - 2;
    const want = sum16(frame, end);
    const got = frame[end]! | (frame[end + 1]! << 8);
    if (want !== got) return { type: 'error', error: new ChecksumError(`GT-511C3 data checksum mismatch (expected ${want}, got ${got})`, frame.subarray(0, 64).slice(), want, got) };
    return { type: 'data', deviceId: frame[2]! | (frame[3]! << 8), data: frame.slice(4, end) };
  }
}
