// Property-based robustness: the parsers either return a result or throw a typed KioskError; they never crash, hang or
// allocate without bound on corrupt input (mutations of valid files and random bytes).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KioskError } from '../../../main/contract/errors.js';
import { buildTenprint, readAn2k, writeAn2k, type An2kTransaction } from '../../../models/formats/an2k/index.js';
import { parseCbeff, writeCbeff } from '../../../models/formats/cbeff/index.js';
import { decodeGreyPng, encodeGreyPng } from '../../../models/formats/image/png.js';
import {
  faceImageFromJpeg, fingerImageRecordFromPixels, readFaceImageRecord, readFingerImageRecord, writeFaceImageRecord, writeFingerImageRecord,
} from '../../../models/formats/iso/index.js';
import { decodeWsq, encodeWsq } from '../../../models/formats/wsq/index.js';
import { syntheticFinger } from './grey.js';

function expectTyped(fn: () => unknown, codes: string[]): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof KioskError)) throw new Error(`untyped error: ${String(e)}`, { cause: e });
    expect(codes).toContain(e.code);
  }
}

const mutation = fc.record({
  edits: fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 6 }),
  cut: fc.option(fc.nat(), { nil: undefined }),
  insert: fc.option(fc.record({ at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }), { nil: undefined }),
});

function mutate(base: Uint8Array, m: { edits: { at: number; value: number }[]; cut: number | undefined; insert: { at: number; bytes: Uint8Array } | undefined }): Uint8Array {
  let out = base.slice();
  for (const e of m.edits) out[e.at % out.length] = e.value;
  if (m.insert) {
    const at = m.insert.at % (out.length + 1);
    const next = new Uint8Array(out.length + m.insert.bytes.length);
    next.set(out.subarray(0, at));
    next.set(m.insert.bytes, at);
    next.set(out.subarray(at), at + m.insert.bytes.length);
    out = next;
  }
  if (m.cut !== undefined) out = out.subarray(0, m.cut % (out.length + 1));
  return out;
}

/** Mutations aimed at the header: edits restricted to the first `span` bytes. */
const headerMutation = (span: number) =>
  fc.array(fc.record({ at: fc.integer({ min: 0, max: span - 1 }), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 4 }).map((edits) => ({ edits, cut: undefined, insert: undefined }));

const WSQ_CODES = ['WSQ_CORRUPT', 'WSQ_UNSUPPORTED'];
const AN2K_CODES = ['AN2K_CORRUPT'];
const ISO_CODES = ['ISO_RECORD_CORRUPT', 'ISO_RECORD_INVALID_INPUT'];

describe('fuzzing: WSQ decoder', () => {
  const w = 96;
  const h = 80;
  const valid = encodeWsq(syntheticFinger(w, h, 3), w, h);

  it('survives random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), (b) => expectTyped(() => decodeWsq(b), WSQ_CODES)), { numRuns: 300 });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (b) => expectTyped(() => decodeWsq(Uint8Array.of(0xff, 0xa0, ...b)), WSQ_CODES)),
      { numRuns: 300 },
    );
  });

  it('survives mutations of a valid stream (results always have the declared size)', () => {
    fc.assert(
      fc.property(mutation, (m) =>
        expectTyped(() => {
          const img = decodeWsq(mutate(valid, m));
          expect(img.pixels.length).toBe(img.width * img.height);
        }, WSQ_CODES),
      ),
      { numRuns: 400 },
    );
    fc.assert(fc.property(headerMutation(700), (m) => expectTyped(() => decodeWsq(mutate(valid, m)), WSQ_CODES)), { numRuns: 300 });
  });
});

describe('WSQ decoder work is bounded by the input', () => {
  it('a stream padded with thousands of empty blocks decodes to the same image', () => {
    const w = 64;
    const h = 64;
    const valid = encodeWsq(syntheticFinger(w, h, 2), w, h);
    const empty = Uint8Array.of(0xff, 0xa3, 0x00, 0x03, 0x01);
    const n = 20000;
    const padded = new Uint8Array(valid.length + n * empty.length);
    padded.set(valid.subarray(0, valid.length - 2));
    for (let i = 0; i < n; i++) padded.set(empty, valid.length - 2 + i * empty.length);
    padded.set([0xff, 0xa1], padded.length - 2);
    expect(Buffer.from(decodeWsq(padded).pixels).equals(Buffer.from(decodeWsq(valid).pixels))).toBe(true);
  });
});

describe('fuzzing: ANSI/NIST-ITL reader', () => {
  const tx: An2kTransaction = {
    records: [
      { kind: 'tagged', type: 1, fields: [{ tag: 2, value: '0500' }, { tag: 4, value: 'CAR' }, { tag: 5, value: '20261123' }] },
      { kind: 'tagged', type: 2, fields: [{ tag: 2, value: '00' }, { tag: 18, value: 'DOE\x1fJANE\x1eX' }] },
      { kind: 'binary', type: 4, idc: 1, header: Uint8Array.of(0, 2, 255, 255, 255, 255, 255, 0, 0, 8, 0, 8, 0), data: new Uint8Array(64).fill(7) },
      { kind: 'tagged', type: 14, fields: [{ tag: 2, value: '02' }, { tag: 13, value: '2' }, { tag: 999, data: Uint8Array.of(0xff, 0xa0, 0x1c, 0x1d, 0xff, 0xa1) }] },
    ],
  };
  const valid = writeAn2k(tx);

  it('reads the seed, then survives its mutations and random separator soup', () => {
    expect(readAn2k(valid).records).toHaveLength(4);
    fc.assert(fc.property(mutation, (m) => expectTyped(() => readAn2k(mutate(valid, m)), AN2K_CODES)), { numRuns: 600 });
    const soup = fc.array(fc.constantFrom(...'1.0:29\x1c\x1d\x1e\x1f14'.split('')), { maxLength: 200 }).map((a) => Uint8Array.from(Buffer.from(a.join(''), 'latin1')));
    fc.assert(fc.property(soup, (b) => expectTyped(() => readAn2k(b), AN2K_CODES)), { numRuns: 400 });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => expectTyped(() => readAn2k(b), AN2K_CODES)), { numRuns: 200 });
  });

  it('survives mutations of a built tenprint transaction', () => {
    const wsq = encodeWsq(syntheticFinger(64, 64, 1), 64, 64);
    const tp = writeAn2k(buildTenprint({ tot: 'CAR', dai: 'D', ori: 'O', tcn: 'T', date: '20261123', fingers: [13, 14, 15].map((position) => ({ position, impression: 'plain' as const, wsq })) }));
    fc.assert(fc.property(headerMutation(400), (m) => expectTyped(() => readAn2k(mutate(tp, m)), AN2K_CODES)), { numRuns: 300 });
  });
});

describe('fuzzing: ISO/IEC 19794 records, PNG and CBEFF', () => {
  const finger = writeFingerImageRecord(fingerImageRecordFromPixels([{ pixels: syntheticFinger(40, 40), width: 40, height: 40, position: 3 }], { compression: 'raw' }));
  const ansi = writeFingerImageRecord(fingerImageRecordFromPixels([{ pixels: syntheticFinger(40, 40), width: 40, height: 40, position: 3 }], { compression: 'raw', standard: 'ANSI381-2004' }));
  const jpeg = Uint8Array.from(Buffer.from('FFD8FFC0000B08001000100101110000FFD9', 'hex'));
  const face = writeFaceImageRecord({ images: [faceImageFromJpeg(jpeg, { featurePoints: [{ type: 1, code: 0x41, x: 1, y: 2 }] })] });
  const png = encodeGreyPng(syntheticFinger(20, 20), 20, 20);

  it('finger and face record readers', () => {
    for (const seed of [finger, ansi]) fc.assert(fc.property(mutation, (m) => expectTyped(() => readFingerImageRecord(mutate(seed, m)), ISO_CODES)), { numRuns: 300 });
    fc.assert(fc.property(headerMutation(60), (m) => expectTyped(() => readFingerImageRecord(mutate(finger, m)), ISO_CODES)), { numRuns: 300 });
    fc.assert(fc.property(mutation, (m) => expectTyped(() => readFaceImageRecord(mutate(face, m)), ISO_CODES)), { numRuns: 300 });
    fc.assert(fc.property(headerMutation(60), (m) => expectTyped(() => readFaceImageRecord(mutate(face, m)), ISO_CODES)), { numRuns: 300 });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => expectTyped(() => readFingerImageRecord(b), ISO_CODES)), { numRuns: 200 });
    fc.assert(fc.property(mutation, (m) => expectTyped(() => decodeGreyPng(mutate(png, m)), ISO_CODES)), { numRuns: 300 });
  });

  it('CBEFF parser', () => {
    const xml = writeCbeff([
      { format: { organization: 'Mosip', type: 7 }, creationDate: '2026-11-23T00:00:00Z', type: 'Finger', subtype: 'Left Thumb', level: 'Raw', purpose: 'Enroll', quality: { score: 70 }, bdb: finger },
    ]);
    const bytes = Uint8Array.from(Buffer.from(xml, 'latin1'));
    fc.assert(fc.property(mutation, (m) => expectTyped(() => parseCbeff(Buffer.from(mutate(bytes, m)).toString('latin1')), ['CBEFF_CORRUPT'])), { numRuns: 500 });
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => expectTyped(() => parseCbeff(s), ['CBEFF_CORRUPT'])), { numRuns: 300 });
  });
});
