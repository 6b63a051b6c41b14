// Minimal PNG codec for 8-bit greyscale images (ISO/IEC 15948 / W3C PNG §11 IHDR, IDAT, IEND; §9 filters), used for
// PNG-compressed finger images in ISO/IEC 19794-4 records without pulling an image library into models/.
import { deflateSync, inflateSync } from 'node:zlib';
import { ByteReader, ByteWriter } from '../bytes.js';
import { IsoRecordError } from '../errors.js';

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(parts: Uint8Array[]): number {
  let c = 0xffffffff;
  for (const p of parts) for (let i = 0; i < p.length; i++) c = CRC_TABLE[(c ^ p[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(out: ByteWriter, type: string, data: Uint8Array): void {
  const t = Buffer.from(type, 'latin1');
  out.u32(data.length).bytes(t).bytes(data).u32(crc32([t, data]));
}

/** Encodes 8-bit grey pixels as PNG (filter type 0 per row, zlib level 9). */
export function encodeGreyPng(pixels: Uint8Array, width: number, height: number): Uint8Array {
  if (pixels.length !== width * height || width < 1 || height < 1) throw new IsoRecordError(`expected ${width}x${height} pixels`, { code: 'ISO_RECORD_INVALID_INPUT' });
  const raw = new Uint8Array((width + 1) * height);
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  const out = new ByteWriter(raw.length / 2 + 64);
  out.bytes(SIGNATURE);
  const ihdr = new ByteWriter(13).u32(width).u32(height).u8(8).u8(0).u8(0).u8(0).u8(0).toBytes();
  chunk(out, 'IHDR', ihdr);
  chunk(out, 'IDAT', new Uint8Array(deflateSync(raw, { level: 9 })));
  chunk(out, 'IEND', new Uint8Array(0));
  return out.toBytes();
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Decodes an 8-bit, non-interlaced PNG (grey, grey+alpha, RGB or RGBA) to grey pixels (ITU-R BT.601 luma). */
export function decodeGreyPng(bytes: Uint8Array, maxPixels = 4096 * 4096): { width: number; height: number; pixels: Uint8Array } {
  const fail = (m: string) => new IsoRecordError(`PNG: ${m}`);
  const r = new ByteReader(bytes, fail);
  const sig = r.take(8, 'signature');
  if (!SIGNATURE.every((v, i) => sig[i] === v)) throw fail('bad signature');
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Uint8Array[] = [];
  for (;;) {
    const len = r.u32('chunk length');
    const type = Buffer.from(r.take(4, 'chunk type')).toString('latin1');
    const data = r.take(len, 'chunk data');
    r.skip(4, 'crc');
    if (type === 'IHDR') {
      const h = new ByteReader(data, fail);
      width = h.u32();
      height = h.u32();
      const depth = h.u8();
      const colour = h.u8();
      h.skip(2);
      const interlace = h.u8();
      channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[colour] ?? 0;
      if (depth !== 8 || channels === 0 || interlace !== 0) throw fail(`unsupported format (depth ${depth}, colour type ${colour}, interlace ${interlace})`);
      if (width < 1 || height < 1 || width * height > maxPixels) throw fail(`unsupported size ${width}x${height}`);
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      break;
    }
  }
  if (channels === 0) throw fail('missing IHDR');
  const stride = width * channels;
  let raw: Uint8Array;
  try {
    raw = new Uint8Array(inflateSync(Buffer.concat(idat), { maxOutputLength: (stride + 1) * height + 1 }));
  } catch (e) {
    throw new IsoRecordError('PNG: corrupt image data', { cause: e });
  }
  if (raw.length < (stride + 1) * height) throw fail('image data too short');
  const img = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)]!;
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? img[row + x - channels]! : 0;
      const b = y > 0 ? img[row - stride + x]! : 0;
      const c = x >= channels && y > 0 ? img[row - stride + x - channels]! : 0;
      const v = raw[src + x]!;
      const pred = f === 0 ? 0 : f === 1 ? a : f === 2 ? b : f === 3 ? (a + b) >> 1 : f === 4 ? paeth(a, b, c) : -1;
      if (pred < 0) throw fail(`bad filter type ${f}`);
      img[row + x] = (v + pred) & 0xff;
    }
  }
  if (channels <= 2) {
    if (channels === 1) return { width, height, pixels: img };
    const g = new Uint8Array(width * height);
    for (let i = 0; i < g.length; i++) g[i] = img[i * 2]!;
    return { width, height, pixels: g };
  }
  const g = new Uint8Array(width * height);
  for (let i = 0; i < g.length; i++) g[i] = Math.round(0.299 * img[i * channels]! + 0.587 * img[i * channels + 1]! + 0.114 * img[i * channels + 2]!);
  return { width, height, pixels: g };
}
