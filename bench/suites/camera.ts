// Analysed frames per second sustained in the browser shell with Chromium's fake camera (Y4M from a fixture photo
// with two faces, so auto-capture never ends the run). Target ≥ 10 frames/s.
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchChromium } from '../../test/helpers/browser.js';
import { fixturePath } from '../../test/helpers/fixtures.js';
import { startKioskWeb } from '../../test/helpers/kiosk-process.js';
import { writeY4m } from '../../test/helpers/y4m.js';
import type { Benchmark } from '../benchmark.js';

export const benchmarks: Benchmark[] = [
  {
    id: 'camera-fps',
    title: 'Analysed frames per second in the browser shell (fake camera, 1280×720)',
    async run() {
      const photo = fixturePath('faces', 'group_obama_biden.jpg');
      if (!existsSync(photo)) return [{ metric: 'analysed frames/s', value: NaN, unit: 'fps', note: 'fixture faces/group_obama_biden.jpg not found' }];
      const dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-bench-camera-'));
      const video = path.join(dir, 'feed.y4m');
      await writeY4m(video, [photo], { width: 1280, height: 720, fps: 15, framesEach: 15 });
      const kiosk = await startKioskWeb();
      const browser = await launchChromium(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`]);
      try {
        const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
        await page.goto(kiosk.loginUrl);
        await page.getByTestId('signin-operator').fill('clerk');
        await page.getByTestId('signin-pin').fill('1111');
        await page.getByTestId('signin-submit').click();
        await page.getByTestId('nav-face').click();
        await page.getByTestId('face-checks').waitFor({ timeout: 60_000 });
        const samples: number[] = [];
        for (let i = 0; i < 10; i++) {
          await page.waitForTimeout(1000);
          samples.push(Number(await page.getByTestId('face-fps').getAttribute('data-fps')));
        }
        samples.sort((a, b) => a - b);
        const median = samples[Math.floor(samples.length / 2)]!;
        return [
          { metric: 'analysed frames/s, median of 10 one-second samples (2 s window)', value: median, unit: 'fps', target: '≥ 10', pass: median >= 10 },
          { metric: 'analysed frames/s, lowest sample', value: samples[0]!, unit: 'fps' },
        ];
      } finally {
        await browser.close();
        await kiosk.stop();
      }
    },
  },
];
