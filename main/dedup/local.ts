// Opening the dedup service of a data directory: DATA_DIR/dedup, key derived from the open store's key ring.
import { existsSync, renameSync } from 'node:fs';
import path from 'node:path';
import { KioskError } from '../contract/errors.js';
import { DedupService, type DedupServiceOptions } from './service.js';

export function dedupDir(dataDir: string): string {
  return path.join(dataDir, 'dedup');
}

export interface OpenStoreDedupOptions extends Omit<DedupServiceOptions, 'dir' | 'key'> {
  /**
   * When the gallery files cannot be read (tampered, damaged, or not under this key ring): move them aside to
   * `dedup.corrupt-<time>` and start an empty gallery, which the caller rebuilds from the store (StoreGallerySync).
   * Called with the error; without it the error is thrown. The kiosk core passes it: the store is the source of truth.
   */
  onCorrupt?: (error: KioskError, movedTo: string) => void;
}

/** Starts a DedupService on DATA_DIR/dedup with the key derived from the store (`StoreServices.deriveKey`). */
export async function openStoreDedup(store: { deriveKey(purpose: 'dedup-gallery'): Buffer }, dataDir: string, opts: OpenStoreDedupOptions = {}): Promise<DedupService> {
  const { onCorrupt, ...rest } = opts;
  const key = store.deriveKey('dedup-gallery');
  const dir = dedupDir(dataDir);
  try {
    try {
      return await DedupService.start({ ...rest, dir, key });
    } catch (error) {
      if (!onCorrupt || !(error instanceof KioskError) || error.code !== 'DEDUP_GALLERY_CORRUPT' || !existsSync(dir)) throw error;
      const aside = `${dir}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      renameSync(dir, aside);
      onCorrupt(error, aside);
      return await DedupService.start({ ...rest, dir, key });
    }
  } finally {
    key.fill(0);
  }
}
