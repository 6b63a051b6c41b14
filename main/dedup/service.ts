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
import { DEFAULT_SHORTLIST } from '../../models/dedup/search.js';
import { templateIndex } from '../../models/dedup/template-index.js';
import type { Candidate, Decision, DecisionThresholds, FingerPos, GalleryEntry, GalleryStats, SearchResult } from '../../models/dedup/types.js';
import type { GalleryPersistence, GalleryRecord } from './persistence.js';

export interface DedupServiceOptions {
  /** Enrolled people of this kiosk and regional entries. */
  gallery: GalleryPersistence;
  /** Biometric references of this kiosk's operators (a separate, small gallery). */
  operators: GalleryPersistence;
  thresholds?: DecisionThresholds;
  /** Worker threads; gallery rows are sharded over them by id. Default 2. */
  workers?: number;
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
  private readonly shards: DedupClient[];
  private loadMs = 0;
  private disposed = false;
  readonly thresholds: DecisionThresholds;

  private constructor(private readonly opts: DedupServiceOptions) {
    this.thresholds = opts.thresholds ?? DEFAULT_THRESHOLDS;
    const n = Math.max(1, Math.min(8, Math.floor(opts.workers ?? 2)));
    this.shards = Array.from({ length: n }, () => new DedupClient());
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
      await Promise.all(s.shards.map((c) => c.dispose()));
      throw error;
    }
  }

  private async load(gallery: GalleryName, p: GalleryPersistence): Promise<void> {
    // Decrypting (here) and building (workers) overlap: a few batches in flight.
    const inFlight: Promise<unknown>[] = [];
    for await (const batch of p.loadAll()) {
      const byShard = this.group(gallery, batch, (r) => r.id);
      for (const [shard, recs] of byShard) {
        for (let i = 0; i < recs.length; i += TRANSFER_BATCH) {
          const records = recs.slice(i, i + TRANSFER_BATCH).map((r) => r.data);
          const call = this.shards[shard]!.call({ op: 'upsert', gallery, records }, transferables(records));
          call.catch(() => undefined); // observed below; avoids an unhandled rejection while other batches are awaited
          inFlight.push(call);
          if (inFlight.length >= 4 * this.shards.length) await inFlight.shift();
        }
      }
    }
    await Promise.all(inFlight);
  }

  /** Searches the gallery and the operator gallery; `signedInOperatorId` marks a match with the capturing operator. */
  async search(probe: DedupProbe, opts: { signedInOperatorId?: string | null; limit?: number } = {}): Promise<DedupOutcome> {
    this.guard();
    const data = encodeEntry({ id: 'probe', source: 'local', face: probe.face, fingers: probe.fingers });
    const n = this.shards.length;
    const options = { thresholds: this.thresholds, limit: opts.limit ?? 10, shortlist: Math.max(2, Math.ceil(DEFAULT_SHORTLIST / n)) };
    // One copy per shard, made before any is transferred (a transfer detaches its buffer).
    const copies = this.shards.map((_, i) => (i === 0 ? data : data.slice()));
    const parts = await Promise.all(this.shards.map((c, i) => c.call<WorkerSearchResult>({ op: 'search', probe: copies[i]!, options, operators: i === 0 }, [copies[i]!.buffer as ArrayBuffer])));
    const r = { main: mergeResults(parts.map((p) => p.main), options.limit), operators: parts[0]!.operators };
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
    const all = await Promise.all(this.shards.map((c) => c.call<WorkerStats>({ op: 'stats', loadMs: this.loadMs })));
    const sum = (f: (w: WorkerStats) => number) => all.reduce((a, w) => a + f(w), 0);
    return {
      entries: sum((w) => w.main.entries),
      local: sum((w) => w.main.local),
      regional: sum((w) => w.main.regional),
      operators: sum((w) => w.main.operators),
      faces: sum((w) => w.main.faces),
      fingers: sum((w) => w.main.fingers),
      bytes: sum((w) => w.main.bytes + w.operators.bytes),
      loadMs: this.loadMs,
      operatorEntries: all[0]!.operators.entries,
      operatorBytes: all[0]!.operators.bytes,
      cachedTemplates: sum((w) => w.cachedTemplates),
      workerHeapUsed: sum((w) => w.heapUsed),
    };
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await Promise.all(this.shards.map((c) => c.dispose()));
  }

  /** Operators live in shard 0; gallery rows are spread by a hash of their id. */
  private group<T>(gallery: GalleryName, items: T[], id: (t: T) => string): Map<number, T[]> {
    const out = new Map<number, T[]>();
    for (const t of items) {
      const k = gallery === 'operators' ? 0 : shardOf(id(t), this.shards.length);
      let list = out.get(k);
      if (!list) out.set(k, (list = []));
      list.push(t);
    }
    return out;
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
    await Promise.all(
      [...this.group(gallery, records, (r) => r.id)].map(([k, recs]) => {
        const data = recs.map((r) => r.data.slice());
        return this.shards[k]!.call({ op: 'upsert', gallery, records: data }, transferables(data));
      }),
    );
  }

  private async remove(gallery: GalleryName, p: GalleryPersistence, ids: string[]): Promise<number> {
    this.guard();
    await p.remove(ids);
    const removed = await Promise.all([...this.group(gallery, ids, (id) => id)].map(([k, list]) => this.shards[k]!.call<number>({ op: 'remove', gallery, ids: list })));
    return removed.reduce((a, b) => a + b, 0);
  }
}

function shardOf(id: string, n: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) % n;
}

const DECISION_ORDER: Record<Decision, number> = { no_match: 0, possible_duplicate: 1, duplicate: 2 };

/** Merges the shards' results: candidates by fused LLR, counts summed, stage times of the slowest shard. */
function mergeResults(parts: SearchResult[], limit: number): SearchResult {
  const candidates = parts.flatMap((p) => p.candidates).sort((a, b) => b.llr - a.llr);
  let decision: Decision = 'no_match';
  for (const p of parts) if (DECISION_ORDER[p.decision] > DECISION_ORDER[decision]) decision = p.decision;
  const max = (k: keyof SearchResult['timings']) => Math.max(...parts.map((p) => p.timings[k]));
  const sum = (k: keyof SearchResult['comparisons']) => parts.reduce((a, p) => a + p.comparisons[k], 0);
  return {
    decision,
    candidates: candidates.slice(0, limit),
    searched: parts.reduce((a, p) => a + p.searched, 0),
    comparisons: { face: sum('face'), fingerPrefilter: sum('fingerPrefilter'), fingerFull: sum('fingerFull') },
    probeMissing: parts[0]!.probeMissing,
    timings: { faceMs: max('faceMs'), prefilterMs: max('prefilterMs'), matchMs: max('matchMs'), totalMs: max('totalMs') },
  };
}

function transferables(records: Uint8Array[]): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  for (const r of records) if (r.byteOffset === 0 && r.byteLength === r.buffer.byteLength) seen.add(r.buffer as ArrayBuffer);
  return [...seen];
}
