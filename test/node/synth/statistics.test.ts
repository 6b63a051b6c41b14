import { describe, expect, it } from 'vitest';
import { synthesizeImpression, type FingerPosition, type FingerprintClass } from '../../../drivers/synth/index.js';
import { CLASS_PRIOR } from '../../../drivers/synth/classes.js';
import { impressionSetup } from '../../../drivers/synth/impression.js';
import { fingerClassOf } from '../../../drivers/synth/master.js';
import { dominantPeriod } from './helpers.js';

const sample = Array.from({ length: 10 }, (_, k) => ({ subject: `stat-${k}`, finger: ((k * 7) % 10 + 1) as FingerPosition, impression: k % 3 }));

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

describe('image statistics', () => {
  const impressions = sample.map((o) => ({ o, im: synthesizeImpression(o), geometry: impressionSetup(o).geometry }));

  it('has a ridge period of about 9 px (500 ppi) inside the contact area', () => {
    const periods: number[] = [];
    for (const { im, geometry } of impressions) {
      // 64×64 patches fully in contact.
      for (const [cx, cy] of [[112, 160], [176, 160], [112, 224], [176, 224]] as const) {
        let inside = true;
        for (let y = cy - 32; y < cy + 32 && inside; y += 8) for (let x = cx - 32; x < cx + 32 && inside; x += 8) inside = geometry.contact(x, y) >= 1;
        if (inside) periods.push(dominantPeriod(im.pixels, im.width, cx, cy, 64));
      }
    }
    expect(periods.length).toBeGreaterThan(20);
    const median = percentile(periods, 50);
    expect(median).toBeGreaterThan(8);
    expect(median).toBeLessThan(10.5);
    expect(percentile(periods, 10)).toBeGreaterThan(7);
    expect(percentile(periods, 90)).toBeLessThan(12.5);
  });

  it('has dark ridges on a light background with strong contrast', () => {
    for (const { im, geometry } of impressions) {
      const inside: number[] = [];
      const outside: number[] = [];
      for (let y = 0; y < im.height; y += 2) {
        for (let x = 0; x < im.width; x += 2) {
          const c = geometry.contact(x, y);
          if (c >= 1) inside.push(im.pixels[y * im.width + x]!);
          else if (c === 0) outside.push(im.pixels[y * im.width + x]!);
        }
      }
      expect(inside.length).toBeGreaterThan(0.3 * (im.width * im.height) / 4);
      expect(outside.length).toBeGreaterThan(100);
      // Ridges and valleys in contact; light, flat background outside.
      expect(percentile(inside, 95) - percentile(inside, 5)).toBeGreaterThan(120);
      expect(percentile(inside, 10)).toBeLessThan(100);
      expect(percentile(outside, 50)).toBeGreaterThan(190);
      expect(percentile(outside, 95) - percentile(outside, 5)).toBeLessThan(60);
      // About half of the contact area is ridge.
      const cut = (percentile(outside, 50) + percentile(inside, 5)) / 2;
      const dark = inside.filter((v) => v < cut).length / inside.length;
      expect(dark).toBeGreaterThan(0.25);
      expect(dark).toBeLessThan(0.75);
    }
  });

  it('has a realistic number of minutiae for a plain impression', () => {
    const counts = impressions.map(({ im }) => im.minutiae.length);
    expect(percentile(counts, 50)).toBeGreaterThanOrEqual(25);
    expect(percentile(counts, 50)).toBeLessThanOrEqual(60);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(12);
    expect(Math.max(...counts)).toBeLessThanOrEqual(80);
    const all = impressions.flatMap(({ im }) => im.minutiae);
    const endings = all.filter((m) => m.type === 'ending').length / all.length;
    // Both kinds occur in quantity (real prints: roughly 50–70 % endings).
    expect(endings).toBeGreaterThan(0.3);
    expect(endings).toBeLessThan(0.8);
  });
});

describe('class frequencies', () => {
  it('follow the natural distribution (SFinGe table) over many fingers', () => {
    const counts: Record<FingerprintClass, number> = { arch: 0, tented_arch: 0, left_loop: 0, right_loop: 0, whorl: 0 };
    const n = 20_000;
    for (let i = 0; i < n; i++) counts[fingerClassOf(`pop-${i}`, ((i % 10) + 1) as FingerPosition)]++;
    for (const cls of Object.keys(counts) as FingerprintClass[]) {
      const expected = CLASS_PRIOR[cls];
      // ±4 standard deviations of a binomial proportion.
      const sd = Math.sqrt((expected * (1 - expected)) / n);
      expect(Math.abs(counts[cls] / n - expected)).toBeLessThan(4 * sd);
    }
    expect(CLASS_PRIOR.left_loop + CLASS_PRIOR.right_loop).toBeCloseTo(0.655, 2);
    expect(CLASS_PRIOR.whorl).toBeCloseTo(0.279, 3);
  });

  it('makes ulnar loops dominate on each hand (right loops on the right hand)', () => {
    let rightHandRight = 0;
    let leftHandLeft = 0;
    for (let i = 0; i < 2000; i++) {
      if (fingerClassOf(`hand-${i}`, 2) === 'right_loop') rightHandRight++;
      if (fingerClassOf(`hand-${i}`, 7) === 'left_loop') leftHandLeft++;
    }
    expect(rightHandRight / 2000).toBeGreaterThan(0.5);
    expect(leftHandLeft / 2000).toBeGreaterThan(0.5);
  });

  it('gives every impression the class of its finger', () => {
    for (const o of sample.slice(0, 4)) expect(synthesizeImpression(o).fingerClass).toBe(fingerClassOf(o.subject, o.finger));
  });
});
