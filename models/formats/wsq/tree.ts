// WSQ subband geometry. FBI WSQ Gray-scale Fingerprint Image Compression Specification v3.1 (IAFIS-IC-0110),
// §A.3 / Annex A figures: the 20-node wavelet decomposition tree and the 64-subband quantisation tree.
// The split rules (odd lengths, spectral inversion flags) follow the reference layout used by NIST NBIS.

export interface Rect {
  x: number;
  y: number;
  lenx: number;
  leny: number;
}

export interface WNode extends Rect {
  /** Horizontal (row) filtering stores the high band first. */
  invRow: boolean;
  /** Vertical (column) filtering stores the high band first. */
  invCol: boolean;
}

export const W_TREE_LEN = 20;
export const Q_TREE_LEN = 64;
/** Subbands 60..63 are never coded. */
export const NUM_SUBBANDS = 60;
export const START_SUBBAND_2 = 19;
export const START_SUBBAND_3 = 52;

const INV_ROW = new Set([2, 4, 7, 9, 11, 13, 16, 18]);
const INV_COL = new Set([3, 5, 8, 9, 12, 13, 17, 18]);

function split4(w: WNode[], p1: number, p2: number, lenx: number, leny: number, x: number, y: number, stopAt4: boolean): void {
  const n1 = w[p1]!;
  n1.x = x;
  n1.y = y;
  n1.lenx = lenx;
  n1.leny = leny;
  const a = w[p2]!;
  const b = w[p2 + 1]!;
  const c = w[p2 + 2]!;
  a.x = x;
  c.x = x;
  a.y = y;
  b.y = y;
  if (lenx % 2 === 0) {
    a.lenx = lenx / 2;
    b.lenx = a.lenx;
  } else if (p1 === 4) {
    a.lenx = (lenx - 1) / 2;
    b.lenx = a.lenx + 1;
  } else {
    a.lenx = (lenx + 1) / 2;
    b.lenx = a.lenx - 1;
  }
  b.x = a.lenx + x;
  if (!stopAt4) {
    const d = w[p2 + 3]!;
    d.lenx = b.lenx;
    d.x = b.x;
  }
  c.lenx = a.lenx;
  if (leny % 2 === 0) {
    a.leny = leny / 2;
    c.leny = a.leny;
  } else if (p1 === 5) {
    a.leny = (leny - 1) / 2;
    c.leny = a.leny + 1;
  } else {
    a.leny = (leny + 1) / 2;
    c.leny = a.leny - 1;
  }
  c.y = a.leny + y;
  if (!stopAt4) {
    const d = w[p2 + 3]!;
    d.leny = c.leny;
    d.y = c.y;
  }
  b.leny = a.leny;
}

export function buildWTree(width: number, height: number): WNode[] {
  const w: WNode[] = Array.from({ length: W_TREE_LEN }, (_, i) => ({ x: 0, y: 0, lenx: 0, leny: 0, invRow: INV_ROW.has(i), invCol: INV_COL.has(i) }));
  split4(w, 0, 1, width, height, 0, 0, true);
  const w1 = w[1]!;
  const lenx = w1.lenx % 2 === 0 ? w1.lenx / 2 : (w1.lenx + 1) / 2;
  const lenx2 = w1.lenx % 2 === 0 ? lenx : lenx - 1;
  const leny = w1.leny % 2 === 0 ? w1.leny / 2 : (w1.leny + 1) / 2;
  const leny2 = w1.leny % 2 === 0 ? leny : leny - 1;
  split4(w, 4, 6, lenx2, leny, lenx, 0, false);
  split4(w, 5, 10, lenx, leny2, 0, leny, false);
  split4(w, 14, 15, lenx, leny, 0, 0, false);
  const w15 = w[15]!;
  const w19 = w[19]!;
  w19.x = 0;
  w19.y = 0;
  w19.lenx = Math.ceil(w15.lenx / 2);
  w19.leny = Math.ceil(w15.leny / 2);
  return w;
}

function quad(q: Rect[], p: number, lenx: number, leny: number, x: number, y: number): void {
  const a = q[p]!;
  const b = q[p + 1]!;
  const c = q[p + 2]!;
  const d = q[p + 3]!;
  a.x = x;
  c.x = x;
  a.y = y;
  b.y = y;
  if (lenx % 2 === 0) {
    a.lenx = b.lenx = c.lenx = d.lenx = lenx / 2;
  } else {
    a.lenx = (lenx + 1) / 2;
    b.lenx = a.lenx - 1;
    c.lenx = a.lenx;
    d.lenx = b.lenx;
  }
  b.x = x + a.lenx;
  d.x = b.x;
  if (leny % 2 === 0) {
    a.leny = b.leny = c.leny = d.leny = leny / 2;
  } else {
    a.leny = (leny + 1) / 2;
    b.leny = a.leny;
    c.leny = a.leny - 1;
    d.leny = c.leny;
  }
  c.y = y + a.leny;
  d.y = c.y;
}

function quad16(q: Rect[], p: number, lenx: number, leny: number, x: number, y: number, rw: boolean, cl: boolean): void {
  let tempx: number, temp2x: number, tempy: number, temp2y: number;
  if (lenx % 2 === 0) {
    tempx = temp2x = lenx / 2;
  } else if (cl) {
    temp2x = (lenx + 1) / 2;
    tempx = temp2x - 1;
  } else {
    tempx = (lenx + 1) / 2;
    temp2x = tempx - 1;
  }
  if (leny % 2 === 0) {
    tempy = temp2y = leny / 2;
  } else if (rw) {
    temp2y = (leny + 1) / 2;
    tempy = temp2y - 1;
  } else {
    tempy = (leny + 1) / 2;
    temp2y = tempy - 1;
  }
  quad(q, p, tempx, tempy, x, y);
  const s = (i: number) => q[p + i]!;
  // Top-right 2x2: x halves of temp2x with the odd extra column on the right.
  s(4).x = x + tempx;
  s(6).x = s(4).x;
  s(4).y = y;
  s(5).y = y;
  s(6).y = s(2).y;
  s(7).y = s(2).y;
  s(4).leny = s(0).leny;
  s(5).leny = s(0).leny;
  s(6).leny = s(2).leny;
  s(7).leny = s(2).leny;
  if (temp2x % 2 === 0) {
    s(4).lenx = s(5).lenx = s(6).lenx = s(7).lenx = temp2x / 2;
  } else {
    s(5).lenx = (temp2x + 1) / 2;
    s(4).lenx = s(5).lenx - 1;
    s(6).lenx = s(4).lenx;
    s(7).lenx = s(5).lenx;
  }
  s(5).x = s(4).x + s(4).lenx;
  s(7).x = s(5).x;
  // Bottom-left 2x2: y halves of temp2y with the odd extra row at the bottom.
  s(8).x = x;
  s(9).x = s(1).x;
  s(10).x = x;
  s(11).x = s(1).x;
  s(8).y = y + tempy;
  s(9).y = s(8).y;
  s(8).lenx = s(0).lenx;
  s(9).lenx = s(1).lenx;
  s(10).lenx = s(0).lenx;
  s(11).lenx = s(1).lenx;
  if (temp2y % 2 === 0) {
    s(8).leny = s(9).leny = s(10).leny = s(11).leny = temp2y / 2;
  } else {
    s(10).leny = (temp2y + 1) / 2;
    s(11).leny = s(10).leny;
    s(8).leny = s(10).leny - 1;
    s(9).leny = s(8).leny;
  }
  s(10).y = s(8).y + s(8).leny;
  s(11).y = s(10).y;
  // Bottom-right 2x2.
  for (const [i, xi, yi] of [
    [12, 4, 8],
    [13, 5, 8],
    [14, 4, 10],
    [15, 5, 10],
  ] as const) {
    s(i).x = s(xi).x;
    s(i).lenx = s(xi).lenx;
    s(i).y = s(yi).y;
    s(i).leny = s(yi).leny;
  }
}

export function buildQTree(w: WNode[]): Rect[] {
  const q: Rect[] = Array.from({ length: Q_TREE_LEN }, () => ({ x: 0, y: 0, lenx: 0, leny: 0 }));
  const n = (i: number) => w[i]!;
  quad16(q, 3, n(14).lenx, n(14).leny, n(14).x, n(14).y, false, false);
  quad16(q, 19, n(4).lenx, n(4).leny, n(4).x, n(4).y, false, true);
  quad16(q, 48, n(0).lenx, n(0).leny, n(0).x, n(0).y, false, false);
  quad16(q, 35, n(5).lenx, n(5).leny, n(5).x, n(5).y, true, false);
  quad(q, 0, n(19).lenx, n(19).leny, n(19).x, n(19).y);
  return q;
}
