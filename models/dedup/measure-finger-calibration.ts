// Re-measures FINGER_CALIBRATION (models/dedup/calibration.ts) on the current finger score scale: 30 synthetic
// subjects × fingers 2, 3, 7, 8 × 2 impressions (drivers/synth → models/finger extractor → MCC), all genuine and
// impostor pairs of a position. Run when models/finger/score-scale.ts changes:
//   npx tsx models/dedup/measure-finger-calibration.ts   (prints the constants to paste; ≈ 240 impressions)
import { synthesizeImpression } from '../../drivers/synth/index.js';
import { compareTemplates, extractTemplate, type FingerTemplate } from '../finger/index.js';

const SUBJECTS = Number(process.env.SUBJECTS ?? 30);
const POSITIONS = [2, 3, 7, 8] as const;

const t = new Map<string, FingerTemplate>();
for (let s = 0; s < SUBJECTS; s++) {
  for (const f of POSITIONS) {
    for (const i of [0, 1]) {
      const im = synthesizeImpression({ subject: `dedup-cal-${s}`, finger: f, impression: i });
      t.set(`${s}:${f}:${i}`, extractTemplate({ width: im.width, height: im.height, ppi: 500, pixels: im.pixels }));
    }
  }
}
const gen: number[] = [], imp: number[] = [];
for (const f of POSITIONS) {
  for (let a = 0; a < SUBJECTS; a++) {
    gen.push(compareTemplates(t.get(`${a}:${f}:0`)!, t.get(`${a}:${f}:1`)!));
    for (let b = a + 1; b < SUBJECTS; b++) {
      imp.push(compareTemplates(t.get(`${a}:${f}:0`)!, t.get(`${b}:${f}:1`)!));
      imp.push(compareTemplates(t.get(`${b}:${f}:0`)!, t.get(`${a}:${f}:1`)!));
    }
  }
}
imp.sort((a, b) => a - b);
gen.sort((a, b) => a - b);
const surv = (s: number) => imp.filter((x) => x >= s).length / imp.length;
const q = (p: number) => imp[Math.min(imp.length - 1, Math.floor(p * imp.length))]!;
const s90 = q(0.9);
const points: [number, number][] = [2, 4, 6, 8, 10, 12].filter((s) => s < s90).map((s) => [s, Math.round(surv(s) * 10000) / 10000]);
points.push([Math.round(s90 * 100) / 100, 0.1]);
const tail = imp.filter((x) => x > s90);
const tailScale = tail.reduce((a, x) => a + (x - s90), 0) / Math.max(1, tail.length);
const deficit = gen.reduce((a, x) => a + (100 - x), 0) / gen.length;
console.log(
  JSON.stringify(
    {
      impostorPairs: imp.length,
      genuinePairs: gen.length,
      impostorSurvival: points,
      tailScale: Math.round(tailScale * 1000) / 1000,
      impostorMedian: Math.round(q(0.5) * 100) / 100,
      'P(S>=20)': surv(20),
      'P(S>=30)': surv(30),
      'P(S>=40)': surv(40),
      genuineMin: gen[0],
      genuineMeanDeficit: Math.round(deficit * 100) / 100,
    },
    null,
    1,
  ),
);
