// Impressions of a master fingerprint (SFinGe, steps 5–8): pressure/dryness, non-linear plastic distortion after Cappelli,
// Maio & Maltoni, "Modelling plastic distortion in fingerprint images", ICAPR 2001 (a locked close-contact region, a
// transitional region with a smooth brake, and an external region moved rigidly), partial elliptical contact, rotation and
// translation, noise and background ("Synthetic fingerprint-database generation", ICPR 2002).
import { MASTER_HEIGHT, MASTER_WIDTH, masterData, type MasterData } from './master.js';
import { createRng, hashParts, type Rng } from './prng.js';
import type { GroundTruthMinutia, SynthImpression, SynthImpressionOptions } from './types.js';
import { SynthOptionsError } from './errors.js';
import { checkInteger, checkSide } from './validate.js';

export const IMPRESSION_WIDTH = 288;
export const IMPRESSION_HEIGHT = 384;
/** Width (px) of the fade towards the master canvas border. */
const MASTER_FADE = 12;

/** The random parameters of one impression. */
export interface ImpressionParams {
  /** Rigid placement: master centre → impression centre + (tx, ty), rotated by `rotation` (radians, image coordinates). */
  rotation: number;
  tx: number;
  ty: number;
  /** Plastic distortion (impression side, relative to the finger centre): locked disc centre and radius, brake, and the rigid move of the external region. */
  distortion: { cx: number; cy: number; locked: number; brake: number; rotation: number; dx: number; dy: number };
  /** Contact ellipse in finger coordinates (relative to the master centre, before rotation): centre, semi-axes, wobble. */
  footprint: { cx: number; cy: number; a: number; b: number; wobble: Array<{ amp: number; phase: number }>; edge: number };
  /** Ridge threshold on the profile: > 0 thins the ridges (dry, light pressure), < 0 thickens them (wet, heavy pressure). */
  threshold: number;
  /** Fraction of ridge ink removed by dryness blotches. */
  dryness: number;
  noise: number;
  background: number;
  ink: number;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

export function impressionParams(rng: Rng): ImpressionParams {
  const pressure = rng.uniform(-1, 1); // −1 light/dry … +1 heavy/wet
  return {
    rotation: clamp(rng.normal() * 0.1, -0.26, 0.26),
    tx: clamp(rng.normal() * 10, -25, 25),
    ty: clamp(rng.normal() * 10, -25, 25),
    distortion: {
      cx: rng.normal() * 12,
      cy: rng.normal() * 12,
      locked: rng.uniform(35, 55),
      brake: rng.uniform(50, 90),
      rotation: rng.normal() * 0.035,
      dx: clamp(rng.normal() * 5, -10, 10),
      dy: clamp(rng.normal() * 5, -10, 10),
    },
    footprint: {
      cx: clamp(rng.normal() * 10, -20, 20),
      cy: clamp(rng.normal() * 12, -24, 24),
      a: rng.uniform(112, 135) * (1 + 0.06 * pressure),
      b: rng.uniform(150, 178) * (1 + 0.06 * pressure),
      wobble: [2, 3, 4].map(() => ({ amp: rng.normal() * 0.025, phase: rng.uniform(0, 2 * Math.PI) })),
      edge: rng.uniform(6, 12),
    },
    threshold: (pressure > 0 ? -0.22 : -0.32) * pressure + rng.normal() * 0.04,
    dryness: pressure < -0.3 ? rng.uniform(0, 0.25) : rng.uniform(0, 0.08),
    noise: rng.uniform(4, 10),
    background: rng.uniform(215, 245),
    ink: rng.uniform(15, 55),
  };
}

/**
 * Geometry of one impression: maps between master pixels and impression pixels, and the soft contact mask.
 * Master → impression is p ↦ R(θ)·Δ⁻¹(p − c_m) + c_i + t, where Δ (the plastic distortion) is defined on the impression side.
 */
export interface ImpressionGeometry {
  toMaster(x: number, y: number): [number, number];
  toImpression(x: number, y: number): [number, number];
  /** Contact weight in [0, 1] at an impression pixel. */
  contact(x: number, y: number): number;
}

export function impressionGeometry(p: ImpressionParams, master: { width: number; height: number }, width: number, height: number): ImpressionGeometry {
  const cmx = master.width / 2;
  const cmy = master.height / 2;
  const cix = width / 2 + p.tx;
  const ciy = height / 2 + p.ty;
  const cos = Math.cos(p.rotation);
  const sin = Math.sin(p.rotation);
  const d = p.distortion;
  const dcos = Math.cos(d.rotation);
  const dsin = Math.sin(d.rotation);
  // Δ(v) = v + brake(v)·(R(β)(v − c) + c + δ − v): identity in the locked disc, a rigid move far away.
  const distort = (vx: number, vy: number): [number, number] => {
    const ux = vx - d.cx;
    const uy = vy - d.cy;
    const r = Math.sqrt(ux * ux + uy * uy) - d.locked;
    if (r <= 0) return [vx, vy];
    const k = r / d.brake;
    const b = 1 - Math.exp(-k * k);
    const mx = dcos * ux - dsin * uy + d.cx + d.dx - vx;
    const my = dsin * ux + dcos * uy + d.cy + d.dy - vy;
    return [vx + b * mx, vy + b * my];
  };
  const f = p.footprint;
  const contactFinger = (vx: number, vy: number): number => {
    const ex = (vx - f.cx) / f.a;
    const ey = (vy - f.cy) / f.b;
    const rho = Math.sqrt(ex * ex + ey * ey);
    const phi = Math.atan2(ey, ex);
    let scale = 1;
    f.wobble.forEach((w, n) => (scale += w.amp * Math.cos((n + 2) * phi + w.phase)));
    // Distance to the boundary in pixels, approximately (radial, using the mean semi-axis).
    const dist = (scale - rho) * Math.sqrt(f.a * f.b);
    const t = clamp(dist / f.edge, 0, 1);
    return t * t * (3 - 2 * t);
  };
  return {
    toMaster(x, y) {
      // Undo placement, then the distortion (the footprint is defined in undistorted finger coordinates).
      const qx = x - cix;
      const qy = y - ciy;
      const vx = cos * qx + sin * qy;
      const vy = -sin * qx + cos * qy;
      const [ux, uy] = distort(vx, vy);
      return [ux + cmx, uy + cmy];
    },
    toImpression(mx, my) {
      // Invert Δ by fixed-point iteration (Δ is a small, smooth perturbation of the identity).
      const ux = mx - cmx;
      const uy = my - cmy;
      let vx = ux;
      let vy = uy;
      for (let it = 0; it < 30; it++) {
        const [dx, dy] = distort(vx, vy);
        const ex = dx - ux;
        const ey = dy - uy;
        vx -= ex;
        vy -= ey;
        if (ex * ex + ey * ey < 1e-8) break;
      }
      return [cos * vx - sin * vy + cix, sin * vx + cos * vy + ciy];
    },
    contact(x, y) {
      const qx = x - cix;
      const qy = y - ciy;
      return contactFinger(cos * qx + sin * qy, -sin * qx + cos * qy);
    },
  };
}

export function normaliseImpressionOptions(options: SynthImpressionOptions) {
  if (typeof options !== 'object' || options === null) throw new SynthOptionsError('options must be an object');
  const width = checkSide('width', options.width, IMPRESSION_WIDTH);
  const height = checkSide('height', options.height, IMPRESSION_HEIGHT);
  if (options.impression === undefined) throw new SynthOptionsError('impression is required (0, 1, 2, ...)');
  const impression = checkInteger('impression', options.impression, 0, 0, 2 ** 31 - 1);
  return { subject: options.subject, finger: options.finger, seed: options.seed ?? 0, impression, width, height };
}

/** Everything about one impression except its pixels: master, parameters and geometry. */
export function impressionSetup(options: SynthImpressionOptions): { master: MasterData; params: ImpressionParams; geometry: ImpressionGeometry; width: number; height: number; rng: Rng } {
  const o = normaliseImpressionOptions(options);
  // One master per finger whatever the frame size: a larger sensor only shows more background around the same finger.
  const master = masterData({ subject: o.subject, finger: o.finger, seed: o.seed, width: MASTER_WIDTH, height: MASTER_HEIGHT });
  const rng = createRng(hashParts('impression', o.subject, o.finger, o.seed, o.impression));
  const params = impressionParams(rng);
  return { master, params, geometry: impressionGeometry(params, master, o.width, o.height), width: o.width, height: o.height, rng };
}

/**
 * The geometry of an impression (master ↔ impression pixel mapping and contact mask) without rendering it, for evaluation
 * code that needs true correspondences between impressions (e.g. a minutiae extractor's or matcher's ground truth).
 */
export function impressionGeometryOf(options: SynthImpressionOptions): ImpressionGeometry {
  return impressionSetup(options).geometry;
}

/** Low-resolution value noise in [0, 1], bilinearly upsampled: dryness blotches and uneven pressure. */
function valueNoise(rng: Rng, width: number, height: number, cell: number): Float32Array {
  const gw = Math.ceil(width / cell) + 2;
  const gh = Math.ceil(height / cell) + 2;
  const grid = new Float32Array(gw * gh);
  for (let i = 0; i < grid.length; i++) grid[i] = rng.next();
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const gy = y / cell;
    const y0 = Math.floor(gy);
    const fy = gy - y0;
    const sy = fy * fy * (3 - 2 * fy);
    for (let x = 0; x < width; x++) {
      const gx = x / cell;
      const x0 = Math.floor(gx);
      const fx = gx - x0;
      const sx = fx * fx * (3 - 2 * fx);
      const a = grid[y0 * gw + x0]!;
      const b = grid[y0 * gw + x0 + 1]!;
      const c = grid[(y0 + 1) * gw + x0]!;
      const e = grid[(y0 + 1) * gw + x0 + 1]!;
      out[y * width + x] = (a * (1 - sx) + b * sx) * (1 - sy) + (c * (1 - sx) + e * sx) * sy;
    }
  }
  return out;
}

function transformMinutiae(master: MasterData, g: ImpressionGeometry, width: number, height: number): GroundTruthMinutia[] {
  const out: GroundTruthMinutia[] = [];
  const margin = 8;
  for (const m of master.minutiae) {
    const [x, y] = g.toImpression(m.x, m.y);
    if (x < margin || y < margin || x >= width - margin || y >= height - margin) continue;
    // Inside the footprint, past its soft edge.
    if (g.contact(x, y) < 0.99) continue;
    // Direction: push a point 4 px along the minutia direction through the same mapping.
    const [x2, y2] = g.toImpression(m.x + 4 * Math.cos(m.direction), m.y - 4 * Math.sin(m.direction));
    let dir = Math.atan2(-(y2 - y), x2 - x);
    if (dir < 0) dir += 2 * Math.PI;
    out.push({ x: Math.round(x * 100) / 100, y: Math.round(y * 100) / 100, direction: dir, type: m.type });
  }
  return out;
}

export function synthesizeImpression(options: SynthImpressionOptions): SynthImpression {
  const { master, params: p, geometry: g, width, height, rng } = impressionSetup(options);
  const blotches = valueNoise(rng, width, height, 6);
  const pressureMap = valueNoise(rng, width, height, 48);
  // Fine texture along the ridges (uneven ink/skin, pores at the scale of a few pixels).
  const texture = valueNoise(rng, width, height, 3);
  const pixels = new Uint8Array(width * height);
  const mw = master.width;
  const mh = master.height;
  const prof = master.profile;
  const gradient = rng.normal() * 0.03;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const bg = p.background + gradient * (x - width / 2);
      let value = bg;
      const contact = g.contact(x, y);
      if (contact > 0) {
        const [mx, my] = g.toMaster(x, y);
        // Fade out near the master's border, where the growth is unreliable, so the canvas edge never shows as a hard edge.
        const edge = Math.min(mx, my, mw - 1 - mx, mh - 1 - my);
        if (edge > 0) {
          const x0 = Math.floor(mx);
          const y0 = Math.floor(my);
          const fx = mx - x0;
          const fy = my - y0;
          const j = y0 * mw + x0;
          const s = (prof[j]! * (1 - fx) + prof[j + 1]! * fx) * (1 - fy) + (prof[j + mw]! * (1 - fx) + prof[j + mw + 1]! * fx) * fy;
          // Lighter contact towards the footprint edge and where the finger presses less.
          const tau = p.threshold + (1 - contact) * 0.5 + (pressureMap[i]! - 0.5) * 0.3;
          let ink = 1 / (1 + Math.exp(-(s - tau) * 7));
          if (p.dryness > 0) ink *= 1 - p.dryness * clamp((blotches[i]! - 0.45) * 3, 0, 1);
          ink *= 0.8 + 0.2 * texture[i]!;
          const fade = edge >= MASTER_FADE ? 1 : (edge / MASTER_FADE) * (edge / MASTER_FADE) * (3 - (2 * edge) / MASTER_FADE);
          value = bg - contact * fade * ink * (bg - p.ink);
        }
      }
      pixels[i] = clamp(Math.round(value + rng.normal() * p.noise), 0, 255);
    }
  }
  return { width, height, ppi: 500, pixels, minutiae: transformMinutiae(master, g, width, height), fingerClass: master.fingerClass };
}
