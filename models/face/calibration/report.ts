// `kiosk face calibrate`: the measured figures behind the face thresholds (docs/FACE_QUALITY.md) and their plots.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeImage } from '../../runtime/image.js';
import { DEFAULT_MATCH_THRESHOLD } from '../embedding.js';
import { DEFAULT_PAD_THRESHOLD } from '../pad.js';
import { DEFAULT_THRESHOLDS } from '../thresholds.js';
import type { FaceService } from '../service.js';
import { allPairScores, lfwFiles, measureLfw, ratesAt, thresholdAtFmr } from './lfw-eval.js';
import { collectPadSets, noisyRgba, scorePadSet, summarisePad, type PadSummary } from './pad-eval.js';
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
  pad?: { summary: PadSummary; noisy: { sigma: number; bonaFideAccepted: number; attackAccepted: number }[] };
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
    const noisy: { sigma: number; bonaFideAccepted: number; attackAccepted: number }[] = [];
    const noisyScores: Record<string, number[]> = {};
    for (const sigma of [2, 4]) {
      let bf = 0;
      let at = 0;
      for (const it of items) {
        const img = await decodeImage(it.data);
        const c = await s.analyzeCapture(noisyRgba(img, sigma, 17));
        if (!c.pad) continue;
        (noisyScores[`${it.label} σ=${sigma}`] ??= []).push(c.pad.score);
        if (c.pad.decision === 'bona_fide') {
          if (it.label === 'bonafide') bf++;
          else at++;
        }
      }
      noisy.push({ sigma, bonaFideAccepted: bf / items.filter((x) => x.label === 'bonafide').length, attackAccepted: at / items.filter((x) => x.label === 'attack').length });
    }
    result.pad = { summary: summarisePad(samples, DEFAULT_PAD_THRESHOLD), noisy };
    const sc = (l: string) => samples.filter((x) => x.label === l && x.score !== null).map((x) => x.score!);
    await plot(
      'face-pad-scores.png',
      histogramSvg('Passive liveness P(bona fide), pad-dev', 'fr_liveness class 1 probability', [
        { label: 'bona fide', colour: '#1565c0', values: sc('bonafide') },
        { label: 'attack', colour: '#c62828', values: sc('attack') },
        { label: 'attack + sensor noise σ = 2', colour: '#ef6c00', values: noisyScores['attack σ=2'] ?? [] },
      ], { min: 0, max: 1, bins: 25, markers: [{ x: DEFAULT_PAD_THRESHOLD, label: `accept ≥ ${DEFAULT_PAD_THRESHOLD}` }] }),
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
      ...r.pad.noisy.map((n) => `  with sensor noise σ ${n.sigma}: live accepted passively ${pct(n.bonaFideAccepted)}, attacks accepted passively ${pct(n.attackAccepted)}`),
    );
  }
  if (r.plots.length) lines.push(`plots: ${r.plots.join(', ')}`);
  return lines.join('\n');
}
