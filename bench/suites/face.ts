// Face pipeline speed and memory (issue 5): live-frame analysis at 640×480, full capture at full resolution, and the
// memory a worker holds with every face model loaded. Skips with a note when models or fixtures are absent.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { percentile, timeIt, type Benchmark, type BenchResult } from '../benchmark.js';
import { createFaceService, type FaceService } from '../../models/face/service.js';
import { checkModels } from '../../models/runtime/manifest.js';
import { packageInfo } from '../../main/platform/package-info.js';

const PHOTO = 'obama_1080p.jpg';

/** ../shared/fixtures next to the project (or $KIOSK_FIXTURES); resolved from package.json so it works from dist/. */
function fixturePath(...parts: string[]): string {
  const dir = process.env.KIOSK_FIXTURES ? path.resolve(process.env.KIOSK_FIXTURES) : path.resolve(packageInfo().root, '..', 'shared', 'fixtures');
  return path.join(dir, ...parts);
}

async function unavailable(): Promise<string | undefined> {
  const models = await checkModels();
  if (!models.ok) return `face models not provisioned (${models.modelsDir}); run npm run models`;
  try {
    readFileSync(fixturePath('faces', PHOTO));
  } catch {
    return `fixture faces/${PHOTO} not found`;
  }
  return undefined;
}

async function withService<T>(fn: (s: FaceService) => Promise<T>): Promise<T> {
  const s = await createFaceService({ workers: 1 });
  try {
    return await fn(s);
  } finally {
    await s.dispose();
  }
}

const skipped = (metric: string, note: string): BenchResult[] => [{ metric, value: NaN, unit: 'ms', note }];

const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);

export const benchmarks: Benchmark[] = [
  {
    id: 'face.frame640',
    title: 'Face analysis of a 640×480 frame (detection, landmarks, eyes, pose, all quality measures; no embedding)',
    async run() {
      const why = await unavailable();
      if (why) return skipped('frame analysis median', why);
      const { data, info } = await sharp(readFileSync(fixturePath('faces', PHOTO)))
        .resize(640, 480, { fit: 'cover' })
        .ensureAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      const frame = { rgba: new Uint8Array(data), width: info.width, height: info.height };
      const jpeg = await sharp(data, { raw: { width: info.width, height: info.height, channels: 4 } }).jpeg({ quality: 85 }).toBuffer();
      return withService(async (s) => {
        const inWorker: number[] = [];
        const iterations = 40;
        let cpu = process.cpuUsage();
        const times = await timeIt(
          async () => {
            const r = await s.analyzeFrame(frame);
            inWorker.push(r.timingsMs.total ?? NaN);
          },
          iterations,
          5,
        );
        cpu = process.cpuUsage(cpu);
        // CPU time is robust to other load on the machine; the wall-clock medians are not.
        const cpuPerFrame = (cpu.user + cpu.system) / 1000 / (iterations + 5);
        const jpegTimes = await timeIt(() => s.analyzeFrame({ data: jpeg }), 20, 2);
        return [
          { metric: 'RGBA frame, median (round trip)', value: percentile(times, 50), unit: 'ms', target: '≤ 40 ms', pass: percentile(times, 50) <= 40 },
          { metric: 'RGBA frame, p95 (round trip)', value: percentile(times, 95), unit: 'ms' },
          { metric: 'pipeline inside the worker, median', value: median(inWorker), unit: 'ms' },
          { metric: 'CPU time per frame (whole process)', value: cpuPerFrame, unit: 'ms', target: '≤ 40 ms', pass: cpuPerFrame <= 40, note: `load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores` },
          { metric: 'JPEG frame incl. decode, median', value: percentile(jpegTimes, 50), unit: 'ms' },
        ];
      });
    },
  },
  {
    id: 'face.capture',
    title: `Full capture analysis at full resolution (${PHOTO}: quality + PAD + embedding + token JPEG)`,
    async run() {
      const why = await unavailable();
      if (why) return skipped('capture median', why);
      const photo = readFileSync(fixturePath('faces', PHOTO));
      return withService(async (s) => {
        const times = await timeIt(() => s.analyzeCapture({ data: photo }), 10, 2);
        const r = await s.analyzeCapture({ data: photo });
        return [
          { metric: 'capture median', value: percentile(times, 50), unit: 'ms' },
          { metric: 'capture p95', value: percentile(times, 95), unit: 'ms' },
          { metric: 'embedding step', value: r.report.timingsMs.embedding ?? NaN, unit: 'ms', note: path.basename(PHOTO) },
        ];
      });
    },
  },
  {
    id: 'face.memory',
    title: 'Memory of one inference worker with all six face models loaded',
    async run() {
      const why = await unavailable();
      if (why) return [{ metric: 'RSS increase', value: NaN, unit: 'MiB', note: why }];
      const before = process.memoryUsage().rss;
      return withService(async (s) => {
        await s.analyzeCapture({ data: readFileSync(fixturePath('faces', PHOTO)) });
        const m = await s.memory();
        return [
          { metric: 'process RSS increase (worker + models, after one capture)', value: (m.rss - before) / 2 ** 20, unit: 'MiB' },
          { metric: 'worker JS heap used', value: (m.workersHeapUsed[0] ?? NaN) / 2 ** 20, unit: 'MiB' },
        ];
      });
    },
  },
];
