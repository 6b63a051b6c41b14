// The synthetic evaluation set (drivers/synth, SFinGe-style): F fingers × I impressions at 500 ppi, cached on disk
// because generation takes ~0.2–1 s per impression. Used by the score calibration and the benchmarks.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { synthesizeImpression } from '../../../drivers/synth/index.js';
import type { GrayImage } from '../image.js';

export interface SyntheticSample {
  finger: number;
  impression: number;
  image: GrayImage;
  /** Ground truth in image coordinates (directions converted to the internal clockwise convention). */
  minutiae: { x: number; y: number; direction: number; type: 'ending' | 'bifurcation' }[];
}

export function defaultSynthCache(): string {
  return process.env.FINGER_SYNTH_CACHE ?? path.join(os.tmpdir(), 'kiosk-finger-synth-v1');
}

export function syntheticSample(finger: number, impression: number, cacheDir: string | null = defaultSynthCache()): SyntheticSample {
  const file = cacheDir ? path.join(cacheDir, `f${finger}_i${impression}.bin`) : undefined;
  let s: { width: number; height: number; pixels: Uint8Array; minutiae: { x: number; y: number; direction: number; type: 'ending' | 'bifurcation' }[] };
  if (file && existsSync(file)) {
    const buf = readFileSync(file);
    const headerLen = buf.readUInt32LE(0);
    const meta = JSON.parse(buf.subarray(4, 4 + headerLen).toString('utf8')) as Omit<typeof s, 'pixels'>;
    s = { ...meta, pixels: new Uint8Array(buf.subarray(4 + headerLen)) };
  } else {
    const g = synthesizeImpression({ subject: `s${finger}`, finger: ((finger % 10) + 1) as 1, impression });
    s = { width: g.width, height: g.height, pixels: g.pixels, minutiae: g.minutiae };
    if (file && cacheDir) {
      mkdirSync(cacheDir, { recursive: true });
      const meta = Buffer.from(JSON.stringify({ width: s.width, height: s.height, minutiae: s.minutiae }));
      const head = Buffer.alloc(4);
      head.writeUInt32LE(meta.length, 0);
      writeFileSync(file, Buffer.concat([head, meta, Buffer.from(s.pixels)]));
    }
  }
  return {
    finger,
    impression,
    image: { width: s.width, height: s.height, pixels: s.pixels, ppi: 500 },
    minutiae: s.minutiae.map((m) => ({ x: m.x, y: m.y, direction: (2 * Math.PI - m.direction) % (2 * Math.PI), type: m.type })),
  };
}
