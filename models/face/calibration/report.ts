// `kiosk face calibrate`: the measured figures behind the face thresholds (docs/FACE_QUALITY.md) and their plots.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_MATCH_THRESHOLD } from '../embedding.js';
import { DEFAULT_PAD_THRESHOLD } from '../pad.js';
import { DEFAULT_THRESHOLDS } from '../thresholds.js';
import type { FaceService } from '../service.js';
import { allPairScores, lfwFiles, measureLfw, ratesAt, thresholdAtFmr } from './lfw-eval.js';
import { collectPadSets, scorePadSet, summarisePad, type PadSummary } from './pad-eval.js';
import { chooseThresholdFromConditions, conditionRows, scoreConditions, type ConditionRow } from './pad-robustness.js';
import { detSvg, histogramSvg, writePng } from './plot.js';

export interface CalibrationResult {
  verification?: {
    photos: number;
    genuinePairs: number;
    impostorPairs: number;
    kioskThreshold: number;
    atKioskThreshold: { fmr: number; tar: number };
    atFmr1: { threshold: number; tar: number };
    atFmr01: { threshold: number; tar: number };
  };
  sharpness?: { threshold: number; clean: number; cleanFlagged: number; blurred: number; blurredFlagged: number };
  /** PAD at the kiosk threshold; `chosenThreshold` = what the calibration half picks; `conditions` = the report half under camera changes. */
  pad?: { summary: PadSummary; chosenThreshold: number; conditions: ConditionRow[] };
  plots: string[];
}

const round = (v: number, d = 5) => Math.round(v * 10 ** d) / 10 ** d;

export async function calibrate(s: FaceService, o: { lfwDir?: string; padDir?: string; outDir?: string; every: number; blurEvery: number }): Promise<CalibrationResult> {
  const result: CalibrationResult = { plots: [] };
  if (o.outDir) await mkdir(o.outDir, { recursive: true });
  const plot = async (name: string, svg: string) => {
    if (!o.outDir) return;
    const file = path.join(o.outDir, name);
    await writePng(svg, file);
    result.plots.push(file);
  };
  if (o.lfwDir) {
    const photos = await measureLfw(s, await lfwFiles(o.lfwDir, o.every), o.blurEvery);
    const scores = allPairScores(photos);
    const t1 = thresholdAtFmr(scores.impostor, 0.01);
    const t01 = thresholdAtFmr(scores.impostor, 0.001);
    const k = ratesAt(scores, DEFAULT_MATCH_THRESHOLD);
    result.verification = {
      photos: photos.length,
      genuinePairs: scores.genuine.length,
      impostorPairs: scores.impostor.length,
      kioskThreshold: DEFAULT_MATCH_THRESHOLD,
      atKioskThreshold: { fmr: round(k.fmr, 6), tar: round(k.tar) },
      atFmr1: { threshold: round(t1, 4), tar: round(ratesAt(scores, t1).tar) },
      atFmr01: { threshold: round(t01, 4), tar: round(ratesAt(scores, t01).tar) },
    };
    await plot(
      'face-verification-scores.png',
      histogramSvg('Face verification scores, lfw-dev all pairs', 'cosine similarity', [
        { label: 'impostor pairs', colour: '#c62828', values: scores.impostor },
        { label: 'genuine pairs', colour: '#1565c0', values: scores.genuine },
      ], { min: -0.4, max: 1, bins: 70, markers: [{ x: DEFAULT_MATCH_THRESHOLD, label: `kiosk ${DEFAULT_MATCH_THRESHOLD}` }] }),
    );
    await plot('face-verification-det.png', detSvg('DET, lfw-dev all pairs (fr_feature, cosine)', scores.genuine, scores.impostor, [{ threshold: DEFAULT_MATCH_THRESHOLD, label: `kiosk threshold ${DEFAULT_MATCH_THRESHOLD}` }]));
    const clean = photos.filter((p) => p.sharpness !== null);
    const blurred = photos.filter((p) => p.blurredSharpness !== null);
    result.sharpness = {
      threshold: DEFAULT_THRESHOLDS.minSharpness,
      clean: clean.length,
      cleanFlagged: round(clean.filter((p) => !p.sharpnessPass).length / Math.max(1, clean.length), 4),
      blurred: blurred.length,
      blurredFlagged: round(blurred.filter((p) => p.blurredPass === false).length / Math.max(1, blurred.length), 4),
    };
    await plot(
      'face-sharpness.png',
      histogramSvg('Sharpness (band-energy ratio), lfw-dev', 'sharpness raw value', [
        { label: 'press photos as published', colour: '#1565c0', values: clean.map((p) => p.sharpness!) },
        { label: 'same photos, Gaussian blur σ = 2 px', colour: '#c62828', values: blurred.map((p) => p.blurredSharpness!) },
      ], { min: 0, max: 0.5, bins: 50, markers: [{ x: DEFAULT_THRESHOLDS.minSharpness, label: `pass ≥ ${DEFAULT_THRESHOLDS.minSharpness}` }] }),
    );
  }
  if (o.padDir) {
    const sets = await collectPadSets([o.padDir]);
    const items = [];
    for (const x of sets) items.push({ ...x, data: new Uint8Array(await readFile(x.file)) });
    const samples = await scorePadSet(s, items, DEFAULT_PAD_THRESHOLD);
    const conditionScores = await scoreConditions(s, items);
    const chosen = round(chooseThresholdFromConditions(conditionScores), 4);
    result.pad = { summary: summarisePad(samples, DEFAULT_PAD_THRESHOLD), chosenThreshold: chosen, conditions: conditionRows(conditionScores, DEFAULT_PAD_THRESHOLD).map((r) => ({ ...r, challengeRate: round(r.challengeRate, 4), apcerPassive: round(r.apcerPassive, 4) })) };
    const pick = (label: string, clean: boolean) => conditionScores.filter((x) => x.label === label && x.score !== null && (label === 'bonafide' || x.eyesVisible) && (x.condition === 'clean') === clean).map((x) => x.score!);
    await plot(
      'face-pad-scores.png',
      histogramSvg('Passive liveness P(bona fide), pad-dev (attacks with the face visible)', 'fr_liveness class 1 probability on the normalised, band-limited crop', [
        { label: 'bona fide, as captured', colour: '#1565c0', values: pick('bonafide', true) },
        { label: 'bona fide, camera changes', colour: '#64b5f6', values: pick('bonafide', false) },
        { label: 'attack, as captured', colour: '#c62828', values: pick('attack', true) },
        { label: 'attack, camera changes', colour: '#ef9a9a', values: pick('attack', false) },
      ], { min: 0, max: 1, bins: 50, markers: [{ x: DEFAULT_PAD_THRESHOLD, label: `accept ≥ ${DEFAULT_PAD_THRESHOLD}` }] }),
    );
    // DET of the passive cue on the report half, pooled over every condition: "genuine" = bona fide, "impostor" = attack.
    const rep = conditionScores.filter((x) => x.half === 'report' && x.score !== null);
    await plot(
      'face-pad-det.png',
      detSvg(
        'DET of the passive cue, pad-dev report half, all camera conditions',
        rep.filter((x) => x.label === 'bonafide').map((x) => x.score!),
        rep.filter((x) => x.label === 'attack').map((x) => (x.eyesVisible ? x.score! : -1)),
        [{ threshold: DEFAULT_PAD_THRESHOLD, label: `kiosk ${DEFAULT_PAD_THRESHOLD}` }],
        { x: 'APCER (attacks accepted passively)', y: 'BPCER (live people sent to the challenge)' },
      ),
    );
  }
  if (o.outDir) await writeFile(path.join(o.outDir, 'face-calibration.json'), `${JSON.stringify({ ...result, plots: result.plots.map((p) => path.basename(p)) }, null, 2)}\n`);
  return result;
}

export function calibrationText(r: CalibrationResult): string {
  const pct = (v: number) => `${(100 * v).toFixed(v < 0.01 ? 3 : 1)} %`;
  const lines: string[] = [];
  if (r.verification) {
    const v = r.verification;
    lines.push(
      `verification: ${v.photos} photos, ${v.genuinePairs} genuine / ${v.impostorPairs} impostor pairs`,
      `  kiosk threshold ${v.kioskThreshold}: FMR ${pct(v.atKioskThreshold.fmr)}  TAR ${pct(v.atKioskThreshold.tar)}`,
      `  FMR 1 %: threshold ${v.atFmr1.threshold}  TAR ${pct(v.atFmr1.tar)}`,
      `  FMR 0.1 %: threshold ${v.atFmr01.threshold}  TAR ${pct(v.atFmr01.tar)}`,
    );
  }
  if (r.sharpness) lines.push(`sharpness ≥ ${r.sharpness.threshold}: clean flagged ${pct(r.sharpness.cleanFlagged)} of ${r.sharpness.clean}, blurred (σ 2) flagged ${pct(r.sharpness.blurredFlagged)} of ${r.sharpness.blurred}`);
  if (r.pad) {
    const p = r.pad.summary;
    lines.push(
      `PAD threshold ${p.threshold}: passive BPCER ${pct(p.bpcerPassive)} APCER ${pct(p.apcerPassive)}; as the kiosk decides BPCER ${pct(p.bpcer)} APCER ${pct(p.apcer)} (live asked for the challenge ${pct(p.challengeRate)})`,
      `  threshold chosen on the even-numbered half (just above every attack frame under the calibration conditions): ${r.pad.chosenThreshold}`,
      `  odd-numbered half at ${p.threshold}, per camera condition (* = used for calibration): live challenged / attacks accepted passively`,
      ...r.pad.conditions.map((c) => `    ${c.calibration ? '*' : ' '} ${c.label.padEnd(36)} ${pct(c.challengeRate).padStart(7)} / ${pct(c.apcerPassive)}`),
    );
  }
  if (r.plots.length) lines.push(`plots: ${r.plots.join(', ')}`);
  return lines.join('\n');
}
