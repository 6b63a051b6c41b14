// Face image records: ISO/IEC 19794-5:2005 §5.4 facial record header (14 bytes), §5.5 facial information block (20 bytes),
// §5.6 feature points (8 bytes each), §5.7 image information (12 bytes), §5.8 image data (JPEG or JPEG 2000).
import { ByteReader, ByteWriter } from '../bytes.js';
import { IsoRecordError } from '../errors.js';

export interface FeaturePoint {
  /** 1 = MPEG-4 feature point. */
  type: number;
  /** Major code in the high nibble, minor code in the low nibble (e.g. 0x41 = point 4.1). */
  code: number;
  x: number;
  y: number;
}

export interface FaceImage {
  gender: number;
  eyeColour: number;
  hairColour: number;
  /** 24-bit property mask (§5.5.6). */
  featureMask: number;
  expression: number;
  pose: { yaw: number; pitch: number; roll: number };
  poseUncertainty: { yaw: number; pitch: number; roll: number };
  featurePoints: FeaturePoint[];
  /** 0 basic, 1 full frontal, 2 token frontal. */
  faceImageType: number;
  /** 0 JPEG, 1 JPEG 2000. */
  imageDataType: number;
  width: number;
  height: number;
  /** 1 = 24-bit RGB (Table 7). */
  colourSpace: number;
  /** 2 = digital still camera (Table 8). */
  sourceType: number;
  deviceType: number;
  quality: number;
  data: Uint8Array;
}

export interface FaceImageRecord {
  images: FaceImage[];
}

export const FACE_HEADER = 14;
export const FACE_INFO = 20;
export const FEATURE_POINT = 8;
export const IMAGE_INFO = 12;

const invalid = (message: string) => new IsoRecordError(message, { code: 'ISO_RECORD_INVALID_INPUT' });

function checkRange(name: string, v: number, max: number): void {
  if (!Number.isInteger(v) || v < 0 || v > max) throw invalid(`${name} must be an integer in 0..${max}, got ${v}`);
}

export function writeFaceImageRecord(rec: FaceImageRecord): Uint8Array {
  if (rec.images.length < 1 || rec.images.length > 0xffff) throw invalid('a face image record holds 1..65535 images');
  let total = FACE_HEADER;
  const sizes = rec.images.map((im) => FACE_INFO + FEATURE_POINT * im.featurePoints.length + IMAGE_INFO + im.data.length);
  for (const s of sizes) total += s;
  if (total > 0xffffffff) throw invalid('record too large');
  const w = new ByteWriter(total);
  w.bytes(Buffer.from('FAC\0', 'latin1')).bytes(Buffer.from('010\0', 'latin1')).u32(total).u16(rec.images.length);
  rec.images.forEach((im, i) => {
    checkRange('feature points', im.featurePoints.length, 0xffff);
    for (const [k, v] of Object.entries({ gender: im.gender, eyeColour: im.eyeColour, hairColour: im.hairColour, faceImageType: im.faceImageType, imageDataType: im.imageDataType, colourSpace: im.colourSpace, sourceType: im.sourceType }))
      checkRange(k, v, 0xff);
    checkRange('feature mask', im.featureMask, 0xffffff);
    checkRange('expression', im.expression, 0xffff);
    for (const v of [...Object.values(im.pose), ...Object.values(im.poseUncertainty)]) checkRange('pose', v, 0xff);
    for (const [k, v] of Object.entries({ width: im.width, height: im.height, deviceType: im.deviceType, quality: im.quality })) checkRange(k, v, 0xffff);
    w.u32(sizes[i]!).u16(im.featurePoints.length).u8(im.gender).u8(im.eyeColour).u8(im.hairColour);
    w.u8(im.featureMask >>> 16).u16(im.featureMask & 0xffff).u16(im.expression);
    w.u8(im.pose.yaw).u8(im.pose.pitch).u8(im.pose.roll).u8(im.poseUncertainty.yaw).u8(im.poseUncertainty.pitch).u8(im.poseUncertainty.roll);
    for (const p of im.featurePoints) {
      checkRange('feature point type', p.type, 0xff);
      checkRange('feature point code', p.code, 0xff);
      checkRange('feature point x', p.x, 0xffff);
      checkRange('feature point y', p.y, 0xffff);
      w.u8(p.type).u8(p.code).u16(p.x).u16(p.y).u16(0);
    }
    w.u8(im.faceImageType).u8(im.imageDataType).u16(im.width).u16(im.height).u8(im.colourSpace).u8(im.sourceType).u16(im.deviceType).u16(im.quality);
    w.bytes(im.data);
  });
  return w.toBytes();
}

export function readFaceImageRecord(bytes: Uint8Array): FaceImageRecord {
  const fail = (m: string) => new IsoRecordError(m);
  try {
    const r = new ByteReader(bytes, fail);
    if (Buffer.from(r.take(4, 'format identifier')).toString('latin1') !== 'FAC\0') throw fail('not a face image record (format identifier is not "FAC\\0")');
    const version = Buffer.from(r.take(4, 'version')).toString('latin1');
    if (version !== '010\0') throw fail(`unsupported face image record version ${JSON.stringify(version)}`);
    const length = r.u32('record length');
    if (length > bytes.length || length < FACE_HEADER) throw fail(`record length ${length} is out of bounds (${bytes.length} bytes given)`);
    const count = r.u16('number of images');
    const body = new ByteReader(bytes, fail, r.pos, length);
    const images: FaceImage[] = [];
    for (let i = 0; i < count; i++) {
      const start = body.pos;
      const blockLen = body.u32('facial record data length');
      if (blockLen < FACE_INFO + IMAGE_INFO || start + blockLen > length) throw fail(`face image ${i} length ${blockLen} is out of bounds`);
      const nPoints = body.u16();
      if (FACE_INFO + IMAGE_INFO + FEATURE_POINT * nPoints > blockLen) throw fail(`face image ${i}: ${nPoints} feature points do not fit`);
      const gender = body.u8();
      const eyeColour = body.u8();
      const hairColour = body.u8();
      const featureMask = (body.u8() << 16) | body.u16();
      const expression = body.u16();
      const pose = { yaw: body.u8(), pitch: body.u8(), roll: body.u8() };
      const poseUncertainty = { yaw: body.u8(), pitch: body.u8(), roll: body.u8() };
      const featurePoints: FeaturePoint[] = [];
      for (let p = 0; p < nPoints; p++) {
        const type = body.u8();
        const code = body.u8();
        const x = body.u16();
        const y = body.u16();
        body.skip(2, 'reserved');
        featurePoints.push({ type, code, x, y });
      }
      const faceImageType = body.u8();
      const imageDataType = body.u8();
      const width = body.u16();
      const height = body.u16();
      const colourSpace = body.u8();
      const sourceType = body.u8();
      const deviceType = body.u16();
      const quality = body.u16();
      const data = body.take(start + blockLen - body.pos, 'image data').slice();
      images.push({ gender, eyeColour, hairColour, featureMask, expression, pose, poseUncertainty, featurePoints, faceImageType, imageDataType, width, height, colourSpace, sourceType, deviceType, quality, data });
    }
    if (body.pos !== length) throw fail(`record length ${length} does not match its ${count} images`);
    return { images };
  } catch (e) {
    if (e instanceof IsoRecordError) throw e;
    throw new IsoRecordError('face image record could not be parsed', { cause: e });
  }
}

/** Width and height of a baseline or progressive JPEG from its SOFn segment (ITU-T T.81 §B.2.2). */
export function jpegSize(data: Uint8Array): { width: number; height: number } {
  const r = new ByteReader(data, (m) => new IsoRecordError(`JPEG: ${m}`, { code: 'ISO_RECORD_INVALID_INPUT' }));
  if (r.u16() !== 0xffd8) throw invalid('JPEG: missing SOI');
  while (r.remaining > 4) {
    const marker = r.u16('marker');
    if ((marker & 0xff00) !== 0xff00) throw invalid('JPEG: bad marker');
    const len = r.u16('segment length');
    if (marker >= 0xffc0 && marker <= 0xffcf && marker !== 0xffc4 && marker !== 0xffc8 && marker !== 0xffcc) {
      r.u8();
      const height = r.u16();
      const width = r.u16();
      return { width, height };
    }
    r.skip(len - 2, 'segment');
  }
  throw invalid('JPEG: no frame header');
}

/** A full-frontal face image entry for a JPEG payload (sizes read from the JPEG itself). */
export function faceImageFromJpeg(jpeg: Uint8Array, opts: Partial<Omit<FaceImage, 'data' | 'width' | 'height' | 'imageDataType'>> = {}): FaceImage {
  const { width, height } = jpegSize(jpeg);
  return {
    gender: 0,
    eyeColour: 0,
    hairColour: 0,
    featureMask: 0,
    expression: 0,
    pose: { yaw: 0, pitch: 0, roll: 0 },
    poseUncertainty: { yaw: 0, pitch: 0, roll: 0 },
    featurePoints: [],
    faceImageType: 1,
    colourSpace: 1,
    sourceType: 2,
    deviceType: 0,
    quality: 0,
    ...opts,
    imageDataType: 0,
    width,
    height,
    data: jpeg,
  };
}
