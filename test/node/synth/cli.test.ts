import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesizeImpression } from '../../../drivers/synth/index.js';
import { CliUsageError, type CliIo } from '../../../main/cli/command.js';
import { commands } from '../../../main/cli/commands/finger-synth.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'finger-synth-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function io(): { io: CliIo; out: () => string } {
  let text = '';
  const stdout = new Writable({
    write(chunk, _enc, cb) {
      text += String(chunk);
      cb();
    },
  });
  return { io: { stdout, stderr: stdout, cwd: dir, stopSignal: new AbortController().signal }, out: () => text };
}

const command = commands.find((c) => c.path.join(' ') === 'finger synth')!;

describe('kiosk finger synth', () => {
  it('writes the impression as a 500 ppi greyscale PNG and the minutiae as JSON', async () => {
    const { io: cliIo, out } = io();
    const code = await command.run(['--subject', 'cli-1', '--finger', '6', '--impression', '1', '-o', 'print.png', '--minutiae', 'print.json', '--width', '256', '--height', '320', '--seed', '3'], cliIo);
    expect(code).toBe(0);
    expect(out()).toContain('256x320');
    const expected = synthesizeImpression({ subject: 'cli-1', finger: 6, impression: 1, width: 256, height: 320, seed: 3 });
    const meta = await sharp(path.join(dir, 'print.png')).metadata();
    expect(meta.channels).toBe(1);
    expect(meta.width).toBe(256);
    expect(meta.height).toBe(320);
    expect(meta.density).toBe(500);
    const { data, info } = await sharp(path.join(dir, 'print.png')).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(1);
    expect(Buffer.compare(data, Buffer.from(expected.pixels))).toBe(0);
    const json = JSON.parse(await readFile(path.join(dir, 'print.json'), 'utf8'));
    expect(json.fingerClass).toBe(expected.fingerClass);
    expect(json.minutiae).toEqual(expected.minutiae);
  });

  it('reports usage errors for missing or malformed options', async () => {
    const { io: cliIo } = io();
    await expect(command.run(['--finger', '1', '--impression', '0', '-o', 'x.png'], cliIo)).rejects.toThrow(CliUsageError);
    await expect(command.run(['--subject', 's', '--finger', '11', '--impression', '0', '-o', 'x.png'], cliIo)).rejects.toThrow(CliUsageError);
    await expect(command.run(['--subject', 's', '--finger', '1', '--impression', 'one', '-o', 'x.png'], cliIo)).rejects.toThrow(CliUsageError);
    await expect(command.run(['--subject', 's', '--finger', '1', '--impression', '0'], cliIo)).rejects.toThrow(CliUsageError);
    await expect(command.run(['--subject', 's', '--finger', '1', '--impression', '0', '-o', 'x.png', '--bogus'], cliIo)).rejects.toThrow(CliUsageError);
    await expect(command.run(['--subject', 's', '--finger', '1', '--impression', '0', '-o', 'x.png', '--width', '9'], cliIo)).rejects.toThrow(
      expect.objectContaining({ code: 'SYNTH_INVALID_OPTIONS' }),
    );
  });
});
