// What fr_liveness sees: the 128×128 face crop with its exposure normalised and its pixel-scale texture removed.
// The raw crop made the score depend on the camera more than on the presentation: sensor noise of σ = 2 grey levels
// lifted printed and replayed faces from ≤ 0.15 to 0.6–0.99, and σ = 8 dropped live faces to ≈ 0.02; a dim live frame
// scored lower than the same frame brightened. Measured on pad-dev (docs/FACE_QUALITY.md, `kiosk face calibrate --pad`).
import { gaussianBlur } from './measures.js';

/** Mean BT.601 luma (0..1) the central half of the crop is scaled to: a well-exposed face. */
export const LIVENESS_TARGET_LUMA = 0.45;
/**
 * Gaussian σ in crop pixels (128 px ≈ 2.7 face widths, so ≈ 1/30 of the face width): removes sensor noise and JPEG
 * blocking, whose energy lies at the pixel scale, and keeps the coarser texture, reflections and edges the model
 * separates presentations by. σ = 1 left σ = 8 noise lifting attacks to 0.8; σ = 2 lowered live scores with no gain.
 */
export const LIVENESS_BAND_SIGMA = 1.5;
/** Largest exposure gain applied (a nearly black crop must not be amplified into noise). */
export const LIVENESS_MAX_GAIN = 4;

/** Mean luma (0..1) of the central half (side/4 … 3·side/4) of a packed RGB square crop. */
export function centralLuma(rgb: Uint8Array, side: number): number {
  const a = Math.floor(side / 4);
  const b = side - a;
  let acc = 0;
  let n = 0;
  for (let y = a; y < b; y++) {
    for (let x = a, i = 3 * (y * side + a); x < b; x++, i += 3) {
      acc += 0.299 * rgb[i]! + 0.587 * rgb[i + 1]! + 0.114 * rgb[i + 2]!;
      n++;
    }
  }
  return n ? acc / n / 255 : 0;
}

/**
 * The model's input tensor [1, 3, side, side], RGB planes on the raw 0..255 scale (the model's own normalisation):
 * every channel multiplied by one exposure gain (central luma → LIVENESS_TARGET_LUMA, at most LIVENESS_MAX_GAIN),
 * clipped to 0..255, then low-passed by a Gaussian of σ = LIVENESS_BAND_SIGMA px.
 */
export function livenessTensor(rgb: Uint8Array, side: number, targetLuma = LIVENESS_TARGET_LUMA, sigma = LIVENESS_BAND_SIGMA): Float32Array {
  const n = side * side;
  const mean = centralLuma(rgb, side);
  const gain = mean > 0 ? Math.min(LIVENESS_MAX_GAIN, targetLuma / mean) : 1;
  const out = new Float32Array(3 * n);
  const plane = new Float32Array(n);
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < n; i++) plane[i] = Math.min(255, Math.round(rgb[3 * i + c]! * gain));
    out.set(sigma > 0 ? gaussianBlur(plane, side, side, sigma) : plane, c * n);
  }
  return out;
}

/** Luma below which a crop pixel counts as black fill (dataset padding, a cover, outside the frame); noise of σ 8 keeps 84 % of a black area below it. */
export const BLACK_FILL_LUMA = 16;

/** Share of pixels of a packed RGB crop with luma < BLACK_FILL_LUMA. */
export function blackShare(rgb: Uint8Array, pixels: number): number {
  let n = 0;
  for (let i = 0, j = 0; i < pixels; i++, j += 3) if (0.299 * rgb[j]! + 0.587 * rgb[j + 1]! + 0.114 * rgb[j + 2]! < BLACK_FILL_LUMA) n++;
  return pixels ? n / pixels : 0;
}
