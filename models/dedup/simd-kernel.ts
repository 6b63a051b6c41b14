// int8 × int8 dot products with WebAssembly SIMD128 (the face 1:N scan): four gallery rows per pass share each
// probe load; per 16 dimensions i16x8.extmul_{low,high}_i8x16_s, one i16x8.add (|2 · 127 · 127| < 2^15, so no
// overflow), i32x4.extadd_pairwise_i16x8_s into the row's accumulator. The int8 GEMV of Jacob et al., "Quantization
// and Training of Neural Networks for Efficient Integer-Arithmetic-Only Inference" (CVPR 2018), vectorised as in
// XNNPACK's qs8 kernels. The module is assembled here byte by byte (no toolchain needed, ~200 bytes) and imports its
// memory, so the caller owns the matrix: it lives in a WebAssembly.Memory (FaceArena).
//
// scan(mat, rows, probe, out): for r in [0, rows) step 4: out[r..r+3] = Σ_{d<dims} probe[d] · mat[r·stride + d] (i32 LE).
// dims and stride (multiples of 16) are compiled into the module; rows must be a multiple of 4. One module per shape:
// the face matrix (512, 512) and the finger prefilter vectors, one contiguous block per position (192, 192).
import { FACE_DIMS } from './types.js';

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

const simd = (op: number) => [0xfd, ...uleb(op)];
const V128_LOAD = 0x00, V128_CONST = 0x0c, I32X4_EXTRACT = 0x1b, I32X4_EXTADD_PAIRWISE_I16X8_S = 0x7e;
const I16X8_ADD = 0x8e, I16X8_EXTMUL_LOW_S = 0x9c, I16X8_EXTMUL_HIGH_S = 0x9d, I32X4_ADD = 0xae;
const LOCAL_GET = 0x20, LOCAL_SET = 0x21, LOCAL_TEE = 0x22, I32_CONST = 0x41, I32_ADD = 0x6a, I32_LT_U = 0x49, I32_STORE = 0x36;
const BLOCK = 0x02, LOOP = 0x03, BR = 0x0c, BR_IF = 0x0d, END = 0x0b, I32_GE_U = 0x4f;

/** Bytes of the module: (import "env" "mem" (memory 1)) (func (export "scan") (param i32 i32 i32 i32)). */
function moduleBytes(DIMS: number, ROW: number): Uint8Array {
  // params: 0 mat, 1 rows, 2 probe, 3 out; locals: 4 r (i32), 5 d (i32), 6 p (v128), 7-10 acc (v128)
  const MAT = 0, ROWS = 1, PROBE = 2, OUT = 3, R = 4, D = 5, P = 6, ACC = 7;
  const zero = [...simd(V128_CONST), ...new Array<number>(16).fill(0)];
  const body: number[] = [];
  const e = (...b: number[]) => body.push(...b);
  e(BLOCK, 0x40);
  e(LOOP, 0x40);
  e(LOCAL_GET, R, LOCAL_GET, ROWS, I32_GE_U, BR_IF, 1);
  for (let k = 0; k < 4; k++) e(...zero, LOCAL_SET, ACC + k);
  e(I32_CONST, 0, LOCAL_SET, D);
  e(LOOP, 0x40);
  // p = load(probe + d)
  e(LOCAL_GET, PROBE, LOCAL_GET, D, I32_ADD, ...simd(V128_LOAD), 4, 0, LOCAL_SET, P);
  for (let k = 0; k < 4; k++) {
    // g = load(mat + d + k·ROW); acc_k += extadd_pairwise(extmul_low(g, p) + extmul_high(g, p))
    e(LOCAL_GET, ACC + k);
    e(LOCAL_GET, MAT, LOCAL_GET, D, I32_ADD, ...simd(V128_LOAD), 4, ...uleb(k * ROW));
    e(LOCAL_GET, P, ...simd(I16X8_EXTMUL_LOW_S));
    e(LOCAL_GET, MAT, LOCAL_GET, D, I32_ADD, ...simd(V128_LOAD), 4, ...uleb(k * ROW));
    e(LOCAL_GET, P, ...simd(I16X8_EXTMUL_HIGH_S));
    e(...simd(I16X8_ADD), ...simd(I32X4_EXTADD_PAIRWISE_I16X8_S), ...simd(I32X4_ADD), LOCAL_SET, ACC + k);
  }
  e(LOCAL_GET, D, I32_CONST, 16, I32_ADD, LOCAL_TEE, D, I32_CONST, ...sleb(DIMS), I32_LT_U, BR_IF, 0);
  e(END);
  for (let k = 0; k < 4; k++) {
    // out[k] = Σ lanes(acc_k)
    e(LOCAL_GET, OUT);
    e(LOCAL_GET, ACC + k, ...simd(I32X4_EXTRACT), 0);
    for (let lane = 1; lane < 4; lane++) e(LOCAL_GET, ACC + k, ...simd(I32X4_EXTRACT), lane, I32_ADD);
    e(I32_STORE, 2, ...uleb(4 * k));
  }
  e(LOCAL_GET, MAT, I32_CONST, ...sleb(4 * ROW), I32_ADD, LOCAL_SET, MAT);
  e(LOCAL_GET, OUT, I32_CONST, 16, I32_ADD, LOCAL_SET, OUT);
  e(LOCAL_GET, R, I32_CONST, 4, I32_ADD, LOCAL_SET, R);
  e(BR, 0, END, END);
  const locals = [2, 2, 0x7f, 5, 0x7b]; // 2 × i32, 5 × v128
  const code = [...locals, ...body, END];
  const func = [...uleb(code.length), ...code];
  const section = (id: number, content: number[]) => [id, ...uleb(content.length), ...content];
  const name = (s: string) => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 4, 0x7f, 0x7f, 0x7f, 0x7f, 0]),
    ...section(2, [1, ...name('env'), ...name('mem'), 0x02, 0x00, 1]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name('scan'), 0x00, 0]),
    ...section(10, [1, ...func]),
  ]);
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

// The WebAssembly JS API as far as used here (the project's lib settings have no DOM/WebAssembly value types).
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
  Memory: new (d: { initial: number; maximum?: number }) => WasmMemory;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const compiled = new Map<string, object | null>();

/** The compiled module for a shape, or null where WebAssembly SIMD is unavailable (the scalar kernel is used then). */
export function simdModule(dims = FACE_DIMS, stride = FACE_DIMS): object | null {
  const k = `${dims}/${stride}`;
  if (!compiled.has(k)) {
    const bytes = moduleBytes(dims, stride);
    compiled.set(k, wasm.validate(bytes) ? new wasm.Module(bytes) : null);
  }
  return compiled.get(k) ?? null;
}

const PAGE = 65536;
/** Bytes before the matrix: the int8 probe (padded). */
const PROBE_BYTES = 1024;

/**
 * An int8 row matrix in WebAssembly memory: [probe (1 KiB) | rows × stride int8 | scratch i32 per row]. Views are
 * re-created after the memory grows (growing detaches the old ArrayBuffer).
 */
export class Int8RowArena {
  private readonly memory: WasmMemory;
  private readonly scanFn: ((mat: number, rows: number, probe: number, out: number) => void) | null;
  private cap = 0;
  matrix!: Int8Array;

  constructor(
    capacity: number,
    useSimd = true,
    readonly dims = FACE_DIMS,
    readonly stride = FACE_DIMS,
  ) {
    if (dims % 16 || stride % 16 || dims > stride || dims > PROBE_BYTES) throw new RangeError('dims and stride must be multiples of 16, dims ≤ stride, dims ≤ 1024');
    const mod = useSimd ? simdModule(dims, stride) : null;
    this.memory = new wasm.Memory({ initial: 1, maximum: 65536 });
    this.scanFn = mod ? (new wasm.Instance(mod, { env: { mem: this.memory } }).exports.scan as (a: number, b: number, c: number, d: number) => void) : null;
    this.reserve(capacity);
  }

  get simd(): boolean {
    return this.scanFn !== null;
  }

  get capacity(): number {
    return this.cap;
  }

  /** Grows to hold at least `rows` rows (rounded up to 4), keeping the contents. */
  reserve(rows: number): void {
    const cap = Math.max(4, Math.ceil(rows / 4) * 4);
    if (cap <= this.cap && this.matrix) return;
    const need = PROBE_BYTES + cap * this.stride + cap * 4;
    const have = this.memory.buffer.byteLength;
    if (need > have) this.memory.grow(Math.ceil((need - have) / PAGE));
    this.cap = Math.max(cap, this.cap);
    this.matrix = new Int8Array(this.memory.buffer, PROBE_BYTES, this.cap * this.stride);
  }

  /** Bytes of the WebAssembly memory. */
  bytes(): number {
    return this.memory.buffer.byteLength;
  }

  /**
   * Integer dot products of the int8 probe (≤ dims values; the rest count as 0) with the `dims` bytes at `offset`
   * of rows [0, rows), into a view of the scratch area (valid until the next call).
   */
  dots(probe: Int8Array, rows: number, offset = 0): Int32Array {
    const buf = this.memory.buffer;
    const n4 = Math.ceil(rows / 4) * 4;
    if (n4 > this.cap || offset + this.dims > this.stride || probe.length > this.dims) throw new RangeError('dots outside the arena');
    const outOff = PROBE_BYTES + this.cap * this.stride;
    const p = new Int8Array(buf, 0, this.dims);
    p.fill(0);
    p.set(probe);
    const out = new Int32Array(buf, outOff, n4);
    if (this.scanFn) {
      this.scanFn(PROBE_BYTES + offset, n4, 0, outOff);
    } else {
      const m = this.matrix;
      for (let r = 0; r < rows; r++) {
        const o = r * this.stride + offset;
        let s = 0;
        for (let d = 0; d < probe.length; d++) s += probe[d]! * m[o + d]!;
        out[r] = s;
      }
    }
    return out;
  }
}

/**
 * `blocks` matrices of rows × dims int8 in one WebAssembly memory, each contiguous (block-major): a scan of one block
 * streams its bytes instead of striding over the others. [probe (1 KiB) | block 0 | … | block k−1 | scratch i32].
 * Growing moves the blocks apart (highest first, memmove); rows past the old capacity hold stale bytes until written.
 */
export class BlockedInt8Arena {
  private readonly memory: WasmMemory;
  private readonly scanFn: ((mat: number, rows: number, probe: number, out: number) => void) | null;
  private cap = 0;
  private views: Int8Array[] = [];

  constructor(
    readonly blocks: number,
    readonly dims: number,
    capacity: number,
    useSimd = true,
  ) {
    if (dims % 16 || dims > PROBE_BYTES) throw new RangeError('dims must be a multiple of 16 and ≤ 1024');
    const mod = useSimd ? simdModule(dims, dims) : null;
    this.memory = new wasm.Memory({ initial: 1, maximum: 65536 });
    this.scanFn = mod ? (new wasm.Instance(mod, { env: { mem: this.memory } }).exports.scan as (a: number, b: number, c: number, d: number) => void) : null;
    this.reserve(capacity);
  }

  get simd(): boolean {
    return this.scanFn !== null;
  }

  /** Rows [0, capacity) of block b. */
  block(b: number): Int8Array {
    return this.views[b]!;
  }

  bytes(): number {
    return this.memory.buffer.byteLength;
  }

  reserve(rows: number): void {
    const cap = Math.max(4, Math.ceil(rows / 4) * 4);
    if (cap <= this.cap) return;
    const need = PROBE_BYTES + this.blocks * cap * this.dims + cap * 4;
    const have = this.memory.buffer.byteLength;
    if (need > have) this.memory.grow(Math.ceil((need - have) / PAGE));
    const all = new Int8Array(this.memory.buffer);
    const old = this.cap * this.dims;
    for (let b = this.blocks - 1; b >= 1 && old > 0; b--) all.copyWithin(PROBE_BYTES + b * cap * this.dims, PROBE_BYTES + b * old, PROBE_BYTES + (b + 1) * old);
    this.cap = cap;
    this.views = Array.from({ length: this.blocks }, (_, b) => new Int8Array(this.memory.buffer, PROBE_BYTES + b * cap * this.dims, cap * this.dims));
  }

  /** Integer dot products of the probe (≤ dims values, zero-padded) with rows [0, rows) of block b (scratch view). */
  dots(probe: Int8Array, rows: number, b: number): Int32Array {
    const buf = this.memory.buffer;
    const n4 = Math.ceil(rows / 4) * 4;
    if (n4 > this.cap || b < 0 || b >= this.blocks || probe.length > this.dims) throw new RangeError('dots outside the arena');
    const outOff = PROBE_BYTES + this.blocks * this.cap * this.dims;
    const p = new Int8Array(buf, 0, this.dims);
    p.fill(0);
    p.set(probe);
    const out = new Int32Array(buf, outOff, n4);
    const base = PROBE_BYTES + b * this.cap * this.dims;
    if (this.scanFn) {
      this.scanFn(base, n4, 0, outOff);
    } else {
      const m = this.views[b]!;
      for (let r = 0; r < rows; r++) {
        const o = r * this.dims;
        let s = 0;
        for (let d = 0; d < probe.length; d++) s += probe[d]! * m[o + d]!;
        out[r] = s;
      }
    }
    return out;
  }
}

/** The face matrix: 512-d int8 rows. */
export class FaceArena extends Int8RowArena {
  constructor(capacity: number, useSimd = true) {
    super(capacity, useSimd, FACE_DIMS, FACE_DIMS);
  }
}
