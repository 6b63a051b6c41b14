// Shared by the face tests: model and fixture availability (skipping loudly), and fixture lists.
import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { checkModels } from '../../../models/runtime/manifest.js';
import { fixturePath, hasFixture } from '../../helpers/fixtures.js';

export async function hasModels(): Promise<boolean> {
  const report = await checkModels();
  if (report.ok) return true;
  const bad = report.models.filter((m) => m.status !== 'ok').map((m) => `${m.file} (${m.status})`);
  console.warn(`\n*** FACE MODELS NOT AVAILABLE in ${report.modelsDir}: ${bad.join(', ')} — face model tests are SKIPPED. Run \`npm run models\`. ***\n`);
  return false;
}

export const SINGLE_PERSON = [
  'obama_1.jpg',
  'obama_2.jpg',
  'obama_3.jpg',
  'obama_4.jpg',
  'obama_240p.jpg',
  'obama_480p.jpg',
  'obama_720p.jpg',
  'obama_1080p.jpg',
  'obama_small.jpg',
  'biden_1.jpg',
  'biden_2.jpg',
  'harington_1.jpg',
  'harington_2.jpg',
  'harington_3.jpg',
  'leslie_1.jpg',
  'leslie_2.jpg',
  'lacamoire_1.png',
  'lacamoire_2.jpg',
  'lacamoire_3.jpg',
  'miranda_1.png',
] as const;

/** Distinct photos per identity for verification (the resolution ladder repeats obama_1080p's scene, so it is left out). */
export const IDENTITY_PHOTOS = ['obama_1.jpg', 'obama_2.jpg', 'obama_3.jpg', 'obama_4.jpg', 'biden_1.jpg', 'biden_2.jpg', 'harington_1.jpg', 'harington_2.jpg', 'harington_3.jpg', 'leslie_1.jpg', 'leslie_2.jpg', 'lacamoire_1.png', 'lacamoire_2.jpg', 'lacamoire_3.jpg', 'miranda_1.png'] as const;

export const identityOf = (file: string) => file.split('_')[0]!;

export function hasFaceFixtures(): boolean {
  return hasFixture('faces', 'obama_1.jpg') && hasFixture('faces', 'group_obama_biden.jpg');
}

export function face(file: string): Buffer {
  return readFileSync(fixturePath('faces', file));
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** A PNG that is only a header: IHDR declaring width × height RGB, an empty IDAT and IEND. */
export function pngHeader(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', Buffer.alloc(0)), chunk('IEND', Buffer.alloc(0))]);
}

