// Biometric formats (issue 9): WSQ encode and decode time for a 500 ppi plain impression (targets ≤ 30 ms each),
// compression ratio and PSNR at 0.75 bpp. Wall-clock medians are reported with the process CPU time per operation,
// which is what the wall clock shows on an unloaded machine.
import { existsSync, readdirSync } from 'node:fs';
import sharp from 'sharp';
import { percentile, timeIt, type Benchmark, type BenchResult } from '../benchmark.js';
import { decodeWsq, encodeWsq } from '../../models/formats/wsq/index.js';
import { fixturePath } from '../../test/helpers/fixtures.js';

/** FVC2000 DB3: 448×478 plain impressions scanned at 500 ppi. */
const PLAIN = ['fingers', 'fvc2000', 'FVC2000_Db3_104_1.png'] as const;

async function grey(file: string): Promise<{ pixels: Uint8Array; width: number; height: number }> {
  const { data, info } = await sharp(file).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { pixels: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

function psnr(a: Uint8Array, b: Uint8Array): number {
  let se = 0;
  for (let i = 0; i < a.length; i++) se += (a[i]! - b[i]!) ** 2;
  return se === 0 ? Infinity : 10 * Math.log10((255 * 255) / (se / a.length));
}

function cpuMs(fn: () => unknown, n: number): number {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / n;
}

export const benchmarks: Benchmark[] = [
  {
    id: 'formats.wsq',
    title: 'WSQ 3.1 encode/decode of a 500 ppi plain impression at 0.75 bpp',
    async run() {
      const file = fixturePath(...PLAIN);
      if (!existsSync(file)) return [{ metric: 'WSQ encode median', value: NaN, unit: 'ms', note: `fixture ${PLAIN.join('/')} not found` }];
      const img = await grey(file);
      const label = `${img.width}×${img.height}`;
      let wsq = encodeWsq(img.pixels, img.width, img.height);
      const enc = await timeIt(() => (wsq = encodeWsq(img.pixels, img.width, img.height)), 30, 5);
      const dec = await timeIt(() => decodeWsq(wsq), 30, 5);
      const back = decodeWsq(wsq);
      const results: BenchResult[] = [
        { metric: `WSQ encode median, ${label}`, value: percentile(enc, 50), unit: 'ms', target: '≤ 30 ms', pass: percentile(enc, 50) <= 30 },
        { metric: `WSQ decode median, ${label}`, value: percentile(dec, 50), unit: 'ms', target: '≤ 30 ms', pass: percentile(dec, 50) <= 30 },
        { metric: `WSQ encode fastest of 30, ${label}`, value: enc[0]!, unit: 'ms' },
        { metric: `WSQ decode fastest of 30, ${label}`, value: dec[0]!, unit: 'ms' },
        { metric: 'WSQ encode CPU time per image', value: cpuMs(() => encodeWsq(img.pixels, img.width, img.height), 20), unit: 'ms' },
        { metric: 'WSQ decode CPU time per image', value: cpuMs(() => decodeWsq(wsq), 20), unit: 'ms' },
        { metric: `WSQ compression ratio at 0.75 bpp, ${label}`, value: img.pixels.length / wsq.length, unit: ':1' },
        { metric: `WSQ PSNR at 0.75 bpp, ${label}`, value: psnr(img.pixels, back.pixels), unit: 'dB' },
      ];
      const dir = fixturePath('fingers', 'fvc2000');
      const files = readdirSync(dir).filter((f) => f.endsWith('.png'));
      let ratio = 0;
      let quality = 0;
      for (const f of files) {
        const g = await grey(`${dir}/${f}`);
        const w = encodeWsq(g.pixels, g.width, g.height);
        ratio += g.pixels.length / w.length;
        quality += psnr(g.pixels, decodeWsq(w).pixels);
      }
      results.push(
        { metric: `WSQ mean compression ratio at 0.75 bpp, ${files.length} fixture fingers`, value: ratio / files.length, unit: ':1' },
        { metric: `WSQ mean PSNR at 0.75 bpp, ${files.length} fixture fingers`, value: quality / files.length, unit: 'dB' },
      );
      return results;
    },
  },
];
