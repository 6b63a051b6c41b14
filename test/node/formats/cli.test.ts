import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../../main/cli/commands/formats.js';
import { CliUsageError, type CliIo } from '../../../main/cli/command.js';
import { KioskError } from '../../../main/contract/errors.js';
import { decodeWsq } from '../../../models/formats/wsq/index.js';
import { fixturePath, hasFixture } from '../../helpers/fixtures.js';
import { psnr, readGrey, syntheticFinger } from './grey.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kiosk-formats-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function io(): { io: CliIo; out: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let text = '';
  stdout.on('data', (c: Buffer) => (text += c.toString()));
  return { io: { stdout, stderr, cwd: dir, stopSignal: new AbortController().signal }, out: () => text };
}

const cmd = (...p: string[]) => commands.find((c) => c.path.join(' ') === p.join(' '))!;

describe('kiosk wsq / an2k commands', () => {
  it('exports wsq encode, wsq decode and an2k dump', () => {
    expect(commands.map((c) => c.path.join(' '))).toEqual(['wsq encode', 'wsq decode', 'an2k dump']);
  });

  it('wsq encode then wsq decode round-trips a PNG', async () => {
    const w = 300;
    const h = 320;
    const px = syntheticFinger(w, h);
    await writeFile(path.join(dir, 'f.png'), await sharp(Buffer.from(px), { raw: { width: w, height: h, channels: 1 } }).png().toBuffer());
    const a = io();
    expect(await cmd('wsq', 'encode').run(['f.png', '--bitrate', '1.5', '-o', 'f.wsq'], a.io)).toBe(0);
    expect(a.out()).toMatch(/^f\.wsq: 300x320 500 ppi, \d+ bytes, ratio [\d.]+:1/);
    const wsq = new Uint8Array(await readFile(path.join(dir, 'f.wsq')));
    expect(decodeWsq(wsq).nistcom?.WSQ_BITRATE).toBe('1.500000');
    const b = io();
    expect(await cmd('wsq', 'decode').run(['f.wsq', '-o', 'g.png'], b.io)).toBe(0);
    expect(b.out()).toContain('g.png: 300x320 500 ppi');
    const meta = await sharp(path.join(dir, 'g.png')).metadata();
    expect([meta.width, meta.height, meta.channels]).toEqual([w, h, 1]);
    const back = await readGrey(path.join(dir, 'g.png'));
    expect(psnr(px, back.pixels)).toBeGreaterThan(33);
  });

  it('reports usage and input errors as typed errors', async () => {
    await expect(cmd('wsq', 'encode').run(['f.png'], io().io)).rejects.toBeInstanceOf(CliUsageError);
    await expect(cmd('wsq', 'encode').run(['x.png', '--bitrate', '-1', '-o', 'y'], io().io)).rejects.toBeInstanceOf(CliUsageError);
    await expect(cmd('wsq', 'decode').run(['missing.wsq', '-o', 'x.png'], io().io)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await writeFile(path.join(dir, 'junk.wsq'), 'not wsq');
    await expect(cmd('wsq', 'decode').run(['junk.wsq', '-o', 'x.png'], io().io)).rejects.toMatchObject({ code: 'WSQ_CORRUPT' });
    await expect(cmd('an2k', 'dump').run(['junk.wsq'], io().io)).rejects.toBeInstanceOf(KioskError);
  });
});

describe.skipIf(!hasFixture('an2k', 'valid1.8.an2'))('kiosk an2k dump on a fixture', () => {
  it('prints records and fields with images summarised, as text and JSON', async () => {
    const a = io();
    expect(await cmd('an2k', 'dump').run([fixturePath('an2k', 'valid1.8.an2')], a.io)).toBe(0);
    expect(a.out()).toContain('record 3: Type-14 (tagged)');
    expect(a.out()).toContain('14.011 CGA: WSQ20');
    expect(a.out()).toContain('14.999 DATA: <WSQ 1600x976, 60152 bytes>');
    expect(a.out()).toContain('1.003 CNT: 1, 4 | 2, 00 | 14, 01 | 14, 02 | 14, 03');
    const j = io();
    expect(await cmd('an2k', 'dump').run([fixturePath('an2k', 'valid1.8.an2'), '--json'], j.io)).toBe(0);
    const dump = JSON.parse(j.out()) as { records: { type: number }[] };
    expect(dump.records.map((r) => r.type)).toEqual([1, 2, 14, 14, 14]);
  });
});
