// Master fingerprint (SFinGe, steps 1–4: class and singular points → orientation field → frequency map → ridge pattern),
// plus its ground-truth minutiae. Cappelli, Maio & Maltoni, "Synthetic fingerprint-image generation", ICPR 2000; Cappelli,
// "SFinGe", in Encyclopedia of Biometrics, Springer 2009. Masters are cached per (subject, finger, seed, size) in a small LRU.
import { chooseClass, placeSingularPoints } from './classes.js';
import { frequencyField } from './frequency.js';
import { growRidges } from './gabor-growth.js';
import { LruCache } from './lru.js';
import { SynthOptionsError } from './errors.js';
import { extractMinutiae } from './minutiae.js';
import { orientationField } from './orientation.js';
import { createRng, hashParts } from './prng.js';
import type { FingerPosition, FingerprintClass, GroundTruthMinutia, SynthMasterOptions, SynthMasterPrint } from './types.js';
import { checkFinger, checkInteger, checkSide, checkSubject } from './validate.js';

/** Default master canvas: 16 × 20 mm at 500 ppi, larger than the default 288×384 impression so that it can move inside it. */
export const MASTER_WIDTH = 320;
export const MASTER_HEIGHT = 400;
/** Minutiae closer than this to the canvas border are not ground truth (the growth is unreliable there). */
export const MASTER_BORDER = 14;

export const GROWTH = { seedDensity: 2, iterations: 12, scale: 2 } as const;

/** Internal master: the public part plus the smooth ridge profile that impressions resample. */
export interface MasterData {
  width: number;
  height: number;
  /** ≈ cosine across ridges, > 0 on ridges. */
  profile: Float32Array;
  ridges: Uint8Array;
  minutiae: GroundTruthMinutia[];
  fingerClass: FingerprintClass;
}

const cache = new LruCache<string, MasterData>(16);

export function normaliseMasterOptions(options: SynthMasterOptions): { subject: string; finger: FingerPosition; seed: number; width: number; height: number } {
  if (typeof options !== 'object' || options === null) throw new SynthOptionsError('options must be an object');
  return {
    subject: checkSubject(options.subject),
    finger: checkFinger(options.finger),
    seed: checkInteger('seed', options.seed, 0, -(2 ** 31), 2 ** 32 - 1),
    width: checkSide('width', options.width, MASTER_WIDTH),
    height: checkSide('height', options.height, MASTER_HEIGHT),
  };
}

export function masterData(options: SynthMasterOptions): MasterData {
  const o = normaliseMasterOptions(options);
  const key = `${o.subject}\u001f${o.finger}\u001f${o.seed}\u001f${o.width}x${o.height}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const data = buildMaster(o.subject, o.finger, o.seed, o.width, o.height);
  cache.set(key, data);
  return data;
}

/** The class of a finger, without building its master print; it depends only on (subject, finger, seed), not on the size. */
export function fingerClassOf(subject: string, finger: FingerPosition, seed = 0): FingerprintClass {
  return chooseClass(finger, createRng(hashParts('class', subject, finger, seed)).next());
}

function buildMaster(subject: string, finger: FingerPosition, seed: number, width: number, height: number): MasterData {
  const fingerClass = fingerClassOf(subject, finger, seed);
  const rng = createRng(hashParts('master', subject, finger, seed, width, height));
  const layout = placeSingularPoints(fingerClass, width, height, rng);
  const orientation = orientationField(layout, width, height, GROWTH.scale, rng);
  const frequency = frequencyField(layout, width, height, GROWTH.scale, rng);
  const profile = growRidges(orientation, frequency, width, height, rng, GROWTH);
  const binary = new Uint8Array(width * height);
  const ridges = new Uint8Array(width * height);
  for (let i = 0; i < profile.length; i++) {
    const on = profile[i]! > 0;
    binary[i] = on ? 1 : 0;
    ridges[i] = on ? 0 : 255;
  }
  const minutiae = extractMinutiae(binary, width, height, { border: MASTER_BORDER });
  return { width, height, profile, ridges, minutiae, fingerClass };
}

export function synthesizeMasterPrint(options: SynthMasterOptions): SynthMasterPrint {
  const m = masterData(options);
  return { width: m.width, height: m.height, ridges: Uint8Array.from(m.ridges), minutiae: m.minutiae.map((x) => ({ ...x })), fingerClass: m.fingerClass };
}

/** Empties the master cache (benchmarks use it to time cold generation). */
export function clearMasterCache(): void {
  cache.clear();
}
