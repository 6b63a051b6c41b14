// Minimal ISO/IEC 19794-4:2005 finger image record ("FIR\0", "010\0") and 19794-5:2005 face record ("FAC\0")
// codec: just the fields an SBI client needs (positions, sizes, resolution, quality, image bytes). Full format
// codecs live in models/formats. Layouts per /work/shared/docs/standards.md; all integers big-endian.
import { ProtocolError } from '../errors.js';

export const FIR_COMPRESSION = { raw: 0, bitPacked: 1, wsq: 2, jpeg: 3, jpeg2000: 4, png: 5 } as const;
const FIR_HEADER = 32;
const FIR_VIEW_HEADER = 14;

export interface FingerView {
  position: number;
  viewNumber: number;
  quality: number;
  impressionType: number;
  width: number;
  height: number;
  /** Raw 8-bit pixels when compression is 0, otherwise the compressed image bytes. */
  data: Uint8Array;
}

export interface FingerRecord {
  captureDeviceId: number;
  acquisitionLevel: number;
  scaleUnits: number;
  scanResolution: [number, number];
  imageResolution: [number, number];
  pixelDepth: number;
  compression: number;
  views: FingerView[];
}

function fail(message: string, bytes: Uint8Array): never {
  throw new ProtocolError(`ISO 19794 record: ${message}`, bytes.subarray(0, 64));
}

export function decodeFingerRecord(bytes: Uint8Array): FingerRecord {
  if (bytes.length < FIR_HEADER) fail('shorter than the 32-byte header', bytes);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = String.fromCharCode(...bytes.subarray(0, 8));
  if (magic !== 'FIR\x00010\x00') fail('not a 19794-4:2005 finger image record (FIR\\0 010\\0)', bytes);
  const length = v.getUint16(8) * 2 ** 32 + v.getUint32(10);
  if (length !== bytes.length) fail(`record length ${length} does not match ${bytes.length} bytes`, bytes);
  const count = bytes[18]!;
  const record: FingerRecord = {
    captureDeviceId: v.getUint16(14),
    acquisitionLevel: v.getUint16(16),
    scaleUnits: bytes[19]!,
    scanResolution: [v.getUint16(20), v.getUint16(22)],
    imageResolution: [v.getUint16(24), v.getUint16(26)],
    pixelDepth: bytes[28]!,
    compression: bytes[29]!,
    views: [],
  };
  let off = FIR_HEADER;
  for (let i = 0; i < count; i++) {
    if (off + FIR_VIEW_HEADER > bytes.length) fail(`view ${i} header runs past the end`, bytes);
    const dataLength = v.getUint32(off);
    if (dataLength < FIR_VIEW_HEADER || off + dataLength > bytes.length) fail(`view ${i} length ${dataLength} is out of range`, bytes);
    const view: FingerView = {
      position: bytes[off + 4]!,
      viewNumber: bytes[off + 6]!,
      quality: bytes[off + 7]!,
      impressionType: bytes[off + 8]!,
      width: v.getUint16(off + 9),
      height: v.getUint16(off + 11),
      data: bytes.slice(off + FIR_VIEW_HEADER, off + dataLength),
    };
    if (record.compression === FIR_COMPRESSION.raw && record.pixelDepth === 8 && view.data.length !== view.width * view.height)
      fail(`view ${i}: ${view.data.length} bytes for a ${view.width} × ${view.height} raw image`, bytes);
    record.views.push(view);
    off += dataLength;
  }
  if (off !== bytes.length) fail('trailing bytes after the last view', bytes);
  return record;
}

export function encodeFingerRecord(input: { resolution: number; views: Omit<FingerView, 'viewNumber' | 'impressionType'>[]; compression?: number; captureDeviceId?: number }): Uint8Array {
  const total = FIR_HEADER + input.views.reduce((n, view) => n + FIR_VIEW_HEADER + view.data.length, 0);
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  out.set(Buffer.from('FIR\x00010\x00', 'latin1'));
  v.setUint16(8, Math.floor(total / 2 ** 32));
  v.setUint32(10, total % 2 ** 32);
  v.setUint16(14, input.captureDeviceId ?? 0);
  v.setUint16(16, 31); // image acquisition level 31 (500 ppi, 8-bit)
  out[18] = input.views.length;
  out[19] = 1; // scale units: pixels per inch
  for (const off of [20, 22, 24, 26]) v.setUint16(off, input.resolution);
  out[28] = 8;
  out[29] = input.compression ?? FIR_COMPRESSION.raw;
  let off = FIR_HEADER;
  input.views.forEach((view) => {
    v.setUint32(off, FIR_VIEW_HEADER + view.data.length);
    out[off + 4] = view.position;
    out[off + 5] = 1;
    out[off + 6] = 1;
    out[off + 7] = view.quality;
    out[off + 8] = 0; // live-scan plain
    v.setUint16(off + 9, view.width);
    v.setUint16(off + 11, view.height);
    out.set(view.data, off + FIR_VIEW_HEADER);
    off += FIR_VIEW_HEADER + view.data.length;
  });
  return out;
}

// ---- ISO/IEC 19794-5:2005 face ----
const FAC_HEADER = 14;
const FAC_INFO = 20;
const FAC_IMAGE_INFO = 12;

export interface FaceImage {
  /** 0 JPEG, 1 JPEG 2000. */
  imageDataType: number;
  width: number;
  height: number;
  quality: number;
  data: Uint8Array;
}

export function decodeFaceRecord(bytes: Uint8Array): FaceImage[] {
  if (bytes.length < FAC_HEADER) fail('shorter than the 14-byte face header', bytes);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (String.fromCharCode(...bytes.subarray(0, 8)) !== 'FAC\x00010\x00') fail('not a 19794-5:2005 face record (FAC\\0 010\\0)', bytes);
  if (v.getUint32(8) !== bytes.length) fail('record length does not match', bytes);
  const count = v.getUint16(12);
  const images: FaceImage[] = [];
  let off = FAC_HEADER;
  for (let i = 0; i < count; i++) {
    if (off + FAC_INFO + FAC_IMAGE_INFO > bytes.length) fail(`face ${i} header runs past the end`, bytes);
    const blockLength = v.getUint32(off);
    const points = v.getUint16(off + 4);
    const imageInfo = off + FAC_INFO + points * 8;
    if (blockLength < FAC_INFO + FAC_IMAGE_INFO || off + blockLength > bytes.length || imageInfo + FAC_IMAGE_INFO > off + blockLength) fail(`face ${i} length is out of range`, bytes);
    images.push({
      imageDataType: bytes[imageInfo + 1]!,
      width: v.getUint16(imageInfo + 2),
      height: v.getUint16(imageInfo + 4),
      quality: v.getUint16(imageInfo + 10),
      data: bytes.slice(imageInfo + FAC_IMAGE_INFO, off + blockLength),
    });
    off += blockLength;
  }
  return images;
}

export function encodeFaceRecord(image: FaceImage): Uint8Array {
  const block = FAC_INFO + FAC_IMAGE_INFO + image.data.length;
  const out = new Uint8Array(FAC_HEADER + block);
  const v = new DataView(out.buffer);
  out.set(Buffer.from('FAC\x00010\x00', 'latin1'));
  v.setUint32(8, out.length);
  v.setUint16(12, 1);
  const off = FAC_HEADER;
  v.setUint32(off, block);
  // feature points 0, gender/eyes/hair unspecified, masks/expression/pose 0
  const info = off + FAC_INFO;
  out[info] = 1; // full frontal
  out[info + 1] = image.imageDataType;
  v.setUint16(info + 2, image.width);
  v.setUint16(info + 4, image.height);
  out[info + 6] = 1; // 24-bit RGB
  out[info + 7] = 2; // digital camera
  v.setUint16(info + 10, image.quality);
  out.set(image.data, info + FAC_IMAGE_INFO);
  return out;
}
