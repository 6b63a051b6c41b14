// Extraction and scoring of the real development sets (fixtures fingers/fcj2020, fingers/fvc2000) for the accuracy
// harness (evaluate.ts), the score fit (fit-score.ts) and the benchmarks: every image is extracted once (CPU time
// recorded), then every genuine and every impostor pair of the requested half is scored.
import { analyzeFinger } from '../extract.js';
import { loadGrayImage } from '../load.js';
import { qualityOfAnalysis } from '../quality.js';
import { templateFromAnalysis } from '../matcher.js';
import type { FingerTemplate } from '../template.js';
import { allPairs, inHalf, realSetImages, type Half, type RealImage, type RealSetName } from './real-sets.js';

export interface RealSample {
  image: RealImage;
  template: FingerTemplate;
  /** NFIQ 2-scale quality (0–100). */
  quality: number;
  /** CPU time of extraction alone (analysis + template), ms. */
  ms: number;
}

/** NIST NBIS (mindtct + bozorth3) on the same protocol, from the fixtures README and the issue. */
export const NBIS_REFERENCE: Record<string, { eer: number; fmr100?: number }> = {
  fcj2020: { eer: 0.026, fmr100: 0.0325 },
  fvc2000: { eer: 0.109 },
};

export async function extractRealSet(name: RealSetName, withQuality = true): Promise<RealSample[]> {
  const out: RealSample[] = [];
  for (const image of realSetImages(name)) {
    const img = await loadGrayImage(image.file);
    const t0 = process.cpuUsage().user;
    const a = analyzeFinger(img);
    const template = templateFromAnalysis(a);
    const ms = (process.cpuUsage().user - t0) / 1000;
    out.push({ image, template, quality: withQuality ? qualityOfAnalysis(a).score : 0, ms });
  }
  return out;
}

export interface ScoredSet {
  genuine: number[];
  impostor: number[];
  /** Per genuine pair: the lower quality of its two samples. */
  genuineQuality: number[];
}

/** All genuine and all impostor pairs within `half` (fcj2020: train = persons 111–130, test = 131–150). */
export function scoreRealSet(samples: readonly { image: RealImage; template: FingerTemplate; quality: number }[], half: Half, score: (a: FingerTemplate, b: FingerTemplate) => number): ScoredSet {
  const images = samples.map((s) => s.image);
  const idx = images.map((_, i) => i).filter((i) => inHalf(images[i]!, half));
  const { gen, imp } = allPairs(images, idx);
  return {
    genuine: gen.map(([a, b]) => score(samples[a]!.template, samples[b]!.template)),
    impostor: imp.map(([a, b]) => score(samples[a]!.template, samples[b]!.template)),
    genuineQuality: gen.map(([a, b]) => Math.min(samples[a]!.quality, samples[b]!.quality)),
  };
}
