// `kiosk face analyze|compare`, called through the command objects (the registry is wired by the lead).
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { commands } from '../../../main/cli/commands/face.js';
import { CliUsageError, type CliIo } from '../../../main/cli/command.js';
import { fixturePath, hasFixture } from '../../helpers/fixtures.js';
import { DEFAULT_PAD_THRESHOLD } from '../../../models/face/pad.js';
import { hasFaceFixtures, hasModels } from './helpers.js';

function io(cwd: string) {
  let out = '';
  let err = '';
  const sink = (f: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, cb) {
        f(String(chunk));
        cb();
      },
    });
  const value: CliIo = { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)), cwd, stopSignal: new AbortController().signal };
  return { io: value, out: () => out, err: () => err };
}

const cmd = (name: string) => commands.find((c) => c.path.join(' ') === `face ${name}`)!;

describe('face CLI usage', () => {
  it('exports analyze, calibrate, compare and pad under "face"', () => {
    expect(commands.map((c) => c.path.join(' ')).sort()).toEqual(['face analyze', 'face calibrate', 'face compare', 'face pad']);
  });
  it('rejects missing arguments with a usage error', async () => {
    const t = io(process.cwd());
    await expect(cmd('analyze').run([], t.io)).rejects.toBeInstanceOf(CliUsageError);
    await expect(cmd('compare').run(['one.jpg'], t.io)).rejects.toBeInstanceOf(CliUsageError);
    await expect(cmd('pad').run([], t.io)).rejects.toBeInstanceOf(CliUsageError);
    await expect(cmd('pad').run(['.', '--threshold', '2'], t.io)).rejects.toBeInstanceOf(CliUsageError);
  });
});

describe.skipIf(!((await hasModels()) && hasFaceFixtures()))('face CLI on fixtures', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const faces = fixturePath('faces');

  // Each command starts (and disposes) its own face service, so the tests keep the number of runs small.
  it('analyze --json prints each report; an unreadable file gives exit 1 and its error', { timeout: 120_000 }, async () => {
    const t = io(faces);
    expect(await cmd('analyze').run(['obama_small.jpg', 'no-such-file.jpg', '--json'], t.io)).toBe(1);
    const r = JSON.parse(t.out());
    expect(r['obama_small.jpg'].face.interEyeDistance).toBeGreaterThan(30);
    expect(r['obama_small.jpg'].measures.interEyeDistance.pass).toBe(false);
    const l = r['obama_small.jpg'].liveness;
    expect(l.score).toBeGreaterThanOrEqual(0);
    expect(l.score).toBeLessThanOrEqual(1);
    expect(['bona_fide', 'attack_suspected']).toContain(l.decision);
    expect(l.threshold).toBe(DEFAULT_PAD_THRESHOLD);
    expect(l.challengeRequired).toBe(l.decision !== 'bona_fide');
    expect(r['no-such-file.jpg'].error.code).toBe('NOT_FOUND');
  });

  it('compare a b reports the score and decision', { timeout: 120_000 }, async () => {
    const t = io(faces);
    expect(await cmd('compare').run(['obama_1.jpg', 'obama_4.jpg'], t.io)).toBe(0);
    expect(t.out()).toMatch(/^obama_1\.jpg obama_4\.jpg score 0\.\d{4} MATCH \(threshold 0\.36\)/);
  });

  it('compare --all <dir> --csv lists every pair once', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kiosk-face-cli-'));
    dirs.push(dir);
    for (const f of ['obama_1.jpg', 'obama_4.jpg', 'biden_1.jpg']) copyFileSync(path.join(faces, f), path.join(dir, f));
    const t = io(dir);
    expect(await cmd('compare').run(['--all', '.', '--csv'], t.io)).toBe(0);
    const lines = t.out().trim().split('\n');
    expect(lines[0]).toBe('file_a,file_b,score');
    expect(lines).toHaveLength(4);
    const obama = lines.find((l) => l.startsWith('obama_1.jpg,obama_4.jpg,'))!;
    const cross = lines.find((l) => l.startsWith('biden_1.jpg,obama_1.jpg,'))!;
    expect(Number(obama.split(',')[2])).toBeGreaterThan(0.36);
    expect(Number(cross.split(',')[2])).toBeLessThan(0.36);
  });
});

describe.skipIf(!((await hasModels()) && hasFixture('faces', 'pad-dev', 'attack')))('face pad on pad-dev (the kiosk decision)', () => {
  it('prints BPCER/APCER; passive + challenge: BPCER ≤ 5 %, APCER ≤ 10 %', { timeout: 400_000 }, async () => {
    const t = io(fixturePath('faces'));
    expect(await cmd('pad').run(['pad-dev', '--json'], t.io)).toBe(0);
    const { summary, samples } = JSON.parse(t.out());
    expect(summary).toMatchObject({ bonaFide: 20, attacks: 20, threshold: DEFAULT_PAD_THRESHOLD });
    expect(summary.bpcer).toBeLessThanOrEqual(0.05);
    expect(summary.apcer).toBeLessThanOrEqual(0.1);
    // Every attack the passive cue did not accept was put to the challenge on a still burst, and failed it.
    for (const s of samples.filter((x: { label: string; passiveAccepted: boolean }) => x.label === 'attack' && !x.passiveAccepted)) expect(s.challengePassed, s.file).toBe(false);
    // Class index 1 ranks live above attack frames (the inverted wiring ranked them the other way).
    const mean = (l: string) => {
      const xs = samples.filter((x: { label: string; eyesVisible: boolean }) => x.label === l && x.eyesVisible).map((x: { score: number }) => x.score);
      return xs.reduce((a: number, b: number) => a + b, 0) / xs.length;
    };
    expect(mean('bonafide')).toBeGreaterThan(0.25);
    expect(mean('attack')).toBeLessThan(0.1);
    // Most live people pass on the passive cue and never see the challenge.
    expect(summary.challengeRate).toBeLessThanOrEqual(0.25);
    expect(summary.apcerPassive).toBeLessThanOrEqual(0.05);
  });
});
