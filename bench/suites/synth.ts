// Synthetic fingerprints (drivers/synth): impression generation time for 288×384 at 500 ppi (target ≤ 150 ms median),
// with the master print cached (the usual case: several impressions per finger) and cold (master built first), and the
// master print time itself. Wall-clock times are reported with process CPU time, which is what the wall clock shows on an
// unloaded machine.
import { percentile, type Benchmark, type BenchResult } from '../benchmark.js';
import { synthesizeImpression, synthesizeMasterPrint, type FingerPosition } from '../../drivers/synth/index.js';
import { clearMasterCache } from '../../drivers/synth/master.js';

const FINGERS = 10;
const IMPRESSIONS = 8;
const TARGET_MS = 150;

function timed(fn: () => unknown): { wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

export const benchmarks: Benchmark[] = [
  {
    id: 'synth.impression',
    title: 'Synthetic fingerprint impression, 288×384 at 500 ppi',
    async run() {
      // Warm-up (kernel bank, JIT).
      synthesizeImpression({ subject: 'bench-warmup', finger: 1, impression: 0 });
      const warm: number[] = [];
      const warmCpu: number[] = [];
      const mixed: number[] = [];
      const masters: number[] = [];
      const masterCpu: number[] = [];
      const minutiae: number[] = [];
      for (let f = 0; f < FINGERS; f++) {
        const subject = `bench-${f}`;
        const finger = ((f % 10) + 1) as FingerPosition;
        clearMasterCache();
        const m = timed(() => synthesizeMasterPrint({ subject, finger, seed: 1 }));
        masters.push(m.wall);
        masterCpu.push(m.cpu);
        clearMasterCache();
        for (let k = 0; k < IMPRESSIONS; k++) {
          let count = 0;
          const t = timed(() => (count = synthesizeImpression({ subject, finger, impression: k }).minutiae.length));
          mixed.push(t.wall);
          minutiae.push(count);
          if (k > 0) {
            warm.push(t.wall);
            warmCpu.push(t.cpu);
          }
        }
      }
      const w = sorted(warm);
      const mx = sorted(mixed);
      const ms = sorted(masters);
      const results: BenchResult[] = [
        { metric: 'impression median (master cached)', value: percentile(w, 50), unit: 'ms', target: `≤ ${TARGET_MS} ms`, pass: percentile(w, 50) <= TARGET_MS },
        { metric: 'impression p95 (master cached)', value: percentile(w, 95), unit: 'ms' },
        { metric: 'impression CPU time median (master cached)', value: percentile(sorted(warmCpu), 50), unit: 'ms' },
        {
          metric: `impression median, ${IMPRESSIONS} per finger from a cold cache`,
          value: percentile(mx, 50),
          unit: 'ms',
          target: `≤ ${TARGET_MS} ms`,
          pass: percentile(mx, 50) <= TARGET_MS,
        },
        { metric: `impression p95, ${IMPRESSIONS} per finger from a cold cache`, value: percentile(mx, 95), unit: 'ms', note: 'the first impression of each finger builds its master' },
        { metric: 'master print (320×400) median', value: percentile(ms, 50), unit: 'ms' },
        { metric: 'master print p95', value: percentile(ms, 95), unit: 'ms' },
        { metric: 'master print CPU time median', value: percentile(sorted(masterCpu), 50), unit: 'ms' },
        { metric: 'ground-truth minutiae per impression (median)', value: percentile(sorted(minutiae), 50), unit: '', note: `${FINGERS} fingers × ${IMPRESSIONS} impressions` },
      ];
      return results;
    },
  },
];
