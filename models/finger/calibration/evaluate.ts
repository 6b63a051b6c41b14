// Re-runnable matcher evaluation (what every extractor or matcher change is checked against):
//   npx tsx models/finger/calibration/evaluate.ts [--fresh] [--fingers 100] [--no-synthetic] [--det docs/fingerprint-det.png]
//     [--evr docs/fingerprint-evr.png]
// REAL SETS FIRST: fixtures fingers/fcj2020 (training half persons 111–130 where parameters are chosen, test half
// 131–150, whole set) and fingers/fvc2000, every genuine and every impostor pair (`kiosk finger compare --all`
// protocol), with NIST NBIS's figures beside ours; then the synthetic set (drivers/synth, F fingers × 8, FVC protocol)
// LAST. Reports EER, FNMR at FMR 1 % / 0.1 % / 0.01 % (raw-score based, independent of the score calibration), the
// FNMR/FMR at MATCH_THRESHOLD, the error-versus-reject curve on fcj2020, and the 1:1 comparison rate in CPU time.
// Extracted templates (+ quality) are cached in $FINGER_EVAL_CACHE (default <tmpdir>/kiosk-finger-eval-<hash>.json),
// keyed by a hash of the extractor's sources, so a change to them re-extracts by itself; --fresh forces it.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorVersusReject, verificationMetrics } from '../evaluation.js';
import { analyzeFinger } from '../extract.js';
import { MATCH_THRESHOLD, matchSimilarity, normalizeScore, templateFromAnalysis } from '../matcher.js';
import { qualityOfAnalysis } from '../quality.js';
import { deserializeTemplate, serializeTemplate, type FingerTemplate } from '../template.js';
import { detSvg, writeDetPng, type DetCurve } from './det-plot.js';
import { evrSvg } from './evr-plot.js';
import { extractRealSet, NBIS_REFERENCE, scoreRealSet, type ScoredSet } from './real-eval.js';
import type { RealImage, RealSetName } from './real-sets.js';
import { syntheticSample } from './synthetic-set.js';

const args = process.argv.slice(2);
const fresh = args.includes('--fresh');
const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const F = Number(flag('--fingers') ?? 100) || 100;
const detFile = flag('--det');
const evrFile = flag('--evr');
const here = path.dirname(fileURLToPath(import.meta.url));
const sourceHash = createHash('sha256');
for (const f of readdirSync(path.join(here, '..')).filter((x) => x.endsWith('.ts')).sort()) sourceHash.update(readFileSync(path.join(here, '..', f)));
const cacheFile = process.env.FINGER_EVAL_CACHE ?? path.join(os.tmpdir(), `kiosk-finger-eval-${sourceHash.digest('hex').slice(0, 12)}.json`);

interface Item { image: RealImage; template: FingerTemplate; quality: number }
type Cached = Record<string, { image: RealImage; quality: number; b64: string }[]>;
let cache: Cached = !fresh && existsSync(cacheFile) ? (JSON.parse(readFileSync(cacheFile, 'utf8')) as Cached) : {};

async function items(key: string, make: () => Promise<Item[]>): Promise<Item[]> {
  if (!cache[key]) {
    cache[key] = (await make()).map((s) => ({ image: s.image, quality: s.quality, b64: Buffer.from(serializeTemplate(s.template)).toString('base64') }));
    writeFileSync(cacheFile, JSON.stringify(cache));
  }
  return cache[key]!.map((x) => ({ image: x.image, quality: x.quality, template: deserializeTemplate(Buffer.from(x.b64, 'base64')) }));
}

const pct = (v: number) => (100 * v).toFixed(2) + '%';
function report(name: string, s: ScoredSet, ref?: { eer: number; fmr100?: number }): void {
  const m = verificationMetrics(s.genuine, s.impostor);
  const gS = s.genuine.map((v) => normalizeScore(v)), iS = s.impostor.map((v) => normalizeScore(v));
  const fnmrT = gS.filter((v) => v < MATCH_THRESHOLD).length / gS.length;
  const fmrT = iS.filter((v) => v >= MATCH_THRESHOLD).length / iS.length;
  const nbis = ref ? `   [NBIS: EER ${pct(ref.eer)}${ref.fmr100 !== undefined ? `, FMR100 ${pct(ref.fmr100)}` : ''}]` : '';
  console.log(`${name.padEnd(22)} ${String(m.genuine).padStart(5)} gen / ${String(m.impostor).padStart(6)} imp  EER ${pct(m.eer)}  FMR100 ${pct(m.fmr100)}  FMR1000 ${pct(m.fmr1000)}  FMR10000 ${pct(m.fmr10000)}  @${MATCH_THRESHOLD}: FNMR ${pct(fnmrT)} FMR ${(100 * fmrT).toFixed(4)}%${nbis}`);
}

const real: Record<RealSetName, Item[]> = {
  fcj2020: await items('fcj2020', () => extractRealSet('fcj2020')),
  fvc2000: await items('fvc2000', () => extractRealSet('fvc2000')),
};
const curves: DetCurve[] = [];
console.log('REAL SETS (all genuine and all impostor pairs)');
if (real.fcj2020.length) {
  const colors = { train: '#1f77b4', test: '#d62728', all: '#2ca02c' } as const;
  for (const half of ['train', 'test', 'all'] as const) {
    const s = scoreRealSet(real.fcj2020, half, matchSimilarity);
    report(`fcj2020 ${half === 'train' ? '111-130 (train)' : half === 'test' ? '131-150 (test)' : 'whole set'}`, s, half === 'all' ? NBIS_REFERENCE.fcj2020 : undefined);
    curves.push({ label: `fcj2020 ${half}`, color: colors[half], genuine: s.genuine, impostor: s.impostor, dashed: half === 'all' });
    if (half === 'all') {
      // Error versus reject (ISO/IEC 29794-1): FNMR at FMR 0.1 % after dropping the lowest-quality genuine pairs.
      const t = [...s.impostor].sort((a, b) => b - a)[Math.floor(0.001 * s.impostor.length)]!;
      const evr = errorVersusReject(s.genuine.map((g, k) => ({ score: g > t ? 1 : 0, quality: s.genuineQuality[k]! })), 0.5, [0, 0.05, 0.1, 0.2, 0.3]);
      if (evrFile) {
        const fr = Array.from({ length: 41 }, (_, k) => k / 100);
        const pts = (thr: number) => errorVersusReject(s.genuine.map((g, k) => ({ score: g > thr ? 1 : 0, quality: s.genuineQuality[k]! })), 0.5, fr);
        const sortedImp = [...s.impostor].sort((a, b) => b - a);
        await writeDetPng(evrFile, evrSvg('Error versus reject, fcj2020 (all pairs), quality = lower of the two', [
          { label: 'FNMR at FMR 1 %', color: '#1f77b4', points: pts(sortedImp[Math.floor(0.01 * sortedImp.length)]!) },
          { label: 'FNMR at FMR 0.1 %', color: '#d62728', points: pts(t) },
        ]));
        console.log(`  EvR plot written to ${evrFile}`);
      }
      console.log(`  EvR fcj2020, FNMR at FMR 0.1 % after rejecting the lowest-quality 0/5/10/20/30 %: ${evr.map((p) => pct(p.fnmr)).join(' → ')}`);
      // The same by quality threshold (what the capture step's re-attempt rule uses): images below q are re-captured.
      const qs = real.fcj2020.map((x) => x.quality);
      for (const q of [0, 10, 20, 30, 40, 50]) {
        const kept = s.genuine.map((g, k) => ({ g, q: s.genuineQuality[k]! })).filter((p) => p.q >= q);
        const fn = kept.filter((p) => !(p.g > t)).length / Math.max(1, kept.length);
        console.log(`  quality ≥ ${q}: ${pct(qs.filter((v) => v < q).length / qs.length)} of images below (re-capture), FNMR at FMR 0.1 % ${pct(fn)} over ${kept.length} genuine pairs`);
      }
    }
  }
} else console.log('fcj2020: fixtures fingers/fcj2020 ABSENT — skipped');
if (real.fvc2000.length) {
  const s = scoreRealSet(real.fvc2000, 'all', matchSimilarity);
  report('fvc2000', s, NBIS_REFERENCE.fvc2000);
  curves.push({ label: 'fvc2000', color: '#9467bd', genuine: s.genuine, impostor: s.impostor });
} else console.log('fvc2000: fixtures fingers/fvc2000 ABSENT — skipped');

function rate(name: string, ts: FingerTemplate[]): void {
  for (let i = 0; i < 3000; i++) matchSimilarity(ts[i % ts.length]!, ts[(i * 7 + 1) % ts.length]!);
  let n = 0;
  const t0 = process.cpuUsage().user;
  for (let a = 0; a < ts.length; a++) for (let b = 0; b < ts.length; b++) { matchSimilarity(ts[a]!, ts[b]!); n++; }
  const ms = (process.cpuUsage().user - t0) / 1000;
  const mean = ts.reduce((s, t) => s + t.count, 0) / ts.length;
  console.log(`${name}: ${Math.round(n / (ms / 1000))} comparisons/s CPU (${n} comparisons, mean ${mean.toFixed(1)} minutiae)`);
}
if (real.fcj2020.length) rate('rate fcj2020', real.fcj2020.slice(0, 200).map((s) => s.template));

if (!args.includes('--no-synthetic')) {
  console.log('SYNTHETIC (drivers/synth; last, for regression only)');
  const synth = await items(`synth${F}`, async () => {
    const xs: Item[] = [];
    for (let f = 0; f < F; f++) {
      for (let i = 0; i < 8; i++) {
        const a = analyzeFinger(syntheticSample(f, i).image);
        xs.push({ image: { file: '', finger: `s${f}`, person: 0, impression: i }, template: templateFromAnalysis(a), quality: qualityOfAnalysis(a).score });
      }
    }
    return xs;
  });
  // FVC protocol: all genuine pairs, impostors between first impressions.
  const gen: number[] = [], imp: number[] = [];
  for (let a = 0; a < synth.length; a++) {
    for (let b = a + 1; b < synth.length; b++) {
      const A = synth[a]!, B = synth[b]!;
      if (A.image.finger === B.image.finger) gen.push(matchSimilarity(A.template, B.template));
      else if (A.image.impression === 0 && B.image.impression === 0) imp.push(matchSimilarity(A.template, B.template));
    }
  }
  report(`synthetic ${F}x8`, { genuine: gen, impostor: imp, genuineQuality: [] });
}

if (detFile && curves.length) {
  const svg = detSvg('DET, real prints (all impostor pairs) — NBIS EER marked', curves, [
    { label: 'NBIS fcj2020 EER 2.6 %', color: '#2ca02c', fmr: NBIS_REFERENCE.fcj2020!.eer, fnmr: NBIS_REFERENCE.fcj2020!.eer },
    { label: 'NBIS fcj2020 FMR 1 %', color: '#2ca02c', fmr: 0.01, fnmr: NBIS_REFERENCE.fcj2020!.fmr100! },
    { label: 'NBIS fvc2000 EER 10.9 %', color: '#9467bd', fmr: NBIS_REFERENCE.fvc2000!.eer, fnmr: NBIS_REFERENCE.fvc2000!.eer },
  ]);
  await writeDetPng(detFile, svg);
  console.log(`DET plot written to ${detFile}`);
}
cache = {};
