// Messages between DedupClient (caller thread) and dedup.worker.ts.
import type { GalleryStats, SearchOptions, SearchResult } from './types.js';

export type GalleryName = 'main' | 'operators';

export type WorkerRequest =
  | { op: 'upsert'; gallery: GalleryName; records: Uint8Array[] }
  | { op: 'remove'; gallery: GalleryName; ids: string[] }
  | { op: 'search'; probe: Uint8Array; options: SearchOptions; operators: boolean }
  | { op: 'stats'; loadMs: number };

export interface WorkerSearchResult {
  main: SearchResult;
  operators: SearchResult | null;
}

export interface WorkerStats {
  main: GalleryStats;
  operators: GalleryStats;
  cachedTemplates: number;
  heapUsed: number;
}

export type WorkerResponse = { seq: number; ok: true; value: unknown } | { seq: number; ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };
