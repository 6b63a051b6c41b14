// `kiosk wsq …` and `kiosk an2k …`: WSQ encode/decode of fingerprint images and ANSI/NIST-ITL transaction dumps
// (models/formats). `an2k make --enrollment RID` waits for the enrollment store and is not provided yet.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { KioskError } from '../../contract/errors.js';
import { flag, option, parseArgs } from '../args.js';
import { CliUsageError, type CliCommand, type CliIo } from '../command.js';
import { dumpAn2k, readAn2k } from '../../../models/formats/an2k/index.js';
import { decodeWsq, encodeWsq, DEFAULT_BIT_RATE } from '../../../models/formats/wsq/index.js';

function write(io: CliIo, text: string): void {
  io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

async function readInput(io: CliIo, rel: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path.resolve(io.cwd, rel)));
  } catch (e) {
    throw new KioskError('NOT_FOUND', `cannot read ${rel}`, { cause: e, details: { file: rel } });
  }
}

function outputPath(io: CliIo, parsed: ReturnType<typeof parseArgs>, command: string): string {
  const out = option(parsed, 'o') ?? option(parsed, 'output');
  if (!out) throw new CliUsageError(`${command} needs -o <file>`);
  return path.resolve(io.cwd, out);
}

function positiveNumber(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new CliUsageError(`--${name} must be a positive number`);
  return n;
}

const wsqEncode: CliCommand = {
  path: ['wsq', 'encode'],
  summary: `Compress a greyscale fingerprint image to WSQ (FBI WSQ 3.1, default ${DEFAULT_BIT_RATE} bpp)`,
  usage: 'kiosk wsq encode <image.png> [--bitrate 0.75] [--ppi 500] -o out.wsq',
  async run(args, io) {
    const p = parseArgs(args, { string: ['bitrate', 'ppi', 'o', 'output'] });
    if (p.positionals.length !== 1) throw new CliUsageError('wsq encode needs exactly one input image');
    const out = outputPath(io, p, 'wsq encode');
    const bitRate = positiveNumber(option(p, 'bitrate'), 'bitrate', DEFAULT_BIT_RATE);
    const input = await readInput(io, p.positionals[0]!);
    let img: { data: Buffer; info: { width: number; height: number }; density: number | undefined };
    try {
      const s = sharp(input);
      const meta = await s.metadata();
      const { data, info } = await s.greyscale().raw().toBuffer({ resolveWithObject: true });
      img = { data, info, density: meta.density };
    } catch (e) {
      throw new KioskError('VALIDATION_FAILED', `${p.positionals[0]} is not a readable image`, { cause: e });
    }
    const ppi = positiveNumber(option(p, 'ppi'), 'ppi', img.density && img.density >= 250 ? Math.round(img.density) : 500);
    const pixels = new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.length);
    const t0 = performance.now();
    const wsq = encodeWsq(pixels, img.info.width, img.info.height, { bitRate, ppi });
    const ms = performance.now() - t0;
    await writeFile(out, wsq);
    write(io, `${path.relative(io.cwd, out)}: ${img.info.width}x${img.info.height} ${ppi} ppi, ${wsq.length} bytes, ratio ${(pixels.length / wsq.length).toFixed(1)}:1, ${ms.toFixed(0)} ms`);
    return 0;
  },
};

const wsqDecode: CliCommand = {
  path: ['wsq', 'decode'],
  summary: 'Decompress a WSQ file to an 8-bit greyscale PNG',
  usage: 'kiosk wsq decode <file.wsq> -o out.png',
  async run(args, io) {
    const p = parseArgs(args, { string: ['o', 'output'] });
    if (p.positionals.length !== 1) throw new CliUsageError('wsq decode needs exactly one input file');
    const out = outputPath(io, p, 'wsq decode');
    const bytes = await readInput(io, p.positionals[0]!);
    const img = decodeWsq(bytes);
    const png = await sharp(Buffer.from(img.pixels.buffer, img.pixels.byteOffset, img.pixels.length), { raw: { width: img.width, height: img.height, channels: 1 } })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    await writeFile(out, png);
    write(io, `${path.relative(io.cwd, out)}: ${img.width}x${img.height}${img.ppi ? ` ${img.ppi} ppi` : ''}`);
    return 0;
  },
};

const an2kDump: CliCommand = {
  path: ['an2k', 'dump'],
  summary: 'List the records and fields of an ANSI/NIST-ITL transaction (images summarised)',
  usage: 'kiosk an2k dump <file> [--json]',
  async run(args, io) {
    const p = parseArgs(args, { boolean: ['json'] });
    if (p.positionals.length !== 1) throw new CliUsageError('an2k dump needs exactly one file');
    const dump = dumpAn2k(readAn2k(await readInput(io, p.positionals[0]!)));
    if (flag(p, 'json')) {
      write(io, JSON.stringify(dump, null, 2));
      return 0;
    }
    const lines: string[] = [];
    dump.records.forEach((r, i) => {
      lines.push(`record ${i + 1}: Type-${r.type} (${r.kind}${r.idc !== undefined ? `, IDC ${r.idc}` : ''})`);
      for (const f of r.fields) {
        const label = f.name ? `${f.tag} ${f.name}` : f.tag;
        if (f.image) {
          const im = f.image;
          const size = im.width !== undefined ? ` ${String(im.width)}x${String(im.height)}` : '';
          lines.push(`  ${label}: <${String(im.format ?? 'binary')}${size}, ${String(im.bytes)} bytes>`);
        } else lines.push(`  ${label}: ${f.value ?? ''}`);
      }
    });
    write(io, lines.join('\n'));
    return 0;
  },
};

export const commands: CliCommand[] = [wsqEncode, wsqDecode, an2kDump];
