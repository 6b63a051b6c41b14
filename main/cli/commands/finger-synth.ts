// `kiosk finger synth`: writes one synthetic fingerprint impression (drivers/synth) as an 8-bit greyscale PNG at 500 ppi,
// optionally with its ground-truth minutiae as JSON.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { synthesizeImpression, type FingerPosition } from '../../../drivers/synth/index.js';
import { option, parseArgs } from '../args.js';
import { CliUsageError, type CliCommand } from '../command.js';

function integer(name: string, raw: string | undefined, fallback?: number): number {
  if (raw === undefined) {
    if (fallback === undefined) throw new CliUsageError(`--${name} is required`);
    return fallback;
  }
  if (!/^-?\d+$/.test(raw)) throw new CliUsageError(`--${name} must be an integer, got "${raw}"`);
  return Number(raw);
}

export const commands: CliCommand[] = [
  {
    path: ['finger', 'synth'],
    summary: 'write a synthetic fingerprint impression (PNG, 500 ppi) and optionally its ground-truth minutiae',
    usage: 'kiosk finger synth --subject ID --finger POS --impression K -o FILE.png [--minutiae FILE.json] [--width W --height H --seed S]',
    async run(args, io) {
      const parsed = parseArgs(args, { string: ['subject', 'finger', 'impression', 'o', 'output', 'minutiae', 'width', 'height', 'seed'] });
      if (parsed.positionals.length > 0) throw new CliUsageError(`unexpected argument ${parsed.positionals[0]}`);
      const subject = option(parsed, 'subject');
      if (!subject) throw new CliUsageError('--subject is required');
      const out = option(parsed, 'o') ?? option(parsed, 'output');
      if (!out) throw new CliUsageError('-o FILE.png is required');
      const finger = integer('finger', option(parsed, 'finger'));
      if (finger < 1 || finger > 10) throw new CliUsageError('--finger must be an ISO/IEC 19794-2 position 1..10');
      const widthRaw = option(parsed, 'width');
      const heightRaw = option(parsed, 'height');
      const impression = synthesizeImpression({
        subject,
        finger: finger as FingerPosition,
        impression: integer('impression', option(parsed, 'impression')),
        seed: integer('seed', option(parsed, 'seed'), 0),
        ...(widthRaw === undefined ? {} : { width: integer('width', widthRaw) }),
        ...(heightRaw === undefined ? {} : { height: integer('height', heightRaw) }),
      });
      const pngPath = path.resolve(io.cwd, out);
      await sharp(Buffer.from(impression.pixels.buffer, impression.pixels.byteOffset, impression.pixels.byteLength), {
        raw: { width: impression.width, height: impression.height, channels: 1 },
      })
        .toColourspace('b-w')
        .withDensity(impression.ppi)
        .png()
        .toFile(pngPath);
      const minutiaePath = option(parsed, 'minutiae');
      if (minutiaePath) {
        const doc = {
          width: impression.width,
          height: impression.height,
          ppi: impression.ppi,
          fingerClass: impression.fingerClass,
          minutiae: impression.minutiae,
        };
        await writeFile(path.resolve(io.cwd, minutiaePath), JSON.stringify(doc, null, 2) + '\n');
      }
      io.stdout.write(`${pngPath}: ${impression.width}x${impression.height} ${impression.fingerClass}, ${impression.minutiae.length} minutiae\n`);
      return 0;
    },
  },
];
