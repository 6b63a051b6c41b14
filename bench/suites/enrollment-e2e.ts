// The scripted clerk's enrollment (sign-in → receipt) in real Chromium through the browser shell, with the fake
// camera (Y4M of a fixture face) and the demo R30x emulator on a pty (started without its deliberate wire pacing).
// Reports the whole enrollment, the same without the capture waits (camera auto-capture + ten fingers on the
// sensor), the kiosk core's CPU time, and the UI response times the renderer records with the Performance API
// (enrollment:<action>: from the clerk's action to the first paint after the answer is rendered; target ≤ 150 ms).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchChromium } from '../../test/helpers/browser.js';
import { person, runEnrollment, uiMeasures } from '../../test/helpers/enrollment-flow.js';
import { fixturePath } from '../../test/helpers/fixtures.js';
import { startKioskWeb } from '../../test/helpers/kiosk-process.js';
import { writeY4m } from '../../test/helpers/y4m.js';
import { percentile, type Benchmark, type BenchResult } from '../benchmark.js';

/** utime + stime of a process in ms (Linux /proc; clock ticks at 100 Hz), or NaN elsewhere. */
function cpuMsOf(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

const RESULT_NOTES: Record<string, string> = {
  'fingers-bind': 'includes the 1:N duplicate search',
  approve: 'includes sealing the packet and writing the signed receipt PDF',
  'face-override': 'includes verifying the supervisor PIN (scrypt)',
};

export const benchmarks: Benchmark[] = [
  {
    id: 'enrollment-e2e',
    title: 'Scripted enrollment end to end in Chromium (browser shell, fake camera, R30x emulator)',
    async run() {
      const photo = fixturePath('faces', 'lacamoire_2.jpg');
      if (!existsSync(photo)) return [{ metric: 'enrollment, sign-in to receipt', value: NaN, unit: 'ms', note: 'fixture faces/lacamoire_2.jpg not found' }];
      const dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-bench-enroll-'));
      const video = path.join(dir, 'feed.y4m');
      await writeY4m(video, [photo], { width: 1280, height: 720, fps: 10, framesEach: 10 });
      const config = path.join(dir, 'kiosk.json');
      writeFileSync(config, JSON.stringify({ thresholds: { face: { maxYaw: 15 } }, devices: { fingerprint: [{ kind: 'emulated-r30x', id: 'demo-r30x', subject: 'bench-subject' }] } }));
      const kiosk = await startKioskWeb({ extraArgs: ['--config', config] });
      const browser = await launchChromium(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`]);
      try {
        const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
        const cpu0 = cpuMsOf(kiosk.child.pid);
        const r = await runEnrollment(page, kiosk.loginUrl, { locale: 'ar', person: person(0), screenshots: null, receiptPdf: path.join(dir, 'receipt.pdf') });
        const cpu = cpuMsOf(kiosk.child.pid) - cpu0;
        const ui = await uiMeasures(page);
        // Visible response: the busy indicator for actions that go to the core, the inline check for typing.
        const feedback = Object.entries(ui)
          .filter(([k]) => k.endsWith('.feedback') || k === 'demographics-check')
          .flatMap(([, v]) => v)
          .sort((a, b) => a - b);
        const resultTimes = Object.entries(ui).filter(([k]) => !k.endsWith('.feedback'));
        const results: BenchResult[] = [
          { metric: 'enrollment, sign-in to receipt (wall clock)', value: Math.round(r.totalMs), unit: 'ms', note: 'shared 2-core machine: wall clock includes other load' },
          {
            metric: 'enrollment without capture waits (camera auto-capture + 10 fingers on the sensor)',
            value: Math.round(r.totalMs - r.captureMs),
            unit: 'ms',
            note: `capture waits ${Math.round(r.captureMs)} ms; the demo emulator runs without deliberate wire pacing`,
          },
          { metric: 'kiosk core CPU time during the enrollment (all threads)', value: Math.round(cpu), unit: 'ms' },
          ...Object.entries(r.stepMs).map(([step, ms]) => ({ metric: `step ${step} (wall clock, incl. scripted typing)`, value: Math.round(ms), unit: 'ms' })),
          {
            metric: `UI response, action → visible response painted (p95 of ${feedback.length}: busy indicator, inline field check)`,
            value: Math.round(percentile(feedback, 95)),
            unit: 'ms',
            target: '≤ 150',
            pass: percentile(feedback, 95) <= 150,
            note: `max ${Math.round(feedback.at(-1) ?? NaN)} ms`,
          },
        ];
        for (const [action, times] of resultTimes) {
          const sorted = [...times].sort((a, b) => a - b);
          results.push({
            metric: `action → result painted: ${action} (median of ${sorted.length})`,
            value: Math.round(percentile(sorted, 50)),
            unit: 'ms',
            note: `max ${Math.round(sorted.at(-1)!)} ms${RESULT_NOTES[action] ? `; ${RESULT_NOTES[action]}` : ''}`,
          });
        }
        return results;
      } finally {
        await browser.close();
        await kiosk.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
];
