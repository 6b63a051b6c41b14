// Dedup worker: holds the main and operator galleries as typed arrays and answers upsert/remove/search/stats.
import { parentPort } from 'node:worker_threads';
import { KioskError } from '../../main/contract/errors.js';
import { decodeEntry } from './codec.js';
import { GalleryMatrix } from './gallery-matrix.js';
import { mccMatcher, TemplateCache } from './matcher.js';
import type { GalleryName, WorkerRequest, WorkerStats } from './protocol.js';
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
    case 'stats': {
      const s: WorkerStats = { main: stats(galleries.main, req.loadMs), operators: stats(galleries.operators, 0), cachedTemplates: cache.size, heapUsed: process.memoryUsage().heapUsed };
      return s;
    }
  }
}

port.on('message', (msg: WorkerRequest & { seq: number }) => {
  try {
    port.postMessage({ seq: msg.seq, ok: true, value: handle(msg) });
  } catch (error) {
    const shape = error instanceof KioskError ? error.toShape() : { code: 'INTERNAL', message: error instanceof Error ? error.message : 'Internal error' };
    port.postMessage({ seq: msg.seq, ok: false, error: shape });
  }
});
