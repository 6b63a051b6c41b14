// Shared helpers for the fingerprint tests: synthetic ridge images and cached fixture templates.
import type { GrayImage } from '../../../models/finger/image.js';

/** Parallel sinusoidal ridges with direction `theta` and `period` px inside a disc of `radius`, light background. */
export function ridgeImage(W: number, H: number, theta: number, period: number, radius = Infinity, amplitude = 90): GrayImage {
  const pixels = new Uint8Array(W * H).fill(230);
  const nx = -Math.sin(theta), ny = Math.cos(theta);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    if (Math.hypot(x - W / 2, y - H / 2) > radius) continue;
    pixels[y * W + x] = Math.round(128 + amplitude * Math.cos((2 * Math.PI * (x * nx + y * ny)) / period));
  }
  return { width: W, height: H, pixels, ppi: 500 };
}
