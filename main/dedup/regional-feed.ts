// The regional gallery feed: the registry's signed gallery-delta downloads (people accepted centrally from this
// centre's kiosks) applied to the local dedup gallery as `regional` entries, so a person enrolled at another kiosk
// (or here, after the local record was purged) is still caught at the counter. Face embeddings only: the registry
// publishes no templates to kiosks. The cursor (last applied sequence number) is saved after each applied page, so
// a crash re-applies at most one page (upserts are idempotent).
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { writeFileAtomic } from '../platform/atomic-file.js';
import type { SignedDoc } from '../../sync/protocol/signed-doc.js';
import type { DownloadPayload } from '../../sync/protocol/schemas.js';
import type { GalleryEntry } from '../../models/dedup/types.js';
import { dedupDir } from './local.js';
import type { RegionalDelta } from './service.js';

const EMBEDDING_DIMS = 512;
/** Pages fetched per pull at most (1,000 entries each at the reference registry). */
const MAX_PAGES = 1_000;

export interface RegionalFeedDeps {
  dedup: { applyRegionalDelta(delta: RegionalDelta): Promise<{ upserted: number; removed: number }> };
  dataDir: string;
  logger?: Logger;
  /**
   * True when the RID is a record this kiosk still holds in its local gallery: the registry sends this kiosk's own
   * accepted records back, and the same person must not be searched (and shown) twice. Once the local record is
   * purged (after the registry acknowledged it) the feed is rewound (`rewind()`) so the entry comes back as regional.
   */
  heldLocally?: (rid: string) => Promise<boolean>;
}

export interface RegionalPullReport {
  pages: number;
  upserted: number;
  skipped: number;
  cursor: number;
}

/** Entries of one gallery-delta payload as gallery entries; malformed ones are counted, never applied. */
export function regionalDeltaOf(data: unknown): { delta: RegionalDelta; skipped: number } {
  const entries = (data as { entries?: unknown } | null)?.entries;
  const upserts: GalleryEntry[] = [];
  let skipped = 0;
  for (const e of Array.isArray(entries) ? entries : []) {
    const face = embeddingOf((e as { embedding?: unknown }).embedding);
    const rid = (e as { rid?: unknown }).rid;
    if (typeof rid !== 'string' || rid.length === 0 || rid.length > 64 || !face) {
      skipped++;
      continue;
    }
    upserts.push({ id: `rid:${rid}`, source: 'regional', face, fingers: [] });
  }
  return { delta: { upserts, removals: [] }, skipped };
}

function embeddingOf(value: unknown): Float32Array | null {
  if (typeof value !== 'string') return null;
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length !== EMBEDDING_DIMS * 4) return null;
  const v = new Float32Array(EMBEDDING_DIMS);
  let norm = 0;
  for (let i = 0; i < EMBEDDING_DIMS; i++) {
    const x = bytes.readFloatLE(i * 4);
    if (!Number.isFinite(x)) return null;
    v[i] = x;
    norm += x * x;
  }
  if (norm < 1e-6) return null;
  const inv = 1 / Math.sqrt(norm);
  for (let i = 0; i < EMBEDDING_DIMS; i++) v[i] = v[i]! * inv;
  return v;
}

export class RegionalGalleryFeed {
  private readonly cursorFile: string;

  constructor(private readonly deps: RegionalFeedDeps) {
    this.cursorFile = path.join(dedupDir(deps.dataDir), 'regional-cursor.json');
  }

  /** Sequence number of the last applied registry gallery entry (0: none). */
  get cursor(): number {
    if (!existsSync(this.cursorFile)) return 0;
    try {
      const n = (JSON.parse(readFileSync(this.cursorFile, 'utf8')) as { since?: unknown }).since;
      return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : 0;
    } catch {
      return 0; // re-applying from the start is safe
    }
  }

  /** Re-reads the registry's gallery from the start at the next pull (after this kiosk purged its own records). */
  rewind(): void {
    if (this.cursor === 0) return;
    mkdirSync(path.dirname(this.cursorFile), { recursive: true, mode: 0o700 });
    writeFileAtomic(this.cursorFile, JSON.stringify({ since: 0 }));
  }

  private async apply(payload: DownloadPayload): Promise<{ upserted: number; skipped: number }> {
    const parsed = regionalDeltaOf(payload.data);
    const skipped = parsed.skipped;
    const delta = parsed.delta;
    if (this.deps.heldLocally) {
      const keep: typeof delta.upserts = [];
      for (const e of delta.upserts) if (!(await this.deps.heldLocally(e.id.slice('rid:'.length)))) keep.push(e);
      delta.upserts = keep;
    }
    const { upserted } = delta.upserts.length ? await this.deps.dedup.applyRegionalDelta(delta) : { upserted: 0 };
    if (payload.version > this.cursor) {
      mkdirSync(path.dirname(this.cursorFile), { recursive: true, mode: 0o700 });
      writeFileAtomic(this.cursorFile, JSON.stringify({ since: payload.version }));
    }
    if (skipped) this.deps.logger?.warn({ skipped, version: payload.version }, 'regional gallery entries skipped (malformed)');
    return { upserted, skipped };
  }

  /**
   * Pulls every page after the cursor. `download` must return a document already verified against the registry's
   * signing key (RegistryClient.download does; a tampered page throws there and nothing of it is applied).
   */
  async pull(download: (since: number) => Promise<SignedDoc<DownloadPayload>>): Promise<RegionalPullReport> {
    const report: RegionalPullReport = { pages: 0, upserted: 0, skipped: 0, cursor: this.cursor };
    for (let page = 0; page < MAX_PAGES; page++) {
      const since = this.cursor;
      const doc = await download(since);
      const n = (doc.payload.data as { entries?: unknown[] } | null)?.entries?.length ?? 0;
      if (n === 0 || doc.payload.version <= since) break;
      const r = await this.apply(doc.payload);
      report.pages++;
      report.upserted += r.upserted;
      report.skipped += r.skipped;
    }
    report.cursor = this.cursor;
    return report;
  }

  /** Applies the gallery pages saved by provisioning (online or from a bundle; verified when saved) past the cursor. */
  async applyProvisioned(downloadsDir: string): Promise<RegionalPullReport> {
    const report: RegionalPullReport = { pages: 0, upserted: 0, skipped: 0, cursor: this.cursor };
    if (!existsSync(downloadsDir)) return report;
    const pages = readdirSync(downloadsDir)
      .filter((f) => /^gallery-delta\.\d+\.json$/.test(f))
      .map((f) => (JSON.parse(readFileSync(path.join(downloadsDir, f), 'utf8')) as SignedDoc<DownloadPayload>).payload)
      .filter((p) => p.kind === 'gallery-delta' && p.version > this.cursor)
      .sort((a, b) => a.version - b.version);
    for (const p of pages) {
      const r = await this.apply(p);
      report.pages++;
      report.upserted += r.upserted;
      report.skipped += r.skipped;
    }
    report.cursor = this.cursor;
    return report;
  }
}
