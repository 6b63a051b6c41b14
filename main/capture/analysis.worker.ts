// Worker thread for the CPU-heavy part of finger capture: quality (NFIQ 2 scale), minutiae and template extraction
// in one pass over the image, and template comparison for the sequence check. Never runs on the main loop.
import { parentPort } from 'node:worker_threads';
import { KioskError } from '../contract/errors.js';
import {
  QUALITY_THRESHOLDS,
  analyzeFinger,
  compareTemplates,
  createTemplate,
  deserializeTemplate,
  imageStatistics,
  qualityOfAnalysis,
  serializeTemplate,
  templateFromAnalysis,
  toWorkingResolution,
  validateGrayImage,
} from '../../models/finger/index.js';
import type { AnalyseRequest, AnalyseResult, AnalysisRequest, CompareResult, WorkerReply } from './analysis-protocol.js';

const port = parentPort;
if (!port) throw new Error('analysis.worker must run in a worker thread');

function analyse(req: AnalyseRequest): AnalyseResult {
  const started = process.cpuUsage();
  const input = { width: req.width, height: req.height, ppi: req.ppi, pixels: req.pixels };
  validateGrayImage(input);
  const work = toWorkingResolution(input);
  const { std } = imageStatistics(work);
  let quality = 0;
  let feedback: string[];
  let template: Uint8Array;
  let minutiae = 0;
  if (std < QUALITY_THRESHOLDS.uniformStd) {
    // Same early exit as assessQuality(): nothing to analyse in a uniform frame.
    feedback = ['UNIFORM_IMAGE', 'TOO_LITTLE_FOREGROUND', 'TOO_FEW_MINUTIAE'];
    template = serializeTemplate(createTemplate([], work.width, work.height));
  } else {
    const a = analyzeFinger(work);
    const q = qualityOfAnalysis(a);
    quality = q.score;
    feedback = [...q.feedback];
    minutiae = a.minutiae.length;
    template = serializeTemplate(templateFromAnalysis(a));
  }
  const cpu = process.cpuUsage(started);
  return { width: work.width, height: work.height, pixels: work.pixels, quality, feedback, minutiae, template, cpuMs: (cpu.user + cpu.system) / 1000 };
}

function compare(probe: Uint8Array, candidates: Uint8Array[]): CompareResult {
  const p = deserializeTemplate(probe);
  return { scores: candidates.map((c) => compareTemplates(p, deserializeTemplate(c))) };
}

port.on('message', (msg: AnalysisRequest & { seq: number }) => {
  let reply: WorkerReply;
  const transfer: ArrayBuffer[] = [];
  try {
    if (msg.op === 'analyse') {
      const value = analyse(msg);
      // Copies, so the transfer never detaches a buffer the models may share.
      value.pixels = value.pixels.slice();
      transfer.push(value.pixels.buffer as ArrayBuffer);
      reply = { seq: msg.seq, ok: true, value };
    } else {
      reply = { seq: msg.seq, ok: true, value: compare(msg.probe, msg.candidates) };
    }
  } catch (error) {
    const shape = error instanceof KioskError ? error.toShape() : { code: 'FINGER_ANALYSIS_FAILED', message: 'Finger analysis failed' };
    reply = { seq: msg.seq, ok: false, error: shape };
  }
  port.postMessage(reply, transfer);
});
