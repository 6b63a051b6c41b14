// Global biometric deduplication of the registry's processing stage, on the project's matchers: the face embedding
// (int8 cosine) and the ten fingers (MCC, models/finger) searched 1:N against every accepted record by the dedup
// worker of models/dedup, with its calibrated LLR fusion (docs/DEDUP.md). Finger templates are the kiosk's, used only
// after the registry re-extracted a random few of them from the packet's WSQ images and found them matching
// (kiosk-templates.ts); otherwise every finger is extracted here (probe.ts).
//
// Gallery: one row per accepted RID, persisted in the registry store (`biometrics`, encodeEntry bytes with the
// prefilter vectors) and loaded into the worker on start; a new accepted record is written to the store first, then
// to the worker (a crash in between re-loads it on the next start).
import { KioskError } from '../../../main/contract/errors.js';
import type { Disposable } from '../../../main/platform/disposable.js';
import { llrThreshold } from '../../../models/dedup/calibration.js';
import { DedupClient } from '../../../models/dedup/client.js';
import { encodeEntry } from '../../../models/dedup/codec.js';
import { DEFAULT_THRESHOLDS } from '../../../models/dedup/fusion.js';
import type { WorkerSearchResult } from '../../../models/dedup/protocol.js';
import { templateIndex } from '../../../models/dedup/template-index.js';
import type { Candidate, Decision, DecisionThresholds, FingerPos, GalleryEntry, SearchResult } from '../../../models/dedup/types.js';
import type { OpenedPacket } from '../../packet/index.js';
import type { BiometricDedup, BiometricHit } from '../processing.js';
import type { RegistryStore } from '../store/types.js';
import { ExtractorPool } from './extractor-pool.js';
import { DEFAULT_VERIFY_FINGERS, kioskTemplateOf, pickRandom, VERIFY_MIN_SCORE, type TemplateCheck } from './kiosk-templates.js';
import { faceEmbeddingOf, fingerImagesOf, type FingerImageInput } from './probe.js';

/** Per-modality evidence of one dedup decision (JSON; stored per packet and returned in its signed status). */
export interface DedupEvidence {
  decision: Decision;
  /** The best candidate's RID (null when the gallery gave none). */
  candidateRid: string | null;
  /** Fused log-likelihood ratio of the best candidate, and the thresholds it was compared with. */
  llr: number;
  thresholds: { possibleLlr: number; duplicateLlr: number };
  face: { score: number | null; llr: number; available: boolean } | null;
  fingers: { position: number; score: number | null; llr: number; matched: boolean }[];
  matchedFingers: number[];
  /** What the probe lacked (excepted face, fingers that could not be extracted, …). */
  probeMissing: string[];
  searched: number;
  /** Whose finger templates were searched: the kiosk's (spot-checked) or the registry's own. */
  templates: TemplateCheck;
}

export interface MatcherDedupOptions {
  store: RegistryStore;
  thresholds?: DecisionThresholds;
  /** Template extraction workers (default 2). */
  extractors?: number;
  /** Also flag `possible_duplicate` as duplicate_of (default false: only `duplicate`; possible ones are audited). */
  flagPossible?: boolean;
  /** Rows loaded per store page on start (default 2,000). */
  loadPage?: number;
  /**
   * Fingers re-extracted per packet to spot-check the kiosk's templates (default 2); 'all': ignore the kiosk's
   * templates and extract every finger from its image.
   */
  verifyFingers?: number | 'all';
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Feed entries kept for delta re-searches; a search older than these falls back to a full re-search. */
const RECENT_MAX = 4096;

/**
 * V8 young generation of the dedup and extraction workers: 192 MB = 64 MB semi-spaces (V8's default here: 16 MB).
 * Their per-packet garbage (cylinders of the shortlisted gallery templates, WSQ decode and extraction buffers)
 * is collected on V8's helper threads, about a third of the process's CPU. bench registry-cluster vs 100k, 1 process ×
 * 2 packets at once, with `node --max-semi-space-size=64` (every isolate): 0.32 → 0.30 CPU-s per packet; as these
 * worker limits the gain is within the run-to-run noise at load 3–5 (docs/REGISTRY.md).
 */
const WORKER_YOUNG_GENERATION_MB = 192;

interface Prepared {
  entry: GalleryEntry;
  missing: string[];
  check: TemplateCheck;
  /** Best candidate of the searches so far (other than the RID itself), and how many rows they covered. */
  best?: Candidate | null;
  probeMissing?: string[];
  searched?: number;
}

export class MatcherDedup implements BiometricDedup, Disposable {
  // Nothing under the enrollment lock waits for the gallery worker: while it runs another packet's whole-gallery
  // search (100–300 ms), the lock holder's search among the few persons enrolled since runs on a second worker that
  // holds no gallery, and gallery upserts are queued (ahead of waiting searches) without being awaited. Waiting for
  // the gallery worker held the lock 100–450 ms per packet and capped one process at ≈ 3–4.5 packets/s (bench
  // registry-cluster, 1 × 2–4 packets at once vs 100k).
  private readonly client = new DedupClient({ youngGenerationMb: WORKER_YOUNG_GENERATION_MB, maxInFlight: 1 });
  private readonly deltaClient = new DedupClient();
  /** A gallery upsert that failed: the search gallery no longer matches the store, so nothing more is decided. */
  private broken: unknown = null;
  private readonly extractors: ExtractorPool;
  private readonly thresholds: DecisionThresholds;
  /** Entries built by search(), reused by enroll() of the same RID, with the last search's best candidate. */
  private readonly prepared = new Map<string, Prepared>();
  private readonly searchedAt = new Map<string, number>();
  /** Entries the change feed brought (copies, by sequence), for re-searching only what came after a search. */
  private recent: { seq: number; bytes: Uint8Array }[] = [];
  /** Re-searches that covered only the entries enrolled since the first search, and those that had to search all. */
  researches = { delta: 0, full: 0 };
  private disposed = false;
  /** Sequence number of the store's gallery this search gallery holds everything up to (several processes). */
  seq = 0;
  private catching: Promise<number> | null = null;
  loaded = 0;
  loadMs = 0;

  private constructor(private readonly o: MatcherDedupOptions) {
    this.extractors = new ExtractorPool(o.extractors ?? 2, WORKER_YOUNG_GENERATION_MB);
    this.thresholds = o.thresholds ?? DEFAULT_THRESHOLDS;
  }

  /** Starts the workers and loads every stored entry into the search gallery. */
  static async open(o: MatcherDedupOptions): Promise<MatcherDedup> {
    const d = new MatcherDedup(o);
    try {
      await d.load();
    } catch (e) {
      await d.dispose();
      throw e;
    }
    return d;
  }

  private async load(): Promise<void> {
    const t0 = performance.now();
    const page = this.o.loadPage ?? 2000;
    // Entries written while the pages load have a higher sequence: catchUp() loads them (upserts are idempotent).
    const startSeq = (await this.o.store.shared?.gallerySeq()) ?? 0;
    let after = '';
    let inFlight: Promise<unknown> | null = null;
    for (;;) {
      const rows = await this.o.store.listBiometrics(after, page);
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.rid;
      const records = rows.map((r) => r.entry);
      await inFlight;
      inFlight = this.client.call<number>({ op: 'upsert', gallery: 'main', records }, records.map((r) => r.buffer as ArrayBuffer));
      this.loaded += rows.length;
    }
    await inFlight;
    this.seq = startSeq;
    this.loadMs = performance.now() - t0;
  }

  /**
   * Loads the entries other processes wrote since `seq` (the change feed). With a RID: returns how far the gallery
   * moved since that RID was searched (> 0: search again), whether this call or an earlier NOTIFY loaded it.
   */
  async catchUp(sinceSearchOf?: string): Promise<number> {
    const n = await this.catchUpFeed();
    if (sinceSearchOf === undefined) return n;
    const at = this.searchedAt.get(sinceSearchOf);
    return at === undefined ? 0 : this.seq - at;
  }

  private catchUpFeed(): Promise<number> {
    const shared = this.o.store.shared;
    if (!shared || this.disposed) return Promise.resolve(0);
    const run = async (): Promise<number> => {
      let n = 0;
      for (;;) {
        const rows = await shared.biometricsSince(this.seq, this.o.loadPage ?? 2000);
        if (rows.length === 0) return n;
        for (const r of rows) this.recent.push({ seq: r.seq, bytes: r.entry.slice() });
        if (this.recent.length > RECENT_MAX) this.recent = this.recent.slice(-RECENT_MAX);
        this.upsert(rows.map((r) => r.entry));
        this.seq = rows[rows.length - 1]!.seq;
        n += rows.length;
      }
    };
    const prev = this.catching ?? Promise.resolve(0);
    const next = prev.catch(() => 0).then(run);
    this.catching = next.finally(() => {
      if (this.catching === tail) this.catching = null;
    });
    const tail = this.catching;
    return next;
  }

  async galleryPosition(): Promise<{ seq: number; lag: number }> {
    const top = (await this.o.store.shared?.gallerySeq()) ?? this.seq;
    return { seq: this.seq, lag: Math.max(0, top - this.seq) };
  }

  /**
   * The gallery entry of a packet: the normalised face embedding and a template per finger — the kiosk's, spot-checked
   * by re-extracting `verifyFingers` of them from their images (kiosk-templates.ts), or the registry's own when the
   * check fails, the kiosk sent none, or `verifyFingers` is 'all'.
   */
  async entryOf(rid: string, packet: OpenedPacket): Promise<{ entry: GalleryEntry; missing: string[]; check: TemplateCheck }> {
    const missing: string[] = [];
    const face = faceEmbeddingOf(packet);
    if (!face) missing.push('face');
    const images = fingerImagesOf(packet);
    const verify = this.o.verifyFingers ?? DEFAULT_VERIFY_FINGERS;
    const kiosk = new Map<number, Uint8Array>();
    if (verify !== 'all') {
      for (const img of images) {
        const t = kioskTemplateOf(packet, img.position);
        if (t) kiosk.set(img.position, t);
      }
    }
    const byPos = new Map<number, GalleryEntry['fingers'][number]>();
    const failed = new Map<number, string>();
    const extract = async (img: FingerImageInput, against?: Uint8Array): Promise<number | null | undefined> => {
      try {
        const r = await this.extractors.extract(img, against);
        if (!against) byPos.set(img.position, { position: img.position as FingerPos, template: r.template, index: r.index });
        else byPos.set(img.position, { position: img.position as FingerPos, template: against, index: r.index });
        return r.score;
      } catch (e) {
        if (e instanceof KioskError && e.code === 'DISPOSED') throw e;
        failed.set(img.position, e instanceof KioskError ? e.code : 'EXTRACTION_FAILED');
        return undefined;
      }
    };
    const withKiosk = images.filter((i) => kiosk.has(i.position));
    const checked = new Set(pickRandom(withKiosk, verify === 'all' ? 0 : verify).map((i) => i.position));
    const check: TemplateCheck = { source: withKiosk.length > 0 ? 'kiosk' : 'registry', checked: [], mismatched: [] };
    await Promise.all(
      images.map(async (img) => {
        const k = kiosk.get(img.position);
        if (!k) {
          await extract(img);
          return;
        }
        if (!checked.has(img.position)) {
          byPos.set(img.position, { position: img.position as FingerPos, template: k, index: templateIndex(k) });
          return;
        }
        const score = await extract(img, k);
        check.checked.push({ position: img.position, score: score === undefined || score === null ? null : round(score) });
        // An image the registry cannot extract cannot confirm the kiosk's template either.
        if (score === undefined || score === null || score < VERIFY_MIN_SCORE) check.mismatched.push(img.position);
      }),
    );
    check.checked.sort((a, b) => a.position - b.position);
    check.mismatched.sort((a, b) => a - b);
    if (check.mismatched.length > 0) {
      // The kiosk's templates disagree with its images: none of them is used; every finger is extracted here.
      check.source = 'registry';
      byPos.clear();
      failed.clear();
      await Promise.all(images.map((img) => extract(img)));
    }
    for (const [position, code] of failed) missing.push(`finger.${position}:${code}`);
    const fingers = [...byPos.values()].sort((a, b) => a.position - b.position);
    return { entry: { id: rid, source: 'local', face, fingers }, missing, check };
  }

  async search(candidate: { rid: string; centreId: string; packet: OpenedPacket }): Promise<BiometricHit | null> {
    this.guard();
    // A second search of the same RID (after catching up under the enrollment lock) reuses the extraction and, when
    // the feed entries since the first search are at hand, searches only those (a few rows, not the gallery).
    const ready = this.prepared.get(candidate.rid);
    const prep: Prepared = ready ?? (await this.entryOf(candidate.rid, candidate.packet));
    this.prepared.set(candidate.rid, prep);
    const { entry, missing, check } = prep;
    const since = this.searchedAt.get(candidate.rid);
    // Everything up to this sequence is in the worker's gallery before the search message reaches it.
    this.searchedAt.set(candidate.rid, this.seq);
    if (!entry.face && entry.fingers.length === 0) return { duplicateOf: null, score: 0, evidence: this.evidence(null, 'no_match', missing, 0, check) };
    const probe = encodeEntry({ ...entry, id: 'probe' });
    const delta = prep.best !== undefined && since !== undefined ? this.recentSince(since) : null;
    let best: Candidate | null;
    let searched: number;
    let probeMissing: string[];
    if (delta && delta.length === 0) {
      best = prep.best!;
      searched = prep.searched ?? 0;
      probeMissing = prep.probeMissing ?? [];
    } else if (delta) {
      this.researches.delta++;
      const r = await this.deltaClient.call<SearchResult>({ op: 'search-among', probe, records: delta, options: { thresholds: this.thresholds, limit: 3 } }, [probe.buffer as ArrayBuffer, ...delta.map((d) => d.buffer as ArrayBuffer)]);
      const found = r.candidates.find((c) => c.id !== candidate.rid) ?? null;
      best = found && (!prep.best || found.llr > prep.best.llr) ? found : prep.best!;
      searched = (prep.searched ?? 0) + r.searched;
      probeMissing = prep.probeMissing ?? r.probeMissing;
    } else {
      if (ready) this.researches.full++;
      const r = await this.client.call<WorkerSearchResult>({ op: 'search', probe, options: { thresholds: this.thresholds, limit: 3 }, operators: false }, [probe.buffer as ArrayBuffer]);
      // A re-processed packet may find its own RID (enrolled before a crash): skip it.
      best = r.main.candidates.find((c) => c.id !== candidate.rid) ?? null;
      searched = r.main.searched;
      probeMissing = r.main.probeMissing;
    }
    prep.best = best;
    prep.searched = searched;
    prep.probeMissing = probeMissing;
    const decision: Decision = best?.decision ?? 'no_match';
    const evidence = this.evidence(best, decision, [...probeMissing, ...missing], searched, check);
    const flagged = decision === 'duplicate' || (this.o.flagPossible === true && decision === 'possible_duplicate');
    return { duplicateOf: flagged && best ? best.id : null, score: best?.llr ?? 0, evidence };
  }

  /** Copies of the feed entries after `seq`, or null when some of them are no longer kept (search everything). */
  private recentSince(seq: number): Uint8Array[] | null {
    if (seq >= this.seq) return [];
    const first = this.recent[0];
    // The kept entries must start at or before the first one after `seq` (the feed has no gaps).
    if (!first || first.seq > seq + 1) return null;
    return this.recent.filter((r) => r.seq > seq).map((r) => r.bytes.slice());
  }

  private evidence(best: Candidate | null, decision: Decision, probeMissing: string[], searched: number, templates: TemplateCheck): DedupEvidence {
    return {
      decision,
      candidateRid: best?.id ?? null,
      llr: round(best?.llr ?? 0),
      thresholds: { possibleLlr: round(llrThreshold(this.thresholds.possibleFmr)), duplicateLlr: round(llrThreshold(this.thresholds.duplicateFmr)) },
      face: best ? { score: best.face.score === null ? null : round(best.face.score), llr: round(best.face.llr), available: best.face.available } : null,
      fingers: (best?.fingers ?? []).map((f) => ({ position: f.position, score: f.score === null ? null : round(f.score), llr: round(f.llr), matched: f.matched })),
      matchedFingers: best?.matchedFingers ?? [],
      probeMissing: [...new Set(probeMissing)],
      searched,
      templates,
    };
  }

  async enroll(entry: { rid: string; centreId: string; packet: OpenedPacket }): Promise<void> {
    this.guard();
    const e = (this.prepared.get(entry.rid) ?? (await this.entryOf(entry.rid, entry.packet))).entry;
    this.forget(entry.rid);
    if (!e.face && e.fingers.length === 0) return;
    const bytes = encodeEntry(e);
    await this.o.store.putBiometric(entry.rid, bytes);
    // Several processes: the entry comes back through the change feed with its sequence number (under the
    // enrollment lock nothing else was written in between, so the feed stays gap-free).
    if (this.o.store.shared) {
      await this.catchUpFeed();
      return;
    }
    this.upsert([bytes.slice()]);
  }

  /**
   * Queues entries into the search gallery without waiting: the worker takes them before any search queued after
   * this call (and before searches still waiting), so a search started later sees them. A failure breaks the dedup.
   */
  private upsert(records: Uint8Array[]): void {
    this.client.call<number>({ op: 'upsert', gallery: 'main', records }, records.map((r) => r.buffer as ArrayBuffer), 'high').catch((error: unknown) => {
      if (!this.disposed) this.broken ??= error;
    });
  }

  /** Forgets a prepared entry (the packet ended as a duplicate or was rejected). */
  forget(rid: string): void {
    this.prepared.delete(rid);
    this.searchedAt.delete(rid);
  }

  private guard(): void {
    if (this.disposed) throw new KioskError('DISPOSED', 'Biometric dedup disposed');
    if (this.broken) throw new KioskError('INTERNAL', 'The biometric search gallery failed to take new entries: restart the registry process', { cause: this.broken });
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.prepared.clear();
    this.searchedAt.clear();
    this.recent = [];
    await this.catching?.catch(() => undefined);
    await Promise.all([this.client.dispose(), this.deltaClient.dispose(), this.extractors.dispose()]);
  }
}
