// Matcher accuracy on WSQ-round-tripped fixture fingers (bit rate 0.75) versus the originals, FVC protocol:
// all genuine pairs of each finger, impostor pairs between first impressions of different fingers.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { compareTemplates, extractTemplate, MATCH_THRESHOLD, verificationMetrics, type FingerTemplate } from '../../models/finger/index.js';
import { loadGrayImage } from '../../models/finger/load.js';
import { decodeWsq, encodeWsq } from '../../models/formats/wsq/index.js';
import { fixturePath } from '../../test/helpers/fixtures.js';
import type { Benchmark, BenchResult } from '../benchmark.js';

interface Print {
  finger: string;
  impression: number;
  original: FingerTemplate;
  wsq: FingerTemplate;
}

function evaluate(prints: Print[], probe: (p: Print) => FingerTemplate, gallery: (p: Print) => FingerTemplate) {
  const genuine: number[] = [];
  const impostor: number[] = [];
  for (let i = 0; i < prints.length; i++) {
    for (let j = i + 1; j < prints.length; j++) {
      const a = prints[i]!;
      const b = prints[j]!;
      if (a.finger === b.finger) genuine.push(compareTemplates(probe(a), gallery(b)));
      else if (a.impression === firstImpression(prints, a.finger) && b.impression === firstImpression(prints, b.finger)) impostor.push(compareTemplates(probe(a), gallery(b)));
    }
  }
  return verificationMetrics(genuine, impostor, MATCH_THRESHOLD);
}

const firsts = new Map<string, number>();
function firstImpression(prints: Print[], finger: string): number {
  if (!firsts.has(finger)) firsts.set(finger, Math.min(...prints.filter((p) => p.finger === finger).map((p) => p.impression)));
  return firsts.get(finger)!;
}

export const benchmarks: Benchmark[] = [
  {
    id: 'wsq-matcher-accuracy',
    title: 'Matcher accuracy on WSQ (0.75 bpp) round-tripped fixture fingers vs originals',
    async run(): Promise<BenchResult[]> {
      const dir = fixturePath('fingers', 'fvc2000');
      if (!existsSync(dir)) return [{ metric: 'WSQ matcher accuracy', value: NaN, unit: '', note: 'fixtures/fingers/fvc2000 not found' }];
      const files = readdirSync(dir).filter((f) => f.endsWith('.png'));
      const byFinger = new Map<string, string[]>();
      for (const f of files) {
        const finger = f.replace(/_\d+\.png$/, '');
        byFinger.set(finger, [...(byFinger.get(finger) ?? []), f]);
      }
      const prints: Print[] = [];
      for (const [finger, list] of byFinger) {
        if (list.length < 2) continue;
        for (const f of list) {
          const img = await loadGrayImage(path.join(dir, f), 500);
          const round = decodeWsq(encodeWsq(img.pixels, img.width, img.height, { bitRate: 0.75 }));
          prints.push({
            finger,
            impression: Number(/_(\d+)\.png$/.exec(f)![1]),
            original: extractTemplate(img),
            wsq: extractTemplate({ width: round.width, height: round.height, pixels: round.pixels, ppi: 500 }),
          });
        }
      }
      const orig = evaluate(prints, (p) => p.original, (p) => p.original);
      const wsq = evaluate(prints, (p) => p.wsq, (p) => p.wsq);
      const mixed = evaluate(prints, (p) => p.wsq, (p) => p.original);
      const pct = (x: number) => x * 100;
      const note = `${prints.length} images, ${orig.genuine} genuine / ${orig.impostor} impostor pairs`;
      return [
        { metric: 'EER, originals', value: pct(orig.eer), unit: '%', note },
        { metric: 'EER, WSQ vs WSQ', value: pct(wsq.eer), unit: '%' },
        { metric: 'EER, WSQ probe vs original gallery', value: pct(mixed.eer), unit: '%' },
        { metric: `FNMR at the decision threshold (${MATCH_THRESHOLD}), originals`, value: pct(orig.atThreshold?.fnmr ?? NaN), unit: '%' },
        { metric: `FNMR at the decision threshold (${MATCH_THRESHOLD}), WSQ vs WSQ`, value: pct(wsq.atThreshold?.fnmr ?? NaN), unit: '%' },
        { metric: 'FMR at the decision threshold, WSQ vs WSQ', value: pct(wsq.atThreshold?.fmr ?? NaN), unit: '%' },
      ];
    },
  },
];
