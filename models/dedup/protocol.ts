// Messages between DedupClient (caller thread) and dedup.worker.ts.
import type { SectionPlan } from './snapshot-io.js';
import type { EntrySource, GalleryStats, SearchOptions, SearchResult } from './types.js';

export type GalleryName = 'main' | 'operators';

export type WorkerRequest =
  | { op: 'upsert'; gallery: GalleryName; records: Uint8Array[] }
  | { op: 'remove'; gallery: GalleryName; ids: string[] }
  | { op: 'search'; probe: Uint8Array; options: SearchOptions; operators: boolean }
  /** Searches only the given entries (not the galleries): a registry's re-search of the persons enrolled meanwhile. */
  | { op: 'search-among'; probe: Uint8Array; records: Uint8Array[]; options: SearchOptions }
  | { op: 'stats'; loadMs: number }
  | { op: 'ids'; gallery: GalleryName; source?: EntrySource }
  | { op: 'import-file'; gallery: GalleryName; size: number; idsBytes: number; arenaBytes: number; plan: SectionPlan }
  | { op: 'snapshot-begin'; gallery: GalleryName }
  | { op: 'snapshot-read'; gallery: GalleryName; offset: number; length: number }
  | { op: 'snapshot-end' };

/** What snapshot-begin answers: the sizes of one gallery's snapshot section. */
export interface SnapshotInfo {
  size: number;
  idsBytes: number;
  arenaBytes: number;
  bytes: number;
}

export interface WorkerSearchResult {
  main: SearchResult;
  operators: SearchResult | null;
}

export interface WorkerStats {
  main: GalleryStats;
  operators: GalleryStats;
  cachedTemplates: number;
  heapUsed: number;
  /** The face scan runs on WebAssembly SIMD (else the scalar fallback). */
  simd: boolean;
}

export type WorkerResponse = { seq: number; ok: true; value: unknown } | { seq: number; ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };
