// What each stage of issue 15 contributed, on the real sets (docs/FINGERPRINT.md, "Ablation"):
//   npx tsx models/finger/calibration/ablation.ts [--last N]   (≈ 4 extractions of fcj2020 + fvc2000; 10–20 min on 2
//   busy cores; --last N prints only the last N rows, e.g. after a new stage)
// Each row switches one thing on top of the previous one: the extractor parameters (segmentation threshold,
// orientation smoothing, adaptive enhancement, broken-ridge rule) and the matcher (LSS-R alone, with the global consolidation, with the orientation term). Raw similarities, so the
// rows do not depend on the score calibration. Prints a Markdown table.
import { verificationMetrics } from '../evaluation.js';
import { analyzeFinger, EXTRACTOR_PARAMS, type ExtractorParams } from '../extract.js';
import { loadGrayImage } from '../load.js';
import { matchSimilarity, templateFromAnalysis } from '../matcher.js';
import { mccScore } from '../mcc.js';
import { LEGACY_BROKEN_RIDGE } from '../minutiae.js';
import type { FingerTemplate } from '../template.js';
import { scoreRealSet } from './real-eval.js';
import { realSetImages, type RealImage, type RealSetName } from './real-sets.js';

type Scorer = (a: FingerTemplate, b: FingerTemplate) => number;
/** LSS-R + consolidation without the orientation term (templates as version 1 would be read). */
/** With the orientation term but every minutia counted 1 in the consolidation (as between version-1 templates). */
const noReliability: Scorer = (a, b) => matchSimilarity({ ...a, version: 1 }, { ...b, version: 1 });
const minutiaeOnly: Scorer = (a, b) => matchSimilarity({ ...a, orientation: null, version: 1 }, { ...b, orientation: null, version: 1 });
const before: ExtractorParams = { segmentationStdShare: 0.3, segmentationStdFloor: 8, segmentationMinCoherence: 0.15, segmentationMaxMean: 245, segmentationMinMean: 10, alongSigma: 3.5, orientationSmoothing: 1, lowCoherenceSmoothing: null, brokenRidge: LEGACY_BROKEN_RIDGE };
/** The extractor before the coherence-adaptive along-ridge smoothing (one σ everywhere). */
const uniformSigma: ExtractorParams = { ...EXTRACTOR_PARAMS, segmentationStdFloor: 8, segmentationMaxMean: 245, segmentationMinMean: 10, lowCoherenceSmoothing: null, brokenRidge: LEGACY_BROKEN_RIDGE };
/** The extractor before the facing broken-ridge rule (issue 15, third round). */
const legacyBroken: ExtractorParams = { ...EXTRACTOR_PARAMS, segmentationStdFloor: 8, segmentationMaxMean: 245, segmentationMinMean: 10, brokenRidge: LEGACY_BROKEN_RIDGE };
/** The extractor before the fourth round's segmentation changes (floor 4, blank above mean 252, ink up to mean 3), then with them one by one. */
const floor8: ExtractorParams = { ...EXTRACTOR_PARAMS, segmentationStdFloor: 8, segmentationMaxMean: 245, segmentationMinMean: 10 };
const floor4: ExtractorParams = { ...EXTRACTOR_PARAMS, segmentationMaxMean: 245, segmentationMinMean: 10 };
const pale252: ExtractorParams = { ...EXTRACTOR_PARAMS, segmentationMinMean: 10 };
const rows: { name: string; params: ExtractorParams; score: Scorer }[] = [
  { name: 'before issue 15 (segmentation 0.3·p90, orientation σ 1 block, LSS-R only)', params: before, score: mccScore },
  { name: '+ global consolidation only', params: before, score: minutiaeOnly },
  { name: 'segmentation 0.2·p90, LSS-R only', params: { ...before, segmentationStdShare: 0.2 }, score: mccScore },
  { name: 'segmentation 0.2·p90 + orientation σ 2 blocks, LSS-R only', params: uniformSigma, score: mccScore },
  { name: 'segmentation, orientation smoothing, consolidation (no orientation term)', params: uniformSigma, score: minutiaeOnly },
  { name: '+ orientation-field term (minutiae unweighted)', params: uniformSigma, score: noReliability },
  { name: '+ minutia reliability in the consolidation', params: uniformSigma, score: matchSimilarity },
  { name: '+ wider Gabor filters in incoherent blocks (along σ 4.5 px below coherence 0.3, across σ 0.55·period below 0.5)', params: legacyBroken, score: matchSimilarity },
  { name: '+ broken ridges: facing endings joined across ≤ 1.5 periods along the flow, ≤ 0.5 across, below coherence 0.3 (was: a rule that never fired on facing endings)', params: floor8, score: matchSimilarity },
  { name: '+ segmentation floor 4 grey levels instead of 8 (faint prints keep their foreground)', params: floor4, score: matchSimilarity },
  { name: '+ blank background from grey mean 252 instead of 245 (the ridges of pale prints)', params: pale252, score: matchSimilarity },
  { name: '+ solid ink only up to grey mean 3 instead of 10 (the valleys of over-inked prints) = now', params: EXTRACTOR_PARAMS, score: matchSimilarity },
];

const cache = new Map<string, { image: RealImage; template: FingerTemplate; quality: number }[]>();
async function templates(set: RealSetName, p: ExtractorParams) {
  const key = `${set}:${JSON.stringify(p)}`;
  if (!cache.has(key)) {
    const xs = [];
    for (const image of realSetImages(set)) {
      const a = analyzeFinger(await loadGrayImage(image.file), p);
      xs.push({ image, template: templateFromAnalysis(a), quality: 0 });
    }
    cache.set(key, xs);
  }
  return cache.get(key)!;
}

const f = (v: number) => (100 * v).toFixed(2);
console.log('| configuration | fcj2020 train EER / FMR100 / FMR1000 | fcj2020 test | fcj2020 whole | fvc2000 |');
console.log('| --- | --- | --- | --- | --- |');
const lastArg = process.argv.indexOf('--last');
const shown = lastArg >= 0 ? rows.slice(-Math.max(1, Number(process.argv[lastArg + 1]) || 1)) : rows;
for (const r of shown) {
  const cells: string[] = [];
  const fcj = await templates('fcj2020', r.params);
  for (const half of ['train', 'test', 'all'] as const) {
    const s = scoreRealSet(fcj, half, r.score);
    const m = verificationMetrics(s.genuine, s.impostor);
    cells.push(`${f(m.eer)} / ${f(m.fmr100)} / ${f(m.fmr1000)}`);
  }
  const fv = scoreRealSet(await templates('fvc2000', r.params), 'all', r.score);
  const m = verificationMetrics(fv.genuine, fv.impostor);
  cells.push(`${f(m.eer)} / ${f(m.fmr100)} / ${f(m.fmr1000)}`);
  console.log(`| ${r.name} | ${cells.join(' | ')} |`);
}
