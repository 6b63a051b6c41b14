// Re-runnable matcher evaluation (what every matcher change is checked against):
//   npx tsx models/finger/calibration/evaluate.ts [--fresh] [--fingers 100]
// Synthetic set (drivers/synth, F fingers × 8 impressions) and the real FVC fixtures, FVC protocol (all genuine pairs;
// impostors between first impressions; for the small real set all cross-finger pairs). Reports EER, FMR100, FMR1000,
// FNMR at FMR 0.01 % (raw-score based, so independent of the score calibration), FNMR/FMR at MATCH_THRESHOLD and
// the 1:1 comparison rate in CPU time of this thread. Extracted minutiae are cached as serialised templates in
// $FINGER_EVAL_CACHE (default <tmpdir>/kiosk-finger-eval.json); --fresh re-extracts (needed after extractor changes).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixturePath } from '../../../test/helpers/fixtures.js';
import { verificationMetrics } from '../evaluation.js';
import { analyzeFinger } from '../extract.js';
import { loadGrayImage } from '../load.js';
import { MATCH_THRESHOLD, normalizeScore } from '../matcher.js';
import { mccSimilarity } from '../mcc.js';
import { createTemplate, deserializeTemplate, serializeTemplate, type FingerTemplate } from '../template.js';
import { syntheticSample } from './synthetic-set.js';

const args = process.argv.slice(2);
const fresh = args.includes('--fresh');
const F = Number(args[args.indexOf('--fingers') + 1] || 100) || 100;
const cacheFile = process.env.FINGER_EVAL_CACHE ?? path.join(os.tmpdir(), 'kiosk-finger-eval.json');

interface Item { finger: string; impression: number; t: FingerTemplate }
type Cached = Record<string, { finger: string; impression: number; b64: string }[]>;

async function load(): Promise<{ synth: Item[]; fvc: Item[] }> {
  let cache: Cached = {};
  if (!fresh && existsSync(cacheFile)) cache = JSON.parse(readFileSync(cacheFile, 'utf8')) as Cached;
  const key = `synth${F}`;
  const toItems = (xs: Cached[string]) => xs.map((x) => ({ finger: x.finger, impression: x.impression, t: deserializeTemplate(Buffer.from(x.b64, 'base64')) }));
  const extract = (img: Parameters<typeof analyzeFinger>[0]) => {
    const a = analyzeFinger(img);
    return createTemplate(a.minutiae, a.image.width, a.image.height);
  };
  if (!cache[key]) {
    const xs: Cached[string] = [];
    for (let f = 0; f < F; f++) for (let i = 0; i < 8; i++) xs.push({ finger: `s${f}`, impression: i, b64: Buffer.from(serializeTemplate(extract(syntheticSample(f, i).image))).toString('base64') });
    cache[key] = xs;
  }
  if (!cache.fvc) {
    const dir = fixturePath('fingers', 'fvc2000');
    const xs: Cached[string] = [];
    if (existsSync(dir)) {
      for (const f of readdirSync(dir).filter((x) => x.endsWith('.png')).sort()) {
        const m = /^(.*)_(\d+)\.png$/.exec(f)!;
        xs.push({ finger: m[1]!, impression: Number(m[2]), b64: Buffer.from(serializeTemplate(extract(await loadGrayImage(`${dir}/${f}`)))).toString('base64') });
      }
    }
    cache.fvc = xs;
  }
  writeFileSync(cacheFile, JSON.stringify(cache));
  return { synth: toItems(cache[key]!), fvc: toItems(cache.fvc) };
}

function pairs(items: Item[], allImpostors: boolean): { gen: number[]; imp: number[] } {
  const first = new Map<string, Item>();
  for (const s of items) if (!first.has(s.finger) || first.get(s.finger)!.impression > s.impression) first.set(s.finger, s);
  const counts = new Map<string, number>();
  for (const s of items) counts.set(s.finger, (counts.get(s.finger) ?? 0) + 1);
  const gen: number[] = [], imp: number[] = [];
  for (let a = 0; a < items.length; a++) {
    for (let b = a + 1; b < items.length; b++) {
      const A = items[a]!, B = items[b]!;
      if (A.finger === B.finger) gen.push(mccSimilarity(A.t, B.t).raw);
      else if (allImpostors || (first.get(A.finger) === A && first.get(B.finger) === B)) imp.push(mccSimilarity(A.t, B.t).raw);
    }
  }
  return { gen, imp };
}

function report(name: string, gen: number[], imp: number[]): void {
  const m = verificationMetrics(gen, imp);
  const thrRaw = gen.map(normalizeScore), impS = imp.map(normalizeScore);
  const fnmrT = thrRaw.filter((s) => s < MATCH_THRESHOLD).length / gen.length;
  const fmrT = impS.filter((s) => s >= MATCH_THRESHOLD).length / imp.length;
  const p = (v: number) => (100 * v).toFixed(2) + '%';
  console.log(`${name}: ${gen.length} gen / ${imp.length} imp  EER ${p(m.eer)}  FMR100 ${p(m.fmr100)}  FMR1000 ${p(m.fmr1000)}  FNMR@0.01% ${p(m.fmr10000)}  @thr${MATCH_THRESHOLD}: FNMR ${p(fnmrT)} FMR ${(100 * fmrT).toFixed(4)}%`);
}

function rate(name: string, ts: FingerTemplate[]): void {
  for (let i = 0; i < 3000; i++) mccSimilarity(ts[i % ts.length]!, ts[(i * 7 + 1) % ts.length]!);
  let n = 0;
  const t0 = process.cpuUsage().user;
  for (let a = 0; a < ts.length; a++) for (let b = 0; b < ts.length; b++) { mccSimilarity(ts[a]!, ts[b]!); n++; }
  const ms = (process.cpuUsage().user - t0) / 1000;
  const mean = ts.reduce((s, t) => s + t.count, 0) / ts.length;
  console.log(`${name}: ${Math.round(n / (ms / 1000))} comparisons/s CPU (${n} comparisons, mean ${mean.toFixed(1)} minutiae)`);
}

const { synth, fvc } = await load();
rate('rate synthetic', synth.slice(0, 160).map((s) => s.t));
if (fvc.length) rate('rate FVC', fvc.map((s) => s.t));
const s = pairs(synth, false);
report(`synthetic ${F}x8`, s.gen, s.imp);
if (fvc.length) {
  const multi = new Set([...new Set(fvc.map((x) => x.finger))].filter((f) => fvc.filter((x) => x.finger === f).length > 1));
  const g = pairs(fvc.filter((x) => multi.has(x.finger)), false).gen;
  const i = pairs(fvc, true).imp;
  report('FVC real', g, i);
}
