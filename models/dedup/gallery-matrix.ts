// The in-memory gallery of a dedup worker: one row per person in flat typed arrays (no object per record).
//   face       int8  [cap × 512]   quantised embeddings in WebAssembly memory (FaceArena, SIMD scan);
//                                  faceScale[row] = 0 when the face is excepted
//   prefilter  int8  10 × [cap × 192] finger prefilter vectors (180 used), one contiguous block per position, in
//                                  WebAssembly memory too (one streaming SIMD scan per probe position)
//   arena      uint8               compact finger templates ("KFT1"), addressed by tplOff/tplLen [cap × 10]
// Rows are removed by moving the last row into the hole, so rows stay dense; the arena is compacted when half of it
// is garbage. A snapshot is the used part of every array back to back (snapshotParts); loading writes the decrypted
// bytes straight into freshly allocated arrays (beginImport / importChunk / endImport), no per-record decoding.
import { INDEX_DIMS } from '../finger/index-vector.js';
import { quantizeFace } from './face-kernel.js';
import { BlockedInt8Arena, FaceArena } from './simd-kernel.js';
import { templateIndex } from './template-index.js';
import { GalleryCorruptError } from './errors.js';
import { FACE_DIMS, type EntrySource, type FingerPos, type GalleryEntry } from './types.js';

const SOURCES: EntrySource[] = ['local', 'regional', 'operator'];
/** Bytes per finger position in a prefilter row (INDEX_DIMS padded to a multiple of 16). */
export const INDEX_STRIDE = Math.ceil(INDEX_DIMS / 16) * 16;
const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

export class GalleryMatrix {
  private cap = 0;
  size = 0;
  ids: string[] = [];
  private rowOf = new Map<string, number>();
  source = new Uint8Array(0);
  face: FaceArena;
  faceScale = new Float32Array(0);
  fingerMask = new Uint16Array(0);
  prefilter: BlockedInt8Arena;
  tplOff = new Uint32Array(0);
  tplLen = new Uint32Array(0);
  arena = new Uint8Array(0);
  private arenaUsed = 0;
  private garbage = 0;

  constructor(initialCapacity = 64, simd = true) {
    this.face = new FaceArena(initialCapacity, simd);
    this.prefilter = new BlockedInt8Arena(10, INDEX_STRIDE, initialCapacity, simd);
    this.grow(initialCapacity);
  }

  rowOfId(id: string): number | undefined {
    return this.rowOf.get(id);
  }

  sourceOf(row: number): EntrySource {
    return SOURCES[this.source[row]!]!;
  }

  hasFinger(row: number, pos: FingerPos): boolean {
    return (this.fingerMask[row]! & (1 << (pos - 1))) !== 0;
  }

  template(row: number, pos: FingerPos): Uint8Array | null {
    const k = row * 10 + pos - 1;
    const len = this.tplLen[k]!;
    return len ? this.arena.subarray(this.tplOff[k]!, this.tplOff[k]! + len) : null;
  }

  upsert(e: GalleryEntry): void {
    let row = this.rowOf.get(e.id);
    if (row === undefined) {
      // 1.25× growth: a loaded gallery of 100k starts at its exact size, and doubling would double its memory.
      if (this.size === this.cap) this.grow(Math.max(this.cap + 64, Math.ceil(this.cap * 1.25)));
      row = this.size++;
      this.rowOf.set(e.id, row);
      this.ids[row] = e.id;
    } else {
      this.clearFingers(row);
    }
    this.source[row] = SOURCES.indexOf(e.source);
    if (e.face) {
      this.faceScale[row] = quantizeFace(e.face, this.face.matrix.subarray(row * FACE_DIMS, (row + 1) * FACE_DIMS));
    } else {
      this.faceScale[row] = 0;
      this.face.matrix.fill(0, row * FACE_DIMS, (row + 1) * FACE_DIMS);
    }
    let mask = 0;
    for (const f of e.fingers) {
      const p = f.position - 1;
      mask |= 1 << p;
      const dst = this.prefilter.block(p).subarray(row * INDEX_STRIDE, row * INDEX_STRIDE + INDEX_DIMS);
      if (f.index) dst.set(f.index);
      else templateIndex(f.template, dst);
      const k = row * 10 + p;
      this.tplOff[k] = this.alloc(f.template.length);
      this.tplLen[k] = f.template.length;
      this.arena.set(f.template, this.tplOff[k]!);
    }
    this.fingerMask[row] = mask;
  }

  remove(id: string): boolean {
    const row = this.rowOf.get(id);
    if (row === undefined) return false;
    this.clearFingers(row);
    const last = this.size - 1;
    if (row !== last) this.moveRow(last, row);
    this.rowOf.delete(id);
    this.ids.length = last;
    this.size = last;
    if (this.garbage > 1 << 20 && this.garbage > this.arenaUsed / 2) this.compact();
    return true;
  }

  /** Bytes held by the typed arrays (capacity, not only the used part). */
  bytes(): number {
    let b = this.source.byteLength + this.face.bytes() + this.faceScale.byteLength + this.fingerMask.byteLength;
    b += this.tplOff.byteLength + this.tplLen.byteLength + this.arena.byteLength + this.prefilter.bytes();
    return b;
  }

  counts(): { faces: number; fingers: number; bySource: Record<EntrySource, number> } {
    let faces = 0, fingers = 0;
    const bySource: Record<EntrySource, number> = { local: 0, regional: 0, operator: 0 };
    for (let r = 0; r < this.size; r++) {
      if (this.faceScale[r]) faces++;
      let m = this.fingerMask[r]!;
      while (m) {
        fingers += m & 1;
        m >>>= 1;
      }
      bySource[this.sourceOf(r)]++;
    }
    return { faces, fingers, bySource };
  }


  /**
   * The snapshot of this gallery: the used part of every array, back to back, as byte views (no copy; valid until
   * the next change). Order: ids (u16 length + UTF-8 each) | source | fingerMask | faceScale | tplLen | face | prefilter[1..10] |
   * arena (templates in row order, so offsets are prefix sums of tplLen).
   */
  snapshotParts(): { size: number; idsBytes: number; arenaBytes: number; parts: Uint8Array[] } {
    this.compact(true);
    const n = this.size;
    const idParts = this.ids.slice(0, n).map((id) => enc.encode(id));
    const ids = new Uint8Array(idParts.reduce((a, b) => a + 2 + b.length, 0));
    let o = 0;
    for (const b of idParts) {
      ids[o] = b.length & 0xff;
      ids[o + 1] = b.length >> 8;
      ids.set(b, o + 2);
      o += 2 + b.length;
    }
    return { size: n, idsBytes: ids.length, arenaBytes: this.arenaUsed, parts: [ids, ...this.rowParts(n), this.arena.subarray(0, this.arenaUsed)] };
  }

  private rowParts(n: number): Uint8Array[] {
    const v = (a: ArrayBufferView, bytes: number) => new Uint8Array(a.buffer, a.byteOffset, bytes);
    return [v(this.source, n), v(this.fingerMask, n * 2), v(this.faceScale, n * 4), v(this.tplLen, n * 40), v(this.face.matrix, n * FACE_DIMS), ...Array.from({ length: 10 }, (_, p) => v(this.prefilter.block(p), n * INDEX_STRIDE))];
  }

  private importing: { parts: Uint8Array[]; starts: number[]; idsBytes: number; arenaBytes: number; size: number; total: number } | null = null;

  /** Starts loading a snapshot of `size` rows (replaces the contents); then importChunk in order, then endImport. */
  beginImport(size: number, idsBytes: number, arenaBytes: number): number {
    this.size = 0;
    this.rowOf.clear();
    this.ids = [];
    this.cap = 0;
    this.source = new Uint8Array(0);
    this.fingerMask = new Uint16Array(0);
    this.faceScale = new Float32Array(0);
    this.tplOff = new Uint32Array(0);
    this.tplLen = new Uint32Array(0);
    this.grow(Math.max(16, size));
    this.arena = new Uint8Array(Math.max(1 << 16, arenaBytes));
    this.arenaUsed = arenaBytes;
    this.garbage = 0;
    const parts = [new Uint8Array(idsBytes), ...this.rowParts(size), this.arena.subarray(0, arenaBytes)];
    const starts: number[] = [];
    let total = 0;
    for (const p of parts) {
      starts.push(total);
      total += p.length;
    }
    this.importing = { parts, starts, idsBytes, arenaBytes, size, total };
    return total;
  }

  /** Copies snapshot bytes [offset, offset + chunk.length) into place. */
  importChunk(offset: number, chunk: Uint8Array): void {
    const imp = this.importing;
    if (!imp || offset + chunk.length > imp.total) throw new GalleryCorruptError('Snapshot chunk outside the announced size');
    let done = 0;
    for (let i = 0; i < imp.parts.length && done < chunk.length; i++) {
      const start = imp.starts[i]!, part = imp.parts[i]!;
      const at = offset + done;
      if (at >= start + part.length || at < start) continue;
      const n = Math.min(part.length - (at - start), chunk.length - done);
      part.set(chunk.subarray(done, done + n), at - start);
      done += n;
    }
  }

  endImport(): void {
    const imp = this.importing;
    if (!imp) throw new GalleryCorruptError('No snapshot import in progress');
    this.importing = null;
    const ids = imp.parts[0]!;
    let o = 0;
    for (let r = 0; r < imp.size; r++) {
      if (o + 2 > ids.length) throw new GalleryCorruptError('Snapshot id table is truncated');
      const len = ids[o]! | (ids[o + 1]! << 8);
      const id = dec.decode(ids.subarray(o + 2, o + 2 + len));
      o += 2 + len;
      this.ids[r] = id;
      this.rowOf.set(id, r);
    }
    let off = 0;
    for (let k = 0; k < imp.size * 10; k++) {
      this.tplOff[k] = off;
      off += this.tplLen[k]!;
    }
    if (off !== imp.arenaBytes || this.rowOf.size !== imp.size || o !== ids.length) throw new GalleryCorruptError('Snapshot tables are inconsistent');
    this.size = imp.size;
  }

  private clearFingers(row: number): void {
    for (let p = 0; p < 10; p++) {
      const k = row * 10 + p;
      this.garbage += this.tplLen[k]!;
      this.tplLen[k] = 0;
      this.tplOff[k] = 0;
    }
    this.fingerMask[row] = 0;
  }

  private moveRow(from: number, to: number): void {
    const id = this.ids[from]!;
    this.ids[to] = id;
    this.rowOf.set(id, to);
    this.source[to] = this.source[from]!;
    this.face.matrix.copyWithin(to * FACE_DIMS, from * FACE_DIMS, (from + 1) * FACE_DIMS);
    this.faceScale[to] = this.faceScale[from]!;
    this.fingerMask[to] = this.fingerMask[from]!;
    for (let p = 0; p < 10; p++) this.prefilter.block(p).copyWithin(to * INDEX_STRIDE, from * INDEX_STRIDE, (from + 1) * INDEX_STRIDE);
    this.tplOff.copyWithin(to * 10, from * 10, from * 10 + 10);
    this.tplLen.copyWithin(to * 10, from * 10, from * 10 + 10);
    this.tplLen.fill(0, from * 10, from * 10 + 10);
  }

  private alloc(n: number): number {
    if (this.arenaUsed + n > this.arena.length) {
      const bigger = new Uint8Array(Math.max(this.arena.length * 2, this.arenaUsed + n, 1 << 16));
      bigger.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = bigger;
    }
    const o = this.arenaUsed;
    this.arenaUsed += n;
    return o;
  }

  /** Rewrites the arena without garbage; `rowOrder` puts the templates in row order (for snapshots). */
  private compact(rowOrder = false): void {
    if (rowOrder && this.garbage === 0 && this.inRowOrder()) return;
    const fresh = new Uint8Array(Math.max(1 << 16, Math.ceil((this.arenaUsed - this.garbage) * (rowOrder ? 1 : 1.25))));
    let o = 0;
    for (let k = 0; k < this.size * 10; k++) {
      const len = this.tplLen[k]!;
      if (!len) continue;
      fresh.set(this.arena.subarray(this.tplOff[k]!, this.tplOff[k]! + len), o);
      this.tplOff[k] = o;
      o += len;
    }
    this.arena = fresh;
    this.arenaUsed = o;
    this.garbage = 0;
  }

  private inRowOrder(): boolean {
    let off = 0;
    for (let k = 0; k < this.size * 10; k++) {
      if (this.tplLen[k] && this.tplOff[k] !== off) return false;
      off += this.tplLen[k]!;
    }
    return off === this.arenaUsed;
  }

  private grow(cap: number): void {
    const copy = <T extends Uint8Array | Int8Array | Uint16Array | Uint32Array | Float32Array>(old: T, make: (n: number) => T, per: number): T => {
      const t = make(cap * per);
      t.set(old.subarray(0, this.size * per) as never);
      return t;
    };
    this.source = copy(this.source, (n) => new Uint8Array(n), 1);
    this.face.reserve(cap);
    this.faceScale = copy(this.faceScale, (n) => new Float32Array(n), 1);
    this.fingerMask = copy(this.fingerMask, (n) => new Uint16Array(n), 1);
    this.prefilter.reserve(cap);
    this.tplOff = copy(this.tplOff, (n) => new Uint32Array(n), 10);
    this.tplLen = copy(this.tplLen, (n) => new Uint32Array(n), 10);
    this.cap = cap;
  }
}
