// Where emulated devices get their fingerprints: an ImpressionSource callback. Default: the synthetic generator
// (drivers/synth) when it is present, else a procedurally drawn ridge pattern (concentric loops around a core).
export interface Impression {
  width: number;
  height: number;
  /** 8-bit grey, row-major, 0 = black ridge, 255 = white background. */
  pixels: Uint8Array;
}

/** finger: ISO position 1..10 (slaps 13/14/15 for SBI); attempt: 0 for the first impression of that finger. */
export type ImpressionSource = (finger: number, attempt: number) => Impression | Promise<Impression>;

/** Bilinear resampling to an exact size (fills the frame; sensors crop or scale to their window). */
export function resample(src: Impression, width: number, height: number): Impression {
  if (src.width === width && src.height === height) return src;
  const out = new Uint8Array(width * height);
  const sx = src.width / width;
  const sy = src.height / height;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(src.height - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(src.height - 1, y0 + 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(src.width - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(src.width - 1, x0 + 1);
      const wx = fx - x0;
      const p = src.pixels;
      const top = p[y0 * src.width + x0]! * (1 - wx) + p[y0 * src.width + x1]! * wx;
      const bottom = p[y1 * src.width + x0]! * (1 - wx) + p[y1 * src.width + x1]! * wx;
      out[y * width + x] = Math.round(top * (1 - wy) + bottom * wy);
    }
  }
  return { width, height, pixels: out };
}

function hash(str: string): number {
  let h = 2166136261;
  for (let i = 0; i < str.length; i++) h = Math.imul(h ^ str.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * A simple, deterministic ridge pattern: loops around a finger-dependent core inside an elliptical fingertip,
 * shifted slightly per attempt. Not a realistic fingerprint — just structured ridges at ~9 px period (500 ppi).
 */
export function ridgeImpression(subject: string, finger: number, attempt: number, width = 256, height = 288): Impression {
  const seed = hash(`${subject}/${finger}`);
  const cx = width * (0.45 + ((seed & 0xff) / 255) * 0.1) + attempt * 3;
  const cy = height * (0.4 + (((seed >> 8) & 0xff) / 255) * 0.1) + attempt * 2;
  const period = 8.5 + ((seed >> 16) & 0x7) * 0.25;
  const tilt = (((seed >> 20) & 0xff) / 255 - 0.5) * 0.6;
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = x - cx;
      const dy = y - cy;
      const ex = dx / (width * 0.42);
      const ey = (y - height * 0.52) / (height * 0.47);
      const inside = ex * ex + ey * ey;
      if (inside > 1) {
        pixels[y * width + x] = 255;
        continue;
      }
      const r = Math.sqrt(dx * dx * (1 + tilt) + dy * dy * (1.6 - tilt)) + 6 * Math.sin(Math.atan2(dy, dx) * 2 + seed);
      const ridge = 0.5 + 0.5 * Math.cos((2 * Math.PI * r) / period);
      const fade = Math.min(1, (1 - inside) * 4);
      pixels[y * width + x] = Math.round(255 - fade * 200 * ridge);
    }
  }
  return { width, height, pixels };
}

export function ridgeSource(subject: string): ImpressionSource {
  return (finger, attempt) => ridgeImpression(subject, finger, attempt);
}

interface SynthModule {
  synthesizeImpression(input: { subject: string; finger: number; impression: number; width: number; height: number; seed: number }): { width: number; height: number; pixels: Uint8Array };
}

/** The synthetic generator (drivers/synth) when it is available, otherwise the ridge pattern. */
export async function defaultImpressionSource(subject = 'demo-subject', width = 400, height = 500): Promise<{ source: ImpressionSource; generator: 'synth' | 'ridge' }> {
  try {
    // A variable specifier: drivers/synth is optional at build time (another module, written separately).
    const specifier = '../synth/index.js';
    const synth = (await import(specifier)) as Partial<SynthModule>;
    if (typeof synth.synthesizeImpression === 'function') {
      const fn = synth.synthesizeImpression.bind(synth);
      return {
        generator: 'synth',
        source: (finger, attempt) => {
          const r = fn({ subject, finger, impression: attempt, width, height, seed: hash(subject) });
          return { width: r.width, height: r.height, pixels: r.pixels };
        },
      };
    }
  } catch {
    // Generator not present (yet): fall through.
  }
  return { generator: 'ridge', source: ridgeSource(subject) };
}
