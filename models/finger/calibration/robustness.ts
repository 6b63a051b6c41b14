// How the extractor and matcher hold up when the real development prints are changed the way other sensors and
// captures change them (docs/FINGERPRINT.md, "Robustness"):
//   npx tsx models/finger/calibration/robustness.ts [--only pale6] [--before]   (≈ 1 min per condition and parameter set)
// Conditions, each applied to every image of fixtures fingers/fcj2020 and fingers/fvc2000 before extraction:
//   pale3 / pale6  the contrast cut to a third / a sixth towards white (grey g → 255 − (255 − g) / k): pale, faint
//                  captures of a dry finger or a worn optical sensor;
//   inked3         grey g → 255 · (g / 255)³: over-inked, wet or hard-pressed captures whose valleys close up;
//   dense0.8       the image shrunk to 80 % and still read as 500 ppi: ridge periods of 7–8 px, as on small fingers or
//                  a denser sensor;
//   rotate20       every image turned by its own angle in ±20° (deterministic per file): relative rotations up to 40°.
// All genuine and all impostor pairs, raw similarities (independent of the score calibration). --before adds the
// extractor as it was before issue 15's fourth round (segmentation floor 8, blank background from grey mean 245, solid ink up to grey mean 10).
import { verificationMetrics } from '../evaluation.js';
import { analyzeFinger, EXTRACTOR_PARAMS, type ExtractorParams } from '../extract.js';
import { resampleBilinear, type GrayImage } from '../image.js';
import { loadGrayImage } from '../load.js';
import { matchSimilarity, templateFromAnalysis } from '../matcher.js';
import { scoreRealSet } from './real-eval.js';
import { realSetImages, type RealImage, type RealSetName } from './real-sets.js';

/** Contrast cut to 1/k towards white. */
export function paler(img: GrayImage, k: number): GrayImage {
  return { ...img, pixels: img.pixels.map((v) => Math.round(255 - (255 - v) / k)) };
}

/** Darker: grey g → 255 · (g / 255)^γ (white stays white, ridges and valleys sink towards solid ink). */
export function inked(img: GrayImage, gamma: number): GrayImage {
  return { ...img, pixels: img.pixels.map((v) => Math.round(255 * Math.pow(v / 255, gamma))) };
}

/** The image turned by `angle` (radians) about its centre, bilinear, uncovered corners white. */
export function rotated(img: GrayImage, angle: number): GrayImage {
  const { width: W, height: H, pixels } = img;
  const out = new Uint8Array(W * H).fill(255);
  const c = Math.cos(angle), s = Math.sin(angle), cx = W / 2, cy = H / 2;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const u = c * (x - cx) + s * (y - cy) + cx, v = -s * (x - cx) + c * (y - cy) + cy;
      const x0 = Math.floor(u), y0 = Math.floor(v);
      if (x0 < 0 || y0 < 0 || x0 >= W - 1 || y0 >= H - 1) continue;
      const fx = u - x0, fy = v - y0, i = y0 * W + x0;
      out[y * W + x] = Math.round((1 - fy) * ((1 - fx) * pixels[i]! + fx * pixels[i + 1]!) + fy * ((1 - fx) * pixels[i + W]! + fx * pixels[i + W + 1]!));
    }
  }
  return { ...img, pixels: out };
}

/** A deterministic angle in ±max for a file name (FNV-1a hash). */
function angleOf(file: string, max: number): number {
  let h = 2166136261;
  for (let i = 0; i < file.length; i++) h = Math.imul(h ^ file.charCodeAt(i), 16777619) >>> 0;
  return (2 * (h / 2 ** 32) - 1) * max;
}

const CONDITIONS: Record<string, (img: GrayImage, file: string) => GrayImage> = {
  original: (img) => img,
  pale3: (img) => paler(img, 3),
  pale6: (img) => paler(img, 6),
  inked3: (img) => inked(img, 3),
  'dense0.8': (img) => ({ ...resampleBilinear(img, 0.8), ppi: 500 }),
  rotate20: (img, file) => rotated(img, angleOf(file, (20 * Math.PI) / 180)),
};

const BEFORE: ExtractorParams = { ...EXTRACTOR_PARAMS, segmentationStdFloor: 8, segmentationMaxMean: 245, segmentationMinMean: 10 };

async function templates(set: RealSetName, change: (img: GrayImage, file: string) => GrayImage, params: ExtractorParams) {
  const out = [];
  for (const image of realSetImages(set)) out.push({ image, template: templateFromAnalysis(analyzeFinger(change(await loadGrayImage(image.file), image.file), params)), quality: 0 });
  return out as { image: RealImage; template: ReturnType<typeof templateFromAnalysis>; quality: number }[];
}

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const paramSets: [string, ExtractorParams][] = [['now', EXTRACTOR_PARAMS], ...(args.includes('--before') ? [['before round 4', BEFORE] as [string, ExtractorParams]] : [])];
const f = (v: number) => (100 * v).toFixed(2);
if (!realSetImages('fcj2020').length) console.log('fixtures fingers/fcj2020 ABSENT — nothing to measure');
console.log('| condition | extractor | fcj2020 train EER / FMR100 / FMR1000 | fcj2020 test | fcj2020 whole | fvc2000 |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const [name, change] of Object.entries(CONDITIONS)) {
  if (only && name !== only) continue;
  for (const [label, params] of paramSets) {
    const cells: string[] = [];
    const fcj = await templates('fcj2020', change, params);
    for (const half of ['train', 'test', 'all'] as const) {
      const s = scoreRealSet(fcj, half, matchSimilarity);
      const m = verificationMetrics(s.genuine, s.impostor);
      cells.push(`${f(m.eer)} / ${f(m.fmr100)} / ${f(m.fmr1000)}`);
    }
    const fvc = await templates('fvc2000', change, params);
    if (fvc.length) {
      const s = scoreRealSet(fvc, 'all', matchSimilarity);
      const m = verificationMetrics(s.genuine, s.impostor);
      cells.push(`${f(m.eer)} / ${f(m.fmr100)} / ${f(m.fmr1000)}`);
    } else cells.push('absent');
    console.log(`| ${name} | ${label} | ${cells.join(' | ')} |`);
  }
}
