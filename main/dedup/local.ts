// Opening the dedup service of a data directory: DATA_DIR/dedup, key derived from the open store's key ring.
import path from 'node:path';
import { DedupService, type DedupServiceOptions } from './service.js';

export function dedupDir(dataDir: string): string {
  return path.join(dataDir, 'dedup');
}

/** Starts a DedupService on DATA_DIR/dedup with the key derived from the store (`StoreServices.deriveKey`). */
export async function openStoreDedup(store: { deriveKey(purpose: 'dedup-gallery'): Buffer }, dataDir: string, opts: Omit<DedupServiceOptions, 'dir' | 'key'> = {}): Promise<DedupService> {
  const key = store.deriveKey('dedup-gallery');
  try {
    return await DedupService.start({ ...opts, dir: dedupDir(dataDir), key });
  } finally {
    key.fill(0);
  }
}
