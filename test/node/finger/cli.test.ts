// `kiosk finger analyze|compare` called through run() with captured streams.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { commands } from '../../../main/cli/commands/finger.js';
import { CliUsageError, type CliIo } from '../../../main/cli/command.js';
import { fixturePath, hasFixture } from '../../helpers/fixtures.js';

function io(cwd: string): { io: CliIo; out: () => string; err: () => string } {
  const stdout = new PassThrough(), stderr = new PassThrough();
  let o = '', e = '';
  stdout.on('data', (d: Buffer) => (o += d.toString()));
  stderr.on('data', (d: Buffer) => (e += d.toString()));
  return { io: { stdout, stderr, cwd, stopSignal: new AbortController().signal }, out: () => o, err: () => e };
}

const cmd = (...p: string[]) => commands.find((c) => c.path.join(' ') === p.join(' '))!;

describe('finger CLI', () => {
  it('exports analyze and compare', () => {
    expect(commands.map((c) => c.path.join(' ')).sort()).toEqual(['finger analyze', 'finger compare']);
  });

  it('rejects missing arguments with a usage error', async () => {
    await expect(cmd('finger', 'analyze').run([], io(os.tmpdir()).io)).rejects.toBeInstanceOf(CliUsageError);
    await expect(cmd('finger', 'compare').run(['one.png'], io(os.tmpdir()).io)).rejects.toBeInstanceOf(CliUsageError);
  });

  describe.skipIf(!hasFixture('fingers', 'sourceafis', 'probe.png'))('on fixture images', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'finger-cli-'));
    for (const n of ['probe', 'matching', 'nonmatching']) copyFileSync(fixturePath('fingers', 'sourceafis', `${n}.png`), path.join(dir, `${n}.png`));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('analyze --json reports quality, feedback and minutiae; an unreadable file is a typed error', async () => {
      const c = io(dir);
      expect(await cmd('finger', 'analyze').run(['probe.png', '--json'], c.io)).toBe(0);
      const r = JSON.parse(c.out()) as { quality: number; feedback: string[]; minutiae: number };
      expect(r.quality).toBeGreaterThan(20);
      expect(r.minutiae).toBeGreaterThan(15);
      expect(Array.isArray(r.feedback)).toBe(true);
      const bad = io(dir);
      expect(await cmd('finger', 'analyze').run(['missing.png'], bad.io)).toBe(1);
      expect(bad.out()).toContain('FINGER_IMAGE_INVALID');
    });

    it('compare --json decides match / no match', async () => {
      const a = io(dir);
      await cmd('finger', 'compare').run(['probe.png', 'matching.png', '--json'], a.io);
      expect(JSON.parse(a.out())).toMatchObject({ match: true });
      const b = io(dir);
      await cmd('finger', 'compare').run(['probe.png', 'nonmatching.png', '--json'], b.io);
      expect(JSON.parse(b.out())).toMatchObject({ match: false });
    });

    it('compare --all --csv lists every pair once', async () => {
      const c = io(dir);
      expect(await cmd('finger', 'compare').run(['--all', dir, '--csv'], c.io)).toBe(0);
      const lines = c.out().trim().split('\n');
      expect(lines[0]).toBe('file_a,file_b,score');
      expect(lines.length).toBe(4);
      const rows = new Map(lines.slice(1).map((l) => [l.split(',').slice(0, 2).join(','), Number(l.split(',')[2])]));
      expect(rows.get('matching.png,probe.png')!).toBeGreaterThan(rows.get('nonmatching.png,probe.png')!);
    });
  });
});
