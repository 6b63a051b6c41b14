// Quality score and actionable feedback, including bad input that must never crash.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { QUALITY_MODEL } from '../../../models/finger/calibration/quality-model.js';
import { spearman } from '../../../models/finger/calibration/ridge.js';
import { FingerImageInvalidError } from '../../../models/finger/errors.js';
import { loadGrayImage } from '../../../models/finger/load.js';
import { assessQuality } from '../../../models/finger/quality.js';
import { fixturePath, hasFixture } from '../../helpers/fixtures.js';
import { ridgeImage } from './helpers.js';

describe('finger quality: bad input', () => {
  it('blank and all-black images score 0 with UNIFORM_IMAGE', () => {
    for (const v of [255, 0, 128]) {
      const q = assessQuality({ width: 300, height: 300, pixels: new Uint8Array(90_000).fill(v) });
      expect(q.score).toBe(0);
      expect(q.feedback).toContain('UNIFORM_IMAGE');
    }
  });

  it('faint ridges score 0 with EMPTY_OR_LOW_CONTRAST', () => {
    const q = assessQuality(ridgeImage(300, 300, 0.8, 9, Infinity, 4));
    expect(q.score).toBe(0);
    expect(q.feedback).toContain('EMPTY_OR_LOW_CONTRAST');
  });

  it('a small patch of ridges scores 0 with TOO_LITTLE_FOREGROUND', () => {
    const q = assessQuality(ridgeImage(300, 300, 0.8, 9, 40));
    expect(q.score).toBe(0);
    expect(q.feedback).toContain('TOO_LITTLE_FOREGROUND');
  });

  it('random noise is not a fingerprint: score 0, TOO_LITTLE_FOREGROUND', () => {
    let s = 1;
    const pixels = Uint8Array.from({ length: 90_000 }, () => ((s = (s * 1103515245 + 12345) % 2147483648) >> 16) & 255);
    const q = assessQuality({ width: 300, height: 300, pixels });
    expect(q.score).toBe(0);
    expect(q.feedback).toContain('TOO_LITTLE_FOREGROUND');
  });

  it('parallel ridges without minutiae get TOO_FEW_MINUTIAE and score 0', () => {
    const q = assessQuality(ridgeImage(300, 300, 0.8, 9, 130));
    expect(q.feedback).toContain('TOO_FEW_MINUTIAE');
    expect(q.score).toBe(0);
  });

  it('tiny, huge, inconsistent and undecodable input throw FINGER_IMAGE_INVALID', async () => {
    const bad = [
      { width: 20, height: 20, pixels: new Uint8Array(400) },
      { width: 3000, height: 300, pixels: new Uint8Array(900_000) },
      { width: 300, height: 300, pixels: new Uint8Array(10) },
      { width: -1, height: 300, pixels: new Uint8Array(0) },
    ];
    for (const img of bad) {
      expect(() => assessQuality(img)).toThrow(FingerImageInvalidError);
    }
    await expect(loadGrayImage(new Uint8Array([1, 2, 3, 4]))).rejects.toMatchObject({ code: 'FINGER_IMAGE_INVALID' });
    await expect(loadGrayImage('/nonexistent/finger.png')).rejects.toBeInstanceOf(FingerImageInvalidError);
  });

  describe.skipIf(!hasFixture('faces', 'obama_1.jpg'))('non-finger photo', () => {
    it('a face portrait scores 0 with TOO_LITTLE_FOREGROUND', async () => {
      const q = assessQuality(await loadGrayImage(fixturePath('faces', 'obama_1.jpg')));
      expect(q.score).toBe(0);
      expect(q.feedback).toContain('TOO_LITTLE_FOREGROUND');
    });
  });
});

describe.skipIf(!hasFixture('fingers', 'fvc2000', 'nfiq2_scores.csv'))('finger quality vs NFIQ 2 (FVC fixtures)', () => {
  it('the stored model was cross-validated at Spearman ≥ 0.8 and still ranks a subset like NFIQ 2', async () => {
    expect(QUALITY_MODEL.cvSpearman).toBeGreaterThanOrEqual(0.8);
    const dir = fixturePath('fingers', 'fvc2000');
    const nfiq = new Map(
      readFileSync(`${dir}/nfiq2_scores.csv`, 'utf8').trim().split('\n').slice(1).map((l) => [l.split(';')[0]!, Number(l.split(';')[1])] as const),
    );
    const files = readdirSync(dir).filter((f) => nfiq.has(f)).sort().filter((_, i) => i % 4 === 0);
    const ours: number[] = [], theirs: number[] = [];
    for (const f of files) {
      const q = assessQuality(await loadGrayImage(`${dir}/${f}`));
      expect(q.score).toBeGreaterThanOrEqual(0);
      expect(q.score).toBeLessThanOrEqual(100);
      ours.push(q.score);
      theirs.push(nfiq.get(f)!);
    }
    expect(files.length).toBeGreaterThan(20);
    expect(spearman(ours, theirs)).toBeGreaterThan(0.75);
  });
});
