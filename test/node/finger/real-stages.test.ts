// Each extraction stage and the global consolidation on REAL fixture prints (fixtures fingers/fcj2020): foreground
// mask area, orientation against hand-checked directions, minutiae counts, and matching under rotation, shift and
// small overlap. Skips loudly without the fixtures.
import { describe, expect, it } from 'vitest';
import { consolidate, CONSOLIDATION, type Consolidation } from '../../../models/finger/consolidation.js';
import { analyzeFinger, EXTRACTOR_PARAMS } from '../../../models/finger/extract.js';
import { FACING_BROKEN_RIDGE, LEGACY_BROKEN_RIDGE } from '../../../models/finger/minutiae.js';
import { angleDiff } from '../../../models/finger/fields.js';
import { loadGrayImage } from '../../../models/finger/load.js';
import { compareTemplates, MATCH_THRESHOLD, matchSimilarity, normalizeScore, templateFromAnalysis } from '../../../models/finger/matcher.js';
import { orientationAgreement } from '../../../models/finger/orientation-grid.js';
import { MINUTIAE_SCORE_MODEL } from '../../../models/finger/score-scale.js';
import { lastPairs, mccScore } from '../../../models/finger/mcc.js';
import { createTemplate, templateMinutiae, type FingerTemplate, type TemplateMinutia } from '../../../models/finger/template.js';
import { fixturePath, hasFixture } from '../../helpers/fixtures.js';

const has = hasFixture('fingers', 'fcj2020');
const load = (name: string) => loadGrayImage(fixturePath('fingers', 'fcj2020', `${name}.png`));
const share = (m: Uint8Array) => m.reduce((s, v) => s + v, 0) / m.length;

describe.skipIf(!has)('finger stages on real prints (fixtures fingers/fcj2020)', () => {
  it('segmentation: the mask covers the print, not the blank background', async () => {
    // Hand-checked: 111_4_1 is a dry, dotted print in the lower half of a blank frame (≈ half the image);
    // 124_4_3 and 150_7_1 fill most of the frame.
    const cases: [string, number, number][] = [['111_4_1', 0.4, 0.6], ['124_4_3', 0.6, 0.9], ['150_7_1', 0.65, 0.9], ['118_7_2', 0.5, 0.75]];
    for (const [name, lo, hi] of cases) {
      const a = analyzeFinger(await load(name));
      const s = share(a.foreground.mask);
      expect(s, name).toBeGreaterThan(lo);
      expect(s, name).toBeLessThan(hi);
    }
    // The blank top of 111_4_1 (96 rows of faint speckle) has no foreground at all.
    const img = await load('111_4_1');
    const top = analyzeFinger({ ...img, height: 96, pixels: img.pixels.subarray(0, 96 * img.width) });
    expect(share(top.foreground.mask)).toBe(0);
    expect(top.minutiae).toHaveLength(0);
  });

  it('segmentation: a pale print (contrast cut to a sixth, its paler ridges above grey 245) keeps its foreground and most minutiae', async () => {
    const img = await load('124_4_3');
    const pale = { ...img, pixels: img.pixels.map((v) => Math.round(255 - (255 - v) / 6)) };
    const a = analyzeFinger(img), p = analyzeFinger(pale);
    expect(share(p.foreground.mask)).toBeGreaterThan(0.95 * share(a.foreground.mask));
    expect(p.minutiae.length).toBeGreaterThan(0.9 * a.minutiae.length);
    // With the blank-background limit of before (mean 245) the paler part of the print is lost (0.60 of 0.74, 47 of 60).
    const old = analyzeFinger(pale, { ...EXTRACTOR_PARAMS, segmentationMaxMean: 245 });
    expect(share(old.foreground.mask)).toBeLessThan(0.85 * share(a.foreground.mask));
    expect(old.minutiae.length).toBeLessThan(0.85 * a.minutiae.length);
  });

  it('segmentation: the thin white valleys of an over-inked print are foreground; only solid ink (grey mean ≤ 3) is not', async () => {
    // 142_5_3 and 142_5_4: heavily inked thumb prints whose lower half is nearly black with hairline valleys.
    for (const [name, before, now] of [['142_5_3', 10, 14], ['142_5_4', 6, 10]] as const) {
      const img = await load(name);
      const a = analyzeFinger(img), old = analyzeFinger(img, { ...EXTRACTOR_PARAMS, segmentationMinMean: 10 });
      expect(share(a.foreground.mask), name).toBeGreaterThan(share(old.foreground.mask) + 0.03);
      expect(old.minutiae.length, name).toBe(before);
      expect(a.minutiae.length, name).toBe(now);
    }
  });

  it('orientation: ridge directions of a dry, dotted print within 12° of hand-checked values', async () => {
    // Read off 4× enlargements of 111_4_1 (image coordinates: x right, y down, angle from +x towards +y, mod 180°).
    const hand: [number, number, number][] = [[110, 140, -15], [175, 140, 25], [140, 180, 0], [95, 230, -50], [190, 230, 35]];
    const { field: f } = analyzeFinger(await load('111_4_1'));
    for (const [x, y, deg] of hand) {
      const bi = Math.floor(y / f.blockSize) * f.bw + Math.floor(x / f.blockSize);
      const err = Math.abs(angleDiff(f.theta[bi]!, (deg * Math.PI) / 180, Math.PI));
      expect(err, `${x},${y}`).toBeLessThan((12 * Math.PI) / 180);
    }
  });

  it('minutiae: counts within plausible bounds on dry, wet and frame-cut prints, away from the mask border', async () => {
    const bounds: [string, number, number][] = [['111_4_1', 18, 45], ['118_7_2', 12, 35], ['124_4_1', 30, 70], ['124_4_3', 45, 95], ['131_5_2', 15, 40]];
    for (const [name, lo, hi] of bounds) {
      const a = analyzeFinger(await load(name));
      expect(a.minutiae.length, name).toBeGreaterThanOrEqual(lo);
      expect(a.minutiae.length, name).toBeLessThanOrEqual(hi);
      const B = a.foreground.blockSize;
      for (const m of a.minutiae) expect(a.foreground.mask[Math.floor(m.y / B) * a.foreground.bw + Math.floor(m.x / B)]).toBe(1);
      expect(a.medianPeriod).toBeGreaterThan(7);
      expect(a.medianPeriod).toBeLessThan(11.5);
    }
  });

  it('enhancement: the wider filters in incoherent blocks join the dots of a dry print and leave a clear one alone', async () => {
    const inLow = (a: ReturnType<typeof analyzeFinger>) =>
      a.minutiae.filter((m) => a.field.coherence[Math.floor(m.y / a.field.blockSize) * a.field.bw + Math.floor(m.x / a.field.blockSize)]! < 0.3).length;
    // 111_5_1: dry and dotted, most of it below coherence 0.3; uniform σ breaks its ridges into 30 minutiae there.
    const dry = await load('111_5_1');
    // (Both with the broken-ridge rule this test was written with, so that only the enhancement differs.)
    const legacy = { ...EXTRACTOR_PARAMS, brokenRidge: LEGACY_BROKEN_RIDGE };
    const adaptive = analyzeFinger(dry, legacy), uniform = analyzeFinger(dry, { ...legacy, lowCoherenceSmoothing: null });
    expect(inLow(uniform)).toBeGreaterThanOrEqual(25);
    expect(inLow(adaptive)).toBeLessThanOrEqual(inLow(uniform) - 4);
    // 120_4_1: clear print (few incoherent blocks): the same minutiae count, skeleton nearly identical.
    const clear = await load('120_4_1');
    const ca = analyzeFinger(clear, legacy), cu = analyzeFinger(clear, { ...legacy, lowCoherenceSmoothing: null });
    expect(Math.abs(ca.minutiae.length - cu.minutiae.length)).toBeLessThanOrEqual(1);
    let diff = 0;
    for (let i = 0; i < ca.skeleton.length; i++) if (ca.skeleton[i] !== cu.skeleton[i]) diff++;
    expect(diff / ca.skeleton.length).toBeLessThan(0.005);
  });

  it('broken ridges: facing endings in the incoherent blocks of dry prints are joined in pairs, a clear print is untouched', async () => {
    const off = { ...FACING_BROKEN_RIDGE, along: 0, lateral: 0 };
    const key = (m: { x: number; y: number }) => `${m.x},${m.y}`;
    // 111_5_1 and 115_4_1: dry, dotted and faint; the rule removes whole pairs of endings a short gap apart.
    for (const name of ['111_5_1', '115_4_1']) {
      const img = await load(name);
      const withRule = analyzeFinger(img), without = analyzeFinger(img, { ...EXTRACTOR_PARAMS, brokenRidge: off });
      const kept = new Set(withRule.minutiae.map(key));
      const removed = without.minutiae.filter((m) => !kept.has(key(m)));
      expect(removed.length, name).toBeGreaterThanOrEqual(2);
      expect(removed.length % 2, name).toBe(0);
      expect(withRule.minutiae.length, name).toBe(without.minutiae.length - removed.length);
      for (const m of removed) {
        expect(m.type).toBe('ending');
        const partner = removed.filter((o) => o !== m && Math.hypot(o.x - m.x, o.y - m.y) <= 1.6 * withRule.medianPeriod);
        expect(partner.length, `${name} ${key(m)}`).toBeGreaterThanOrEqual(1);
        // Facing: the two directions are roughly opposite.
        expect(partner.some((o) => Math.abs(angleDiff(o.direction, m.direction + Math.PI)) < Math.PI / 4)).toBe(true);
      }
    }
    // 120_4_1: a clear print (few incoherent blocks) keeps exactly its minutiae.
    const clear = await load('120_4_1');
    expect(analyzeFinger(clear).minutiae).toEqual(analyzeFinger(clear, { ...EXTRACTOR_PARAMS, brokenRidge: off }).minutiae);
  });

  it('the extractor parameters are the ones chosen on the training half', () => {
    expect(EXTRACTOR_PARAMS).toEqual({ segmentationStdShare: 0.2, segmentationStdFloor: 4, segmentationMinCoherence: 0.15, segmentationMaxMean: 252, segmentationMinMean: 3, alongSigma: 3.5, orientationSmoothing: 2, lowCoherenceSmoothing: { alongBelow: 0.3, along: 4.5, acrossBelow: 0.5, across: 0.55 }, brokenRidge: FACING_BROKEN_RIDGE });
  });
});

/** A view of a template: rotated by `rot` about the centre, shifted, cropped to x′ < keepX, every 8th minutia dropped. */
function view(t: FingerTemplate, rot: number, dx: number, dy: number, keep: (x: number, y: number) => boolean): FingerTemplate {
  const cx = t.width / 2, cy = t.height / 2, c = Math.cos(rot), s = Math.sin(rot);
  const out: TemplateMinutia[] = [];
  templateMinutiae(t).forEach((m, i) => {
    if (i % 8 === 7) return;
    const x = c * (m.x - cx) - s * (m.y - cy) + cx + dx + ((i * 7) % 5) - 2, y = s * (m.x - cx) + c * (m.y - cy) + cy + dy + ((i * 3) % 5) - 2;
    if (keep(m.x, m.y)) out.push({ ...m, x, y, direction: m.direction + rot });
  });
  return createTemplate(out, t.width, t.height);
}

describe.skipIf(!has)('global consolidation and the score on real prints', () => {
  it('a template consolidated with itself pairs every minutia, and the overlap counts are all of them', async () => {
    const a = analyzeFinger(await load('140_6_3'));
    const t = createTemplate(a.minutiae, a.image.width, a.image.height);
    mccScore(t, t);
    const p = lastPairs();
    const c: Consolidation = { matched: 0, overlapA: 0, overlapB: 0, inliers: 0, c: 1, s: 0, tx: 0, ty: 0 };
    consolidate(t, t, p.a, p.b, p.n, c);
    expect(c.inliers).toBe(p.n);
    expect(c.matched).toBe(t.count);
    expect(c.overlapA).toBe(t.count);
    expect(c.overlapB).toBe(t.count);
  });

  it('matches a view rotated by ±45° and shifted, and one that keeps only a third of the print; not other fingers', async () => {
    const a = analyzeFinger(await load('140_6_3'));
    const t = createTemplate(a.minutiae, a.image.width, a.image.height);
    const ys = templateMinutiae(t).map((m) => m.y).sort((p, q) => p - q);
    const third = ys[Math.floor(ys.length / 3)]!;
    for (const rot of [-Math.PI / 4, Math.PI / 4]) {
      expect(compareTemplates(t, view(t, rot, 30, -25, () => true))).toBeGreaterThanOrEqual(MATCH_THRESHOLD);
      expect(compareTemplates(t, view(t, rot, -20, 15, (_, y) => y <= third))).toBeGreaterThanOrEqual(MATCH_THRESHOLD);
    }
    for (const other of ['111_4_1', '124_4_3', '150_7_1']) {
      const b = analyzeFinger(await load(other));
      expect(compareTemplates(t, createTemplate(b.minutiae, b.image.width, b.image.height))).toBeLessThan(MATCH_THRESHOLD);
    }
  });

  it('minutia reliability: one per minutia, 1–100 around the print median (50); a smudged, heavily inked core gives low values; the consolidation weights by it between version-2 templates', async () => {
    for (const [name, lowest] of [['150_7_1', 100], ['124_4_1', 20]] as const) {
      const a = analyzeFinger(await load(name));
      const r = Array.from(a.reliability).sort((p, q) => p - q);
      expect(r.length, name).toBe(a.minutiae.length);
      expect(r[0]!, name).toBeGreaterThanOrEqual(1);
      expect(r[r.length - 1]!, name).toBeLessThanOrEqual(100);
      expect(r[r.length >> 1]!, name).toBeGreaterThan(25);
      expect(r[r.length >> 1]!, name).toBeLessThan(60);
      expect(r[0]!, name).toBeLessThan(lowest);
    }
    const t = templateFromAnalysis(analyzeFinger(await load('124_4_1')));
    mccScore(t, t);
    const p = lastPairs();
    const c: Consolidation = { matched: 0, overlapA: 0, overlapB: 0, inliers: 0, c: 1, s: 0, tx: 0, ty: 0 };
    consolidate(t, t, p.a, p.b, p.n, c);
    const weights = Array.from(t.quality).reduce((s, q) => s + Math.min(1, q / CONSOLIDATION.reliabilityScale), 0);
    expect(c.matched).toBeCloseTo(weights, 6);
    expect(c.overlapA).toBeCloseTo(weights, 6);
    expect(weights).toBeLessThan(t.count);
  });

  it('orientation term: a print agrees with itself under the identity and with another impression of its finger after alignment, more than with other fingers', async () => {
    const g = async (n: string) => templateFromAnalysis(analyzeFinger(await load(n)));
    const a = await g('150_7_1'), b = await g('150_7_2');
    expect(a.version).toBe(2);
    const self = orientationAgreement(a.orientation!, a.orientationVectors!, a.orientation!, a.orientationVectors!, 1, 0, 0, 0, { overlap: 0, mean: 0 });
    expect(self.overlap).toBe(a.orientationVectors!.cells.length);
    expect(self.mean).toBeGreaterThan(0.999);
    // A 90° rotation of the field disagrees with itself almost everywhere (cos 2·90° = −1) where the cells still overlap.
    const c: Consolidation = { matched: 0, overlapA: 0, overlapB: 0, inliers: 0, c: 1, s: 0, tx: 0, ty: 0 };
    const agreeAfterAlignment = (x: FingerTemplate, y: FingerTemplate) => {
      mccScore(x, y);
      const p = lastPairs();
      consolidate(x, y, p.a, p.b, p.n, c);
      return orientationAgreement(x.orientation!, x.orientationVectors!, y.orientation!, y.orientationVectors!, c.c, c.s, c.tx, c.ty, { overlap: 0, mean: 0 });
    };
    const mate = agreeAfterAlignment(a, b);
    expect(mate.overlap).toBeGreaterThan(100);
    expect(mate.mean).toBeGreaterThan(0.9);
    for (const other of ['111_4_1', '124_4_3']) expect(agreeAfterAlignment(a, await g(other)).mean, other).toBeLessThan(mate.mean);
    // The term raises the genuine similarity above the minutiae-only one (same transform, same minutiae).
    const minutiaeOnly = matchSimilarity(createTemplate(templateMinutiae(a), a.width, a.height), createTemplate(templateMinutiae(b), b.width, b.height));
    expect(matchSimilarity(a, b)).toBeGreaterThan(minutiaeOnly);
    // A pair with a version-1 template (no grid) is read on the minutiae-only scale, so it stays calibrated: the same
    // genuine pair still matches, and an impostor pair stays below the threshold.
    const v1 = (t: FingerTemplate) => createTemplate(templateMinutiae(t), t.width, t.height);
    expect(compareTemplates(v1(a), b)).toBe(normalizeScore(minutiaeOnly, MINUTIAE_SCORE_MODEL));
    expect(compareTemplates(v1(a), b)).toBeGreaterThanOrEqual(MATCH_THRESHOLD);
    expect(compareTemplates(a, b)).toBeGreaterThanOrEqual(MATCH_THRESHOLD);
    expect(compareTemplates(v1(a), await g('124_4_3'))).toBeLessThan(MATCH_THRESHOLD);
  });

  it('the score does not saturate: genuine real pairs keep distinct scores above 100 and the scale is strictly increasing', async () => {
    const names = ['150_7_1', '150_7_2', '150_7_3', '150_7_4'];
    const ts = await Promise.all(names.map(async (n) => { const a = analyzeFinger(await load(n)); return createTemplate(a.minutiae, a.image.width, a.image.height); }));
    const scores: number[] = [];
    for (let i = 0; i < ts.length; i++) for (let j = i + 1; j < ts.length; j++) scores.push(compareTemplates(ts[i]!, ts[j]!));
    expect(new Set(scores.map((s) => s.toFixed(3))).size).toBe(scores.length);
    expect(compareTemplates(ts[0]!, ts[0]!)).toBeGreaterThan(100);
    expect(compareTemplates(ts[0]!, ts[0]!)).toBeGreaterThan(Math.max(...scores));
    let prev = -1;
    for (let r = 0; r <= 3; r += 0.01) {
      const s = normalizeScore(r);
      expect(s).toBeGreaterThan(prev);
      prev = s;
    }
    expect(matchSimilarity(ts[0]!, ts[1]!)).toBeGreaterThan(0);
  });
});

const hasFvc = hasFixture('fingers', 'fvc2000');
const loadFvc = (name: string) => loadGrayImage(fixturePath('fingers', 'fvc2000', `${name}.png`));

describe.skipIf(!hasFvc)('segmentation of faint prints (fixtures fingers/fvc2000)', () => {
  it('a faint print (grey deviation 3–10) keeps its foreground and minutiae; the old 8-level floor lost it', async () => {
    // FVC2000_Db1_110_1: a pale optical capture (mean grey 230, NFIQ 2 score 2) whose ridges are plainly visible.
    const img = await loadFvc('FVC2000_Db1_110_1');
    const a = analyzeFinger(img);
    expect(share(a.foreground.mask)).toBeGreaterThan(0.5);
    expect(a.minutiae.length).toBeGreaterThanOrEqual(20);
    const old = analyzeFinger(img, { ...EXTRACTOR_PARAMS, segmentationStdFloor: 8 });
    expect(share(old.foreground.mask)).toBeLessThan(0.15);
    expect(old.minutiae).toHaveLength(0);
  });

  it('a blank capture with sensor noise (σ 1.5 grey levels) has no foreground and no minutiae', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const pixels = new Uint8Array(300 * 300);
    for (let i = 0; i < pixels.length; i++) {
      const g = Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
      pixels[i] = Math.max(0, Math.min(255, Math.round(225 + 1.5 * g)));
    }
    const a = analyzeFinger({ width: 300, height: 300, pixels, ppi: 500 });
    expect(share(a.foreground.mask)).toBe(0);
    expect(a.minutiae).toHaveLength(0);
  });
});
