// Finger capture (issue 8, FINGERS step): analysis cost per finger in the worker pool (CPU time, as the machine is
// shared), a 4-finger slap through 2 workers, how busy the main event loop stays meanwhile, the sequence check, and one
// single-finger capture through the service on the R30x emulator (unpaced pty, so no deliberate wire time).
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { percentile, type Benchmark, type BenchResult } from '../benchmark.js';
import { R30xEmulator } from '../../drivers/emulators/r30x-emulator.js';
import { R30xDevice } from '../../drivers/r30x/driver.js';
import { synthesizeImpression, type FingerPosition } from '../../drivers/synth/index.js';
import { DeviceFingerCaptureService, FingerAnalysisPool } from '../../main/capture/index.js';

const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);

function synth(finger: number, impression: number, width: number, height: number) {
  const s = synthesizeImpression({ subject: 'bench-capture', finger: finger as FingerPosition, impression, width, height });
  return { width: s.width, height: s.height, ppi: 500, pixels: s.pixels };
}

function hasSocat(): boolean {
  try {
    execFileSync('socat', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const benchmarks: Benchmark[] = [
  {
    id: 'capture-analysis',
    title: 'Finger capture analysis in worker threads (quality + minutiae + template)',
    async run(): Promise<BenchResult[]> {
      const pool = new FingerAnalysisPool({ size: 2 });
      try {
        const singles = Array.from({ length: 8 }, (_, i) => synth(1 + (i % 5), i, 256, 288));
        const slap = [7, 8, 9, 10].map((f) => synth(f, 0, 320, 400));
        await pool.analyse(singles[0]!); // warm both paths (worker start, module load)
        await pool.analyse(slap[0]!);
        const cpu: number[] = [];
        for (const img of singles) cpu.push((await pool.analyse(img)).cpuMs);
        const slapWall: number[] = [];
        const slapElu: number[] = [];
        const slapCpu: number[] = [];
        let templates: Uint8Array[] = [];
        for (let r = 0; r < 3; r++) {
          const elu0 = performance.eventLoopUtilization();
          const t0 = performance.now();
          const out = await Promise.all(slap.map((img) => pool.analyse(img)));
          slapWall.push(performance.now() - t0);
          slapElu.push(performance.eventLoopUtilization(elu0).utilization);
          templates = out.map((o) => o.template);
          slapCpu.push(out.reduce((sum, o) => sum + o.cpuMs, 0));
        }
        const nine = [...templates, ...templates, templates[0]!];
        const cmp: number[] = [];
        for (let r = 0; r < 5; r++) {
          const t0 = performance.now();
          await pool.compare(templates[0]!, nine);
          cmp.push(performance.now() - t0);
        }
        return [
          { metric: 'analysis CPU per finger, 256×288 (worker thread, median of 8)', value: median(cpu), unit: 'ms' },
          { metric: '4-finger slap (320×400 each) analysed by 2 workers, wall (median of 3)', value: median(slapWall), unit: 'ms', note: 'wall-clock on a shared 2-core machine' },
          { metric: '4-finger slap, summed worker CPU (median of 3)', value: median(slapCpu), unit: 'ms' },
          { metric: 'main event-loop utilisation during the slap analysis', value: median(slapElu) * 100, unit: '%', note: 'the analysis runs off the main loop' },
          { metric: 'sequence check: one single against 9 slap segments, wall (median of 5)', value: median(cmp), unit: 'ms' },
        ];
      } finally {
        await pool.dispose();
      }
    },
  },
  {
    id: 'capture-r30x',
    title: 'Single-finger capture through the service on the R30x emulator (unpaced pty)',
    async run(): Promise<BenchResult[]> {
      if (!hasSocat()) return [{ metric: 'skipped: socat missing', value: NaN, unit: '' }];
      const images = new Map<number, ReturnType<typeof synth>>();
      const emu = await R30xEmulator.start({ source: (finger, attempt) => images.get(finger * 100 + attempt) ?? synth(finger, attempt, 256, 288), pacing: false });
      for (let a = 0; a < 12; a++) images.set(200 + a, synth(2, a, 256, 288));
      const device = new R30xDevice({ path: emu.hostPath, responseTimeoutMs: 5000, pollIntervalMs: 20 });
      const service = new DeviceFingerCaptureService({ list: () => [{ id: 'r30x', device, info: null }] }, new FingerAnalysisPool({ size: 1 }), { maxAttempts: 10 });
      try {
        emu.placeFinger(2);
        await service.capture({ sessionId: 'warm', deviceId: 'r30x', step: 2 });
        const total: number[] = [];
        let analysing = 0;
        const stamps: number[] = [];
        service.onProgress((e) => {
          if (e.phase === 'analysing') analysing = performance.now();
          if (e.phase === 'captured') stamps.push(performance.now() - analysing);
        });
        for (let r = 0; r < 5; r++) {
          const t0 = performance.now();
          await service.capture({ sessionId: 'bench', deviceId: 'r30x', step: 2 });
          total.push(performance.now() - t0);
        }
        return [
          { metric: 'capture → quality → template, total wall (median of 5)', value: median(total), unit: 'ms', note: 'includes 2 "no finger" polls and the 40 kB upload over an unpaced pty' },
          { metric: 'of which analysis after the upload, wall (median of 5)', value: median(stamps), unit: 'ms' },
        ];
      } finally {
        await service.dispose();
        await device.dispose();
        await emu.dispose();
      }
    },
  },
];
