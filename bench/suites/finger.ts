// Fingerprint benchmarks (issues 6, 15): extraction time, 1:1 comparisons per second, 1:N search over 1,000,000
// templates, accuracy on the REAL sets first (fixtures fingers/fcj2020 by half and whole, fingers/fvc2000; all impostor
// pairs; NBIS's figures beside ours; DET plot written to docs/fingerprint-det.png), then on the synthetic set (FVC
// protocol), quality vs NFIQ 2 and error-versus-reject.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import { percentile, type Benchmark, type BenchResult } from '../benchmark.js';
import { fixturePath } from '../../test/helpers/fixtures.js';
import { QUALITY_MODEL } from '../../models/finger/calibration/quality-model.js';
import { spearman } from '../../models/finger/calibration/ridge.js';
import { syntheticSample } from '../../models/finger/calibration/synthetic-set.js';
import { errorVersusReject, verificationMetrics } from '../../models/finger/evaluation.js';
import { analyzeFinger } from '../../models/finger/extract.js';
import type { GrayImage } from '../../models/finger/image.js';
import { loadGrayImage } from '../../models/finger/load.js';
import { compareTemplates, MATCH_THRESHOLD, matchSimilarity, templateFromAnalysis } from '../../models/finger/matcher.js';
import { detSvg, writeDetPng, type DetCurve } from '../../models/finger/calibration/det-plot.js';
import { extractRealSet, NBIS_REFERENCE, scoreRealSet, type RealSample } from '../../models/finger/calibration/real-eval.js';
import { projectRoot } from '../../test/helpers/fixtures.js';
import { ParallelGallery } from '../../models/finger/parallel-gallery.js';
import { quantizeIndex, topByDot } from '../../models/finger/prefilter.js';
import { qualityOfAnalysis } from '../../models/finger/quality.js';
import { createTemplate, type FingerTemplate } from '../../models/finger/template.js';
import { INDEX_DIMS } from '../../models/finger/index-vector.js';
import { galleryMasters, pseudoFinger, pseudoIndexMatrix } from '../../models/finger/calibration/pseudo-gallery.js';

const SYNTH_FINGERS = Number(process.env.FINGER_BENCH_FINGERS ?? 100);
const SYNTH_IMPRESSIONS = 8;

interface Sample { finger: string; impression: number; template: FingerTemplate; quality: number; ms: number }

function cpuMs(fn: () => void): number {
  const t0 = process.cpuUsage().user;
  fn();
  return (process.cpuUsage().user - t0) / 1000;
}

function sample(finger: string, impression: number, img: GrayImage): Sample {
  let template!: FingerTemplate;
  let quality = 0;
  const ms = cpuMs(() => {
    const a = analyzeFinger(img);
    template = templateFromAnalysis(a);
    quality = qualityOfAnalysis(a).score;
  });
  // Extraction time excludes the quality features (measured separately by callers if needed).
  return { finger, impression, template, quality, ms };
}

let synthCache: Sample[] | undefined;
function synthetic(): Sample[] {
  if (synthCache) return synthCache;
  synthCache = [];
  for (let f = 0; f < SYNTH_FINGERS; f++) for (let i = 0; i < SYNTH_IMPRESSIONS; i++) synthCache.push(sample(`s${f}`, i, syntheticSample(f, i).image));
  return synthCache;
}

const fvcDir = () => fixturePath('fingers', 'fvc2000');
let fvcCache: Sample[] | undefined;
async function fvc(): Promise<Sample[]> {
  if (fvcCache) return fvcCache;
  fvcCache = [];
  if (!existsSync(fvcDir())) return fvcCache;
  for (const f of readdirSync(fvcDir()).filter((x) => x.endsWith('.png')).sort()) {
    const m = /^(.*)_(\d+)\.png$/.exec(f)!;
    fvcCache.push(sample(m[1]!, Number(m[2]), await loadGrayImage(`${fvcDir()}/${f}`)));
  }
  return fvcCache;
}

let fcjCache: RealSample[] | undefined;
async function fcj(): Promise<RealSample[]> {
  fcjCache ??= await extractRealSet('fcj2020');
  return fcjCache;
}

/** FVC protocol: all genuine pairs; impostors between the first available impression of each finger. */
function protocol(samples: Sample[], allImpostors = false): { gen: { score: number; quality: number }[]; imp: number[] } {
  const gen: { score: number; quality: number }[] = [];
  const imp: number[] = [];
  const first = new Map<string, Sample>();
  for (const s of samples) if (!first.has(s.finger) || first.get(s.finger)!.impression > s.impression) first.set(s.finger, s);
  for (let a = 0; a < samples.length; a++) {
    for (let b = a + 1; b < samples.length; b++) {
      const A = samples[a]!, B = samples[b]!;
      if (A.finger === B.finger) gen.push({ score: compareTemplates(A.template, B.template), quality: Math.min(A.quality, B.quality) });
      else if (allImpostors || (first.get(A.finger) === A && first.get(B.finger) === B)) imp.push(compareTemplates(A.template, B.template));
    }
  }
  return { gen, imp };
}

function accuracyResults(name: string, gen: number[], imp: number[]): BenchResult[] {
  const m = verificationMetrics(gen, imp, MATCH_THRESHOLD);
  const pct = (v: number) => 100 * v;
  const note = `${m.genuine} genuine / ${m.impostor} impostor`;
  return [
    { metric: `${name} EER`, value: pct(m.eer), unit: '%', note },
    { metric: `${name} FMR100 (FNMR at FMR 1 %)`, value: pct(m.fmr100), unit: '%' },
    { metric: `${name} FMR1000 (FNMR at FMR 0.1 %)`, value: pct(m.fmr1000), unit: '%' },
    { metric: `${name} FNMR at FMR 0.01 %`, value: pct(m.fmr10000), unit: '%', note: m.impostor < 10_000 ? 'fewer than 10,000 impostor pairs: the lowest measurable FMR' : undefined },
    { metric: `${name} FNMR at threshold ${MATCH_THRESHOLD}`, value: pct(m.atThreshold!.fnmr), unit: '%', note: `FMR there ${pct(m.atThreshold!.fmr).toFixed(3)} %` },
  ].map((r) => (r.note === undefined ? { metric: r.metric, value: r.value, unit: r.unit } : r));
}

export const benchmarks: Benchmark[] = [
  {
    id: 'finger-extract',
    title: 'Fingerprint template extraction (500 ppi plain impressions)',
    async run() {
      const real = await fvc();
      const synth = synthetic().slice(0, 80);
      const ms = (xs: Sample[]) => xs.map((s) => s.ms).sort((a, b) => a - b);
      // Re-time extraction alone (sample() also computed quality).
      const times: number[] = [];
      const imgs = real.length ? readdirSync(fvcDir()).filter((x) => x.endsWith('.png')).slice(0, 40) : [];
      for (const f of imgs) {
        const img = await loadGrayImage(`${fvcDir()}/${f}`);
        analyzeFinger(img);
        times.push(cpuMs(() => { templateFromAnalysis(analyzeFinger(img)); }));
      }
      times.sort((a, b) => a - b);
      const out: BenchResult[] = [];
      const fcjTimes = (await fcj()).map((x) => x.ms).sort((a, b) => a - b);
      if (fcjTimes.length) out.push({ metric: 'extraction median, fcj2020 280×360 (CPU time, all 942 images)', value: percentile(fcjTimes, 50), unit: 'ms', target: '≤ 25 ms', pass: percentile(fcjTimes, 50) <= 25, note: `p90 ${percentile(fcjTimes, 90).toFixed(1)} ms; load average ${os.loadavg()[0]!.toFixed(1)}` });
      if (times.length) out.push({ metric: 'extraction median, FVC 300×300…448×478 (CPU time)', value: percentile(times, 50), unit: 'ms', target: '≤ 60 ms', pass: percentile(times, 50) <= 60 });
      const st = ms(synth);
      out.push({ metric: 'extraction + quality median, synthetic 288×384 (CPU time)', value: percentile(st, 50), unit: 'ms' });
      if (real.length) out.push({ metric: 'extraction + quality p90, FVC', value: percentile(ms(real), 90), unit: 'ms' });
      return out;
    },
  },
  {
    id: 'finger-match',
    title: 'Fingerprint 1:1 comparison speed (MCC LSS-R + global consolidation, one core)',
    async run() {
      // All ordered pairs of a template set, three passes; the median pass in CPU time of this thread (wall clock is
      // distorted on the shared machine).
      const rate = (ts: FingerTemplate[]) => {
        for (let i = 0; i < 3000; i++) matchSimilarity(ts[i % ts.length]!, ts[(i * 7 + 1) % ts.length]!);
        const rates: number[] = [];
        for (let pass = 0; pass < 3; pass++) {
          let n = 0;
          const ms = cpuMs(() => {
            for (let a = 0; a < ts.length; a++) for (let b = 0; b < ts.length; b++) { matchSimilarity(ts[a]!, ts[b]!); n++; }
          });
          rates.push(n / (ms / 1000));
        }
        return { rate: rates.sort((x, y) => x - y)[1]!, n: ts.length * ts.length, mean: ts.reduce((s, t) => s + t.count, 0) / ts.length };
      };
      const syn = rate(synthetic().slice(0, 160).map((s) => s.template));
      const out: BenchResult[] = [{ metric: 'comparisons per second per core, synthetic (CPU time)', value: syn.rate, unit: '/s', target: '≥ 20,000 /s', pass: syn.rate >= 20_000, note: `${syn.n} comparisons per pass, median of 3, mean ${syn.mean.toFixed(0)} minutiae; load average ${os.loadavg()[0]!.toFixed(1)}` }];
      const cj = await fcj();
      if (cj.length) {
        const r = rate(cj.slice(0, 200).map((s) => s.template));
        out.push({ metric: 'comparisons per second per core, fcj2020 (CPU time)', value: r.rate, unit: '/s', target: '≥ 20,000 /s', pass: r.rate >= 20_000, note: `${r.n} comparisons per pass (first 200 images), median of 3, mean ${r.mean.toFixed(0)} minutiae` });
      }
      const real = await fvc();
      if (real.length) {
        const r = rate(real.map((s) => s.template));
        out.push({ metric: 'comparisons per second per core, FVC fixtures (CPU time)', value: r.rate, unit: '/s', target: '≥ 20,000 /s', pass: r.rate >= 20_000, note: `${r.n} comparisons per pass, median of 3, mean ${r.mean.toFixed(0)} minutiae` });
      }
      return out;
    },
  },
  {
    id: 'finger-accuracy-real',
    title: 'Fingerprint accuracy on REAL prints: fcj2020 (train half 111–130, test half 131–150, whole) and fvc2000, all impostor pairs',
    async run() {
      const out: BenchResult[] = [];
      const curves: DetCurve[] = [];
      const sets: { name: string; samples: RealSample[]; half: 'train' | 'test' | 'all'; ref?: { eer: number; fmr100?: number }; color: string }[] = [];
      const cj = await fcj();
      if (cj.length) {
        sets.push({ name: 'fcj2020 train (111–130)', samples: cj, half: 'train', color: '#1f77b4' });
        sets.push({ name: 'fcj2020 test (131–150)', samples: cj, half: 'test', color: '#d62728' });
        sets.push({ name: 'fcj2020 whole', samples: cj, half: 'all', ref: NBIS_REFERENCE.fcj2020, color: '#2ca02c' });
      } else out.push({ metric: 'fcj2020 skipped', value: 0, unit: '', note: 'fixtures fingers/fcj2020 absent' });
      const fv = await extractRealSet('fvc2000', false);
      if (fv.length) sets.push({ name: 'fvc2000', samples: fv, half: 'all', ref: NBIS_REFERENCE.fvc2000, color: '#9467bd' });
      else out.push({ metric: 'fvc2000 skipped', value: 0, unit: '', note: 'fixtures fingers/fvc2000 absent' });
      for (const set of sets) {
        const s = scoreRealSet(set.samples, set.half, matchSimilarity);
        const m = verificationMetrics(s.genuine, s.impostor);
        const note = `${m.genuine} genuine / ${m.impostor} impostor pairs`;
        const refEer = set.ref ? { target: `≤ ${(50 * set.ref.eer).toFixed(2)} % (half of NBIS ${(100 * set.ref.eer).toFixed(1)} %)`, pass: m.eer <= set.ref.eer / 2 } : {};
        out.push({ metric: `${set.name} EER`, value: 100 * m.eer, unit: '%', note, ...refEer });
        out.push({ metric: `${set.name} FNMR at FMR 1 %`, value: 100 * m.fmr100, unit: '%', ...(set.ref?.fmr100 !== undefined ? { note: `NBIS ${(100 * set.ref.fmr100).toFixed(2)} %` } : {}) });
        out.push({ metric: `${set.name} FNMR at FMR 0.1 %`, value: 100 * m.fmr1000, unit: '%' });
        curves.push({ label: set.name, color: set.color, genuine: s.genuine, impostor: s.impostor, dashed: set.half === 'all' && set.name.startsWith('fcj') });
      }
      if (curves.length) {
        const file = `${projectRoot}/docs/fingerprint-det.png`;
        await writeDetPng(file, detSvg('DET on real prints (all impostor pairs); circles: NIST NBIS', curves, [
          { label: 'NBIS fcj2020 EER', color: '#2ca02c', fmr: NBIS_REFERENCE.fcj2020!.eer, fnmr: NBIS_REFERENCE.fcj2020!.eer },
          { label: 'NBIS fcj2020 @FMR 1 %', color: '#2ca02c', fmr: 0.01, fnmr: NBIS_REFERENCE.fcj2020!.fmr100! },
          { label: 'NBIS fvc2000 EER', color: '#9467bd', fmr: NBIS_REFERENCE.fvc2000!.eer, fnmr: NBIS_REFERENCE.fvc2000!.eer },
        ]));
        out.push({ metric: 'DET plot', value: curves.length, unit: 'curves', note: 'docs/fingerprint-det.png' });
      }
      return out;
    },
  },
  {
    id: 'finger-accuracy-synthetic',
    title: `Fingerprint accuracy on synthetic prints (${SYNTH_FINGERS} fingers × ${SYNTH_IMPRESSIONS}, FVC protocol)`,
    async run() {
      const { gen, imp } = protocol(synthetic());
      const out = accuracyResults('synthetic', gen.map((g) => g.score), imp);
      const all = protocol(synthetic(), true);
      const m = verificationMetrics(all.gen.map((g) => g.score), all.imp, MATCH_THRESHOLD);
      out.push({ metric: 'synthetic, all cross-finger impostors: FNMR at FMR 0.01 %', value: 100 * m.fmr10000, unit: '%', note: `${m.impostor} impostor pairs; FMR at threshold ${(100 * m.atThreshold!.fmr).toFixed(4)} %` });
      return out;
    },
  },
  {
    id: 'finger-quality',
    title: 'Fingerprint quality vs NIST NFIQ 2 and error-versus-reject (FVC, fcj2020, synthetic)',
    async run() {
      const s = await fvc();
      if (!s.length) return [{ metric: 'skipped', value: 0, unit: '', note: 'fixtures fingers/fvc2000 absent' }];
      const nfiq = new Map(readFileSync(`${fvcDir()}/nfiq2_scores.csv`, 'utf8').trim().split('\n').slice(1).map((l) => [l.split(';')[0]!, Number(l.split(';')[1])] as const));
      const files = readdirSync(fvcDir()).filter((x) => x.endsWith('.png')).sort();
      const ours: number[] = [], theirs: number[] = [];
      files.forEach((f, i) => { if (nfiq.has(f)) { ours.push(s[i]!.quality); theirs.push(nfiq.get(f)!); } });
      const out: BenchResult[] = [
        { metric: 'Spearman vs NFIQ 2, nested 5-fold CV (fit time)', value: QUALITY_MODEL.cvSpearman, unit: '', target: '≥ 0.8', pass: QUALITY_MODEL.cvSpearman >= 0.8 },
        { metric: 'Spearman vs NFIQ 2, final scores incl. feedback zeroing (in-sample)', value: spearman(ours, theirs), unit: '', note: `${ours.length} images` },
      ];
      const multi = new Set(s.map((x) => x.finger).filter((f, _, arr) => arr.filter((g) => g === f).length > 1));
      const { gen } = protocol(s.filter((x) => multi.has(x.finger)));
      const threshold = 20; // FMR 1 %: enough genuine errors on the small real set to see the curve
      for (const p of errorVersusReject(gen, threshold, [0, 0.1, 0.2, 0.3])) {
        out.push({ metric: `EvR FVC: FNMR at score ${threshold} (FMR 1 %) after rejecting ${100 * p.rejected} % lowest quality`, value: 100 * p.fnmr, unit: '%' });
      }
      const cj = await fcj();
      if (cj.length) {
        // fcj2020: FNMR at the whole set's FMR 0.1 % threshold after rejecting the lowest-quality genuine pairs (the
        // pair's quality is the lower of its two images'); what the capture step's re-attempt rule rests on.
        const sc = scoreRealSet(cj, 'all', matchSimilarity);
        const t = [...sc.impostor].sort((x, y) => y - x)[Math.floor(0.001 * sc.impostor.length)]!;
        const pairs = sc.genuine.map((g, k) => ({ score: g > t ? 1 : 0, quality: sc.genuineQuality[k]! }));
        for (const p of errorVersusReject(pairs, 0.5, [0, 0.05, 0.1, 0.2, 0.3])) {
          out.push({ metric: `EvR fcj2020: FNMR at FMR 0.1 % after rejecting ${100 * p.rejected} % lowest-quality pairs`, value: 100 * p.fnmr, unit: '%' });
        }
      }
      const syn = protocol(synthetic()).gen;
      for (const p of errorVersusReject(syn, MATCH_THRESHOLD, [0, 0.1, 0.2])) {
        out.push({ metric: `EvR synthetic: FNMR at threshold ${MATCH_THRESHOLD} after rejecting ${100 * p.rejected} % lowest quality`, value: 100 * p.fnmr, unit: '%' });
      }
      return out;
    },
  },
  {
    id: 'finger-search',
    title: 'Fingerprint 1:N search over 1,000,000 distinct templates (prefilter in 2 worker threads + MCC on candidates)',
    async run() {
      // Gallery: 100 mates (impression 0 of the synthetic evaluation fingers, extracted from images) planted among
      // pseudo-fingers built from 1,000 other synthetic master prints (calibration/pseudo-gallery.ts: every row a
      // distinct chimera of two masters under an impression-like view). Probes: impression 1 of the 100 fingers.
      const base = synthetic();
      const N = Number(process.env.FINGER_BENCH_GALLERY ?? 1_000_000);
      const masters = galleryMasters(1000);
      const matrix = pseudoIndexMatrix(masters, N);
      const mates = base.filter((x) => x.impression === 0);
      const probes = base.filter((x) => x.impression === 1);
      const mateRow = (f: number) => Math.floor(((f + 0.5) * N) / mates.length);
      const rowOfMate = new Map(mates.map((m, f) => [mateRow(f), m] as const));
      const gallery = new ParallelGallery(N, 2);
      try {
        for (let r = 0; r < N; r++) {
          const m = rowOfMate.get(r);
          if (m) gallery.add(m.finger, m.template);
          else gallery.addQuantized(`p${r}`, () => createTemplate(pseudoFinger(masters, r), 288, 384), matrix.subarray(r * INDEX_DIMS, (r + 1) * INDEX_DIMS));
        }
        const defaultC = Math.max(200, Math.ceil(0.005 * N));
        // Prefilter recall: rank of the mate among all rows, from the workers' top 2 %.
        const fractions = [0.001, 0.002, 0.005, 0.01, 0.02];
        const maxC = Math.ceil(fractions[fractions.length - 1]! * N);
        const ranks: number[] = [];
        for (const p of probes) {
          const cands = await gallery.prefilter(p.template, maxC);
          const r = cands.findIndex((i) => gallery.idAt(i) === p.finger);
          ranks.push(r < 0 ? Infinity : r);
        }
        // End to end: rank-1 identification (the mate is the best hit) and the mate at or above the threshold.
        // (30 probes: the pseudo-fingers' templates are built on first use, ≈ 0.7 ms each, for every candidate.)
        const e2e = probes.slice(0, Number(process.env.FINGER_BENCH_E2E_PROBES ?? 30));
        let rank1 = 0, rank1Above = 0;
        for (const p of e2e) {
          const r = await gallery.search(p.template, { limit: 1, candidates: defaultC });
          if (r[0]?.id === p.finger) {
            rank1++;
            if (r[0].score >= MATCH_THRESHOLD) rank1Above++;
          }
        }
        // Timing after that pass (every candidate template is built, as in a deployed gallery that holds them).
        const timed = e2e.slice(0, 20);
        const times: number[] = [], cpu: number[] = [], pre: number[] = [];
        for (const p of timed) {
          const c0 = process.cpuUsage().user;
          const t0 = performance.now();
          await gallery.search(p.template, { limit: 1, candidates: defaultC });
          times.push(performance.now() - t0);
          cpu.push((process.cpuUsage().user - c0) / 1000);
          const t1 = performance.now();
          await gallery.prefilter(p.template, defaultC);
          pre.push(performance.now() - t1);
        }
        times.sort((a, b) => a - b);
        pre.sort((a, b) => a - b);
        cpu.sort((a, b) => a - b);
        // CPU time of the scan in one thread (the workers' share is half of it each) and of the MCC stage.
        const scanCpu = cpuMs(() => topByDot(gallery.matrixView(), 0, N, quantizeIndex(timed[0]!.template.index), defaultC));
        const cands = await gallery.prefilter(timed[0]!.template, defaultC);
        const mccCpu = cpuMs(() => { for (const i of cands) compareTemplates(timed[0]!.template, gallery.templateAt(i)); });
        // Realism of the fillers: the prefilter scores of probes against fillers vs against real extracted impostors.
        const q = probes.map((p) => quantizeIndex(p.template.index));
        const dot = (a: Int8Array, b: Int8Array) => { let s = 0; for (let k = 0; k < INDEX_DIMS; k++) s += a[k]! * b[k]!; return s; };
        const impReal: number[] = [], impFill: number[] = [];
        probes.forEach((p, k) => {
          mates.forEach((m) => { if (m.finger !== p.finger) impReal.push(dot(q[k]!, quantizeIndex(m.template.index))); });
          for (let r = k * 97; r < k * 97 + 100; r++) if (!rowOfMate.has(r)) impFill.push(dot(q[k]!, matrix.subarray(r * INDEX_DIMS, (r + 1) * INDEX_DIMS)));
        });
        impReal.sort((a, b) => a - b);
        impFill.sort((a, b) => a - b);
        const recall = (f: number) => (100 * ranks.filter((r) => r < Math.ceil(f * N)).length) / ranks.length;
        const load = `load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`;
        return [
          { metric: `1:N search median wall time, ${N.toLocaleString('en')} distinct templates, ${defaultC} candidates`, value: percentile(times, 50), unit: 'ms', target: '≤ 1000 ms', pass: percentile(times, 50) <= 1000, note: `${load}; p90 ${percentile(times, 90).toFixed(0)} ms` },
          { metric: '1:N search, CPU time of the whole process per search (2 scan workers + merge + MCC), median', value: percentile(cpu, 50), unit: 'ms' },
          { metric: '1:N prefilter stage alone (2 workers, median wall time)', value: percentile(pre, 50), unit: 'ms', note: load },
          { metric: `1:N prefilter scan of ${N.toLocaleString('en')} rows, CPU time in one thread`, value: scanCpu, unit: 'ms' },
          { metric: `1:N MCC stage on ${cands.length} candidates, CPU time`, value: mccCpu, unit: 'ms', note: `idle 2-core estimate ${(scanCpu / 2 + mccCpu).toFixed(0)} ms` },
          ...fractions.map((f) => ({ metric: `prefilter mate recall keeping ${100 * f} % (${Math.ceil(f * N)} rows)`, value: recall(f), unit: '%', note: `${probes.length} probes` })),
          { metric: `rank-1 identification, ${defaultC} candidates`, value: (100 * rank1) / e2e.length, unit: '%', note: `${e2e.length} probes; ${rank1Above} of them also at or above threshold ${MATCH_THRESHOLD}` },
          { metric: 'prefilter score median / p99, probe vs extracted impostors', value: percentile(impReal, 50), unit: '', note: `p99 ${percentile(impReal, 99)}; vs pseudo-finger fillers median ${percentile(impFill, 50)}, p99 ${percentile(impFill, 99)}` },
        ];
      } finally {
        await gallery.dispose();
      }
    },
  },
];
