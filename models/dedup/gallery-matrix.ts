// The in-memory gallery of a dedup worker: one row per person in flat typed arrays (no object per record).
//   faceQ      int8  [cap × 512]   quantised embeddings; faceScale[row] = 0 when the face is excepted
//   index[p]   int8  [cap × 180]   finger prefilter vectors per ISO position p
//   arena      uint8               compact finger templates ("KFT1"), addressed by tplOff/tplLen [cap × 10]
// Rows are removed by moving the last row into the hole, so rows stay dense; the arena is compacted when half of it
// is garbage.
import { INDEX_DIMS } from '../finger/index-vector.js';
import { quantizeFace } from './face-kernel.js';
import { templateIndex } from './template-index.js';
import { FACE_DIMS, type EntrySource, type FingerPos, type GalleryEntry } from './types.js';

const SOURCES: EntrySource[] = ['local', 'regional', 'operator'];

export class GalleryMatrix {
  private cap = 0;
  size = 0;
  ids: string[] = [];
  private rowOf = new Map<string, number>();
  source = new Uint8Array(0);
  faceQ = new Int8Array(0);
  faceScale = new Float32Array(0);
  fingerMask = new Uint16Array(0);
  index: Int8Array[] = Array.from({ length: 10 }, () => new Int8Array(0));
  tplOff = new Uint32Array(0);
  tplLen = new Uint32Array(0);
  arena = new Uint8Array(0);
  private arenaUsed = 0;
  private garbage = 0;

  constructor(initialCapacity = 64) {
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
      if (this.size === this.cap) this.grow(this.cap * 2);
      row = this.size++;
      this.rowOf.set(e.id, row);
      this.ids[row] = e.id;
    } else {
      this.clearFingers(row);
    }
    this.source[row] = SOURCES.indexOf(e.source);
    if (e.face) {
      this.faceScale[row] = quantizeFace(e.face, this.faceQ.subarray(row * FACE_DIMS, (row + 1) * FACE_DIMS));
    } else {
      this.faceScale[row] = 0;
      this.faceQ.fill(0, row * FACE_DIMS, (row + 1) * FACE_DIMS);
    }
    let mask = 0;
    for (const f of e.fingers) {
      const p = f.position - 1;
      mask |= 1 << p;
      const dst = this.index[p]!.subarray(row * INDEX_DIMS, (row + 1) * INDEX_DIMS);
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
    let b = this.source.byteLength + this.faceQ.byteLength + this.faceScale.byteLength + this.fingerMask.byteLength;
    b += this.tplOff.byteLength + this.tplLen.byteLength + this.arena.byteLength;
    for (const m of this.index) b += m.byteLength;
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
    this.faceQ.copyWithin(to * FACE_DIMS, from * FACE_DIMS, (from + 1) * FACE_DIMS);
    this.faceScale[to] = this.faceScale[from]!;
    this.fingerMask[to] = this.fingerMask[from]!;
    for (const m of this.index) m.copyWithin(to * INDEX_DIMS, from * INDEX_DIMS, (from + 1) * INDEX_DIMS);
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

  private compact(): void {
    const fresh = new Uint8Array(Math.max(1 << 16, (this.arenaUsed - this.garbage) * 1.25));
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

  private grow(cap: number): void {
    const copy = <T extends Uint8Array | Int8Array | Uint16Array | Uint32Array | Float32Array>(old: T, make: (n: number) => T, per: number): T => {
      const t = make(cap * per);
      t.set(old.subarray(0, this.size * per) as never);
      return t;
    };
    this.source = copy(this.source, (n) => new Uint8Array(n), 1);
    this.faceQ = copy(this.faceQ, (n) => new Int8Array(n), FACE_DIMS);
    this.faceScale = copy(this.faceScale, (n) => new Float32Array(n), 1);
    this.fingerMask = copy(this.fingerMask, (n) => new Uint16Array(n), 1);
    this.index = this.index.map((m) => copy(m, (n) => new Int8Array(n), INDEX_DIMS));
    this.tplOff = copy(this.tplOff, (n) => new Uint32Array(n), 10);
    this.tplLen = copy(this.tplLen, (n) => new Uint32Array(n), 10);
    this.cap = cap;
  }
}
