// Local 1:N deduplication service: owns the dedup worker and the persisted galleries (enrolled people, regional
// entries, and the separate operator gallery). Every change is made durable first, then applied to the worker.
import { KioskError } from '../contract/errors.js';
import type { Disposable } from '../platform/disposable.js';
import { DedupClient } from '../../models/dedup/client.js';
import { encodeEntry, validateEntry } from '../../models/dedup/codec.js';
import { DedupInputError } from '../../models/dedup/errors.js';
import { DEFAULT_THRESHOLDS } from '../../models/dedup/fusion.js';
import { llrThreshold } from '../../models/dedup/calibration.js';
import type { GalleryName, WorkerSearchResult, WorkerStats } from '../../models/dedup/protocol.js';
import { templateIndex } from '../../models/dedup/template-index.js';
import type { Candidate, Decision, DecisionThresholds, FingerPos, GalleryEntry, GalleryStats, SearchResult } from '../../models/dedup/types.js';
import type { GalleryPersistence, GalleryRecord } from './persistence.js';

export interface DedupServiceOptions {
  /** Enrolled people of this kiosk and regional entries. */
  gallery: GalleryPersistence;
  /** Biometric references of this kiosk's operators (a separate, small gallery). */
  operators: GalleryPersistence;
  thresholds?: DecisionThresholds;
}

export interface DedupProbe {
  face: Float32Array | null;
  fingers: { position: FingerPos; template: Uint8Array }[];
}

export interface OperatorMatch {
  operatorId: string;
  /** True when the probe matches the operator signed in for this capture. */
  signedIn: boolean;
  decision: Decision;
  llr: number;
  candidate: Candidate;
}

export interface DedupOutcome extends Omit<SearchResult, 'candidates'> {
  candidates: Candidate[];
  operatorMatches: OperatorMatch[];
  thresholds: DecisionThresholds & { possibleLlr: number; duplicateLlr: number };
}

export interface DedupStats extends GalleryStats {
  operatorEntries: number;
  operatorBytes: number;
  cachedTemplates: number;
  workerHeapUsed: number;
}

export interface RegionalDelta {
  upserts: GalleryEntry[];
  removals: string[];
}

const TRANSFER_BATCH = 512;

export class DedupService implements Disposable {
  private readonly client = new DedupClient();
  private loadMs = 0;
  private disposed = false;
  readonly thresholds: DecisionThresholds;

  private constructor(private readonly opts: DedupServiceOptions) {
    this.thresholds = opts.thresholds ?? DEFAULT_THRESHOLDS;
    if (!(this.thresholds.duplicateFmr > 0 && this.thresholds.duplicateFmr <= this.thresholds.possibleFmr && this.thresholds.possibleFmr < 1)) {
      throw new DedupInputError('Thresholds need 0 < duplicateFmr ≤ possibleFmr < 1', { ...this.thresholds });
    }
  }

  /** Starts the worker and loads both galleries from their persistence. */
  static async start(opts: DedupServiceOptions): Promise<DedupService> {
    const s = new DedupService(opts);
    try {
      const t0 = performance.now();
      await s.load('main', opts.gallery);
      await s.load('operators', opts.operators);
      s.loadMs = performance.now() - t0;
      return s;
    } catch (error) {
      await s.client.dispose();
      throw error;
    }
  }

  private async load(gallery: GalleryName, p: GalleryPersistence): Promise<void> {
    // Decrypting (here) and building (worker) overlap: up to 4 batches in flight.
    const inFlight: Promise<unknown>[] = [];
    for await (const batch of p.loadAll()) {
      for (let i = 0; i < batch.length; i += TRANSFER_BATCH) {
        const records = batch.slice(i, i + TRANSFER_BATCH).map((r) => r.data);
        const call = this.client.call({ op: 'upsert', gallery, records }, transferables(records));
        call.catch(() => undefined); // observed below; avoids an unhandled rejection while other batches are awaited
        inFlight.push(call);
        if (inFlight.length >= 4) await inFlight.shift();
      }
    }
    await Promise.all(inFlight);
  }

  /** Searches the gallery and the operator gallery; `signedInOperatorId` marks a match with the capturing operator. */
  async search(probe: DedupProbe, opts: { signedInOperatorId?: string | null; limit?: number } = {}): Promise<DedupOutcome> {
    this.guard();
    const data = encodeEntry({ id: 'probe', source: 'local', face: probe.face, fingers: probe.fingers });
    const r = await this.client.call<WorkerSearchResult>({ op: 'search', probe: data, options: { thresholds: this.thresholds, limit: opts.limit ?? 10 }, operators: true }, [data.buffer as ArrayBuffer]);
    const operatorMatches: OperatorMatch[] = (r.operators?.candidates ?? [])
      .filter((c) => c.decision !== 'no_match')
      .map((c) => ({ operatorId: c.id, signedIn: c.id === opts.signedInOperatorId, decision: c.decision, llr: c.llr, candidate: c }));
    return {
      ...r.main,
      operatorMatches,
      thresholds: { ...this.thresholds, possibleLlr: llrThreshold(this.thresholds.possibleFmr), duplicateLlr: llrThreshold(this.thresholds.duplicateFmr) },
    };
  }

  /** An enrollment was approved: it joins the gallery. */
  async addEnrollment(entry: Omit<GalleryEntry, 'source'>): Promise<void> {
    await this.upsert('main', this.opts.gallery, [{ ...entry, source: 'local' }]);
  }

  /** An enrollment was rejected or purged: it leaves the gallery. Returns whether it was present. */
  async removeEnrollment(id: string): Promise<boolean> {
    return (await this.remove('main', this.opts.gallery, [id])) > 0;
  }

  /** Applies a regional delta from the registry (entries of other kiosks of the region). */
  async applyRegionalDelta(delta: RegionalDelta): Promise<{ upserted: number; removed: number }> {
    const upserts = delta.upserts.map((e) => ({ ...e, source: 'regional' as const }));
    if (upserts.length) await this.upsert('main', this.opts.gallery, upserts);
    const removed = delta.removals.length ? await this.remove('main', this.opts.gallery, delta.removals) : 0;
    return { upserted: upserts.length, removed };
  }

  async setOperator(entry: Omit<GalleryEntry, 'source'>): Promise<void> {
    await this.upsert('operators', this.opts.operators, [{ ...entry, source: 'operator' }]);
  }

  async removeOperator(id: string): Promise<boolean> {
    return (await this.remove('operators', this.opts.operators, [id])) > 0;
  }

  /** Sizes and load time (for `kiosk status` and `kiosk dedup stats`). */
  async stats(): Promise<DedupStats> {
    this.guard();
    const s = await this.client.call<WorkerStats>({ op: 'stats', loadMs: this.loadMs });
    return { ...s.main, operatorEntries: s.operators.entries, operatorBytes: s.operators.bytes, cachedTemplates: s.cachedTemplates, workerHeapUsed: s.heapUsed };
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.client.dispose();
  }

  private guard(): void {
    if (this.disposed) throw new KioskError('DISPOSED', 'Dedup service has been disposed');
  }

  private async upsert(gallery: GalleryName, p: GalleryPersistence, entries: GalleryEntry[]): Promise<void> {
    this.guard();
    const records: GalleryRecord[] = entries.map((e) => {
      validateEntry(e);
      // Persist the prefilter vectors with the entry so that loading never recomputes them.
      const withIndex = { ...e, fingers: e.fingers.map((f) => (f.index ? f : { ...f, index: templateIndex(f.template) })) };
      return { id: e.id, data: encodeEntry(withIndex) };
    });
    await p.upsert(records);
    const data = records.map((r) => r.data.slice());
    await this.client.call({ op: 'upsert', gallery, records: data }, transferables(data));
  }

  private async remove(gallery: GalleryName, p: GalleryPersistence, ids: string[]): Promise<number> {
    this.guard();
    await p.remove(ids);
    return this.client.call<number>({ op: 'remove', gallery, ids });
  }
}

function transferables(records: Uint8Array[]): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  for (const r of records) if (r.byteOffset === 0 && r.byteLength === r.buffer.byteLength) seen.add(r.buffer as ArrayBuffer);
  return [...seen];
}
