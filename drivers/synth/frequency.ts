// Ridge-frequency map of a master fingerprint (SFinGe: Cappelli, Maio & Maltoni, ICPR 2000): a smooth random field around
// the typical inter-ridge distance of ~9 px at 500 ppi, slightly lower frequency (wider ridges) above the core region and
// below the deltas, as observed on real fingers. Values are cycles per pixel, clamped to [0.08, 0.13].
import type { ClassLayout } from './classes.js';
import type { Rng } from './prng.js';

export const MIN_FREQUENCY = 0.08;
export const MAX_FREQUENCY = 0.13;

/** Sampled like orientationField: ceil(width/step) × ceil(height/step) values at pixel positions (gx·step, gy·step). */
export function frequencyField(layout: ClassLayout, width: number, height: number, step: number, rng: Rng): Float32Array {
  const gw = Math.ceil(width / step);
  const gh = Math.ceil(height / step);
  const out = new Float32Array(gw * gh);
  const base = 1 / rng.uniform(8.6, 9.8);
  const waves = Array.from({ length: 3 }, () => {
    const wavelength = rng.uniform(180, 360);
    const dir = rng.uniform(0, Math.PI);
    const k = (2 * Math.PI) / wavelength;
    return { kx: k * Math.cos(dir), ky: k * Math.sin(dir), phase: rng.uniform(0, 2 * Math.PI), amp: rng.uniform(0.002, 0.005) };
  });
  const topY = layout.cores.length > 0 ? Math.min(...layout.cores.map((c) => c.y)) : height * 0.4;
  for (let gy = 0; gy < gh; gy++) {
    const y = gy * step;
    // Wider ridges towards the fingertip (above the cores), a gentle ramp.
    const tip = y < topY ? ((topY - y) / Math.max(1, topY)) * 0.008 : 0;
    for (let gx = 0; gx < gw; gx++) {
      const x = gx * step;
      let f = base - tip;
      for (const w of waves) f += w.amp * Math.cos(w.kx * x + w.ky * y + w.phase);
      out[gy * gw + gx] = Math.min(MAX_FREQUENCY, Math.max(MIN_FREQUENCY, f));
    }
  }
  return out;
}
