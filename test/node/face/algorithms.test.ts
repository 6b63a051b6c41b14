// Pure parts of the face pipeline: geometry, NMS and face choice, token geometry, comparison, active PAD, scoring.
import { describe, expect, it } from 'vitest';
import { applyAffine, rectToAffine, warpAffine, invertAffine } from '../../../models/runtime/raster.js';
import { decodeDetections, nms, selectPrimary, type DetectedFace } from '../../../models/face/detect.js';
import { similarityTransform, type Point } from '../../../models/face/geometry.js';
import { tokenGeometry } from '../../../models/face/token.js';
import { compare, DEFAULT_MATCH_THRESHOLD, isMatch } from '../../../models/face/embedding.js';
import { activeFrameOf, chooseAcceptThreshold, DEFAULT_PAD_THRESHOLD, detectBlink, detectTurn, padErrorRates, passivePad } from '../../../models/face/pad.js';
import { buildMeasures, summarise, type RawMeasures } from '../../../models/face/quality.js';
import { DEFAULT_THRESHOLDS, resolveThresholds } from '../../../models/face/thresholds.js';
import { MEASURE_IDS } from '../../../models/face/types.js';

const box = (x1: number, y1: number, x2: number, y2: number, score: number): DetectedFace => ({ x1, y1, x2, y2, score });

describe('similarity transform (Umeyama)', () => {
  it('recovers rotation, scale and translation exactly from noiseless points', () => {
    const angle = 0.3;
    const s = 1.7;
    const m = [s * Math.cos(angle), -s * Math.sin(angle), 12, s * Math.sin(angle), s * Math.cos(angle), -5] as const;
    const src: Point[] = [
      [10, 20],
      [50, 22],
      [30, 40],
      [15, 60],
      [45, 61],
    ];
    const dst = src.map((p) => applyAffine(m, p[0], p[1]));
    const got = similarityTransform(src, dst);
    got.forEach((v, i) => expect(v).toBeCloseTo(m[i]!, 6));
  });

  it('maps two points exactly (eye alignment)', () => {
    const t = similarityTransform(
      [
        [100, 100],
        [160, 110],
      ],
      [
        [0, 0],
        [10, 0],
      ],
    );
    const a = applyAffine(t, 100, 100);
    const b = applyAffine(t, 160, 110);
    expect(a[0]).toBeCloseTo(0, 6);
    expect(a[1]).toBeCloseTo(0, 6);
    expect(b[0]).toBeCloseTo(10, 6);
    expect(b[1]).toBeCloseTo(0, 6);
  });
});

describe('warpAffine', () => {
  it('reproduces the image under the identity and averages when shrinking', () => {
    const img = { data: new Uint8Array(8 * 8 * 3).map((_, i) => (i * 7) % 256), width: 8, height: 8 };
    expect(Array.from(warpAffine(img, 3, [1, 0, 0, 0, 1, 0], 8, 8))).toEqual(Array.from(img.data));
    const checker = { data: new Uint8Array(64).map((_, i) => ((i % 8) + Math.floor(i / 8)) % 2 === 0 ? 0 : 200), width: 8, height: 8 };
    const small = warpAffine(checker, 1, rectToAffine(0, 0, 8, 8, 2, 2), 2, 2);
    for (const v of small) expect(Math.abs(v - 100)).toBeLessThanOrEqual(1);
  });

  it('fills outside the source and inverts transforms', () => {
    const img = { data: new Uint8Array(4).fill(50), width: 2, height: 2 };
    const out = warpAffine(img, 1, [1, 0, 5, 0, 1, 5], 4, 4, 255);
    expect(out[0]).toBe(255);
    const m = [2, 0.5, 3, -0.25, 1.5, 7] as const;
    const back = invertAffine(invertAffine(m));
    back.forEach((v, i) => expect(v).toBeCloseTo(m[i]!, 9));
  });
});

describe('detection post-processing', () => {
  it('decodes relative corner boxes, drops low scores and suppresses overlaps at IoU 0.3', () => {
    const scores = new Float32Array([0.1, 0.9, 0.05, 0.95, 0.8, 0.2, 0.4, 0.6]);
    const boxes = new Float32Array([0.1, 0.1, 0.3, 0.4, 0.11, 0.1, 0.31, 0.41, 0.6, 0.6, 0.7, 0.7, 0.5, 0.5, 0.9, 0.9]);
    const faces = decodeDetections(scores, boxes, 100, 200, { minScore: 0.7, nmsIou: 0.3, maxFaces: 10 });
    expect(faces).toHaveLength(1);
    expect(faces[0]!.score).toBeCloseTo(0.95);
    expect(faces[0]!.x1).toBeCloseTo(11);
    expect(faces[0]!.y2).toBeCloseTo(82);
    expect(nms([box(0, 0, 10, 10, 0.9), box(20, 20, 30, 30, 0.8)], 0.3)).toHaveLength(2);
  });

  it('prefers the largest confident face over a larger low-score box (blurred background pitfall)', () => {
    const faces = [box(0, 0, 400, 400, 0.75), box(100, 100, 150, 160, 0.999), box(300, 10, 340, 60, 0.995)];
    expect(selectPrimary(faces)).toBe(1);
    expect(selectPrimary([box(0, 0, 40, 40, 0.8), box(0, 0, 80, 80, 0.75)])).toBe(1);
    expect(selectPrimary([])).toBe(-1);
  });
});

describe('token image geometry (ISO/IEC 19794-5 §8.3)', () => {
  it('puts the eyes at (0.375 W, 0.6 W) and (0.625 W − 1, 0.6 W) with H = W / 0.75', () => {
    const g = tokenGeometry([400, 300], [480, 310]);
    expect(g.width).toBeGreaterThanOrEqual(240);
    expect(g.height).toBe(Math.round(g.width / 0.75));
    const l = applyAffine(g.transform, 400, 300);
    const r = applyAffine(g.transform, 480, 310);
    expect(l[0]).toBeCloseTo(0.375 * g.width, 6);
    expect(l[1]).toBeCloseTo(0.6 * g.width, 6);
    expect(r[0]).toBeCloseTo(0.625 * g.width - 1, 6);
    expect(r[1]).toBeCloseTo(0.6 * g.width, 6);
  });

  it('never goes below the 240 px minimum width', () => {
    expect(tokenGeometry([10, 10], [20, 10]).width).toBe(240);
  });
});

describe('compare', () => {
  const unit = (i: number) => Array.from({ length: 512 }, (_, k) => (k === i ? 1 : 0));
  it('is cosine similarity with a calibrated threshold', () => {
    expect(compare(unit(0), unit(0))).toBeCloseTo(1);
    expect(compare(unit(0), unit(1))).toBeCloseTo(0);
    const a = unit(0).map((v, k) => v + (k === 1 ? 1 : 0));
    expect(compare(a, unit(0))).toBeCloseTo(Math.SQRT1_2);
    expect(isMatch(DEFAULT_MATCH_THRESHOLD)).toBe(true);
    expect(isMatch(DEFAULT_MATCH_THRESHOLD - 0.01)).toBe(false);
  });

  it('rejects wrong sizes and non-finite values with a typed error', () => {
    expect(() => compare([1, 2, 3], unit(0))).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() => compare(unit(0).map((v, k) => (k === 3 ? NaN : v)), unit(0))).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});

describe('presentation-attack detection', () => {
  it('passive: index 1 is the bona fide probability; below the threshold or with hidden eyes the challenge is asked', () => {
    const live = passivePad([0.005, 0.99, 0.005]);
    expect(live).toMatchObject({ decision: 'bona_fide', challengeRequired: false, eyesVisible: true });
    expect(live.score).toBeCloseTo(0.99);
    const a = passivePad([0.9, 0.05, 0.05]);
    expect(a).toMatchObject({ decision: 'attack_suspected', challengeRequired: true });
    expect(a.score).toBeCloseTo(0.05);
    // A high score with the eye region covered or cut off is not trusted.
    expect(passivePad([0, 1, 0], DEFAULT_PAD_THRESHOLD, { eyeDarkShare: [0.3, 0.02] })).toMatchObject({ eyesVisible: false, challengeRequired: true });
  });

  it('BPCER/APCER and the accept threshold from calibration scores', () => {
    expect(padErrorRates([true, true, false, true], [false, true, false, false])).toEqual({ bpcer: 0.25, apcer: 0.25, bonaFide: 4, attacks: 4 });
    // Highest attack 0.4 must be excluded (APCER 0 of 10 allowed at 5 %): midway to the next score above it.
    expect(chooseAcceptThreshold([0.6, 0.9, 0.95], [0.1, 0.2, 0.4, 0, 0, 0, 0, 0, 0, 0], 0.05)).toBeCloseTo(0.5);
  });

  it('active blink: open → closed → open passes; closed only, or a lost face, does not', () => {
    const o = { eyesOpen: [0.99, 0.98] as [number, number], yaw: 0 };
    const c = { eyesOpen: [0.05, 0.1] as [number, number], yaw: 0 };
    const none = { eyesOpen: null, yaw: null };
    expect(detectBlink([o, o, c, o]).passed).toBe(true);
    expect(detectBlink([o, o, c, o]).atFrame).toBe(3);
    expect(detectBlink([o, c, c]).passed).toBe(false);
    expect(detectBlink([o, none, o]).passed).toBe(false);
    expect(detectBlink([c, o]).passed).toBe(false);
  });

  it('active head turn: needs the requested direction and size from the baseline', () => {
    const f = (yaw: number) => ({ eyesOpen: [1, 1] as [number, number], yaw });
    expect(detectTurn([f(2), f(1), f(3), f(-10), f(-20)], 'right').passed).toBe(true);
    expect(detectTurn([f(2), f(1), f(3), f(-10), f(-20)], 'left').passed).toBe(false);
    expect(detectTurn([f(0), f(0), f(0), f(10)], 'left').passed).toBe(false);
    expect(detectTurn([f(0), f(0), f(0), f(10)], 'left', 8).passed).toBe(true);
    // The turn may start from any earlier frame (a subject already facing right who then turns left passes)…
    expect(detectTurn([f(-12), f(-10), f(8)], 'left').passed).toBe(true);
    // …but a lost face restarts the count.
    expect(detectTurn([f(-12), { eyesOpen: null, yaw: null }, f(8)], 'left').passed).toBe(false);
  });

  it('challenge frames ignore the pose of a face whose eyes are not visible', () => {
    const face = { eyesOpen: [1, 1] as [number, number], pose: { yaw: 12 }, eyeDarkShare: [0, 0.02] as [number, number] };
    expect(activeFrameOf(face)).toEqual({ eyesOpen: [1, 1], yaw: 12 });
    expect(activeFrameOf({ ...face, eyeDarkShare: [0.3, 0] })).toEqual({ eyesOpen: null, yaw: null });
    expect(activeFrameOf(null)).toEqual({ eyesOpen: null, yaw: null });
  });
});

describe('quality components', () => {
  const region = { luminanceMean: 0.5, luminanceVariance: 0.03, underExposed: 0, overExposed: 0, dynamicRange: 7, illuminationUniformity: 0.8, halfMeanRatio: 0.95, sharpness: 0.3, maskPixels: 5000 };
  const good: RawMeasures = {
    faceCount: 1,
    interEyeDistance: 120,
    headSize: 0.6,
    crop: { left: 3, right: 3, above: 2.5, below: 4 },
    centreOffset: 0.01,
    pose: { yaw: 1, pitch: -1, roll: 0.5 },
    eyesOpen: [0.99, 0.98],
    mouthOpen: 0.02,
    region,
    backgroundGradient: 5,
  };

  it('passes a good face on every measure and scores it high', () => {
    const m = buildMeasures(good, DEFAULT_THRESHOLDS);
    for (const id of MEASURE_IDS) expect(m[id].pass, id).toBe(true);
    const s = summarise(m, true);
    expect(s.pass).toBe(true);
    expect(s.messages).toEqual([]);
    expect(s.unifiedScore).toBeGreaterThanOrEqual(90);
  });

  it('maps inter-eye distance with the OFIQ sigmoid (90 px → 73, 120 px → 92) and pose with cos²', () => {
    expect(buildMeasures({ ...good, interEyeDistance: 90 }, DEFAULT_THRESHOLDS).interEyeDistance.component).toBe(73);
    expect(buildMeasures({ ...good, interEyeDistance: 120 }, DEFAULT_THRESHOLDS).interEyeDistance.component).toBe(92);
    expect(buildMeasures({ ...good, pose: { yaw: 30, pitch: 0, roll: 0 } }, DEFAULT_THRESHOLDS).headPoseYaw.component).toBe(75);
  });

  it('gives each failure its instruction, most fundamental first', () => {
    const bad = { ...good, faceCount: 2, interEyeDistance: 40, pose: { yaw: 0, pitch: -12, roll: 0 }, eyesOpen: [0.1, 0.9] as [number, number], region: { ...region, luminanceMean: 0.1 } };
    const m = buildMeasures(bad, DEFAULT_THRESHOLDS);
    expect(m.headPosePitch.messageKey).toBe('face.raiseChin');
    expect(m.eyesOpen.messageKey).toBe('face.openEyes');
    expect(m.luminanceMean.messageKey).toBe('face.tooDark');
    const s = summarise(m, true);
    expect(s.messages.slice(0, 2)).toEqual(['face.onlyOnePerson', 'face.moveCloser']);
    expect(s.messages).toContain('face.tooDark');
    expect(s.pass).toBe(false);
  });

  it('marks measures that cannot be computed with component −1', () => {
    const m = buildMeasures({ ...good, region: { ...region, sharpness: NaN } }, DEFAULT_THRESHOLDS);
    expect(m.sharpness).toEqual({ raw: null, component: -1, pass: false, messageKey: 'face.holdStill' });
  });

  it('accepts threshold overrides and ignores junk', () => {
    const t = resolveThresholds({ minInterEyeDistance: 60, maxYaw: Number.NaN } as never);
    expect(t.minInterEyeDistance).toBe(60);
    expect(t.maxYaw).toBe(DEFAULT_THRESHOLDS.maxYaw);
  });
});
