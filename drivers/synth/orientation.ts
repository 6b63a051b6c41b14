// Orientation field of a master fingerprint: the zero-pole model of Sherlock & Monro ("A model for interpreting fingerprint
// topology", Pattern Recognition 26(7), 1993) with the per-singularity angular correction of Vizcaya & Gerhardt ("A nonlinear
// orientation model for global description of fingerprints", Pattern Recognition 29(7), 1996), as adopted by SFinGe
// (Cappelli, Maio & Maltoni, ICPR 2000). Arches, which have no singular points, use an analytic arch flow.
import type { ClassLayout } from './classes.js';
import type { Rng } from './prng.js';

/** Smooth 2π-periodic perturbation of an angle: g(α) = α + Σ a_n sin(n α + φ_n), monotone for small a_n. */
interface AngleWarp {
  amp: number[];
  phase: number[];
}

function randomWarp(rng: Rng): AngleWarp {
  return { amp: [rng.normal() * 0.12, rng.normal() * 0.06], phase: [rng.uniform(0, 2 * Math.PI), rng.uniform(0, 2 * Math.PI)] };
}

function warp(alpha: number, w: AngleWarp): number {
  let out = alpha;
  for (let n = 0; n < w.amp.length; n++) out += w.amp[n]! * Math.sin((n + 1) * alpha + w.phase[n]!);
  return out;
}

/**
 * Ridge orientation in radians (image coordinates, x right, y down; defined modulo π) on a grid of ceil(width/step) ×
 * ceil(height/step) samples at pixel positions (gx·step, gy·step). θ(z) = θ0 + ½ [Σ g_c(arg(z − core)) − Σ g_d(arg(z − delta))].
 */
export function orientationField(layout: ClassLayout, width: number, height: number, step: number, rng: Rng): Float32Array {
  const gw = Math.ceil(width / step);
  const gh = Math.ceil(height / step);
  const out = new Float32Array(gw * gh);
  const theta0 = rng.normal() * 0.05;
  if (layout.cores.length === 0 && layout.deltas.length === 0) {
    // Arch: ridges y = y0 − h·exp(−(x−xc)²/2s²) (bumped towards the fingertip), flatter towards the bottom.
    const xc = width / 2 + rng.normal() * 0.04 * width;
    const s = width * rng.uniform(0.2, 0.28);
    const hTop = height * rng.uniform(0.3, 0.42);
    for (let gy = 0; gy < gh; gy++) {
      const y = gy * step;
      const h = hTop * Math.max(0.2, 1 - y / height);
      for (let gx = 0; gx < gw; gx++) {
        const x = gx * step;
        const dx = x - xc;
        const slope = (h * dx) / (s * s) * Math.exp((-dx * dx) / (2 * s * s));
        out[gy * gw + gx] = theta0 + Math.atan(slope);
      }
    }
    return out;
  }
  const coreWarps = layout.cores.map(() => randomWarp(rng));
  const deltaWarps = layout.deltas.map(() => randomWarp(rng));
  for (let gy = 0; gy < gh; gy++) {
    const y = gy * step;
    for (let gx = 0; gx < gw; gx++) {
      const x = gx * step;
      let t = 0;
      for (let i = 0; i < layout.cores.length; i++) {
        const c = layout.cores[i]!;
        t += warp(Math.atan2(y - c.y, x - c.x), coreWarps[i]!);
      }
      for (let i = 0; i < layout.deltas.length; i++) {
        const d = layout.deltas[i]!;
        t -= warp(Math.atan2(y - d.y, x - d.x), deltaWarps[i]!);
      }
      out[gy * gw + gx] = theta0 + t / 2;
    }
  }
  return out;
}
