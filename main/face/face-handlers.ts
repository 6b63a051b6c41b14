// IPC handlers of the live face capture. The face service (ONNX models in worker threads) starts on first use;
// capture refuses to start without the pinned models (MODEL_MISSING / MODEL_CORRUPT).
import type { Logger } from 'pino';
import { createFaceService, type FaceService } from '../../models/face/service.js';
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
  pad: { score: number; threshold: number; decision: 'bona_fide' | 'attack_suspected' } | null;
  capturedAt: string;
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
        last.delete(ctx.connectionId);
        last.set(ctx.connectionId, {
          tokenJpeg: r.tokenJpeg,
          embedding: r.embedding ? Float32Array.from(r.embedding) : null,
          report: reportView,
          pad: r.pad ? { score: r.pad.score, threshold: r.pad.threshold, decision: r.pad.decision } : null,
          capturedAt: new Date().toISOString(),
        });
        if (last.size > KEPT_CAPTURES) last.delete(last.keys().next().value!);
        return {
          report: reportView,
          pad: r.pad ? { score: r.pad.score, threshold: r.pad.threshold, decision: r.pad.decision } : null,
          tokenJpeg: r.tokenJpeg ? Buffer.from(r.tokenJpeg).toString('base64') : null,
          token: r.token,
          hasEmbedding: r.embedding !== null,
        };
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
      if (s) await (await s.catch(() => null))?.dispose();
    },
  };
}
