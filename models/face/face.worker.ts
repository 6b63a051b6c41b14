// Inference worker: loads and warms the face models once, then serves analyze/capture requests from the pool.
import { parentPort, workerData } from 'node:worker_threads';
import { KioskError, toKioskErrorShape } from '../../main/contract/errors.js';
import { decodeImage, fromRgba, type RgbImage } from '../runtime/image.js';
import type { WorkerHello, WorkerReply, WorkerRequest } from '../runtime/pool.js';
import { FaceEngine, type AnalyzeOptions } from './engine.js';
import type { FrameInput } from './service.js';

interface Data {
  modelsDir: string;
  intraOpThreads: number;
  maxPixels?: number;
}

const data = workerData as Data;
const port = parentPort!;

function shapeOf(error: unknown) {
  if (error instanceof KioskError) return error.toShape();
  return { ...toKioskErrorShape(error), message: `Internal error: ${String((error as Error)?.message ?? error).slice(0, 200)}` };
}

async function toImage(input: FrameInput): Promise<RgbImage> {
  if ('data' in input) return decodeImage(input.data, { maxPixels: data.maxPixels });
  return fromRgba(input.rgba, input.width, input.height, data.maxPixels);
}

async function main() {
  let engine: FaceEngine;
  try {
    engine = await FaceEngine.create(data.modelsDir, data.intraOpThreads);
    await engine.warmUp();
  } catch (error) {
    port.postMessage({ ready: false, error: shapeOf(error) } satisfies WorkerHello);
    return;
  }
  port.on('message', async (req: WorkerRequest) => {
    let reply: WorkerReply;
    const transfer: ArrayBuffer[] = [];
    try {
      const p = req.payload as { image: FrameInput; opts?: AnalyzeOptions };
      switch (req.type) {
        case 'analyze':
          reply = { id: req.id, ok: true, result: await engine.analyze(await toImage(p.image), p.opts) };
          break;
        case 'capture': {
          const result = await engine.capture(await toImage(p.image), p.opts);
          if (result.tokenJpeg) transfer.push(result.tokenJpeg.buffer as ArrayBuffer);
          reply = { id: req.id, ok: true, result };
          break;
        }
        case 'memory':
          reply = { id: req.id, ok: true, result: process.memoryUsage() };
          break;
        default:
          throw new KioskError('VALIDATION_FAILED', `Unknown request ${req.type}`);
      }
    } catch (error) {
      reply = { id: req.id, ok: false, error: shapeOf(error) };
    }
    port.postMessage(reply, transfer);
  });
  port.postMessage({ ready: true } satisfies WorkerHello);
}

void main();
