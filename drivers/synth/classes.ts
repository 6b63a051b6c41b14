// Fingerprint class selection and singular-point placement (SFinGe: Cappelli, Maio & Maltoni, "Synthetic fingerprint-image
// generation", ICPR 2000; class frequencies after Wilson, Candela & Watson, "Neural network fingerprint classification", 1993,
// as used by SFinGe: arch 3.7 %, tented arch 2.9 %, left loop 33.8 %, right loop 31.7 %, whorl 27.9 %).
import type { FingerPosition, FingerprintClass } from './types.js';
import type { Rng } from './prng.js';

export interface SingularPoint {
  x: number;
  y: number;
}

export interface ClassLayout {
  fingerClass: FingerprintClass;
  cores: SingularPoint[];
  deltas: SingularPoint[];
}

/**
 * Per-hand class probabilities. Loops open towards the little finger far more often (ulnar loops): on a right hand an ulnar
 * loop is a right loop, on a left hand a left loop. Averaged over both hands this gives the SFinGe table above.
 */
const ULNAR = 0.585;
const RADIAL = 0.07;
const WHORL = 0.279;
const ARCH = 0.037;
// TENTED_ARCH takes the rest (0.029).

export const CLASS_PRIOR: Readonly<Record<FingerprintClass, number>> = {
  arch: ARCH,
  tented_arch: 1 - ULNAR - RADIAL - WHORL - ARCH,
  left_loop: (ULNAR + RADIAL) / 2,
  right_loop: (ULNAR + RADIAL) / 2,
  whorl: WHORL,
};

/** Picks the class from a uniform number u in [0, 1). */
export function chooseClass(finger: FingerPosition, u: number): FingerprintClass {
  const rightHand = finger <= 5;
  const table: Array<[FingerprintClass, number]> = [
    [rightHand ? 'right_loop' : 'left_loop', ULNAR],
    [rightHand ? 'left_loop' : 'right_loop', RADIAL],
    ['whorl', WHORL],
    ['arch', ARCH],
  ];
  let acc = 0;
  for (const [cls, p] of table) {
    acc += p;
    if (u < acc) return cls;
  }
  return 'tented_arch';
}

/** Places cores and deltas on a width×height canvas whose centre is the finger-pad centre. */
export function placeSingularPoints(fingerClass: FingerprintClass, width: number, height: number, rng: Rng): ClassLayout {
  const cx = width / 2 + rng.normal() * 0.03 * width;
  const cy = height * 0.46 + rng.normal() * 0.03 * height;
  // Scale of the pattern: 500 ppi, so distances are in pixels of a ~300 px wide finger pad.
  const s = Math.min(width, height * 0.8);
  switch (fingerClass) {
    case 'arch':
      return { fingerClass, cores: [], deltas: [] };
    case 'tented_arch': {
      const core = { x: cx, y: cy - 0.02 * height };
      const delta = { x: cx + rng.normal() * 0.02 * s, y: core.y + s * rng.uniform(0.16, 0.22) };
      return { fingerClass, cores: [core], deltas: [delta] };
    }
    case 'left_loop':
    case 'right_loop': {
      const side = fingerClass === 'left_loop' ? 1 : -1; // delta opposite to where the loop opens
      const core = { x: cx - side * 0.05 * s, y: cy - 0.04 * height };
      // The loop axis mirrors the core→delta direction about the vertical (zero-pole geometry), so the delta's angle below
      // the horizontal sets how steeply the loop opens towards the other side.
      const angle = rng.uniform(0.5, 0.8);
      const dist = s * rng.uniform(0.32, 0.42);
      const delta = { x: core.x + side * dist * Math.cos(angle), y: core.y + dist * Math.sin(angle) };
      return { fingerClass, cores: [core], deltas: [delta] };
    }
    case 'whorl': {
      const gap = s * rng.uniform(0.05, 0.11);
      const tilt = rng.uniform(-0.6, 0.6);
      const c1 = { x: cx + Math.sin(tilt) * gap, y: cy - 0.04 * height - Math.cos(tilt) * gap };
      const c2 = { x: cx - Math.sin(tilt) * gap, y: cy - 0.04 * height + Math.cos(tilt) * gap };
      const dy = s * rng.uniform(0.34, 0.42);
      const d1 = { x: cx - s * rng.uniform(0.3, 0.4), y: cy + dy + rng.normal() * 0.03 * s };
      const d2 = { x: cx + s * rng.uniform(0.3, 0.4), y: cy + dy + rng.normal() * 0.03 * s };
      return { fingerClass, cores: [c1, c2], deltas: [d1, d2] };
    }
  }
}
