// A coarse copy of the orientation field kept in the template (16 px cells), and the non-minutia term of the matcher:
// agreement of the two ridge-orientation fields over the overlap once the minutiae have aligned the impressions.
// Minutiae-free evidence for pairs with few reliable minutiae (dry, frame-cut, small-overlap prints): after Jain,
// Prabhakar & Chen ("Combining multiple matchers for a high security fingerprint verification system", 1999) and
// the orientation-field consistency check of Tico & Kuosmanen ("Fingerprint matching using an orientation-based
// minutia descriptor", IEEE TPAMI 25(8), 2003).
import type { OrientationField } from './orientation.js';
import type { ForegroundMask } from './segmentation.js';

/** Orientation per cell: 0 = no ridge data (background), k = 1…180 ⇔ θ = (k − 1)° in [0, 180°), image coordinates. */
export interface OrientationGrid {
  /** Cell side in px (500 ppi). */
  cell: number;
  gw: number;
  gh: number;
  code: Uint8Array;
}

/** Cells of `factor` × `factor` blocks of the field; a cell is kept when at least half of its blocks are foreground. */
export function orientationGrid(field: OrientationField, fg: ForegroundMask, factor = 2): OrientationGrid {
  const { bw, bh } = field;
  const gw = Math.ceil(bw / factor), gh = Math.ceil(bh / factor);
  const code = new Uint8Array(gw * gh);
  for (let gy = 0; gy < gh; gy++) {
    for (let gx = 0; gx < gw; gx++) {
      let c = 0, s = 0, n = 0, all = 0;
      for (let dy = 0; dy < factor; dy++) {
        for (let dx = 0; dx < factor; dx++) {
          const bx = gx * factor + dx, by = gy * factor + dy;
          if (bx >= bw || by >= bh) continue;
          all++;
          const i = by * bw + bx;
          if (!fg.mask[i]) continue;
          c += Math.cos(2 * field.theta[i]!);
          s += Math.sin(2 * field.theta[i]!);
          n++;
        }
      }
      if (n === 0 || 2 * n < all || c * c + s * s < 1e-12) continue;
      let deg = Math.round((Math.atan2(s, c) / 2) * (180 / Math.PI));
      deg = ((deg % 180) + 180) % 180;
      code[gy * gw + gx] = deg + 1;
    }
  }
  return { cell: field.blockSize * factor, gw, gh, code };
}

/** Doubled-angle unit vectors of the non-empty cells (what the agreement loop reads). */
export interface GridVectors {
  /** Indices of the non-empty cells. */
  cells: Int32Array;
  /** Per cell of the grid: cos 2θ, sin 2θ (0, 0 where empty). */
  c2: Float32Array;
  s2: Float32Array;
  /** Per non-empty cell (same order as `cells`): its centre in px and its cos 2θ, sin 2θ. */
  cx: Float64Array;
  cy: Float64Array;
  cc2: Float64Array;
  cs2: Float64Array;
}

export function gridVectors(g: OrientationGrid): GridVectors {
  const len = g.code.length, gw = g.gw, cellA = g.cell;
  const c2 = new Float32Array(len), s2 = new Float32Array(len);
  let m = 0;
  for (let i = 0; i < len; i++) if (g.code[i]) m++;
  const cells = new Int32Array(m), cx = new Float64Array(m), cy = new Float64Array(m), cc2 = new Float64Array(m), cs2 = new Float64Array(m);
  for (let i = 0, q = 0; i < len; i++) {
    const k = g.code[i]!;
    if (!k) continue;
    const th = ((k - 1) * Math.PI) / 180;
    c2[i] = Math.cos(2 * th);
    s2[i] = Math.sin(2 * th);
    const gy = (i / gw) | 0;
    cells[q] = i;
    cx[q] = (i - gy * gw + 0.5) * cellA;
    cy[q] = (gy + 0.5) * cellA;
    cc2[q] = c2[i]!;
    cs2[q] = s2[i]!;
    q++;
  }
  return { cells, c2, s2, cx, cy, cc2, cs2 };
}

export interface Agreement {
  /** Cells of A that land on a non-empty cell of B. */
  overlap: number;
  /** Mean cos 2(θA + rotation − θB) over them, −1…1 (0 when there is no overlap). */
  mean: number;
}

/**
 * Orientation agreement of A mapped into B by x_B = c·x_A − s·y_A + tx, y_B = s·x_A + c·y_A + ty (c, s: cosine and
 * sine of the rotation). Allocation-free. A's cell centres and vectors are read from `va` (built from `ga` at load).
 */
export function orientationAgreement(ga: OrientationGrid, va: GridVectors, gb: OrientationGrid, vb: GridVectors, c: number, s: number, tx: number, ty: number, out: Agreement): Agreement {
  // Doubled rotation for the doubled-angle vectors.
  const c2r = c * c - s * s, s2r = 2 * c * s;
  const inv = 1 / gb.cell, bw = gb.gw, bh = gb.gh;
  let n = 0, sum = 0;
  const cx = va.cx, cy = va.cy, ac2 = va.cc2, as2 = va.cs2, m = cx.length;
  const code = gb.code, bc2 = vb.c2, bs2 = vb.s2;
  for (let q = 0; q < m; q++) {
    const x = cx[q]!, y = cy[q]!;
    const X = (c * x - s * y + tx) * inv, Y = (s * x + c * y + ty) * inv;
    if (X < 0 || Y < 0 || X >= bw || Y >= bh) continue;
    const j = (Y | 0) * bw + (X | 0);
    if (!code[j]) continue;
    const ac = ac2[q]!, as = as2[q]!;
    sum += (c2r * ac - s2r * as) * bc2[j]! + (s2r * ac + c2r * as) * bs2[j]!;
    n++;
  }
  out.overlap = n;
  out.mean = n ? sum / n : 0;
  return out;
}
