// The face pipeline on one frame, run inside an inference worker (or in-process for tools): detection → primary face
// → 68 landmarks → eyes, pose, image measures → FaceQualityReport; for a capture also PAD, embedding, token image.
import { encodeJpeg, type RgbImage } from '../runtime/image.js';
import { assertModels, FACE_MODEL_IDS, loadManifest } from '../runtime/manifest.js';
import { cropRgb } from '../runtime/raster.js';
import { createModelSession, type ModelSession } from '../runtime/session.js';
import { DEFAULT_DETECT, selectPrimary, type DetectedFace } from './detect.js';
import { LM, dist, eyeCentres, mean, pt } from './geometry.js';
import { backgroundGradient, eyeDarkShare, faceRegionMeasures } from './measures.js';
import { detectFaces, embedding, eyeOpenness, headPose, landmarks68, livenessProbabilities, type FaceSessions } from './networks.js';
import { passivePad } from './pad.js';
import { buildMeasures, noFaceMeasures, summarise } from './quality.js';
import { resolveThresholds, type QualityThresholds } from './thresholds.js';
import { tokenGeometry } from './token.js';
import type { CaptureResult, FaceBoxReport, FaceQualityReport } from './types.js';

export interface AnalyzeOptions {
  thresholds?: Partial<QualityThresholds>;
  /** Passive PAD accept threshold on the bona fide probability (default DEFAULT_PAD_THRESHOLD). */
  padThreshold?: number;
}

interface Internal {
  report: FaceQualityReport;
  box?: DetectedFace;
  lm?: Float32Array;
}

const round = (v: number, d = 2) => Math.round(v * 10 ** d) / 10 ** d;
const boxReport = (f: DetectedFace): FaceBoxReport => ({ x1: round(f.x1, 1), y1: round(f.y1, 1), x2: round(f.x2, 1), y2: round(f.y2, 1), score: round(f.score, 4) });

export class FaceEngine {
  private constructor(private readonly s: FaceSessions) {}

  /** Verifies the pinned files, then loads every face model. */
  static async create(modelsDir: string, intraOpThreads = 1): Promise<FaceEngine> {
    await assertModels(modelsDir);
    const manifest = loadManifest();
    const sessions: Partial<Record<string, ModelSession>> = {};
    try {
      for (const id of FACE_MODEL_IDS) sessions[id] = await createModelSession(id, manifest.models[id]!, modelsDir, { intraOpThreads });
    } catch (error) {
      await Promise.all(Object.values(sessions).map((s) => s?.dispose()));
      throw error;
    }
    return new FaceEngine(sessions as FaceSessions);
  }

  /** Runs every model once so the first real frame does not pay for lazy initialisation. */
  async warmUp(): Promise<void> {
    for (const s of Object.values(this.s)) {
      const size = s.entry.input.shape.reduce((a, b) => a * b, 1);
      await s.run(new Float32Array(size));
    }
  }

  async dispose(): Promise<void> {
    await Promise.all(Object.values(this.s).map((s) => s.dispose()));
  }

  async analyze(img: RgbImage, opts: AnalyzeOptions = {}): Promise<FaceQualityReport> {
    return (await this.analyzeInternal(img, opts)).report;
  }

  private async analyzeInternal(img: RgbImage, opts: AnalyzeOptions): Promise<Internal> {
    const t = resolveThresholds(opts.thresholds);
    const timings: Record<string, number> = {};
    let t0 = performance.now();
    const lap = (k: string) => {
      const now = performance.now();
      timings[k] = round(now - t0);
      t0 = now;
    };
    const start = t0;
    const faces = await detectFaces(this.s, img, { ...DEFAULT_DETECT, minScore: Math.min(0.5, t.faceScore) });
    lap('detect');
    const primary = selectPrimary(faces, t.faceScore);
    const base = { width: img.width, height: img.height, faces: faces.map(boxReport), primary };
    if (primary < 0) {
      timings.total = round(performance.now() - start);
      return { report: { ...base, primary: -1, face: null, measures: noFaceMeasures(), ...summarise(noFaceMeasures(), false), timingsMs: timings } };
    }
    const box = faces[primary]!;
    const lm = await landmarks68(this.s, img, box);
    lap('landmarks');
    const eyesOpen = await eyeOpenness(this.s, img, lm);
    lap('eyes');
    const pose = await headPose(this.s, img, box);
    lap('pose');

    const { left, right } = eyeCentres(lm);
    const ied = dist(left, right);
    const M = mean([left, right]);
    const chin = pt(lm, LM.chin);
    const eyeToChin = dist(M, chin);
    const roll = (Math.atan2(right[1] - left[1], right[0] - left[0]) * 180) / Math.PI;
    const innerGap = (dist(pt(lm, 61), pt(lm, 67)) + dist(pt(lm, 62), pt(lm, 66)) + dist(pt(lm, 63), pt(lm, 65))) / 3;
    const mouthWidth = Math.max(1e-6, dist(pt(lm, LM.innerLipLeft), pt(lm, LM.innerLipRight)));
    const primaryHeight = box.y2 - box.y1;
    const faceCount = faces.filter((f, i) => i === primary || (f.score >= t.faceScore && f.y2 - f.y1 >= t.otherFaceMinRelativeHeight * primaryHeight)).length;
    const region = faceRegionMeasures(img, lm);
    const dark = eyeDarkShare(img, lm);
    let jawMin = Infinity;
    let jawMax = -Infinity;
    for (let i = 0; i <= 16; i++) {
      jawMin = Math.min(jawMin, lm[2 * i]!);
      jawMax = Math.max(jawMax, lm[2 * i]!);
    }
    const margin = 0.15 * (jawMax - jawMin);
    const bg = backgroundGradient(img, lm, { x1: jawMin - margin, x2: jawMax + margin, y1: M[1] - 1.2 * eyeToChin, y2: chin[1] });
    lap('measures');

    const measures = buildMeasures(
      {
        faceCount,
        interEyeDistance: ied,
        headSize: (2 * eyeToChin) / img.height,
        crop: { left: M[0] / ied, right: (img.width - M[0]) / ied, above: M[1] / ied, below: (img.height - M[1]) / ied },
        centreOffset: Math.abs(M[0] / img.width - 0.5),
        pose: { yaw: pose.yaw, pitch: pose.pitch, roll },
        eyesOpen,
        mouthOpen: innerGap / mouthWidth,
        region,
        backgroundGradient: bg.value,
      },
      t,
    );
    timings.total = round(performance.now() - start);
    const report: FaceQualityReport = {
      ...base,
      face: {
        box: boxReport(box),
        landmarks: Array.from(lm, (v) => round(v, 1)),
        leftEye: [round(left[0], 1), round(left[1], 1)],
        rightEye: [round(right[0], 1), round(right[1], 1)],
        interEyeDistance: round(ied, 1),
        pose: { yaw: round(pose.yaw, 1), pitch: round(pose.pitch, 1), roll: round(roll, 1), modelRoll: round(pose.roll, 1) },
        eyesOpen: [round(eyesOpen[0], 4), round(eyesOpen[1], 4)],
        eyeDarkShare: [round(dark[0], 4), round(dark[1], 4)],
      },
      measures,
      ...summarise(measures, true),
      timingsMs: timings,
    };
    return { report, box, lm };
  }

  async capture(img: RgbImage, opts: AnalyzeOptions = {}): Promise<CaptureResult> {
    const { report, box, lm } = await this.analyzeInternal(img, opts);
    if (!box || !lm) return { report, pad: null, embedding: null, tokenJpeg: null, token: null };
    let t0 = performance.now();
    const live = await livenessProbabilities(this.s, img, box);
    const pad = passivePad(live.probabilities, opts.padThreshold, { eyeDarkShare: report.face?.eyeDarkShare, cropBlackShare: live.blackShare });
    report.timingsMs.pad = round(performance.now() - t0);
    t0 = performance.now();
    const emb = await embedding(this.s, img, lm);
    report.timingsMs.embedding = round(performance.now() - t0);
    t0 = performance.now();
    const { left, right } = eyeCentres(lm);
    const g = tokenGeometry(left, right);
    // Parts of the token outside the frame mirror the picture at its border: a flat white fill showed as a wedge on the
    // aligned portrait and the receipt.
    const token = cropRgb(img, g.transform, g.width, g.height, 'mirror');
    const jpeg = await encodeJpeg(token);
    report.timingsMs.token = round(performance.now() - t0);
    return {
      report,
      pad,
      embedding: Array.from(emb.vector),
      tokenJpeg: new Uint8Array(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength),
      token: { width: g.width, height: g.height, interEyeDistance: g.interEyeDistance },
    };
  }
}
