// Model runtime: decoding untrusted images (typed errors, limits before decoding, orientation, colour spaces) and the
// model-file integrity check that capture relies on.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeImage, fromRgba } from '../../../models/runtime/image.js';
import { ImageInvalidError, ImageTooLargeError, ModelCorruptError, ModelMissingError } from '../../../models/runtime/errors.js';
import { assertModels, checkModels, defaultModelsDir, loadManifest } from '../../../models/runtime/manifest.js';
import { createFaceService } from '../../../models/face/service.js';
import { checkModels as cliCheckModels } from '../../../main/cli/commands/face.js';
import { hasModels, pngHeader } from './helpers.js';

async function gradient(width: number, height: number): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raw.set([x % 256, y % 256, 128], (y * width + x) * 3);
  return sharp(raw, { raw: { width, height, channels: 3 } }).jpeg().toBuffer();
}

describe('decodeImage', () => {
  it('decodes RGB JPEG to packed RGB', async () => {
    const img = await decodeImage(await gradient(64, 48));
    expect([img.width, img.height, img.data.length]).toEqual([64, 48, 64 * 48 * 3]);
  });

  it('accepts grey and RGBA (flattened on white) and returns 3 channels', async () => {
    const grey = await sharp(await gradient(40, 30)).toColourspace('b-w').png().toBuffer();
    expect((await sharp(grey).metadata()).channels).toBe(1);
    const g = await decodeImage(grey);
    expect(g.data.length).toBe(40 * 30 * 3);
    expect(g.data[0]).toBe(g.data[1]);
    const rgba = await sharp({ create: { width: 10, height: 10, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
    const a = await decodeImage(rgba);
    expect(Array.from(a.data.slice(0, 3))).toEqual([255, 255, 255]);
  });

  it('converts a CMYK JPEG to sRGB', async () => {
    const cmyk = await sharp({ create: { width: 32, height: 32, channels: 3, background: { r: 200, g: 30, b: 30 } } }).toColourspace('cmyk').jpeg().toBuffer();
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
    const img = await decodeImage(cmyk);
    expect(img.data.length).toBe(32 * 32 * 3);
    expect(img.data[0]!).toBeGreaterThan(img.data[1]! + 80);
  });

  it('honours EXIF orientation', async () => {
    const jpeg = await sharp(await gradient(60, 20)).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    expect((await sharp(jpeg).metadata()).orientation).toBe(6);
    const img = await decodeImage(jpeg);
    expect([img.width, img.height]).toEqual([20, 60]);
  });

  it('rejects a truncated JPEG, non-image bytes and empty input with ImageInvalidError', async () => {
    const jpeg = await gradient(200, 200);
    await expect(decodeImage(jpeg.subarray(0, Math.floor(jpeg.length / 2)))).rejects.toBeInstanceOf(ImageInvalidError);
    await expect(decodeImage(Buffer.from('definitely not an image, just text'))).rejects.toMatchObject({ code: 'IMAGE_INVALID' });
    await expect(decodeImage(new Uint8Array(0))).rejects.toMatchObject({ code: 'IMAGE_INVALID' });
  });

  it('rejects a 0×0 image', async () => {
    await expect(decodeImage(pngHeader(0, 0))).rejects.toBeInstanceOf(ImageInvalidError);
    expect(() => fromRgba(new Uint8Array(0), 0, 0)).toThrow(ImageInvalidError);
  });

  it('refuses a 30000×30000 PNG header before decoding, with bounded memory', async () => {
    const bomb = pngHeader(30000, 30000);
    expect(bomb.length).toBeLessThan(100);
    const before = process.memoryUsage().rss;
    const error = await decodeImage(bomb).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageTooLargeError);
    expect((error as ImageTooLargeError).details).toMatchObject({ width: 30000, height: 30000 });
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('validates raw RGBA frames', () => {
    const f = fromRgba(new Uint8Array([1, 2, 3, 255, 4, 5, 6, 255]), 2, 1);
    expect(Array.from(f.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => fromRgba(new Uint8Array(7), 2, 1)).toThrow(ImageInvalidError);
    expect(() => fromRgba(new Uint8Array(4), 50000, 50000)).toThrow(ImageTooLargeError);
  });
});

describe('manifest', () => {
  it('pins every face model with source, licence, layout and SHA-256', () => {
    const m = loadManifest();
    for (const id of ['detect', 'landmark', 'eye', 'pose', 'liveness', 'feature']) {
      const e = m.models[id]!;
      expect(e.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(m.sources[e.source]).toBeDefined();
      expect(e.declaredLicense.length).toBeGreaterThan(0);
      expect(e.input.shape[0]).toBe(1);
      expect(e.outputs.length).toBeGreaterThan(0);
    }
  });
});

describe.skipIf(!(await hasModels()))('model integrity check', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(path.join(tmpdir(), 'kiosk-models-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('verifies the provisioned files', async () => {
    const r = await checkModels();
    expect(r.ok).toBe(true);
    expect(r.models.map((m) => m.status)).toEqual(Array(6).fill('ok'));
    expect((await cliCheckModels()).ok).toBe(true);
  });

  it('reports missing and corrupt files, and assertModels throws the typed error', async () => {
    const dir = tmp();
    const empty = await checkModels(dir);
    expect(empty.ok).toBe(false);
    expect(empty.models.every((m) => m.status === 'missing')).toBe(true);
    await expect(assertModels(dir)).rejects.toBeInstanceOf(ModelMissingError);

    const src = defaultModelsDir();
    const manifest = loadManifest();
    for (const e of Object.values(manifest.models)) copyFileSync(path.join(src, e.file), path.join(dir, e.file));
    const eye = path.join(dir, manifest.models.eye!.file);
    const bytes = readFileSync(eye);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff;
    writeFileSync(eye, bytes);
    const r = await checkModels(dir);
    expect(r.models.find((m) => m.id === 'eye')!.status).toBe('corrupt');
    expect(r.models.filter((m) => m.status === 'ok')).toHaveLength(5);
    await expect(assertModels(dir)).rejects.toMatchObject({ code: 'MODEL_CORRUPT', details: { models: ['eye'] } });
  });

  it('the face service refuses to start without verified models', async () => {
    await expect(createFaceService({ modelsDir: tmp(), workers: 1 })).rejects.toBeInstanceOf(ModelMissingError);
    const dir = tmp();
    const manifest = loadManifest();
    for (const e of Object.values(manifest.models)) writeFileSync(path.join(dir, e.file), 'not a model');
    await expect(createFaceService({ modelsDir: dir, workers: 1 })).rejects.toBeInstanceOf(ModelCorruptError);
  });
});
