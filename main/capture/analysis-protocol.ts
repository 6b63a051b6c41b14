// Messages between FingerAnalysisPool and analysis.worker.ts (structured clone; pixel buffers are transferred).
export interface AnalyseRequest {
  op: 'analyse';
  width: number;
  height: number;
  ppi: number;
  pixels: Uint8Array;
}

export interface CompareRequest {
  op: 'compare';
  probe: Uint8Array;
  candidates: Uint8Array[];
}

export type AnalysisRequest = AnalyseRequest | CompareRequest;

export interface AnalyseResult {
  /** The image at the 500 ppi working resolution (what the enrollment record stores). */
  width: number;
  height: number;
  pixels: Uint8Array;
  /** 0–100, NFIQ 2 scale. */
  quality: number;
  feedback: string[];
  minutiae: number;
  /** Compact template (models/finger serializeTemplate, "KFT1"). */
  template: Uint8Array;
  /** CPU time of the analysis in the worker (ms). */
  cpuMs: number;
}

export interface CompareResult {
  /** Normalised scores (models/finger compareTemplates), one per candidate. */
  scores: number[];
}

export type WorkerReply =
  | { seq: number; ok: true; value: AnalyseResult | CompareResult }
  | { seq: number; ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };
