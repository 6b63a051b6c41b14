// The face-analysis service the kiosk core uses (and may expose over IPC): a pool of inference workers that refuses
// to start unless every pinned model file verifies. All heavy work runs off the main thread.
import { KioskError } from '../../main/contract/errors.js';
import type { Disposable } from '../../main/platform/disposable.js';
import { assertModels, defaultModelsDir, type ModelsCheckReport } from '../runtime/manifest.js';
import { defaultWorkerCount, threadsPerWorker, WorkerPool } from '../runtime/pool.js';
import { ImageInvalidError } from '../runtime/errors.js';
import type { AnalyzeOptions } from './engine.js';
import { compare as cosine, DEFAULT_MATCH_THRESHOLD, isMatch } from './embedding.js';
import { activeFrameOf, evaluateChallenge, type ActiveChallenge, type ActiveResult } from './pad.js';
import type { CaptureResult, FaceQualityReport } from './types.js';

/** An encoded image (JPEG/PNG/WebP…) or a raw RGBA frame (e.g. from a canvas). */
export type FrameInput = { data: Uint8Array } | { rgba: Uint8Array; width: number; height: number };

export interface FaceServiceOptions {
  /** Directory holding the model files (default models/files or $KIOSK_MODELS_DIR). */
  modelsDir?: string;
  /** Worker threads (default: 1 per 2 cores, at least 1). */
  workers?: number;
  /** Refuse inputs larger than this many pixels (checked from the header before decoding). */
  maxPixels?: number;
}

export interface CompareResult {
  score: number;
  threshold: number;
  match: boolean;
}

export interface FaceService extends Disposable {
  readonly models: ModelsCheckReport;
  readonly workers: number;
  analyzeFrame(image: FrameInput, opts?: AnalyzeOptions): Promise<FaceQualityReport>;
  analyzeCapture(image: FrameInput, opts?: AnalyzeOptions): Promise<CaptureResult>;
  /** Cosine similarity of two embeddings, with the calibrated decision. */
  compare(a: ArrayLike<number>, b: ArrayLike<number>, threshold?: number): CompareResult;
  /** Active PAD: analyses each frame and evaluates the challenge (blink or head turn) over the sequence. */
  activeCheck(frames: FrameInput[], challenge: ActiveChallenge, opts?: AnalyzeOptions): Promise<ActiveResult & { frames: number }>;
  /** Resident memory of the process and heap of each worker, bytes. */
  memory(): Promise<{ rss: number; workersHeapUsed: number[] }>;
  dispose(): Promise<void>;
}

function checkInput(image: FrameInput): FrameInput {
  if (!image || typeof image !== 'object') throw new ImageInvalidError('No image given', { details: { reason: 'empty' } });
  if ('data' in image) {
    if (!(image.data instanceof Uint8Array)) throw new ImageInvalidError('Image data must be bytes', { details: { reason: 'type' } });
    // Copy Buffers from Node's shared pool: only the view's bytes cross to the worker.
    return { data: new Uint8Array(image.data) };
  }
  if ('rgba' in image && image.rgba instanceof Uint8Array) return { rgba: new Uint8Array(image.rgba), width: image.width, height: image.height };
  throw new ImageInvalidError('Image must be {data} or {rgba, width, height}', { details: { reason: 'type' } });
}

export async function createFaceService(options: FaceServiceOptions = {}): Promise<FaceService> {
  const modelsDir = options.modelsDir ?? defaultModelsDir();
  const models = await assertModels(modelsDir);
  const workers = Math.max(1, Math.floor(options.workers ?? defaultWorkerCount()));
  const pool = await WorkerPool.start(new URL('./face.worker.js', import.meta.url), workers, {
    modelsDir,
    intraOpThreads: threadsPerWorker(workers),
    maxPixels: options.maxPixels,
  });
  let disposed = false;
  const guard = () => {
    if (disposed) throw new KioskError('DISPOSED', 'Face service has been disposed');
  };
  const send = async <T>(type: string, image: FrameInput, opts: AnalyzeOptions | undefined): Promise<T> => {
    guard();
    const input = checkInput(image);
    const buf = 'data' in input ? input.data.buffer : input.rgba.buffer;
    return pool.call<T>(type, { image: input, opts }, [buf as ArrayBuffer]);
  };
  const service: FaceService = {
    models,
    workers,
    analyzeFrame: (image, opts) => send<FaceQualityReport>('analyze', image, opts),
    async analyzeCapture(image, opts) {
      const r = await send<CaptureResult>('capture', image, opts);
      return r;
    },
    compare(a, b, threshold = DEFAULT_MATCH_THRESHOLD) {
      const score = cosine(a, b);
      return { score, threshold, match: isMatch(score, threshold) };
    },
    async activeCheck(frames, challenge, opts) {
      const reports = await Promise.all(frames.map((f) => send<FaceQualityReport>('analyze', f, opts)));
      const seq = reports.map((r) => activeFrameOf(r.face));
      return { ...evaluateChallenge(seq, challenge), frames: frames.length };
    },
    async memory() {
      guard();
      const heaps = await pool.broadcast<NodeJS.MemoryUsage>('memory', null);
      return { rss: process.memoryUsage().rss, workersHeapUsed: heaps.map((h) => h.heapUsed) };
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await pool.dispose();
    },
  };
  return service;
}
