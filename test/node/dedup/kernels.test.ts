// Numeric kernels: int8 face scoring, top-K, the typed-array gallery, calibration and fusion.
import { describe, expect, it } from 'vitest';
import { faceLlr, fingerImpostorSurvival, fingerLlr, FINGER_CALIBRATION, llrThreshold } from '../../../models/dedup/calibration.js';
import { cosine, faceScores, quantizeFace, topK } from '../../../models/dedup/face-kernel.js';
import { decide, DEFAULT_THRESHOLDS, fuse } from '../../../models/dedup/fusion.js';
import { GalleryMatrix } from '../../../models/dedup/gallery-matrix.js';
import { FACE_DIMS } from '../../../models/dedup/types.js';
import { faces, fingers } from './helpers.js';

describe('face kernel', () => {
  it('int8 scores match float cosines within 0.01 and ignore rows without a face', () => {
    const n = 37;
    const m = new Int8Array(n * FACE_DIMS);
    const scales = new Float32Array(n);
    const rows = Array.from({ length: n }, (_, i) => faces.capture(i, 0));
    rows.forEach((r, i) => (scales[i] = quantizeFace(r, m.subarray(i * FACE_DIMS, (i + 1) * FACE_DIMS))));
    scales[5] = 0;
    const probe = faces.capture(3, 1);
    const out = new Float32Array(n);
    faceScores(m, scales, 0, n, probe, out);
    for (let i = 0; i < n; i++) {
      if (i === 5) expect(out[i]).toBe(-2);
      else expect(Math.abs(out[i]! - cosine(probe, rows[i]!))).toBeLessThan(0.01);
    }
    expect(topK(out, n, 1)).toEqual([3]);
  });

  it('topK returns the k best indices, best first, above a floor', () => {
    const s = Float32Array.from([0.1, 0.9, -0.5, 0.7, 0.3, 0.95]);
    expect(topK(s, 6, 3)).toEqual([5, 1, 3]);
    expect(topK(s, 6, 10, 0.5)).toEqual([5, 1, 3]);
    expect(topK(s, 6, 0)).toEqual([]);
  });
});

describe('GalleryMatrix', () => {
  it('upserts, replaces, removes (moving the last row) and keeps rows consistent', () => {
    const g = new GalleryMatrix(2);
    for (let s = 0; s < 9; s++) g.upsert({ id: `E${s}`, source: s % 2 ? 'regional' : 'local', face: s === 4 ? null : faces.capture(s, 0), fingers: fingers(s, 0, s === 2 ? [] : [1, 6]) });
    expect(g.size).toBe(9);
    const t8 = g.template(g.rowOfId('E8')!, 6);
    expect(g.remove('E1')).toBe(true);
    expect(g.remove('E1')).toBe(false);
    expect(g.size).toBe(8);
    const row8 = g.rowOfId('E8')!;
    expect(g.ids[row8]).toBe('E8');
    expect(g.template(row8, 6)).toEqual(t8);
    expect(g.sourceOf(row8)).toBe('local');
    g.upsert({ id: 'E8', source: 'regional', face: null, fingers: [] });
    expect(g.size).toBe(8);
    expect(g.template(g.rowOfId('E8')!, 6)).toBeNull();
    const c = g.counts();
    expect(c.faces).toBe(6);
    expect(c.fingers).toBe((8 - 2) * 2);
    expect(c.bySource).toEqual({ local: 4, regional: 4, operator: 0 });
  });
});

describe('calibration and fusion', () => {
  it('face LLR is monotone, clamped, positive for genuine-like and negative for impostor-like cosines', () => {
    let prev = -Infinity;
    for (let s = -1; s <= 1; s += 0.01) {
      const l = faceLlr(s);
      expect(l).toBeGreaterThanOrEqual(prev - 1e-9);
      prev = l;
    }
    expect(faceLlr(0.8)).toBe(12);
    expect(faceLlr(0)).toBeLessThan(-5);
  });

  it('finger LLR is the density ratio of the calibrated models: monotone, negative for impostor-range scores, clamped', () => {
    const [s90, p90] = FINGER_CALIBRATION.impostorSurvival[FINGER_CALIBRATION.impostorSurvival.length - 1]!;
    expect(fingerImpostorSurvival(s90)).toBeCloseTo(p90, 6);
    expect(fingerImpostorSurvival(s90 + FINGER_CALIBRATION.tailScale)).toBeCloseTo(p90 / Math.E, 6);
    // The score scale is −10·log10 FMR on real impostors and has no ceiling: the LLR stays monotone far beyond 100.
    let prev = -Infinity;
    for (let s = 0; s <= 400; s += 0.5) {
      const l = fingerLlr(s);
      expect(l).toBeGreaterThanOrEqual(prev - 1e-9);
      prev = l;
    }
    expect(fingerLlr(FINGER_CALIBRATION.impostorMedian)).toBe(FINGER_CALIBRATION.clamp[0]);
    expect(fingerLlr(7)).toBe(FINGER_CALIBRATION.clamp[0]);
    expect(fingerLlr(s90)).toBeLessThan(0);
    expect(fingerLlr(100)).toBe(FINGER_CALIBRATION.clamp[1]);
    expect(fingerLlr(250)).toBe(FINGER_CALIBRATION.clamp[1]);
    expect(fingerLlr(Number.NaN)).toBe(FINGER_CALIBRATION.clamp[0]);
    // Real genuine pairs sit far above the impostor range; FMR 0.01 % (score 40) is clear evidence for a match.
    expect(fingerLlr(40)).toBeGreaterThan(2);
    // An impostor pair seen in the real-pipeline bench (scores 43 and 7) must not add up to a possible duplicate.
    expect(fingerLlr(43) + fingerLlr(7)).toBeLessThan(llrThreshold(DEFAULT_THRESHOLDS.possibleFmr));
  });

  it('converts target FMRs to LLR thresholds and sums evidence over available modalities', () => {
    expect(llrThreshold(1e-4)).toBeCloseTo(9.21, 2);
    expect(decide(10, DEFAULT_THRESHOLDS)).toBe('possible_duplicate');
    expect(decide(14, DEFAULT_THRESHOLDS)).toBe('duplicate');
    const c = fuse({ id: 'x', source: 'local', face: null, faceMissing: 'gallery', fingers: [{ position: 2, score: 100 }, { position: 7, score: 100 }], fingerOneSided: [3] }, DEFAULT_THRESHOLDS);
    expect(c.llr).toBe(16);
    expect(c.decision).toBe('duplicate');
    expect(c.matchedFingers).toEqual([2, 7]);
    expect(c.fingers.find((f) => f.position === 3)).toEqual({ position: 3, score: null, llr: 0, matched: false });
    expect(c.missing).toEqual(['face (gallery)']);
    const one = fuse({ id: 'y', source: 'local', face: null, fingers: [{ position: 2, score: 100 }], fingerOneSided: [] }, DEFAULT_THRESHOLDS);
    expect(one.decision).toBe('no_match');
  });
});

describe('two-stage search over a gallery larger than the exhaustive limit', () => {
  it('shortlists by prefilter + face, finds the duplicate, and exits early on clear non-matches', async () => {
    const { searchGallery, prepareProbe, EXHAUSTIVE_BELOW } = await import('../../../models/dedup/search.js');
    const { mccMatcher, TemplateCache } = await import('../../../models/dedup/matcher.js');
    const g = new GalleryMatrix();
    const n = EXHAUSTIVE_BELOW + 16;
    for (let s = 0; s < n; s++) g.upsert({ id: `E${s}`, source: 'local', face: faces.capture(s, 0), fingers: fingers(s, 0, [1, 2, 6, 7]) });
    const cache = new TemplateCache<ReturnType<typeof mccMatcher.load>>(64);
    const probe = prepareProbe({ face: null, fingers: fingers(40, 1, [1, 2, 6, 7]) }, mccMatcher);
    const r = searchGallery(g, probe, mccMatcher, cache, { limit: 50 });
    expect(r.candidates[0]).toMatchObject({ id: 'E40', decision: 'duplicate' });
    expect(r.comparisons.fingerPrefilter).toBe(4 * n);
    expect(r.comparisons.fingerFull).toBeLessThan(4 * n);
    const early = r.candidates.filter((c) => c.missing.some((m) => m.includes('early exit')));
    expect(early.length).toBeGreaterThan(0);
    expect(early.every((c) => c.decision === 'no_match' && c.fingers.filter((f) => f.score !== null).length === 3)).toBe(true);
  });
});

describe('synthetic helpers', () => {
  it('encodeKft1 writes the same bytes as serializeTemplate', async () => {
    const { encodeKft1, randomMinutiae, mulberry32, templateBytes } = await import('../../../models/dedup/synthetic.js');
    const ms = randomMinutiae(mulberry32(5)).map((m) => ({ ...m, x: Math.round(m.x * 4) / 4, y: Math.round(m.y * 4) / 4 }));
    expect(encodeKft1(ms)).toEqual(templateBytes(ms));
  });
});

describe('WebAssembly SIMD int8 kernel', () => {
  let x = 12345;
  const rnd = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) % 255) - 127;

  it('equals the scalar dot products on the face matrix, and keeps rows when growing', async () => {
    const { Int8RowArena, simdModule } = await import('../../../models/dedup/simd-kernel.js');
    expect(simdModule()).not.toBeNull();
    const rows = 37;
    const simd = new Int8RowArena(rows, true);
    const scalar = new Int8RowArena(rows, false);
    expect([simd.simd, scalar.simd]).toEqual([true, false]);
    for (let i = 0; i < rows * 512; i++) simd.matrix[i] = scalar.matrix[i] = rnd();
    const probe = Int8Array.from({ length: 512 }, rnd);
    const a = Array.from(simd.dots(probe, rows).subarray(0, rows));
    expect(a).toEqual(Array.from(scalar.dots(probe, rows).subarray(0, rows)));
    let want = 0;
    for (let d = 0; d < 512; d++) want += probe[d]! * simd.matrix[5 * 512 + d]!;
    expect(a[5]).toBe(want);
    const before = simd.matrix.slice(0, 512 * rows);
    simd.reserve(rows * 40);
    expect(simd.matrix.subarray(0, 512 * rows)).toEqual(before);
  });

  it('scans each block of the blocked prefilter arena like the scalar kernel, across growth', async () => {
    const { BlockedInt8Arena } = await import('../../../models/dedup/simd-kernel.js');
    const rows = 23;
    const simd = new BlockedInt8Arena(10, 192, rows, true);
    const scalar = new BlockedInt8Arena(10, 192, rows, false);
    for (let b = 0; b < 10; b++) for (let i = 0; i < rows * 192; i++) simd.block(b)[i] = scalar.block(b)[i] = rnd();
    const copies = Array.from({ length: 10 }, (_, b) => simd.block(b).slice(0, rows * 192));
    simd.reserve(rows * 3); // blocks move apart; every block keeps its rows
    for (let b = 0; b < 10; b++) expect(simd.block(b).subarray(0, rows * 192)).toEqual(copies[b]);
    const probe = Int8Array.from({ length: 180 }, rnd);
    for (const b of [0, 4, 9]) {
      const got = Array.from(simd.dots(probe, rows, b).subarray(0, rows));
      expect(got).toEqual(Array.from(scalar.dots(probe, rows, b).subarray(0, rows)));
      let want = 0;
      for (let d = 0; d < 180; d++) want += probe[d]! * copies[b]![7 * 192 + d]!;
      expect(got[7]).toBe(want);
    }
  });
});
