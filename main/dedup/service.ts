// Local 1:N deduplication service: owns the dedup workers and the persisted galleries (enrolled people, regional
// entries, and the separate operator gallery). Every change is made durable first (encrypted log), then applied to the
// workers; mutations run one at a time. At load each worker decrypts its own snapshot sections straight into its typed
// arrays, then the log since the snapshot is replayed. The kiosk core exposes the service as `core.dedup`.
//
// API used by the enrollment workflow (stable):
//   search(probe: DedupProbe, { signedInOperatorId?, limit? }) → DedupOutcome
//     probe.face: 512-d L2-normalised Float32Array or null (excepted); probe.fingers: [{ position 1–10, template
//     ("KFT1" bytes of models/finger serializeTemplate) }]. Outcome: decision no_match | possible_duplicate |
//     duplicate, candidates (best fused LLR first) with per-modality and per-finger evidence, operatorMatches,
//     the thresholds used, timings. Bad input → DedupInputError (DEDUP_INPUT_INVALID).
//   addEnrollment(s) / removeEnrollment / applyRegionalDelta / replaceOperators / setOperator / removeOperator /
//   checkpoint / stats / localIds. The gallery follows the store by itself (StoreGallerySync, main/dedup/store-sync.ts).
import { KioskError } from '../contract/errors.js';
import type { Disposable } from '../platform/disposable.js';
import { DedupClient } from '../../models/dedup/client.js';
import { decodeEntry, encodeEntry, validateEntry } from '../../models/dedup/codec.js';
import { DedupInputError } from '../../models/dedup/errors.js';
import { DEFAULT_THRESHOLDS } from '../../models/dedup/fusion.js';
import { llrThreshold } from '../../models/dedup/calibration.js';
import type { GalleryName, SnapshotInfo, WorkerSearchResult, WorkerStats } from '../../models/dedup/protocol.js';
import { DEFAULT_SHORTLIST } from '../../models/dedup/search.js';
import { templateIndex } from '../../models/dedup/template-index.js';
import type { Candidate, Decision, DecisionThresholds, FingerPos, GalleryEntry, GalleryStats, SearchResult } from '../../models/dedup/types.js';
import { GalleryStore, type LogOp, type SnapshotSection } from './gallery-store.js';

export interface DedupServiceOptions {
  /** Directory of the encrypted snapshot and log (DATA_DIR/dedup). */
  dir: string;
  /** 32-byte key derived from the store's key ring (StoreServices.deriveKey('dedup-gallery')); copied, not kept. */
  key: Uint8Array;
  thresholds?: DecisionThresholds;
  /** Worker threads for a new gallery; rows are sharded over them by id. Default 2. A snapshot keeps its own count. */
  workers?: number;
  /**
   * Write a new snapshot (and empty the log) when the log exceeds this many bytes and half the snapshot (so a bulk
   * import rewrites the snapshot O(log n) times, not once per 32 MiB). Default 32 MiB.
   */
  checkpointBytes?: number;
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
  /** Bytes of the encrypted snapshot's payload and of the log since. */
  snapshotBytes: number;
  logBytes: number;
  shards: number;
  simd: boolean;
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
  private queue: Promise<unknown> = Promise.resolve();
  private readonly checkpointBytes: number;
  readonly thresholds: DecisionThresholds;

  private constructor(
    private readonly store: GalleryStore,
    opts: DedupServiceOptions,
  ) {
    this.thresholds = opts.thresholds ?? DEFAULT_THRESHOLDS;
    this.checkpointBytes = opts.checkpointBytes ?? 32 << 20;
    if (!(this.thresholds.duplicateFmr > 0 && this.thresholds.duplicateFmr <= this.thresholds.possibleFmr && this.thresholds.possibleFmr < 1)) {
      throw new DedupInputError('Thresholds need 0 < duplicateFmr ≤ possibleFmr < 1', { ...this.thresholds });
    }
    const n = store.snapshot?.shards ?? Math.max(1, Math.min(8, Math.floor(opts.workers ?? 2)));
    this.shards = Array.from({ length: n }, () => new DedupClient());
  }

  /** Opens the encrypted gallery, starts the workers and loads both galleries (snapshot, then the log since). */
  static async start(opts: DedupServiceOptions): Promise<DedupService> {
    const store = new GalleryStore({ dir: opts.dir, key: opts.key });
    let s: DedupService;
    try {
      s = new DedupService(store, opts);
    } catch (error) {
      store.dispose();
      throw error;
    }
    try {
      const t0 = performance.now();
      await s.loadSnapshot();
      await s.replayLog();
      s.loadMs = performance.now() - t0;
      if (store.logBytes > s.checkpointBytes) await s.checkpointNow();
      return s;
    } catch (error) {
      await Promise.all(s.shards.map((c) => c.dispose()));
      store.dispose();
      throw error;
    }
  }

  private async loadSnapshot(): Promise<void> {
    const snap = this.store.snapshot;
    if (!snap) return;
    if (snap.shards !== this.shards.length) throw new KioskError('INTERNAL', 'Shard count differs from the snapshot');
    // Every worker decrypts its own sections from the file: the shards load in parallel, no bytes cross threads.
    const plans = this.store.sectionPlans();
    const byShard = new Map<number, number[]>();
    snap.sections.forEach((sec, i) => byShard.set(sec.shard, [...(byShard.get(sec.shard) ?? []), i]));
    await Promise.all(
      [...byShard].map(async ([shard, list]) => {
        for (const i of list) {
          const sec = snap.sections[i]!;
          const plan = plans[i]!;
          await this.shards[shard]!.call({ op: 'import-file', gallery: sec.gallery, size: sec.size, idsBytes: sec.idsBytes, arenaBytes: sec.arenaBytes, plan }, [plan.key.buffer as ArrayBuffer]);
        }
      }),
    );
  }

  private async replayLog(): Promise<void> {
    let batch: { gallery: GalleryName; upserts: Uint8Array[] } | null = null;
    const flush = async () => {
      if (!batch) return;
      const { gallery, upserts } = batch;
      batch = null;
      const ids = upserts.map((d) => decodeEntry(d).id);
      await this.applyUpserts(gallery, upserts, ids);
    };
    for (const op of this.store.replay()) {
      if (op.op === 'upsert') {
        if (batch && (batch.gallery !== op.gallery || batch.upserts.length >= TRANSFER_BATCH)) await flush();
        batch ??= { gallery: op.gallery, upserts: [] };
        batch.upserts.push(op.data);
      } else {
        await flush();
        await this.applyRemovals(op.gallery, [op.id]);
      }
    }
    await flush();
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

  /** An enrollment was approved: it joins the gallery (replacing an entry with the same id). */
  async addEnrollment(entry: Omit<GalleryEntry, 'source'>): Promise<void> {
    await this.upsert('main', [{ ...entry, source: 'local' }]);
  }

  /** Several approved enrollments at once (one log append, one message per shard): reconcile, bulk import. */
  async addEnrollments(entries: Omit<GalleryEntry, 'source'>[]): Promise<void> {
    if (entries.length) await this.upsert('main', entries.map((e) => ({ ...e, source: 'local' as const })));
  }

  /** An enrollment was rejected or purged: it leaves the gallery. Returns whether it was present. */
  async removeEnrollment(id: string): Promise<boolean> {
    return (await this.remove('main', [id])) > 0;
  }

  /** Applies a regional delta from the registry (entries of other kiosks of the region). */
  async applyRegionalDelta(delta: RegionalDelta): Promise<{ upserted: number; removed: number }> {
    const upserts = delta.upserts.map((e) => ({ ...e, source: 'regional' as const }));
    if (upserts.length) await this.upsert('main', upserts);
    const removed = delta.removals.length ? await this.remove('main', delta.removals) : 0;
    return { upserted: upserts.length, removed };
  }

  async setOperator(entry: Omit<GalleryEntry, 'source'>): Promise<void> {
    await this.upsert('operators', [{ ...entry, source: 'operator' }]);
  }

  /** Replaces the operator gallery with `entries` (operators without biometrics or no longer active leave it). */
  async replaceOperators(entries: Omit<GalleryEntry, 'source'>[]): Promise<{ set: number; removed: number }> {
    this.guard();
    const keep = new Set(entries.map((e) => e.id));
    const current = await this.shards[0]!.call<string[]>({ op: 'ids', gallery: 'operators' });
    const gone = current.filter((id) => !keep.has(id));
    if (entries.length) await this.upsert('operators', entries.map((e) => ({ ...e, source: 'operator' as const })));
    const removed = gone.length ? await this.remove('operators', gone) : 0;
    return { set: entries.length, removed };
  }

  async removeOperator(id: string): Promise<boolean> {
    return (await this.remove('operators', [id])) > 0;
  }

  /** Ids of the entries enrolled on this kiosk (source local), for reconciling with the store. */
  async localIds(): Promise<string[]> {
    this.guard();
    const parts = await Promise.all(this.shards.map((c) => c.call<string[]>({ op: 'ids', gallery: 'main', source: 'local' })));
    return parts.flat();
  }

  /** Writes a new snapshot now and empties the log (also done automatically when the log grows large). */
  async checkpoint(): Promise<void> {
    this.guard();
    await this.serial(() => this.checkpointNow());
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
      snapshotBytes: this.store.snapshotBytes,
      logBytes: this.store.logBytes,
      shards: this.shards.length,
      simd: all.every((w) => w.simd),
      operatorEntries: all[0]!.operators.entries,
      operatorBytes: all[0]!.operators.bytes,
      cachedTemplates: sum((w) => w.cachedTemplates),
      workerHeapUsed: sum((w) => w.heapUsed),
    };
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.queue.catch(() => undefined);
    await Promise.all(this.shards.map((c) => c.dispose()));
    this.store.dispose();
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

  /** Runs mutations one after another (the log order is the apply order; checkpoints see no change in between). */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async upsert(gallery: GalleryName, entries: GalleryEntry[]): Promise<void> {
    this.guard();
    const records = entries.map((e) => {
      validateEntry(e);
      // Prefilter vectors are stored with the entry so that loading never recomputes them.
      const withIndex = { ...e, fingers: e.fingers.map((f) => (f.index ? f : { ...f, index: templateIndex(f.template) })) };
      return { id: e.id, data: encodeEntry(withIndex) };
    });
    await this.serial(async () => {
      this.guard();
      this.store.append(records.map((r): LogOp => ({ op: 'upsert', gallery, data: r.data })));
      await this.applyUpserts(gallery, records.map((r) => r.data.slice()), records.map((r) => r.id));
      await this.maybeCheckpoint();
    });
  }

  private async remove(gallery: GalleryName, ids: string[]): Promise<number> {
    this.guard();
    return this.serial(async () => {
      this.guard();
      this.store.append(ids.map((id): LogOp => ({ op: 'remove', gallery, id })));
      const n = await this.applyRemovals(gallery, ids);
      await this.maybeCheckpoint();
      return n;
    });
  }

  private async applyUpserts(gallery: GalleryName, data: Uint8Array[], ids: string[]): Promise<void> {
    const byShard = this.group(gallery, data.map((d, i) => ({ d, id: ids[i]! })), (x) => x.id);
    await Promise.all(
      [...byShard].map(([k, list]) => {
        const records = list.map((x) => x.d);
        return this.shards[k]!.call({ op: 'upsert', gallery, records }, transferables(records));
      }),
    );
  }

  private async applyRemovals(gallery: GalleryName, ids: string[]): Promise<number> {
    const removed = await Promise.all([...this.group(gallery, ids, (id) => id)].map(([k, list]) => this.shards[k]!.call<number>({ op: 'remove', gallery, ids: list })));
    return removed.reduce((a, b) => a + b, 0);
  }

  private async maybeCheckpoint(): Promise<void> {
    if (this.store.logBytes > Math.max(this.checkpointBytes, this.store.snapshotBytes / 2)) await this.checkpointNow();
  }

  private async checkpointNow(): Promise<void> {
    const sections: SnapshotSection[] = [];
    try {
      for (const [shard, c] of this.shards.entries()) {
        for (const gallery of ['main', 'operators'] as const) {
          if (gallery === 'operators' && shard !== 0) continue;
          const info = await c.call<SnapshotInfo>({ op: 'snapshot-begin', gallery });
          sections.push({ gallery, shard, ...info });
        }
      }
      await this.store.checkpoint(this.shards.length, sections, (si, offset, length) => {
        const s = sections[si]!;
        return this.shards[s.shard]!.call<Uint8Array>({ op: 'snapshot-read', gallery: s.gallery, offset, length });
      });
    } finally {
      await Promise.all(this.shards.map((c) => c.call({ op: 'snapshot-end' }).catch(() => undefined)));
    }
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
