import { describe, expect, it } from 'vitest';
import { impressionGeometryOf, synthesizeImpression, type FingerPosition, type GroundTruthMinutia } from '../../../drivers/synth/index.js';
import { extractMinutiae } from '../../../drivers/synth/minutiae.js';
import { angleDiff, binarise, pairingScore } from './helpers.js';

const DEG = Math.PI / 180;

/** Fraction of A's minutiae (those that land inside B's contact area) with a B minutia of the same type within 4 px and 15°. */
function correspondence(a: { subject: string; finger: FingerPosition; impression: number }, b: { subject: string; finger: FingerPosition; impression: number }): { fraction: number; compared: number } {
  const sa = { geometry: impressionGeometryOf(a) };
  const sb = { geometry: impressionGeometryOf(b) };
  const ia = synthesizeImpression(a);
  const ib = synthesizeImpression(b);
  let compared = 0;
  let found = 0;
  for (const m of ia.minutiae) {
    const [mx, my] = sa.geometry.toMaster(m.x, m.y);
    const [x, y] = sb.geometry.toImpression(mx, my);
    const [mx2, my2] = sa.geometry.toMaster(m.x + 4 * Math.cos(m.direction), m.y - 4 * Math.sin(m.direction));
    const [x2, y2] = sb.geometry.toImpression(mx2, my2);
    const dir = Math.atan2(-(y2 - y), x2 - x);
    if (x < 12 || y < 12 || x > ib.width - 12 || y > ib.height - 12 || sb.geometry.contact(x, y) < 1) continue;
    compared++;
    if (ib.minutiae.some((n) => n.type === m.type && Math.hypot(n.x - x, n.y - y) <= 4 && angleDiff(n.direction, dir) < 15 * DEG)) found++;
  }
  return { fraction: compared === 0 ? 0 : found / compared, compared };
}

describe('identity preservation', () => {
  const subjects = ['id-a', 'id-b', 'id-c', 'id-d'];

  it('maps the ground truth of one impression onto another impression of the same finger through the known transforms', () => {
    for (const [k, subject] of subjects.entries()) {
      const finger = ((k % 10) + 1) as FingerPosition;
      const r = correspondence({ subject, finger, impression: 0 }, { subject, finger, impression: 1 });
      expect(r.compared).toBeGreaterThan(10);
      expect(r.fraction).toBeGreaterThan(0.9);
    }
  });

  it('finds no such correspondence between different fingers', () => {
    for (const [k, subject] of subjects.entries()) {
      const finger = ((k % 10) + 1) as FingerPosition;
      const other = correspondence({ subject, finger, impression: 0 }, { subject: `${subject}-other`, finger, impression: 1 });
      expect(other.fraction).toBeLessThan(0.15);
      const sibling = correspondence({ subject, finger, impression: 0 }, { subject, finger: (finger === 10 ? 9 : finger + 1) as FingerPosition, impression: 0 });
      expect(sibling.fraction).toBeLessThan(0.15);
    }
  });

  it('lets an alignment-free minutiae pairing tell same finger from different fingers', () => {
    const same: number[] = [];
    const different: number[] = [];
    for (const [k, subject] of subjects.entries()) {
      const finger = ((k * 3) % 10 + 1) as FingerPosition;
      const a = synthesizeImpression({ subject, finger, impression: 2 });
      const b = synthesizeImpression({ subject, finger, impression: 5 });
      const c = synthesizeImpression({ subject: `${subject}-impostor`, finger, impression: 5 });
      same.push(pairingScore(a.minutiae, b.minutiae));
      different.push(pairingScore(a.minutiae, c.minutiae));
    }
    expect(Math.min(...same)).toBeGreaterThan(0.6);
    expect(Math.max(...different)).toBeLessThan(0.45);
    expect(Math.min(...same)).toBeGreaterThan(Math.max(...different) + 0.2);
  });

  it('puts the ground-truth minutiae where the rendered ridges actually end or fork', () => {
    for (const subject of ['px-a', 'px-b', 'px-c']) {
      const options = { subject, finger: 7 as FingerPosition, impression: 1 };
      const im = synthesizeImpression(options);
      const geometry = impressionGeometryOf(options);
      const mask = new Uint8Array(im.width * im.height);
      for (let y = 0; y < im.height; y++) for (let x = 0; x < im.width; x++) mask[y * im.width + x] = geometry.contact(x, y) > 0.99 ? 1 : 0;
      const extracted = extractMinutiae(binarise(im.pixels, im.width, im.height), im.width, im.height, { border: 8, mask });
      const near = (m: GroundTruthMinutia) => extracted.find((e) => Math.hypot(e.x - m.x, e.y - m.y) <= 6);
      const found = im.minutiae.map(near).filter((e) => e !== undefined);
      expect(found.length / im.minutiae.length).toBeGreaterThan(0.5);
      const agreeing = im.minutiae.filter((m) => {
        const e = near(m);
        return e !== undefined && angleDiff(e.direction, m.direction) < 30 * DEG;
      });
      expect(agreeing.length / found.length).toBeGreaterThan(0.8);
    }
  });
});
