// Binary form of a gallery entry (persistence records and worker messages):
// u8 version | u8 source | u16 idLen | id (UTF-8) | u8 hasFace | [512 × f32 LE] | u8 nFingers |
// (u8 pos | u8 indexFormat (0 none) | [INDEX_DIMS × i8 prefilter vector] | u32 len | template bytes)*
import { DedupInputError, GalleryCorruptError } from './errors.js';
import { INDEX_DIMS } from '../finger/index-vector.js';
import { FACE_DIMS, type EntrySource, type FingerPos, type GalleryEntry } from './types.js';

const VERSION = 1;
/** Prefilter vector format: 2 = models/finger's centred pair histogram as signed bytes (commit 723c1e9+). */
const INDEX_FORMAT = 2;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const SOURCES: EntrySource[] = ['local', 'regional', 'operator'];
const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

export function validateEntry(e: GalleryEntry): void {
  if (typeof e.id !== 'string' || e.id.length === 0 || e.id.length > 200) throw new DedupInputError('Entry id must be 1–200 characters');
  if (!SOURCES.includes(e.source)) throw new DedupInputError('Unknown entry source', { source: String(e.source) });
  if (e.face !== null) checkFace(e.face);
  const seen = new Set<number>();
  for (const f of e.fingers) {
    if (!Number.isInteger(f.position) || f.position < 1 || f.position > 10) throw new DedupInputError('Finger position must be 1–10', { position: f.position });
    if (seen.has(f.position)) throw new DedupInputError('Duplicate finger position', { position: f.position });
    seen.add(f.position);
    if (!(f.template instanceof Uint8Array) || f.template.length < 16 || f.template.length > 100_000) throw new DedupInputError('Finger template must be 16–100000 bytes', { position: f.position });
    if (f.index !== undefined && (!(f.index instanceof Int8Array) || f.index.length !== INDEX_DIMS)) throw new DedupInputError('Finger index vector has the wrong size', { position: f.position });
  }
}

export function checkFace(face: Float32Array): void {
  if (!(face instanceof Float32Array) || face.length !== FACE_DIMS) throw new DedupInputError(`Face embedding must be ${FACE_DIMS} floats`);
  let s = 0;
  for (let i = 0; i < FACE_DIMS; i++) {
    const v = face[i]!;
    if (!Number.isFinite(v)) throw new DedupInputError('Face embedding has non-finite values');
    s += v * v;
  }
  if (Math.abs(s - 1) > 0.01) throw new DedupInputError('Face embedding must be L2-normalised', { norm: Math.sqrt(s) });
}

export function encodeEntry(e: GalleryEntry): Uint8Array {
  validateEntry(e);
  const id = enc.encode(e.id);
  let size = 1 + 1 + 2 + id.length + 1 + (e.face ? FACE_DIMS * 4 : 0) + 1;
  for (const f of e.fingers) size += 6 + (f.index ? INDEX_DIMS : 0) + f.template.length;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  let o = 0;
  out[o++] = VERSION;
  out[o++] = SOURCES.indexOf(e.source);
  dv.setUint16(o, id.length, true);
  o += 2;
  out.set(id, o);
  o += id.length;
  out[o++] = e.face ? 1 : 0;
  if (e.face) {
    for (let i = 0; i < FACE_DIMS; i++, o += 4) dv.setFloat32(o, e.face[i]!, true);
  }
  out[o++] = e.fingers.length;
  for (const f of e.fingers) {
    out[o++] = f.position;
    out[o++] = f.index ? INDEX_FORMAT : 0;
    if (f.index) {
      out.set(new Uint8Array(f.index.buffer, f.index.byteOffset, INDEX_DIMS), o);
      o += INDEX_DIMS;
    }
    dv.setUint32(o, f.template.length, true);
    o += 4;
    out.set(f.template, o);
    o += f.template.length;
  }
  return out;
}

export function decodeEntry(data: Uint8Array): GalleryEntry {
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const need = (o: number, n: number) => {
    if (o + n > data.length) throw new GalleryCorruptError('Gallery entry is truncated', { length: data.length });
  };
  let o = 0;
  need(o, 4);
  if (data[o++] !== VERSION) throw new GalleryCorruptError('Unsupported gallery entry version');
  const source = SOURCES[data[o++]!];
  if (!source) throw new GalleryCorruptError('Unknown gallery entry source');
  const idLen = dv.getUint16(o, true);
  o += 2;
  need(o, idLen + 1);
  const id = dec.decode(data.subarray(o, o + idLen));
  o += idLen;
  let face: Float32Array | null = null;
  if (data[o++] === 1) {
    need(o, FACE_DIMS * 4);
    if (LITTLE_ENDIAN) {
      // One aligned copy instead of 512 DataView reads.
      face = new Float32Array(data.buffer.slice(data.byteOffset + o, data.byteOffset + o + FACE_DIMS * 4));
      o += FACE_DIMS * 4;
    } else {
      face = new Float32Array(FACE_DIMS);
      for (let i = 0; i < FACE_DIMS; i++, o += 4) face[i] = dv.getFloat32(o, true);
    }
  }
  need(o, 1);
  const n = data[o++]!;
  const fingers: GalleryEntry['fingers'] = [];
  for (let k = 0; k < n; k++) {
    need(o, 6);
    const position = data[o++]! as FingerPos;
    let index: Int8Array | undefined;
    const format = data[o++]!;
    if (format !== 0) {
      need(o, INDEX_DIMS + 4);
      // A vector of another prefilter format is dropped (the gallery recomputes it from the template).
      if (format === INDEX_FORMAT) index = new Int8Array(data.buffer, data.byteOffset + o, INDEX_DIMS);
      o += INDEX_DIMS;
    }
    const len = dv.getUint32(o, true);
    o += 4;
    need(o, len);
    // Views into `data`, not copies: the gallery copies them into its arena.
    fingers.push(index ? { position, template: data.subarray(o, o + len), index } : { position, template: data.subarray(o, o + len) });
    o += len;
  }
  if (o !== data.length) throw new GalleryCorruptError('Gallery entry has trailing bytes');
  return { id, source, face, fingers };
}
