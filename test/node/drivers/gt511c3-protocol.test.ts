import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChecksumError, KioskErrorLike } from './helpers.js';
import { ACK, DEVINFO_BYTES, NACK, commands, decodeDeviceInfo, encodeData, encodeDeviceInfo, encodePacket } from '../../../drivers/gt511c3/packet.js';
import { GtParser, MAX_DATA, type GtParseEvent } from '../../../drivers/gt511c3/parser.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').replace(/(..)(?!$)/g, '$1 ');
const concat = (parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => Array.from(p)));

describe('GT-511C3 command encoding (fact sheet, byte for byte, little-endian)', () => {
  it.each([
    ['Open', commands.open(false), '55 aa 01 00 00 00 00 00 01 00 01 01'],
    ['Open (extra info)', commands.open(true), '55 aa 01 00 01 00 00 00 01 00 02 01'],
    ['Close', commands.close(), '55 aa 01 00 00 00 00 00 02 00 02 01'],
    ['ChangeBaudrate 115200', commands.changeBaudrate(115200), '55 aa 01 00 00 c2 01 00 04 00 c7 01'],
    ['CmosLed on', commands.cmosLed(true), '55 aa 01 00 01 00 00 00 12 00 13 01'],
    ['CmosLed off', commands.cmosLed(false), '55 aa 01 00 00 00 00 00 12 00 12 01'],
    ['IsPressFinger', commands.isPressFinger(), '55 aa 01 00 00 00 00 00 26 00 26 01'],
    ['CaptureFinger (best)', commands.captureFinger(true), '55 aa 01 00 01 00 00 00 60 00 61 01'],
    ['GetImage', commands.getImage(), '55 aa 01 00 00 00 00 00 62 00 62 01'],
    ['GetRawImage', commands.getRawImage(), '55 aa 01 00 00 00 00 00 63 00 63 01'],
    ['ACK', encodePacket(0, ACK), '55 aa 01 00 00 00 00 00 30 00 30 01'],
    ['NACK finger not pressed', encodePacket(0x1012, NACK), '55 aa 01 00 12 10 00 00 31 00 53 01'],
  ])('%s', (_name, bytes, expected) => expect(hex(bytes)).toBe(expected));

  it('data packet: 5A A5, device id, data, checksum of all preceding bytes', () => {
    expect(hex(encodeData(Uint8Array.from([1, 2, 3])))).toBe('5a a5 01 00 01 02 03 06 01');
  });

  it('device info round-trips', () => {
    const serial = Uint8Array.from({ length: 16 }, (_, i) => i);
    const bytes = encodeDeviceInfo({ firmwareVersion: 0x20120714, isoAreaMaxSize: 4000, serial });
    expect(bytes.length).toBe(DEVINFO_BYTES);
    expect(hex(bytes.subarray(0, 8))).toBe('14 07 12 20 a0 0f 00 00');
    expect(decodeDeviceInfo(bytes)).toEqual({ firmwareVersion: 0x20120714, isoAreaMaxSize: 4000, serialNumber: '000102030405060708090a0b0c0d0e0f' });
  });
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

const frameArb = fc.oneof(
  fc.record({ kind: fc.constant('packet' as const), parameter: fc.nat({ max: 0xffffffff }), code: fc.constantFrom(ACK, NACK, 0x01, 0x62) }),
  fc.record({ kind: fc.constant('data' as const), data: fc.uint8Array({ maxLength: 600 }) }),
);

describe('GT-511C3 streaming parser', () => {
  it('accepts arbitrary chunking', () => {
    fc.assert(
      fc.property(fc.array(frameArb, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 40 }), (frames, cuts) => {
        const parser = new GtParser();
        for (const f of frames) if (f.kind === 'data') parser.expectData(f.data.length);
        const wire = concat(frames.map((f) => (f.kind === 'data' ? encodeData(f.data) : encodePacket(f.parameter, f.code))));
        const events = chunked(wire, cuts).flatMap((c) => parser.push(c));
        expect(events.map((e) => (e.type === 'packet' ? ['p', e.packet.parameter, e.packet.code] : e.type === 'data' ? ['d', Array.from(e.data)] : ['e']))).toEqual(
          frames.map((f) => (f.kind === 'packet' ? ['p', f.parameter, f.code] : ['d', Array.from(f.data)])),
        );
        expect(parser.pendingBytes()).toBe(0);
      }),
    );
  });

  it('resynchronises on 55 AA after garbage', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }).map((g) => g.map((b) => (b === 0x55 ? 0 : b))), fc.nat({ max: 0xffffffff }), (garbage, parameter) => {
        const parser = new GtParser();
        const events = parser.push(concat([garbage, encodePacket(parameter, ACK)]));
        expect(events).toEqual([{ type: 'packet', packet: { deviceId: 1, parameter, code: ACK } }]);
        expect(parser.garbageBytes).toBe(garbage.length);
      }),
    );
  });

  it('reports data checksum errors with the bytes', () => {
    const parser = new GtParser();
    parser.expectData(3);
    const bad = encodeData(Uint8Array.from([1, 2, 3]));
    bad[bad.length - 2] = bad[bad.length - 2]! ^ 1;
    const events: GtParseEvent[] = parser.push(concat([encodePacket(0, ACK), bad]));
    expect(events.map((e) => e.type)).toEqual(['packet', 'error']);
    const err = (events[1] as { error: ChecksumError }).error;
    expect(err).toBeInstanceOf(ChecksumError);
    expect(String(err.details?.hex)).toMatch(/^5a a5 01 00 01 02 03/);
  });

  it('tracks progress of a large data packet', () => {
    const parser = new GtParser();
    parser.expectData(52116);
    const wire = encodeData(new Uint8Array(52116).fill(9));
    parser.push(wire.subarray(0, 1000));
    expect(parser.dataProgress()).toEqual([1000, 52122]);
    const ev = parser.push(wire.subarray(1000));
    expect(ev[0]!.type === 'data' && ev[0]!.data.length).toBe(52116);
  });

  it('fuzz: never throws, only typed errors, bounded memory', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.uint8Array({ maxLength: 200 }), frameArb.map((f) => (f.kind === 'data' ? encodeData(f.data) : encodePacket(f.parameter, f.code)))), { maxLength: 20 }),
        fc.array(fc.nat({ max: 2000 }), { maxLength: 3 }),
        (chunks, expects) => {
          const parser = new GtParser();
          for (const n of expects) parser.expectData(n);
          for (const c of chunks) {
            for (const e of parser.push(c)) if (e.type === 'error') expect(e.error).toBeInstanceOf(KioskErrorLike);
            expect(parser.pendingBytes()).toBeLessThanOrEqual(MAX_DATA + 6);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses absurd expected lengths', () => {
    expect(() => new GtParser().expectData(MAX_DATA + 1)).toThrow(RangeError);
  });
});
