// Re-measures FINGER_CALIBRATION (models/dedup/calibration.ts) on REAL prints and the current finger score scale:
// every genuine and every impostor pair of fixtures fingers/fcj2020 persons 111–130 (the finger matcher's training
// half, ≈ 1,200 genuine / 112,000 impostor pairs), scored by models/finger compareTemplates. Run when
// models/finger/score-scale.ts or its score model changes:
//   npx tsx models/dedup/measure-finger-calibration.ts   (prints the constants to paste; ≈ 1 min)
// Also prints the whole set's (persons 111–150) impostor rates at the decision scores, as a check on held-out persons.
import { compareTemplates } from '../finger/index.js';
import { extractRealSet, scoreRealSet } from '../finger/calibration/real-eval.js';

const samples = await extractRealSet('fcj2020', false);
if (!samples.length) throw new Error('fixtures fingers/fcj2020 absent');
const { genuine: gen, impostor: imp } = scoreRealSet(samples, 'train', compareTemplates);
imp.sort((a, b) => a - b);
gen.sort((a, b) => a - b);
const surv = (xs: number[], s: number) => xs.filter((x) => x >= s).length / xs.length;
const q = (p: number) => imp[Math.min(imp.length - 1, Math.floor(p * imp.length))]!;
const s90 = q(0.9);
const points: [number, number][] = [2, 4, 6, 8].filter((s) => s < s90).map((s) => [s, Math.round(surv(imp, s) * 10000) / 10000]);
points.push([Math.round(s90 * 100) / 100, 0.1]);
const tail = imp.filter((x) => x > s90);
const tailScale = tail.reduce((a, x) => a + (x - s90), 0) / Math.max(1, tail.length);
const mean = gen.reduce((a, x) => a + x, 0) / gen.length;
const sd = Math.sqrt(gen.reduce((a, x) => a + (x - mean) ** 2, 0) / (gen.length - 1));
const test = scoreRealSet(samples, 'test', compareTemplates).impostor;
const r = (v: number) => Math.round(v * 1000) / 1000;
console.log(
  JSON.stringify(
    {
      impostorPairs: imp.length,
      genuinePairs: gen.length,
      impostorSurvival: points,
      tailScale: r(tailScale),
      impostorMedian: r(q(0.5)),
      genuine: { mean: r(mean), sd: r(sd) },
      'train P(S>=20/30/40)': [surv(imp, 20), surv(imp, 30), surv(imp, 40)],
      'test half P(S>=20/30/40)': [surv(test, 20), surv(test, 30), surv(test, 40)],
      genuineMin: r(gen[0]!),
      genuineMedian: r(gen[gen.length >> 1]!),
    },
    null,
    1,
  ),
);
