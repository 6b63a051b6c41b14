// IPC handlers of the live face capture. The face service (ONNX models in worker threads) starts on first use;
// capture refuses to start without the pinned models (MODEL_MISSING / MODEL_CORRUPT).
import type { Logger } from 'pino';
import { randomInt } from 'node:crypto';
import { createFaceService, type FaceService } from '../../models/face/service.js';
import { activeFrameOf, evaluateChallenge, type ActiveChallenge, type ActiveFrame } from '../../models/face/pad.js';
import type { FaceQualityReport } from '../../models/face/types.js';
import type { KioskConfig } from '../config/schema.js';
import type { FaceReportView } from '../contract/channels/face.js';
import { KioskError } from '../contract/errors.js';
import type { CallContext, HandlerMap } from '../core/handlers.js';

/** The last full capture of a connection, kept in main so the workflow can bind it (the embedding never crosses IPC). */
export interface LastFaceCapture {
  tokenJpeg: Uint8Array | null;
  embedding: Float32Array | null;
  report: FaceReportView;
  pad: { score: number; threshold: number; decision: 'bona_fide' | 'attack_suspected'; challengeRequired?: boolean; challenge?: 'passed' | 'failed' } | null;
  capturedAt: string;
}

/** How long a subject has to do the challenge once asked. */
export const CHALLENGE_TIMEOUT_MS = 6000;

interface RunningChallenge {
  challenge: ActiveChallenge;
  startedAt: number;
  frames: ActiveFrame[];
  capture: LastFaceCapture;
}

/** Connections whose last capture is kept (oldest dropped first). */
const KEPT_CAPTURES = 16;

export interface FaceHandlers {
  handlers: HandlerMap;
  /** This connection's last `kiosk:face.capture` result, or null. */
  lastCapture(connectionId: string): LastFaceCapture | null;
  /** Starts the face service in the background (models loaded, workers warm) so the first frame is fast. */
  warm(): void;
  dispose(): Promise<void>;
}

function view(r: FaceQualityReport): FaceReportView {
  return {
    width: r.width,
    height: r.height,
    faces: r.faces.map((f) => ({ x1: f.x1, y1: f.y1, x2: f.x2, y2: f.y2, score: f.score })),
    primary: r.primary,
    measures: Object.fromEntries(Object.entries(r.measures).map(([k, m]) => [k, { raw: m.raw, component: m.component, pass: m.pass, messageKey: m.messageKey }])),
    unifiedScore: r.unifiedScore,
    pass: r.pass,
    messages: r.messages,
  };
}

function requireSession(ctx: CallContext): void {
  if (!ctx.session) throw new KioskError('UNAUTHORIZED', 'Sign in first');
}

export function createFaceHandlers(config: KioskConfig, logger: Logger): FaceHandlers {
  let service: Promise<FaceService> | null = null;
  const get = () => {
    service ??= createFaceService().catch((error: unknown) => {
      service = null;
      throw error;
    });
    return service;
  };
  const last = new Map<string, LastFaceCapture>();
  const challenges = new Map<string, RunningChallenge>();
  const thresholds = (scale: number) => {
    const t: Record<string, number> = { ...config.thresholds.face };
    // Pixel thresholds apply to the full-resolution image; a downscaled preview frame is held to the scaled value.
    t.minInterEyeDistance = (t.minInterEyeDistance ?? 90) * scale;
    return t;
  };
  return {
    handlers: {
      'kiosk:face.analyzeFrame': async (req, ctx) => {
        requireSession(ctx);
        const started = performance.now();
        const report = await (await get()).analyzeFrame({ data: Buffer.from(req.image, 'base64') }, { thresholds: thresholds(req.scale) });
        return { report: view(report), autoCaptureFrames: config.thresholds.faceAutoCaptureFrames, analysisMs: performance.now() - started };
      },
      'kiosk:face.capture': async (req, ctx) => {
        requireSession(ctx);
        const r = await (await get()).analyzeCapture({ data: Buffer.from(req.image, 'base64') }, { thresholds: thresholds(1) });
        logger.info({ pass: r.report.pass, score: r.report.unifiedScore, pad: r.pad?.decision }, 'face captured');
        const reportView = view(r.report);
        const pad = r.pad ? { score: r.pad.score, threshold: r.pad.threshold, decision: r.pad.decision, challengeRequired: r.pad.challengeRequired } : null;
        last.delete(ctx.connectionId);
        challenges.delete(ctx.connectionId);
        last.set(ctx.connectionId, {
          tokenJpeg: r.tokenJpeg,
          embedding: r.embedding ? Float32Array.from(r.embedding) : null,
          report: reportView,
          pad: pad ? { ...pad } : null,
          capturedAt: new Date().toISOString(),
        });
        if (last.size > KEPT_CAPTURES) last.delete(last.keys().next().value!);
        return {
          report: reportView,
          pad,
          tokenJpeg: r.tokenJpeg ? Buffer.from(r.tokenJpeg).toString('base64') : null,
          token: r.token,
          hasEmbedding: r.embedding !== null,
        };
      },
      'kiosk:face.challengeStart': async (_req, ctx) => {
        requireSession(ctx);
        const capture = last.get(ctx.connectionId);
        if (!capture?.pad?.challengeRequired) throw new KioskError('CONFLICT', 'No capture is waiting for the liveness challenge');
        // A head turn to a random side, chosen here (never by the renderer), so a prepared video cannot know what to show.
        // Not a blink: fr_eye reads open eyes behind glasses as closed (10 of 20 live pad-dev frames below 0.5).
        const challenge: ActiveChallenge = { kind: 'turn', direction: randomInt(2) === 0 ? 'left' : 'right' };
        challenges.set(ctx.connectionId, { challenge, startedAt: performance.now(), frames: [], capture });
        logger.info({ kind: challenge.kind }, 'face liveness challenge started');
        return { kind: challenge.kind, direction: challenge.kind === 'turn' ? challenge.direction : null, timeoutMs: CHALLENGE_TIMEOUT_MS };
      },
      'kiosk:face.challengeFrame': async (req, ctx) => {
        requireSession(ctx);
        const run = challenges.get(ctx.connectionId);
        if (!run || last.get(ctx.connectionId) !== run.capture) throw new KioskError('CONFLICT', 'No liveness challenge is running');
        const elapsed = performance.now() - run.startedAt;
        const finish = (passed: boolean) => {
          challenges.delete(ctx.connectionId);
          run.capture.pad = { ...run.capture.pad!, challenge: passed ? 'passed' : 'failed', decision: passed ? 'bona_fide' : 'attack_suspected', challengeRequired: !passed };
          logger.info({ kind: run.challenge.kind, passed, frames: run.frames.length }, 'face liveness challenge finished');
          return { state: passed ? ('passed' as const) : ('failed' as const), remainingMs: 0 };
        };
        if (elapsed > CHALLENGE_TIMEOUT_MS) return finish(false);
        const report = await (await get()).analyzeFrame({ data: Buffer.from(req.image, 'base64') }, { thresholds: thresholds(req.scale) });
        run.frames.push(activeFrameOf(report.face));
        if (evaluateChallenge(run.frames, run.challenge).passed) return finish(true);
        return { state: 'running' as const, remainingMs: Math.max(0, CHALLENGE_TIMEOUT_MS - elapsed) };
      },
    },
    lastCapture: (connectionId) => last.get(connectionId) ?? null,
    warm() {
      get().catch((error: unknown) => logger.warn({ code: (error as { code?: string }).code ?? 'INTERNAL' }, 'face service did not start'));
    },
    async dispose() {
      const s = service;
      service = null;
      last.clear();
      challenges.clear();
      if (s) await (await s.catch(() => null))?.dispose();
    },
  };
}
