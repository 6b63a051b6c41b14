// `kiosk face calibrate` on a subset of lfw-dev (every 8th identity with all its photos; the full set is in
// docs/FACE_QUALITY.md): the kiosk's verification threshold holds FMR ≤ 0.1 % with TAR ≥ 97 % over all pairs, the
// sharpness check passes clean press photos (≤ 10 % flagged) and flags the same photos blurred here, and the plots
// are written as PNG files.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { commands } from '../../../main/cli/commands/face.js';
import type { CliIo } from '../../../main/cli/command.js';
import type { CalibrationResult } from '../../../models/face/calibration/report.js';
import { DEFAULT_MATCH_THRESHOLD } from '../../../models/face/embedding.js';
import { fixturePath, hasFixture } from '../../helpers/fixtures.js';
import { hasModels } from './helpers.js';

const ready = (await hasModels()) && hasFixture('faces', 'lfw-dev', 'pairs.csv');

describe.skipIf(!ready)('face calibration on lfw-dev', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'kiosk-face-cal-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('threshold, sharpness and plots', { timeout: 600_000 }, async () => {
    let text = '';
    const io: CliIo = {
      stdout: new Writable({
        write(c, _e, cb) {
          text += String(c);
          cb();
        },
      }),
      stderr: new Writable({ write: (_c, _e, cb) => cb() }),
      cwd: fixturePath('faces'),
      stopSignal: new AbortController().signal,
    };
    const cmd = commands.find((c) => c.path.join(' ') === 'face calibrate')!;
    expect(await cmd.run(['--lfw', 'lfw-dev', '--every', '8', '--blur-every', '2', '--out', out, '--json'], io)).toBe(0);
    const r = JSON.parse(text) as CalibrationResult;
    const v = r.verification!;
    expect(v.genuinePairs).toBeGreaterThan(100);
    expect(v.impostorPairs).toBeGreaterThan(10_000);
    expect(v.kioskThreshold).toBe(DEFAULT_MATCH_THRESHOLD);
    expect(v.atKioskThreshold.fmr).toBeLessThanOrEqual(0.001);
    expect(v.atKioskThreshold.tar).toBeGreaterThanOrEqual(0.97);
    expect(v.atFmr1.threshold).toBeLessThan(v.atFmr01.threshold);
    const s = r.sharpness!;
    expect(s.cleanFlagged).toBeLessThanOrEqual(0.1);
    expect(s.blurredFlagged).toBeGreaterThanOrEqual(0.9);
    for (const name of ['face-verification-scores.png', 'face-verification-det.png', 'face-sharpness.png']) {
      const meta = await sharp(readFileSync(path.join(out, name))).metadata();
      expect(meta.format, name).toBe('png');
      expect(meta.width, name).toBeGreaterThan(500);
    }
  });
});
