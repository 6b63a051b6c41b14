import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  FINGER_COMPRESSION, fingerImageRecordFromPixels, fingerViewPixels, readFingerImageRecord, writeFingerImageRecord, type FingerImageRecord,
} from '../../../models/formats/iso/finger-image.js';
import { faceImageFromJpeg, jpegSize, readFaceImageRecord, writeFaceImageRecord, type FaceImageRecord } from '../../../models/formats/iso/face-image.js';
import { IsoRecordError } from '../../../models/formats/errors.js';
import { decodeGreyPng, encodeGreyPng } from '../../../models/formats/image/png.js';
import { fixturePath, hasFixture } from '../../helpers/fixtures.js';
import { psnr, readGrey, sameBytes, syntheticFinger } from './grey.js';

const hex = (s: string) => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!.map((h) => parseInt(h, 16)));

const fingerExample = (standard: FingerImageRecord['standard']): FingerImageRecord => ({
  standard,
  ...(standard === 'ANSI381-2004' ? { cbeffProductId: 0x001b0001 } : {}),
  captureDeviceId: 0x1234,
  acquisitionLevel: 31,
  scaleUnits: 1,
  scanResolution: { h: 500, v: 500 },
  imageResolution: { h: 500, v: 500 },
  pixelDepth: 8,
  compression: FINGER_COMPRESSION.raw,
  views: [{ position: 2, viewCount: 1, viewNumber: 1, quality: 80, impressionType: 0, width: 2, height: 2, data: Uint8Array.of(1, 2, 3, 4) }],
});

describe('ISO/IEC 19794-4:2005 and ANSI/INCITS 381-2004 finger image records', () => {
  it('writes the ISO general and view headers byte-exact (hand-computed: 32 + 14 + 4 = 50 bytes)', () => {
    const bytes = writeFingerImageRecord(fingerExample('ISO19794-4:2005'));
    expect(Buffer.from(bytes).toString('hex')).toBe(
      Buffer.from(
        hex(`
        46495200 30313000 000000000032 1234 001F 01 01 01F4 01F4 01F4 01F4 08 00 0000
        00000012 02 01 01 50 00 0002 0002 00 01020304`),
      ).toString('hex'),
    );
    expect(readFingerImageRecord(bytes)).toEqual(fingerExample('ISO19794-4:2005'));
  });

  it('writes the ANSI 381 header with the CBEFF product id (36 + 14 + 4 = 54 bytes) and auto-detects it on read', () => {
    const bytes = writeFingerImageRecord(fingerExample('ANSI381-2004'));
    expect(Buffer.from(bytes).toString('hex')).toBe(
      Buffer.from(
        hex(`
        46495200 30313000 000000000036 001B0001 1234 001F 01 01 01F4 01F4 01F4 01F4 08 00 0000
        00000012 02 01 01 50 00 0002 0002 00 01020304`),
      ).toString('hex'),
    );
    expect(readFingerImageRecord(bytes)).toEqual(fingerExample('ANSI381-2004'));
  });

  it.each(['raw', 'png', 'wsq'] as const)('round-trips a two-finger record with %s compression', (compression) => {
    const w = 320;
    const h = 360;
    const a = syntheticFinger(w, h, 1);
    const b = syntheticFinger(w, h, 2);
    for (const standard of ['ISO19794-4:2005', 'ANSI381-2004'] as const) {
      const rec = fingerImageRecordFromPixels(
        [
          { pixels: a, width: w, height: h, position: 2, quality: 77 },
          { pixels: b, width: w, height: h, position: 7, quality: 66, impressionType: 1 },
        ],
        { standard, compression },
      );
      expect(rec.compression).toBe(FINGER_COMPRESSION[compression]);
      const bytes = writeFingerImageRecord(rec);
      const back = readFingerImageRecord(bytes, standard);
      const strip = (r: FingerImageRecord) => ({ ...r, views: r.views.map((v) => ({ ...v, data: v.data.length })) });
      expect(strip(back)).toEqual(strip(rec));
      back.views.forEach((v, i) => expect(sameBytes(v.data, rec.views[i]!.data)).toBe(true));
      expect(sameBytes(writeFingerImageRecord(back), bytes)).toBe(true);
      const px = fingerViewPixels(back, back.views[1]!);
      if (compression === 'wsq') expect(psnr(b, px)).toBeGreaterThan(30);
      else expect(sameBytes(px, b)).toBe(true);
    }
  });

  it('rejects corrupt records with ISO_RECORD_CORRUPT', () => {
    const bytes = writeFingerImageRecord(fingerExample('ISO19794-4:2005'));
    expect(() => readFingerImageRecord(bytes.subarray(0, 40))).toThrow(IsoRecordError);
    const badLen = bytes.slice();
    badLen[35] = 0x40; // view length 0x40 runs past the record
    expect(() => readFingerImageRecord(badLen)).toThrow(expect.objectContaining({ code: 'ISO_RECORD_CORRUPT' }));
    const badMagic = bytes.slice();
    badMagic[0] = 0x41;
    expect(() => readFingerImageRecord(badMagic)).toThrow(/format identifier/);
    expect(() => writeFingerImageRecord({ ...fingerExample('ISO19794-4:2005'), captureDeviceId: 70000 })).toThrow(expect.objectContaining({ code: 'ISO_RECORD_INVALID_INPUT' }));
  });
});

describe.skipIf(!hasFixture('fingers', 'sourceafis', 'probe.png'))('finger image record from a fixture print', () => {
  it('stores a real print losslessly as PNG', async () => {
    const g = await readGrey(fixturePath('fingers', 'sourceafis', 'probe.png'));
    const rec = fingerImageRecordFromPixels([{ ...g, position: 2 }], { compression: 'png' });
    const back = readFingerImageRecord(writeFingerImageRecord(rec));
    expect(sameBytes(fingerViewPixels(back, back.views[0]!), g.pixels)).toBe(true);
    expect(sameBytes(decodeGreyPng(encodeGreyPng(g.pixels, g.width, g.height)).pixels, g.pixels)).toBe(true);
  });
});

const tinyJpeg = hex('FFD8 FFE0 0010 4A46494600 0101 00 0001 0001 0000 FFC0 000B 08 01E0 0280 01 01 11 00 FFD9');

describe('ISO/IEC 19794-5:2005 face image record', () => {
  const example: FaceImageRecord = {
    images: [
      {
        gender: 1,
        eyeColour: 2,
        hairColour: 3,
        featureMask: 1,
        expression: 1,
        pose: { yaw: 5, pitch: 6, roll: 7 },
        poseUncertainty: { yaw: 0, pitch: 0, roll: 0 },
        featurePoints: [{ type: 1, code: 0x41, x: 100, y: 200 }],
        faceImageType: 1,
        imageDataType: 0,
        width: 640,
        height: 480,
        colourSpace: 1,
        sourceType: 2,
        deviceType: 0,
        quality: 0,
        data: hex('FFD8FFD9'),
      },
    ],
  };

  it('writes the header, facial information, feature point and image information byte-exact (14 + 20 + 8 + 12 + 4 = 58)', () => {
    const bytes = writeFaceImageRecord(example);
    expect(Buffer.from(bytes).toString('hex')).toBe(
      Buffer.from(
        hex(`
        46414300 30313000 0000003A 0001
        0000002C 0001 01 02 03 000001 0001 05 06 07 00 00 00
        01 41 0064 00C8 0000
        01 00 0280 01E0 01 02 0000 0000
        FFD8FFD9`),
      ).toString('hex'),
    );
    expect(readFaceImageRecord(bytes)).toEqual(example);
  });

  it('builds an entry from a JPEG payload, reading its size from the SOF segment', () => {
    expect(jpegSize(tinyJpeg)).toEqual({ width: 640, height: 480 });
    const rec: FaceImageRecord = { images: [faceImageFromJpeg(tinyJpeg, { pose: { yaw: 1, pitch: 2, roll: 3 } })] };
    const back = readFaceImageRecord(writeFaceImageRecord(rec));
    expect(back).toEqual(rec);
    expect(back.images[0]).toMatchObject({ width: 640, height: 480, imageDataType: 0, faceImageType: 1 });
  });

  it('rejects corrupt records', () => {
    const bytes = writeFaceImageRecord(example);
    expect(() => readFaceImageRecord(bytes.subarray(0, 30))).toThrow(IsoRecordError);
    const badPoints = bytes.slice();
    badPoints[19] = 0x09; // 9 feature points cannot fit in the 44-byte block
    expect(() => readFaceImageRecord(badPoints)).toThrow(expect.objectContaining({ code: 'ISO_RECORD_CORRUPT' }));
  });
});

describe.skipIf(!hasFixture('faces', 'obama_1.jpg'))('face record from a fixture photo', () => {
  it('wraps a real JPEG and reads it back', () => {
    const jpeg = new Uint8Array(readFileSync(fixturePath('faces', 'obama_1.jpg')));
    const rec = { images: [faceImageFromJpeg(jpeg)] };
    const back = readFaceImageRecord(writeFaceImageRecord(rec));
    expect(sameBytes(back.images[0]!.data, jpeg)).toBe(true);
    expect(back.images[0]!.width).toBeGreaterThan(0);
  });
});
