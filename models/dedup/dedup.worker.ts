// Dedup worker: holds the main and operator galleries as typed arrays and answers upsert/remove/search/stats.
import { parentPort } from 'node:worker_threads';
import { KioskError } from '../../main/contract/errors.js';
import { decodeEntry } from './codec.js';
import { GalleryMatrix } from './gallery-matrix.js';
import { mccMatcher, TemplateCache } from './matcher.js';
import { GalleryCorruptError } from './errors.js';
import { readSection } from './snapshot-io.js';
import type { GalleryName, SnapshotInfo, WorkerRequest, WorkerStats } from './protocol.js';
import { cacheKey, prepareProbe, searchGallery } from './search.js';
import type { FingerPos, GalleryStats } from './types.js';

const port = parentPort;
if (!port) throw new Error('dedup.worker must run in a worker thread');

const galleries: Record<GalleryName, GalleryMatrix> = { main: new GalleryMatrix(1024), operators: new GalleryMatrix(16) };
const cache = new TemplateCache<ReturnType<typeof mccMatcher.load>>(4096);

function invalidate(id: string): void {
  for (let p = 1; p <= 10; p++) cache.invalidate(cacheKey(id, p as FingerPos));
}

function stats(g: GalleryMatrix, loadMs: number): GalleryStats {
  const c = g.counts();
  return { entries: g.size, local: c.bySource.local, regional: c.bySource.regional, operators: c.bySource.operator, faces: c.faces, fingers: c.fingers, bytes: g.bytes(), loadMs };
}

/** Parts of the gallery being snapshotted (views; the service changes nothing until snapshot-end). */
const exporting = new Map<GalleryName, Uint8Array[]>();

function readParts(parts: Uint8Array[], offset: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let start = 0, done = 0;
  for (const p of parts) {
    const at = offset + done;
    if (done < length && at >= start && at < start + p.length) {
      const n = Math.min(p.length - (at - start), length - done);
      out.set(p.subarray(at - start, at - start + n), done);
      done += n;
    }
    start += p.length;
  }
  if (done !== length) throw new GalleryCorruptError('Snapshot read outside the gallery');
  return out;
}

function handle(req: WorkerRequest): unknown {
  switch (req.op) {
    case 'upsert': {
      const g = galleries[req.gallery];
      for (const rec of req.records) {
        const e = decodeEntry(rec);
        if (g.rowOfId(e.id) !== undefined) invalidate(e.id);
        g.upsert(e);
      }
      return g.size;
    }
    case 'remove': {
      const g = galleries[req.gallery];
      let removed = 0;
      for (const id of req.ids) {
        if (g.remove(id)) removed++;
        invalidate(id);
      }
      return removed;
    }
    case 'search': {
      const probe = prepareProbe(decodeEntry(req.probe), mccMatcher);
      return {
        main: searchGallery(galleries.main, probe, mccMatcher, cache, req.options),
        operators: req.operators ? searchGallery(galleries.operators, probe, mccMatcher, cache, { ...req.options, shortlist: galleries.operators.size }) : null,
      };
    }
    case 'search-among': {
      const g = new GalleryMatrix(Math.max(1, req.records.length));
      for (const rec of req.records) g.upsert(decodeEntry(rec));
      // Its own cache: these rows are few and the main cache's entries for the same ids stay valid.
      return searchGallery(g, prepareProbe(decodeEntry(req.probe), mccMatcher), mccMatcher, new TemplateCache(64), req.options);
    }
    case 'ids': {
      const g = galleries[req.gallery];
      const out: string[] = [];
      for (let r = 0; r < g.size; r++) if (req.source === undefined || g.sourceOf(r) === req.source) out.push(g.ids[r]!);
      return out;
    }
    case 'import-file': {
      // This worker decrypts its own section straight from the file (both shards load in parallel).
      cache.clear();
      const g = galleries[req.gallery];
      const total = g.beginImport(req.size, req.idsBytes, req.arenaBytes);
      try {
        if (total !== req.plan.bytes) throw new GalleryCorruptError('Snapshot section size does not match its row counts', { expected: total, announced: req.plan.bytes });
        readSection(req.plan, (offset, plain) => g.importChunk(offset, plain));
      } finally {
        req.plan.key.fill(0);
      }
      g.endImport();
      return g.size;
    }
    case 'snapshot-begin': {
      const s = galleries[req.gallery].snapshotParts();
      exporting.set(req.gallery, s.parts);
      const info: SnapshotInfo = { size: s.size, idsBytes: s.idsBytes, arenaBytes: s.arenaBytes, bytes: s.parts.reduce((a, p) => a + p.length, 0) };
      return info;
    }
    case 'snapshot-read': {
      const parts = exporting.get(req.gallery);
      if (!parts) throw new GalleryCorruptError('No snapshot in progress');
      return readParts(parts, req.offset, req.length);
    }
    case 'snapshot-end':
      exporting.clear();
      return null;
    case 'stats': {
      const s: WorkerStats = { main: stats(galleries.main, req.loadMs), operators: stats(galleries.operators, 0), cachedTemplates: cache.size, heapUsed: process.memoryUsage().heapUsed, simd: galleries.main.face.simd };
      return s;
    }
  }
}

port.on('message', (msg: WorkerRequest & { seq: number }) => {
  try {
    const value = handle(msg);
    port.postMessage({ seq: msg.seq, ok: true, value }, value instanceof Uint8Array ? [value.buffer as ArrayBuffer] : []);
  } catch (error) {
    const shape = error instanceof KioskError ? error.toShape() : { code: 'INTERNAL', message: error instanceof Error ? error.message : 'Internal error' };
    port.postMessage({ seq: msg.seq, ok: false, error: shape });
  }
});
