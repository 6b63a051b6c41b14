// Ground-truth minutiae of a binary ridge map: Zhang–Suen thinning (Zhang & Suen, "A fast parallel algorithm for thinning
// digital patterns", CACM 27(3), 1984) and the crossing number of Arcelli & Baja ("A width-independent fast thinning algorithm",
// IEEE TPAMI 7(4), 1985; see Maltoni et al., Handbook of Fingerprint Recognition, §3.7.1), with the usual clean-up of
// short spurs, bridges and close pairs (Xiao & Raafat 1991). Directions follow the ISO/IEC 19794-2 convention (see types.ts).
import type { GroundTruthMinutia } from './types.js';

const NX = [0, 1, 1, 1, 0, -1, -1, -1];
const NY = [-1, -1, 0, 1, 1, 1, 0, -1];

/** Zhang–Suen thinning of a 0/1 image (1 = ridge), in place; the one-pixel border is cleared. */
export function thin(img: Uint8Array, width: number, height: number): Uint8Array {
  for (let x = 0; x < width; x++) img[x] = img[(height - 1) * width + x] = 0;
  for (let y = 0; y < height; y++) img[y * width] = img[y * width + width - 1] = 0;
  const del: number[] = [];
  let changed = true;
  while (changed) {
    changed = false;
    for (let step = 0; step < 2; step++) {
      del.length = 0;
      for (let y = 1; y < height - 1; y++) {
        for (let x = 1; x < width - 1; x++) {
          const i = y * width + x;
          if (!img[i]) continue;
          const p2 = img[i - width]!, p3 = img[i - width + 1]!, p4 = img[i + 1]!, p5 = img[i + width + 1]!;
          const p6 = img[i + width]!, p7 = img[i + width - 1]!, p8 = img[i - 1]!, p9 = img[i - width - 1]!;
          const b = p2 + p3 + p4 + p5 + p6 + p7 + p8 + p9;
          if (b < 2 || b > 6) continue;
          const a = +(!p2 && p3) + +(!p3 && p4) + +(!p4 && p5) + +(!p5 && p6) + +(!p6 && p7) + +(!p7 && p8) + +(!p8 && p9) + +(!p9 && p2);
          if (a !== 1) continue;
          if (step === 0 ? p2 * p4 * p6 || p4 * p6 * p8 : p2 * p4 * p8 || p2 * p6 * p8) continue;
          del.push(i);
        }
      }
      for (const i of del) img[i] = 0;
      if (del.length) changed = true;
    }
  }
  return img;
}

function neighbours(sk: Uint8Array, width: number, i: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < 8; k++) {
    const j = i + NY[k]! * width + NX[k]!;
    if (sk[j]) out.push(j);
  }
  return out;
}

/** One neighbour per run of ridge pixels around i (preferring 4-connected ones): the heads of the branches leaving i. */
function branchHeads(sk: Uint8Array, width: number, i: number): number[] {
  const on = NX.map((_, k) => sk[i + NY[k]! * width + NX[k]!]!);
  const start = on.findIndex((v, k) => v === 0 && on[(k + 1) % 8] === 1);
  if (start < 0) return [];
  const heads: number[] = [];
  let run: number[] = [];
  for (let n = 1; n <= 8; n++) {
    const k = (start + n) % 8;
    if (on[k]) run.push(k);
    if ((!on[k] || n === 8) && run.length) {
      const pick = run.find((r) => r % 2 === 0) ?? run[0]!;
      heads.push(i + NY[pick]! * width + NX[pick]!);
      run = [];
    }
  }
  return heads;
}

function crossingNumber(sk: Uint8Array, width: number, i: number): number {
  let cn = 0;
  for (let k = 0; k < 8; k++) {
    const a = sk[i + NY[k]! * width + NX[k]!]!;
    const b = sk[i + NY[(k + 1) % 8]! * width + NX[(k + 1) % 8]!]!;
    cn += Math.abs(a - b);
  }
  return cn / 2;
}

/** Follows the skeleton from `start` through `first` for up to `steps` pixels; returns the end index and whether it hit another minutia. */
function trace(sk: Uint8Array, width: number, start: number, first: number, steps: number, isMinutia: (i: number) => boolean, exclude: number[] = []): { end: number; length: number; hit: boolean } {
  let prev = start;
  let cur = first;
  const seen = new Set<number>([start, ...exclude.filter((j) => j !== first)]);
  for (let n = 1; n < steps; n++) {
    if (isMinutia(cur)) return { end: cur, length: n, hit: true };
    seen.add(cur);
    const next = neighbours(sk, width, cur).filter((j) => !seen.has(j) && j !== prev);
    if (next.length === 0) return { end: cur, length: n, hit: true };
    // Prefer 4-connected continuation to avoid cutting corners.
    next.sort((a, b) => Math.abs(a - cur) - Math.abs(b - cur));
    prev = cur;
    cur = next[0]!;
  }
  return { end: cur, length: steps, hit: false };
}

function isoAngle(dx: number, dy: number): number {
  const a = Math.atan2(-dy, dx);
  return a < 0 ? a + 2 * Math.PI : a;
}

export interface ExtractOptions {
  /** Minutiae closer than this to the image border (or to `mask` zeros) are dropped. */
  border: number;
  /** Optional region of interest (non-zero = inside). */
  mask?: Uint8Array;
}

/** Extracts minutiae from a binary ridge map (1 = ridge). */
export function extractMinutiae(ridges: Uint8Array, width: number, height: number, options: ExtractOptions): GroundTruthMinutia[] {
  const sk = thin(Uint8Array.from(ridges), width, height);
  const cn = new Uint8Array(width * height);
  const candidates: number[] = [];
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      if (!sk[i]) continue;
      const c = crossingNumber(sk, width, i);
      if (c === 1 || c === 3) {
        cn[i] = c;
        candidates.push(i);
      }
    }
  }
  const isMinutia = (i: number) => cn[i] !== 0;
  const reach = 10;
  const raw: Array<GroundTruthMinutia & { spur: boolean }> = [];
  for (const i of candidates) {
    const x = i % width;
    const y = (i - x) / width;
    if (cn[i] === 1) {
      const head = branchHeads(sk, width, i)[0];
      if (head === undefined) continue;
      const t = trace(sk, width, i, head, reach, isMinutia);
      const ex = t.end % width;
      const ey = (t.end - ex) / width;
      raw.push({ x, y, direction: isoAngle(ex - x, ey - y), type: 'ending', spur: t.hit && t.length < reach });
    } else {
      const heads = branchHeads(sk, width, i);
      const ends = heads.map((j) => trace(sk, width, i, j, reach, isMinutia, heads));
      if (ends.length !== 3) continue;
      const angles = ends.map((t) => {
        const ex = t.end % width;
        return Math.atan2((t.end - ex) / width - y, ex - x);
      });
      // The two branches with the smallest angle between them form the fork; the direction bisects them.
      let best = [0, 1];
      let bestGap = Infinity;
      for (const [a, b] of [[0, 1], [0, 2], [1, 2]] as const) {
        let gap = Math.abs(angles[a]! - angles[b]!);
        if (gap > Math.PI) gap = 2 * Math.PI - gap;
        if (gap < bestGap) {
          bestGap = gap;
          best = [a, b];
        }
      }
      const bx = Math.cos(angles[best[0]!]!) + Math.cos(angles[best[1]!]!);
      const by = Math.sin(angles[best[0]!]!) + Math.sin(angles[best[1]!]!);
      const spur = ends.some((t) => t.hit && t.length < reach);
      raw.push({ x, y, direction: isoAngle(bx, by), type: 'bifurcation', spur });
    }
  }
  // Drop spurs/bridges/short breaks: minutiae closer than `minGap` to another one, and spur-connected minutiae.
  const minGap = 7;
  const keep = raw.map((m) => !m.spur);
  for (let a = 0; a < raw.length; a++) {
    for (let b = a + 1; b < raw.length; b++) {
      const dx = raw[a]!.x - raw[b]!.x;
      const dy = raw[a]!.y - raw[b]!.y;
      if (dx * dx + dy * dy < minGap * minGap) keep[a] = keep[b] = false;
    }
  }
  const out: GroundTruthMinutia[] = [];
  raw.forEach((m, k) => {
    if (!keep[k]) return;
    if (m.x < options.border || m.y < options.border || m.x >= width - options.border || m.y >= height - options.border) return;
    if (options.mask && !insideMask(options.mask, width, height, m.x, m.y, options.border)) return;
    out.push({ x: m.x, y: m.y, direction: m.direction, type: m.type });
  });
  return out;
}

function insideMask(mask: Uint8Array, width: number, height: number, x: number, y: number, r: number): boolean {
  for (const [dx, dy] of [[0, 0], [r, 0], [-r, 0], [0, r], [0, -r]] as const) {
    const px = x + dx;
    const py = y + dy;
    if (px < 0 || py < 0 || px >= width || py >= height || !mask[py * width + px]) return false;
  }
  return true;
}
