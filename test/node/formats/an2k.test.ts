import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildTenprint, dumpAn2k, fingerHeader, readAn2k, readTenprint, solveLen, text, writeAn2k, FS, GS, type An2kTransaction, type TenprintInput,
} from '../../../models/formats/an2k/index.js';
import { An2kError } from '../../../models/formats/errors.js';
import { decodeWsq, encodeWsq } from '../../../models/formats/wsq/index.js';
import { fixturePath, hasFixture } from '../../helpers/fixtures.js';
import { sameBytes, syntheticFinger } from './grey.js';

/** Walks a written transaction using only the LEN fields; checks each record ends with FS exactly at LEN. */
function walkLens(bytes: Uint8Array, tx: An2kTransaction): number[] {
  const lens: number[] = [];
  let pos = 0;
  for (const rec of tx.records) {
    let len: number;
    if (rec.kind === 'binary') {
      len = ((bytes[pos]! << 24) >>> 0) + (bytes[pos + 1]! << 16) + (bytes[pos + 2]! << 8) + bytes[pos + 3]!;
    } else {
      const head = Buffer.from(bytes.subarray(pos, pos + 24)).toString('latin1');
      const m = /^(\d+)\.0*1:(\d+)[\x1c\x1d]/.exec(head);
      expect(m?.[1]).toBe(String(rec.type));
      len = Number(m![2]);
      expect(bytes[pos + len - 1]).toBe(FS);
    }
    lens.push(len);
    pos += len;
  }
  expect(pos).toBe(bytes.length);
  return lens;
}

const strip = (tx: An2kTransaction) =>
  tx.records.map((r) => (r.kind === 'binary' ? { ...r, data: r.data.length, header: Array.from(r.header) } : { ...r, fields: r.fields.map((f) => ('data' in f ? { tag: f.tag, data: f.data.length } : f)) }));

function sameTransaction(a: An2kTransaction, b: An2kTransaction): void {
  expect(strip(a)).toEqual(strip(b));
  a.records.forEach((r, i) => {
    const s = b.records[i]!;
    if (r.kind === 'binary' && s.kind === 'binary') expect(sameBytes(r.data, s.data)).toBe(true);
    if (r.kind === 'tagged' && s.kind === 'tagged')
      r.fields.forEach((f, j) => {
        const g = s.fields[j]!;
        if ('data' in f && 'data' in g) expect(sameBytes(f.data, g.data)).toBe(true);
      });
  });
}

describe('LEN computation', () => {
  it('solves the fixed point across digit boundaries (LEN counts its own digits)', () => {
    // "2.001:" + digits + GS + rest
    expect(solveLen(2, 0)).toBe(8); // "2.001:8" FS
    expect(solveLen(2, 2)).toBe(11); // 1 digit would give 6 + 1 + 1 + 2 = 10, which has 2 digits: 6 + 2 + 1 + 2 = 11
    expect(solveLen(2, 90)).toBe(99);
    expect(solveLen(2, 91)).toBe(101); // 100 is impossible: 99 + 1 extra byte crosses to 3 digits
  });

  it('writes LEN equal to the record length for every size around 10, 100, 1000 and 10000', () => {
    for (const size of [0, 1, 2, 3, 80, 85, 86, 87, 88, 89, 90, 95, 96, 985, 986, 987, 988, 989, 990, 9984, 9985, 9986, 9987, 9988, 9989, 9990]) {
      const tx: An2kTransaction = {
        records: [
          { kind: 'tagged', type: 1, fields: [{ tag: 2, value: '0500' }, { tag: 4, value: 'X' }] },
          { kind: 'tagged', type: 2, fields: [{ tag: 2, value: '00' }, { tag: 18, value: 'A'.repeat(size) }] },
        ],
      };
      const bytes = writeAn2k(tx);
      const lens = walkLens(bytes, readAn2k(bytes));
      expect(lens[1]).toBe(bytes.length - lens[0]!);
      sameTransaction(readAn2k(bytes), readAn2k(writeAn2k(readAn2k(bytes))));
    }
  });
});

describe.skipIf(!hasFixture('an2k'))('ANSI/NIST-ITL fixture files', () => {
  const files = hasFixture('an2k') ? readdirSync(fixturePath('an2k')).filter((f) => f.endsWith('.an2')) : [];

  it.each(files)('%s parses, its LENs are right, and write → read is identical', (file) => {
    const bytes = new Uint8Array(readFileSync(fixturePath('an2k', file)));
    const tx = readAn2k(bytes);
    expect(tx.records[0]!.type).toBe(1);
    walkLens(bytes, tx);
    const again = writeAn2k(tx);
    walkLens(again, readAn2k(again));
    sameTransaction(readAn2k(again), tx);
    expect(writeAn2k(readAn2k(again))).toEqual(again);
    const dump = dumpAn2k(tx);
    expect(dump.records.length).toBe(tx.records.length);
    expect(JSON.parse(JSON.stringify(dump))).toEqual(dump);
  });

  it('reads the Type-14 WSQ slaps of valid1.8 and decodes them', () => {
    const tx = readAn2k(new Uint8Array(readFileSync(fixturePath('an2k', 'valid1.8.an2'))));
    const t14 = tx.records.filter((r) => r.type === 14);
    expect(t14).toHaveLength(3);
    const rec = t14[0]!;
    if (rec.kind !== 'tagged') throw new Error('expected tagged');
    expect(text(rec, 11)).toBe('WSQ20');
    expect(text(rec, 13)).toBe('13');
    const data = rec.fields.find((f) => f.tag === 999);
    expect(data && 'data' in data).toBe(true);
    const img = decodeWsq((data as { data: Uint8Array }).data);
    // NIST's test file declares HLL/VLL 1800×1000 but its WSQ frame header (SOF before the tables) says 1600×976.
    expect([text(rec, 6), text(rec, 7)]).toEqual(['1800', '1000']);
    expect([img.width, img.height]).toEqual([1600, 976]);
    expect(img.pixels.length).toBe(1600 * 976);
    const dump = dumpAn2k(tx);
    expect(dump.records[2]!.fields.find((f) => f.name === 'DATA')!.image).toMatchObject({ format: 'WSQ', width: 1600, height: 976 });
  });

  it('keeps binary Type-4 records (valid1.14) and unknown tagged types (Type-99 in valid1.13)', () => {
    const t4 = readAn2k(new Uint8Array(readFileSync(fixturePath('an2k', 'valid1.14.an2')))).records.find((r) => r.type === 4)!;
    expect(t4.kind).toBe('binary');
    if (t4.kind === 'binary') expect(fingerHeader(t4)).toEqual({ imp: 0, fgp: [1], isr: 0, hll: 784, vll: 1133, gca: 1 });
    if (t4.kind === 'binary') expect([decodeWsq(t4.data).width, decodeWsq(t4.data).height]).toEqual([784, 1133]);
    const t4b = readAn2k(new Uint8Array(readFileSync(fixturePath('an2k', 'valid1.1.an2')))).records.find((r) => r.type === 4)!;
    if (t4b.kind === 'binary') {
      expect(fingerHeader(t4b)).toMatchObject({ fgp: [10], hll: 512, vll: 512, gca: 1 });
      expect(decodeWsq(t4b.data).pixels.length).toBe(512 * 512);
    }
    const t99 = readAn2k(new Uint8Array(readFileSync(fixturePath('an2k', 'valid1.13.an2')))).records.find((r) => r.type === 99)!;
    expect(t99.kind).toBe('tagged');
    if (t99.kind === 'tagged') expect(text(t99, 104)).toBe('0601');
  });
});

const jpeg = Uint8Array.from(Buffer.from('FFD8FFE000104A46494600010100000100010000FFC0000B0801E0028001011100FFD9', 'hex'));

describe('tenprint transaction builder', () => {
  const size = 256;
  const wsqFor = (p: number) => encodeWsq(syntheticFinger(size, size + 40, p), size, size + 40);

  it('builds 10 rolled fingers, writes, reads back identical and recovers the input', () => {
    const input: TenprintInput = {
      tot: 'CAR',
      dai: 'DEST00001',
      ori: 'KIOSK0001',
      tcn: 'TCN-2026-0001',
      date: '20261123',
      priority: 4,
      domain: 'NORAM',
      gmt: '20261123201500Z',
      demographics: { 18: 'DOE,JANE', 22: '19900101' },
      fingers: Array.from({ length: 10 }, (_, i) => ({ position: i + 1, impression: 'rolled' as const, wsq: wsqFor(i + 1), quality: 60 + i })),
    };
    const tx = buildTenprint(input);
    const bytes = writeAn2k(tx);
    const back = readAn2k(bytes);
    walkLens(bytes, back);
    sameTransaction(back, tx);
    expect(text(back.records[0] as never, 3)).toBe(['1\x1f11', '2\x1f00', ...Array.from({ length: 10 }, (_, i) => `14\x1f${String(i + 1).padStart(2, '0')}`)].join('\x1e'));
    const recovered = readTenprint(back);
    expect({ ...recovered, fingers: recovered.fingers.map((f) => ({ ...f, wsq: f.wsq!.length })) }).toEqual({
      ...input,
      ppi: 500,
      fingers: input.fingers.map((f) => ({ ...f, wsq: f.wsq!.length })),
    });
    recovered.fingers.forEach((f, i) => expect(sameBytes(f.wsq!, input.fingers[i]!.wsq!)).toBe(true));
    expect(writeAn2k(readAn2k(bytes))).toEqual(bytes);
  });

  it('builds 3 slaps + face from pixels and round-trips', () => {
    const fingers = [13, 14, 15].map((position) => ({ position, impression: 'plain' as const, pixels: syntheticFinger(400, 300, position), width: 400, height: 300 }));
    const input: TenprintInput = { tot: 'NFUF', dai: 'D', ori: 'O', tcn: 'T1', date: '20261123', fingers, face: { jpeg, width: 640, height: 480 } };
    const tx = buildTenprint(input);
    const bytes = writeAn2k(tx);
    const back = readAn2k(bytes);
    walkLens(bytes, back);
    sameTransaction(back, tx);
    expect(back.records.map((r) => r.type)).toEqual([1, 2, 14, 14, 14, 10]);
    const rec = readTenprint(back);
    expect(rec.fingers.map((f) => [f.position, f.impression])).toEqual([
      [13, 'plain'],
      [14, 'plain'],
      [15, 'plain'],
    ]);
    expect(decodeWsq(rec.fingers[0]!.wsq!).width).toBe(400);
    expect(rec.face).toEqual({ jpeg, width: 640, height: 480 });
  });

  it('rejects incomplete or inconsistent input with AN2K_INVALID_INPUT', () => {
    const base = { tot: 'CAR', dai: 'D', ori: 'O', tcn: 'T', date: '20261123' };
    expect(() => buildTenprint({ ...base, fingers: [] })).toThrow(An2kError);
    expect(() => buildTenprint({ ...base, date: '2026-11-23', fingers: [] })).toThrow(expect.objectContaining({ code: 'AN2K_INVALID_INPUT' }));
    expect(() =>
      writeAn2k({ records: [{ kind: 'tagged', type: 1, fields: [{ tag: 4, value: 'bad\x1dvalue' }] }] }),
    ).toThrow(/separator/);
    expect(GS).toBe(0x1d);
  });
});
