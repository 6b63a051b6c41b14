// onnxruntime-node sessions: created quietly (the pinned graphs list initialisers as inputs, which ORT warns about at
// load; severity 3 = errors only), one intra-op thread budget per worker, and a typed run().
import ort from 'onnxruntime-node';
import path from 'node:path';
import { InferenceError, ModelCorruptError } from './errors.js';
import type { ModelEntry } from './manifest.js';

export interface ModelSession {
  readonly id: string;
  readonly entry: ModelEntry;
  /** Runs the model on one NCHW float tensor; returns each named output's data. */
  run(input: Float32Array): Promise<Record<string, Float32Array>>;
  dispose(): Promise<void>;
}

export interface SessionOptions {
  intraOpThreads?: number;
}

export async function createModelSession(id: string, entry: ModelEntry, modelsDir: string, options: SessionOptions = {}): Promise<ModelSession> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(path.join(modelsDir, entry.file), {
      logSeverityLevel: 3,
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      intraOpNumThreads: options.intraOpThreads ?? 1,
      interOpNumThreads: 1,
      // Idle ORT threads must not spin: the kiosk shares two cores with the UI and the camera.
      extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
    });
  } catch (cause) {
    throw new ModelCorruptError(`Model ${id} (${entry.file}) could not be loaded`, { model: id, reason: String((cause as Error)?.message ?? cause).slice(0, 200) });
  }
  const shape = entry.input.shape;
  const size = shape.reduce((a, b) => a * b, 1);
  return {
    id,
    entry,
    async run(input) {
      if (input.length !== size) throw new InferenceError(`Model ${id} expects ${size} input values, got ${input.length}`, { details: { model: id } });
      let out: ort.InferenceSession.OnnxValueMapType;
      try {
        out = await session.run({ [entry.input.name]: new ort.Tensor('float32', input, shape) });
      } catch (cause) {
        throw new InferenceError(`Model ${id} failed to run`, { cause, details: { model: id } });
      }
      const result: Record<string, Float32Array> = {};
      for (const o of entry.outputs) {
        const t = out[o.name];
        if (!t) throw new InferenceError(`Model ${id} produced no output ${o.name}`, { details: { model: id } });
        result[o.name] = t.data as Float32Array;
      }
      return result;
    },
    async dispose() {
      await session.release();
    },
  };
}
