// Binarisation of the enhanced image and skeletonisation: Zhang & Suen, "A fast parallel algorithm for thinning
// digital patterns", CACM 27(3), 1984, followed by removal of 4-connected staircase pixels so that the skeleton is
// one pixel thick in the 8-connected sense (crossing numbers are then exact).
import type { EnhancedImage } from './enhancement.js';

/** 1 where the Gabor response is positive (ridge). */
export function binarize(enh: EnhancedImage): Uint8Array {
  const out = new Uint8Array(enh.width * enh.height);
  for (let i = 0; i < out.length; i++) out[i] = enh.response[i]! > 0 ? 1 : 0;
  return out;
}

/** Zhang–Suen thinning of a binary image (1 = ridge); returns a new image. Border pixels are cleared. */
export function zhangSuenThin(bin: Uint8Array, W: number, H: number): Uint8Array {
  const img = bin.slice();
  for (let x = 0; x < W; x++) { img[x] = 0; img[(H - 1) * W + x] = 0; }
  for (let y = 0; y < H; y++) { img[y * W] = 0; img[y * W + W - 1] = 0; }
  let candidates: number[] = [];
  for (let i = 0; i < img.length; i++) if (img[i]) candidates.push(i);
  const del: number[] = [];
  for (let iter = 0; iter < 100; iter++) {
    let changed = false;
    for (let sub = 0; sub < 2; sub++) {
      del.length = 0;
      for (const i of candidates) {
        if (!img[i]) continue;
        const p2 = img[i - W]!, p3 = img[i - W + 1]!, p4 = img[i + 1]!, p5 = img[i + W + 1]!;
        const p6 = img[i + W]!, p7 = img[i + W - 1]!, p8 = img[i - 1]!, p9 = img[i - W - 1]!;
        const b = p2 + p3 + p4 + p5 + p6 + p7 + p8 + p9;
        if (b < 2 || b > 6) continue;
        const a = (+(!p2 && p3)) + (+(!p3 && p4)) + (+(!p4 && p5)) + (+(!p5 && p6)) + (+(!p6 && p7)) + (+(!p7 && p8)) + (+(!p8 && p9)) + (+(!p9 && p2));
        if (a !== 1) continue;
        if (sub === 0 ? p2 * p4 * p6 === 0 && p4 * p6 * p8 === 0 : p2 * p4 * p8 === 0 && p2 * p6 * p8 === 0) del.push(i);
      }
      for (const i of del) img[i] = 0;
      if (del.length) changed = true;
    }
    if (!changed) break;
    candidates = candidates.filter((i) => img[i]);
  }
  // Staircase removal: a pixel whose two 4-neighbours forming a corner are set and the opposite side is empty.
  for (let y = 1; y < H - 1; y++) {
    for (let x = 1; x < W - 1; x++) {
      const i = y * W + x;
      if (!img[i]) continue;
      const n = img[i - W]!, e = img[i + 1]!, s = img[i + W]!, w = img[i - 1]!;
      const ne = img[i - W + 1]!, se = img[i + W + 1]!, sw = img[i + W - 1]!, nw = img[i - W - 1]!;
      if ((n && e && !s && !w && !sw) || (e && s && !n && !w && !nw) || (s && w && !n && !e && !ne) || (w && n && !s && !e && !se)) img[i] = 0;
    }
  }
  return img;
}
