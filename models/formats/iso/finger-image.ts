// Finger image records: ISO/IEC 19794-4:2005 (§8.2 general record header, 32 bytes; §8.3 finger image header, 14 bytes)
// and ANSI/INCITS 381-2004 (§6.4 general header, 36 bytes: the same fields plus a 4-byte CBEFF product identifier after
// the record length; §6.5 finger header identical to ISO). All integers are big-endian; the record length is 6 bytes.
import { ByteReader, ByteWriter } from '../bytes.js';
import { IsoRecordError } from '../errors.js';
import { decodeGreyPng, encodeGreyPng } from '../image/png.js';
import { decodeWsq, encodeWsq } from '../wsq/index.js';

export type FingerImageStandard = 'ISO19794-4:2005' | 'ANSI381-2004';

/** Image compression algorithm codes (ISO 19794-4 Table 3 / ANSI 381 Table 3). */
export const FINGER_COMPRESSION = { raw: 0, bitPacked: 1, wsq: 2, jpeg: 3, jpeg2000: 4, png: 5 } as const;
export type FingerCompressionName = keyof typeof FINGER_COMPRESSION;

/** Impression types (Table 5). */
export const IMPRESSION = { liveScanPlain: 0, liveScanRolled: 1, nonLivePlain: 2, nonLiveRolled: 3, swipe: 8, contactless: 24 } as const;

export interface FingerView {
  /** Finger position code: 0 unknown, 1 right thumb … 10 left little, 13/14 four-finger slaps, 15 both thumbs. */
  position: number;
  /** Number of views of this finger in the record. */
  viewCount: number;
  viewNumber: number;
  /** 0–100, or 254/255 per the standard's special values. */
  quality: number;
  impressionType: number;
  width: number;
  height: number;
  /** Image data, compressed per the record's compression code. */
  data: Uint8Array;
}

export interface FingerImageRecord {
  standard: FingerImageStandard;
  /** ANSI 381 only: CBEFF product identifier (owner << 16 | type). */
  cbeffProductId?: number;
  captureDeviceId: number;
  /** Image acquisition level (Table 1: 10, 20, 30, 31, 40, 41). */
  acquisitionLevel: number;
  /** 1 = pixels per inch, 2 = pixels per centimetre. */
  scaleUnits: number;
  scanResolution: { h: number; v: number };
  imageResolution: { h: number; v: number };
  pixelDepth: number;
  compression: number;
  views: FingerView[];
}

const MAGIC = 'FIR\0';
const VERSION = '010\0';
export const FINGER_VIEW_HEADER = 14;
export const generalHeaderLength = (s: FingerImageStandard) => (s === 'ANSI381-2004' ? 36 : 32);

const invalid = (message: string) => new IsoRecordError(message, { code: 'ISO_RECORD_INVALID_INPUT' });

function checkRange(name: string, v: number, max: number): void {
  if (!Number.isInteger(v) || v < 0 || v > max) throw invalid(`${name} must be an integer in 0..${max}, got ${v}`);
}

export function writeFingerImageRecord(rec: FingerImageRecord): Uint8Array {
  const head = generalHeaderLength(rec.standard);
  if (rec.views.length < 1 || rec.views.length > 255) throw invalid('a finger image record holds 1..255 views');
  checkRange('capture device id', rec.captureDeviceId, 0xffff);
  checkRange('acquisition level', rec.acquisitionLevel, 0xffff);
  checkRange('scale units', rec.scaleUnits, 0xff);
  for (const [k, v] of Object.entries({ ...rec.scanResolution, ...rec.imageResolution })) checkRange(`resolution ${k}`, v, 0xffff);
  checkRange('pixel depth', rec.pixelDepth, 0xff);
  checkRange('compression', rec.compression, 0xff);
  let total = head;
  for (const v of rec.views) total += FINGER_VIEW_HEADER + v.data.length;
  if (total > 2 ** 48 - 1) throw invalid('record too large');
  const w = new ByteWriter(total);
  w.bytes(Buffer.from(MAGIC, 'latin1')).bytes(Buffer.from(VERSION, 'latin1')).u48(total);
  if (rec.standard === 'ANSI381-2004') w.u32((rec.cbeffProductId ?? 0) >>> 0);
  w.u16(rec.captureDeviceId).u16(rec.acquisitionLevel).u8(rec.views.length).u8(rec.scaleUnits);
  w.u16(rec.scanResolution.h).u16(rec.scanResolution.v).u16(rec.imageResolution.h).u16(rec.imageResolution.v);
  w.u8(rec.pixelDepth).u8(rec.compression).u16(0);
  for (const v of rec.views) {
    checkRange('finger position', v.position, 0xff);
    checkRange('view count', v.viewCount, 0xff);
    checkRange('view number', v.viewNumber, 0xff);
    checkRange('quality', v.quality, 0xff);
    checkRange('impression type', v.impressionType, 0xff);
    checkRange('width', v.width, 0xffff);
    checkRange('height', v.height, 0xffff);
    const len = FINGER_VIEW_HEADER + v.data.length;
    if (len > 0xffffffff) throw invalid('view too large');
    w.u32(len).u8(v.position).u8(v.viewCount).u8(v.viewNumber).u8(v.quality).u8(v.impressionType).u16(v.width).u16(v.height).u8(0);
    w.bytes(v.data);
  }
  return w.toBytes();
}

function parseAs(bytes: Uint8Array, standard: FingerImageStandard): FingerImageRecord {
  const r = new ByteReader(bytes, (m) => new IsoRecordError(m));
  const magic = Buffer.from(r.take(4, 'format identifier')).toString('latin1');
  if (magic !== MAGIC) throw new IsoRecordError('not a finger image record (format identifier is not "FIR\\0")');
  const version = Buffer.from(r.take(4, 'version')).toString('latin1');
  if (version !== VERSION) throw new IsoRecordError(`unsupported finger image record version ${JSON.stringify(version)}`);
  const length = r.u48('record length');
  if (length > bytes.length) throw new IsoRecordError(`record length ${length} exceeds the ${bytes.length} bytes given`);
  if (length < generalHeaderLength(standard)) throw new IsoRecordError(`record length ${length} is shorter than the header`);
  const body = new ByteReader(bytes, (m) => new IsoRecordError(m), r.pos, length);
  const cbeffProductId = standard === 'ANSI381-2004' ? body.u32('CBEFF product id') : undefined;
  const captureDeviceId = body.u16();
  const acquisitionLevel = body.u16();
  const count = body.u8();
  const scaleUnits = body.u8();
  const scanResolution = { h: body.u16(), v: body.u16() };
  const imageResolution = { h: body.u16(), v: body.u16() };
  const pixelDepth = body.u8();
  const compression = body.u8();
  body.skip(2, 'reserved');
  const views: FingerView[] = [];
  for (let i = 0; i < count; i++) {
    const start = body.pos;
    const len = body.u32('finger data length');
    if (len < FINGER_VIEW_HEADER || start + len > length) throw new IsoRecordError(`finger view ${i} length ${len} is out of bounds`);
    const position = body.u8();
    const viewCount = body.u8();
    const viewNumber = body.u8();
    const quality = body.u8();
    const impressionType = body.u8();
    const width = body.u16();
    const height = body.u16();
    body.skip(1, 'reserved');
    const data = body.take(len - FINGER_VIEW_HEADER, 'image data').slice();
    views.push({ position, viewCount, viewNumber, quality, impressionType, width, height, data });
  }
  if (body.pos !== length) throw new IsoRecordError(`record length ${length} does not match its ${count} views (end at ${body.pos})`);
  const rec: FingerImageRecord = { standard, captureDeviceId, acquisitionLevel, scaleUnits, scanResolution, imageResolution, pixelDepth, compression, views };
  if (cbeffProductId !== undefined) rec.cbeffProductId = cbeffProductId;
  return rec;
}

/**
 * Reads a finger image record. Without `standard`, the layout (ISO 32-byte or ANSI 36-byte header) is the one whose views
 * add up exactly to the record length.
 */
export function readFingerImageRecord(bytes: Uint8Array, standard?: FingerImageStandard): FingerImageRecord {
  try {
    if (standard) return parseAs(bytes, standard);
    try {
      return parseAs(bytes, 'ISO19794-4:2005');
    } catch (isoError) {
      try {
        return parseAs(bytes, 'ANSI381-2004');
      } catch {
        throw isoError;
      }
    }
  } catch (e) {
    if (e instanceof IsoRecordError) throw e;
    throw new IsoRecordError('finger image record could not be parsed', { cause: e });
  }
}

export interface FingerImageInput {
  pixels: Uint8Array;
  width: number;
  height: number;
  position: number;
  quality?: number;
  impressionType?: number;
  viewNumber?: number;
  viewCount?: number;
}

/** Builds a single-compression record from grey pixels (raw, PNG or WSQ at `bitRate`). */
export function fingerImageRecordFromPixels(
  fingers: FingerImageInput[],
  opts: { standard?: FingerImageStandard; compression?: 'raw' | 'png' | 'wsq'; ppi?: number; bitRate?: number; captureDeviceId?: number; acquisitionLevel?: number; cbeffProductId?: number } = {},
): FingerImageRecord {
  const compression = opts.compression ?? 'wsq';
  const ppi = opts.ppi ?? 500;
  const views = fingers.map((f): FingerView => {
    if (f.pixels.length !== f.width * f.height) throw invalid(`finger ${f.position}: expected ${f.width * f.height} pixels`);
    const data =
      compression === 'raw' ? f.pixels.slice() : compression === 'png' ? encodeGreyPng(f.pixels, f.width, f.height) : encodeWsq(f.pixels, f.width, f.height, { ppi, bitRate: opts.bitRate ?? 0.75 });
    return {
      position: f.position,
      viewCount: f.viewCount ?? 1,
      viewNumber: f.viewNumber ?? 1,
      quality: f.quality ?? 254,
      impressionType: f.impressionType ?? IMPRESSION.liveScanPlain,
      width: f.width,
      height: f.height,
      data,
    };
  });
  const rec: FingerImageRecord = {
    standard: opts.standard ?? 'ISO19794-4:2005',
    captureDeviceId: opts.captureDeviceId ?? 0,
    // Level 31 = 500 ppi, 8-bit grey (Table 1).
    acquisitionLevel: opts.acquisitionLevel ?? 31,
    scaleUnits: 1,
    scanResolution: { h: ppi, v: ppi },
    imageResolution: { h: ppi, v: ppi },
    pixelDepth: 8,
    compression: FINGER_COMPRESSION[compression],
    views,
  };
  if (rec.standard === 'ANSI381-2004') rec.cbeffProductId = opts.cbeffProductId ?? 0;
  return rec;
}

/** Grey pixels of one view (raw 8-bit, PNG or WSQ); other compressions are reported as unsupported. */
export function fingerViewPixels(rec: FingerImageRecord, view: FingerView): Uint8Array {
  switch (rec.compression) {
    case FINGER_COMPRESSION.raw:
      if (rec.pixelDepth !== 8 || view.data.length !== view.width * view.height) throw new IsoRecordError('raw finger image does not match its width, height and depth');
      return view.data;
    case FINGER_COMPRESSION.png: {
      const img = decodeGreyPng(view.data);
      if (img.width !== view.width || img.height !== view.height) throw new IsoRecordError('PNG size does not match the view header');
      return img.pixels;
    }
    case FINGER_COMPRESSION.wsq: {
      const img = decodeWsq(view.data);
      if (img.width !== view.width || img.height !== view.height) throw new IsoRecordError('WSQ size does not match the view header');
      return img.pixels;
    }
    default:
      throw new IsoRecordError(`compression ${rec.compression} is not decoded here`, { code: 'ISO_RECORD_INVALID_INPUT' });
  }
}
