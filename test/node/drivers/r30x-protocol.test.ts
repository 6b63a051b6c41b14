import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChecksumError, KioskErrorLike } from './helpers.js';
import { unpackNibbles, packNibbles } from '../../../drivers/r30x/image.js';
import { PID, checksum, commands, decodeSystemParameters, encodePacket, encodeSystemParameters } from '../../../drivers/r30x/packet.js';
import { MAX_PAYLOAD, R30xParser, type R30xParseEvent } from '../../../drivers/r30x/parser.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').replace(/(..)(?!$)/g, '$1 ');

describe('R30x command encoding (fact sheet, byte for byte)', () => {
  it('GenImg', () => expect(hex(commands.genImg())).toBe('ef 01 ff ff ff ff 01 00 03 01 00 05'));
  it('UpImage', () => expect(hex(commands.upImage())).toBe('ef 01 ff ff ff ff 01 00 03 0a 00 0e'));
  it('ReadSysPara', () => expect(hex(commands.readSysPara())).toBe('ef 01 ff ff ff ff 01 00 03 0f 00 13'));
  it('VfyPwd with password 0 and with 0x12345678', () => {
    expect(hex(commands.vfyPwd(0))).toBe('ef 01 ff ff ff ff 01 00 07 13 00 00 00 00 00 1b');
    // 0x01 + 0x00 + 0x07 + 0x13 + 0x12 + 0x34 + 0x56 + 0x78 = 0x012f
    expect(hex(commands.vfyPwd(0x12345678))).toBe('ef 01 ff ff ff ff 01 00 07 13 12 34 56 78 01 2f');
  });
  it('SetSysPara baud 115200 (param 4, N = 12) and packet size 256 (param 6, code 3)', () => {
    expect(hex(commands.setBaud(115200))).toBe('ef 01 ff ff ff ff 01 00 05 0e 04 0c 00 24');
    expect(hex(commands.setBaud(57600))).toBe('ef 01 ff ff ff ff 01 00 05 0e 04 06 00 1e');
    expect(hex(commands.setPacketSize(256))).toBe('ef 01 ff ff ff ff 01 00 05 0e 06 03 00 1d');
    expect(hex(commands.setPacketSize(32))).toBe('ef 01 ff ff ff ff 01 00 05 0e 06 00 00 1a');
    expect(() => commands.setBaud(100000)).toThrow(RangeError);
    expect(() => commands.setBaud(9600 * 13)).toThrow(RangeError);
    expect(() => commands.setPacketSize(100)).toThrow(RangeError);
  });
  it('Aura LED (0x35) and LED on/off (0x50/0x51)', () => {
    expect(hex(commands.auraLed(1, 0x80, 2, 0))).toBe('ef 01 ff ff ff ff 01 00 07 35 01 80 02 00 00 c0');
    expect(hex(commands.ledOn())).toBe('ef 01 ff ff ff ff 01 00 03 50 00 54');
    expect(hex(commands.ledOff())).toBe('ef 01 ff ff ff ff 01 00 03 51 00 55');
  });
  it('uses the configured address, big-endian', () => {
    expect(hex(commands.genImg(0x01020304))).toBe('ef 01 01 02 03 04 01 00 03 01 00 05');
  });
  it('checksum is pid + length bytes + payload, mod 65536', () => {
    const payload = new Uint8Array(256).fill(0xff);
    expect(checksum(PID.data, 258, payload)).toBe((2 + 1 + 2 + 255 * 256) & 0xffff);
    const p = encodePacket(PID.data, payload);
    expect(p.length).toBe(9 + 258);
    expect(p[7]).toBe(0x01);
    expect(p[8]).toBe(0x02);
  });
  it('ReadSysPara answer round-trips', () => {
    const sys = { statusRegister: 4, systemId: 9, librarySize: 1000, securityLevel: 5, address: 0xffffffff, packetSize: 128, baudRate: 57600 };
    const bytes = encodeSystemParameters(sys);
    expect(hex(bytes)).toBe('00 04 00 09 03 e8 00 05 ff ff ff ff 00 02 00 06');
    expect(decodeSystemParameters(Uint8Array.from([0, ...bytes]))).toEqual(sys);
    expect(decodeSystemParameters(new Uint8Array(5))).toBeUndefined();
  });
});

describe('R30x image format', () => {
  it('unpacks 4-bit pixels high nibble first, v × 17', () => {
    const out = unpackNibbles(Uint8Array.from([0x0f, 0xa5]), 2, 2);
    expect(Array.from(out)).toEqual([0, 255, 170, 85]);
  });
  it('a 36,864-byte upload becomes 256 × 288 8-bit pixels', () => {
    const packed = new Uint8Array(36864).fill(0x7f);
    const out = unpackNibbles(packed);
    expect(out.length).toBe(256 * 288);
    expect(out[0]).toBe(7 * 17);
    expect(out[out.length - 1]).toBe(255);
  });
  it('pack/unpack round-trips multiples of 17', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 2, maxLength: 64 }).map((a) => a.subarray(0, a.length & ~1)), (a) => {
        const levels = a.map((v) => (v >> 4) * 17);
        expect(Array.from(unpackNibbles(packNibbles(levels), levels.length, 1))).toEqual(Array.from(levels));
      }),
    );
  });
});

const packetArb = fc.record({
  pid: fc.constantFrom(PID.command, PID.data, PID.ack, PID.endData),
  payload: fc.uint8Array({ minLength: 1, maxLength: 256 }),
  address: fc.nat({ max: 0xffffffff }),
});

function chunked(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  return out;
}

const concat = (parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => Array.from(p)));

describe('R30x streaming parser', () => {
  it('accepts arbitrary chunking', () => {
    fc.assert(
      fc.property(fc.array(packetArb, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 40 }), (packets, cuts) => {
        const wire = concat(packets.map((p) => encodePacket(p.pid, p.payload, p.address)));
        const parser = new R30xParser();
        const events = chunked(wire, cuts).flatMap((c) => parser.push(c));
        expect(events.map((e) => (e.type === 'packet' ? { pid: e.packet.pid, address: e.packet.address, payload: Array.from(e.packet.payload) } : e.type))).toEqual(
          packets.map((p) => ({ pid: p.pid, address: p.address, payload: Array.from(p.payload) })),
        );
        expect(parser.pending().length).toBe(0);
        expect(parser.garbageBytes).toBe(0);
      }),
    );
  });

  it('resynchronises on EF 01 after garbage', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }).map((g) => g.map((b) => (b === 0xef ? 0 : b))), packetArb, fc.array(fc.nat(), { maxLength: 10 }), (garbage, p, cuts) => {
        const wire = concat([garbage, encodePacket(p.pid, p.payload, p.address)]);
        const parser = new R30xParser();
        const events = chunked(wire, cuts).flatMap((c) => parser.push(c));
        expect(events).toHaveLength(1);
        expect(events[0]!.type).toBe('packet');
        expect(parser.garbageBytes).toBe(garbage.length);
      }),
    );
  });

  it('recovers after a bogus EF 01 inside noise', () => {
    const parser = new R30xParser();
    const good = commands.genImg();
    const events = parser.push(concat([Uint8Array.from([0x12, 0xef, 0x01, 0x99, 0xef]), good]));
    expect(events).toHaveLength(1);
    expect(events[0]!.type === 'packet' && events[0]!.packet.payload[0]).toBe(0x01);
  });

  it('reports a checksum error with the bytes, then goes on', () => {
    const bad = commands.upImage();
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 0xff;
    const parser = new R30xParser();
    const events: R30xParseEvent[] = parser.push(concat([bad, commands.genImg()]));
    expect(events.map((e) => e.type)).toEqual(['error', 'packet']);
    const err = (events[0] as { error: ChecksumError }).error;
    expect(err).toBeInstanceOf(ChecksumError);
    expect(err.code).toBe('DEVICE_CHECKSUM');
    expect(String(err.details?.hex)).toMatch(/^ef 01 ff ff ff ff 01 00 03 0a/);
  });

  it('fuzz: never throws, only typed errors, bounded buffer', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.uint8Array({ maxLength: 300 }), packetArb.map((p) => encodePacket(p.pid, p.payload, p.address))), { maxLength: 20 }), (chunks) => {
        const parser = new R30xParser();
        for (const c of chunks) {
          const events = parser.push(c);
          for (const e of events) if (e.type === 'error') expect(e.error).toBeInstanceOf(KioskErrorLike);
          expect(parser.pending().length).toBeLessThanOrEqual(9 + MAX_PAYLOAD + 2);
        }
      }),
      { numRuns: 300 },
    );
  });
});
