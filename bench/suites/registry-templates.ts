// Does the registry lose accuracy by searching with the kiosk's finger templates (spot-checked, sync/registry/
// biometrics/kiosk-templates.ts) instead of extracting all ten from the packet's WSQ images? On REAL prints (fixtures
// fingers/fcj2020; train half persons 111–130 where the matcher's threshold 40 was fitted, held-out half 131–150):
// - the spot check itself: the same capture extracted by the kiosk (raw pixels) and by the registry (WSQ at the
//   kiosk's bit rate, decoded) must score ≥ VERIFY_MIN_SCORE; a template of another finger must not;
// - dedup accuracy: genuine pairs (other impressions of the same finger) vs impostor pairs (first impressions of
//   different fingers) with registry templates on both sides (before), kiosk templates on both sides (after), and
//   a kiosk probe against a registry-extracted gallery (a gallery enrolled before the change). DET plot in docs/.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { FINGER_BIT_RATE } from '../../main/enrollment/packet-parts.js';
import { detSvg, writeDetPng } from '../../models/finger/calibration/det-plot.js';
import { compareTemplates, deserializeTemplate, extractTemplate, serializeTemplate, verificationMetrics, type FingerTemplate } from '../../models/finger/index.js';
import { loadGrayImage } from '../../models/finger/load.js';
import { wsq } from '../../models/formats/index.js';
import { VERIFY_MIN_SCORE } from '../../sync/registry/biometrics/kiosk-templates.js';
import { fixturePath, projectRoot } from '../../test/helpers/fixtures.js';
import { percentile, type Benchmark, type BenchResult } from '../benchmark.js';

interface Print {
  person: number;
  finger: string;
  impression: number;
  kiosk: FingerTemplate;
  registry: FingerTemplate;
}

const pct = (x: number) => 100 * x;

function pairs(prints: Print[], inHalf: (p: Print) => boolean, probe: (p: Print) => FingerTemplate, gallery: (p: Print) => FingerTemplate) {
  const genuine: number[] = [];
  const impostor: number[] = [];
  const first = new Map<string, number>();
  for (const p of prints) first.set(p.finger, Math.min(first.get(p.finger) ?? Infinity, p.impression));
  const set = prints.filter(inHalf);
  for (let i = 0; i < set.length; i++) {
    for (let j = 0; j < set.length; j++) {
      if (i === j) continue;
      const a = set[i]!, b = set[j]!;
      if (a.finger === b.finger) {
        if (i < j) genuine.push(compareTemplates(probe(a), gallery(b)));
      } else if (i < j && a.impression === first.get(a.finger) && b.impression === first.get(b.finger)) impostor.push(compareTemplates(probe(a), gallery(b)));
    }
  }
  return { genuine, impostor };
}

export const benchmarks: Benchmark[] = [
  {
    id: 'registry-template-check',
    title: 'Registry with the kiosk finger templates, spot-checked: same-capture check scores and dedup accuracy on REAL prints (fcj2020, train 111–130 / held-out 131–150)',
    async run(): Promise<BenchResult[]> {
      const dir = fixturePath('fingers', 'fcj2020');
      if (!existsSync(dir)) {
        console.warn(`registry-template-check: fixtures ${dir} absent — SKIPPED`);
        return [{ metric: 'skipped: fixtures fingers/fcj2020 absent', value: 0, unit: '' }];
      }
      const prints: Print[] = [];
      for (const f of readdirSync(dir).filter((x) => x.endsWith('.png')).sort()) {
        const m = /^(\d+)_(\d+)_(\d+)\.png$/.exec(f);
        if (!m) continue;
        const img = await loadGrayImage(path.join(dir, f));
        const kiosk = extractTemplate(img);
        const bytes = wsq.encodeWsq(img.pixels, img.width, img.height, { bitRate: FINGER_BIT_RATE, ppi: img.ppi || 500 });
        const d = wsq.decodeWsq(bytes);
        const registry = extractTemplate({ width: d.width, height: d.height, pixels: d.pixels, ppi: d.ppi ?? 500 });
        // Both travel as KFT1 bytes (the kiosk's part, the registry's gallery): round-trip them as the registry sees them.
        prints.push({ person: Number(m[1]), finger: `${m[1]}_${m[2]}`, impression: Number(m[3]), kiosk: deserializeTemplate(serializeTemplate(kiosk)), registry: deserializeTemplate(serializeTemplate(registry)) });
      }
      const train = (p: Print) => p.person <= 130;
      const test = (p: Print) => p.person > 130;
      const out: BenchResult[] = [];

      // 1. The spot check: same capture, kiosk (raw) vs registry (WSQ).
      for (const [name, half] of [['train 111–130', train], ['held-out 131–150', test]] as const) {
        const same = prints.filter(half).map((p) => compareTemplates(p.registry, p.kiosk)).sort((a, b) => a - b);
        const below = same.filter((s) => s < VERIFY_MIN_SCORE).length;
        out.push({ metric: `spot check, same capture kiosk (raw) vs registry (WSQ ${FINGER_BIT_RATE} bpp), ${name}: share below ${VERIFY_MIN_SCORE} (packet falls back to full extraction)`, value: pct(below / same.length), unit: '%', note: `${same.length} captures; score p1 ${percentile(same, 1).toFixed(0)}, median ${percentile(same, 50).toFixed(0)}` });
      }
      const firsts = prints.filter((p) => p.impression === Math.min(...prints.filter((q) => q.finger === p.finger).map((q) => q.impression)));
      const forged: number[] = [];
      for (const a of firsts) for (const b of firsts) if (a.finger !== b.finger && test(a)) forged.push(compareTemplates(a.registry, b.kiosk));
      const passed = forged.filter((s) => s >= VERIFY_MIN_SCORE).length;
      out.push({ metric: `spot check, template of ANOTHER finger sent with an image (held-out 131–150 images): share passing ≥ ${VERIFY_MIN_SCORE}`, value: pct(passed / forged.length), unit: '%', note: `${forged.length} pairs; with 2 checked fingers both must pass` });

      // 2. Dedup accuracy with each kind of template.
      const variants = [
        { label: 'WSQ templates (before)', probe: (p: Print) => p.registry, gallery: (p: Print) => p.registry, color: '#1f77b4', dashed: false },
        { label: 'kiosk templates (after)', probe: (p: Print) => p.kiosk, gallery: (p: Print) => p.kiosk, color: '#d62728', dashed: false },
        { label: 'kiosk probe, WSQ gallery', probe: (p: Print) => p.kiosk, gallery: (p: Print) => p.registry, color: '#2ca02c', dashed: true },
      ];
      const curves = [];
      for (const v of variants) {
        for (const [name, half] of [['train', train], ['held-out', test]] as const) {
          const { genuine, impostor } = pairs(prints, half, v.probe, v.gallery);
          const m = verificationMetrics(genuine, impostor, 40);
          out.push({ metric: `${v.label}, ${name}: EER / FNMR at 40`, value: pct(m.eer), unit: '%', note: `FNMR@40 ${pct(m.atThreshold?.fnmr ?? NaN).toFixed(2)} %, FMR@40 ${pct(m.atThreshold?.fmr ?? NaN).toFixed(3)} %, FNMR@FMR0.1 % ${pct(m.fmr1000).toFixed(2)} %; ${genuine.length} genuine / ${impostor.length} impostor pairs` });
          if (name === 'held-out') curves.push({ label: v.label, genuine, impostor, color: v.color, dashed: v.dashed });
        }
      }
      const file = path.join(projectRoot, 'docs', 'registry-kiosk-templates-det.png');
      await writeDetPng(file, detSvg('Registry dedup with kiosk vs registry finger templates (fcj2020 131–150)', curves));
      out.push({ metric: 'DET plot written', value: curves.length, unit: 'curves', note: 'docs/registry-kiosk-templates-det.png' });
      return out;
    },
  },
];
