import { describe, expect, it } from 'vitest';
import { impressionParams, impressionGeometry, impressionSetup } from '../../../drivers/synth/impression.js';
import { LruCache } from '../../../drivers/synth/lru.js';
import { createRng, hashParts, hashString } from '../../../drivers/synth/prng.js';
import { synthesizeImpression } from '../../../drivers/synth/index.js';

describe('seeded randomness', () => {
  it('hashes strings deterministically and keeps parts apart', () => {
    expect(hashString('subject-1')).toBe(hashString('subject-1'));
    expect(hashString('subject-1')).not.toBe(hashString('subject-2'));
    expect(hashParts('ab', 'c')).not.toBe(hashParts('a', 'bc'));
    expect(hashParts('a', 1)).not.toBe(hashParts('a', '1'));
  });

  it('draws reproducible, well-spread uniforms and normals', () => {
    const a = createRng(42);
    const b = createRng(42);
    const xs = Array.from({ length: 20_000 }, () => a.next());
    expect(Array.from({ length: 20_000 }, () => b.next())).toEqual(xs);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.49);
    expect(mean).toBeLessThan(0.51);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const r = createRng(7);
    const ns = Array.from({ length: 20_000 }, () => r.normal());
    const m = ns.reduce((s, x) => s + x, 0) / ns.length;
    const v = ns.reduce((s, x) => s + (x - m) ** 2, 0) / ns.length;
    expect(Math.abs(m)).toBeLessThan(0.03);
    expect(v).toBeGreaterThan(0.95);
    expect(v).toBeLessThan(1.05);
  });
});

describe('LRU cache', () => {
  it('evicts the least recently used entry', () => {
    const c = new LruCache<string, number>(2);
    c.set('a', 1);
    c.set('b', 2);
    expect(c.get('a')).toBe(1); // a is now the most recent
    c.set('c', 3);
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe(1);
    expect(c.get('c')).toBe(3);
    expect(c.size).toBe(2);
  });
});

describe('impression geometry', () => {
  it('inverts the distortion and placement exactly enough to carry minutiae', () => {
    for (let k = 0; k < 20; k++) {
      const params = impressionParams(createRng(hashParts('geom', k)));
      const g = impressionGeometry(params, { width: 320, height: 400 }, 288, 384);
      for (const [x, y] of [[160, 200], [60, 80], [280, 350], [100, 300]] as const) {
        const [ix, iy] = g.toImpression(x, y);
        const [bx, by] = g.toMaster(ix, iy);
        expect(Math.hypot(bx - x, by - y)).toBeLessThan(0.01);
      }
    }
  });

  it('keeps rotation within ±15°, limits translation and leaves the contact centre undistorted', () => {
    for (let k = 0; k < 200; k++) {
      const p = impressionParams(createRng(hashParts('params', k)));
      expect(Math.abs(p.rotation)).toBeLessThanOrEqual((15 * Math.PI) / 180);
      expect(Math.hypot(p.tx, p.ty)).toBeLessThanOrEqual(36);
      const g = impressionGeometry(p, { width: 320, height: 400 }, 288, 384);
      // The locked region moves rigidly: two nearby points inside it keep their distance.
      const cx = 144 + p.tx + p.distortion.cx * Math.cos(p.rotation) - p.distortion.cy * Math.sin(p.rotation);
      const cy = 192 + p.ty + p.distortion.cx * Math.sin(p.rotation) + p.distortion.cy * Math.cos(p.rotation);
      const [ax, ay] = g.toMaster(cx, cy);
      const [bx, by] = g.toMaster(cx + 10, cy);
      expect(Math.hypot(bx - ax, by - ay)).toBeCloseTo(10, 6);
    }
  });

  it('drops minutiae outside the contact area and keeps the others inside the frame', () => {
    const options = { subject: 'geom-drop', finger: 5, impression: 4 } as const;
    const { master, geometry } = impressionSetup(options);
    const im = synthesizeImpression(options);
    expect(im.minutiae.length).toBeLessThan(master.minutiae.length);
    for (const m of im.minutiae) expect(geometry.contact(m.x, m.y)).toBeGreaterThanOrEqual(0.99);
  });
});
