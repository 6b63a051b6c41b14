// Opening the dedup service on a data directory with the file-backed encrypted galleries (CLI, and the kiosk until
// the store adapter is wired). Key: KIOSK_DEDUP_KEY (64 hex chars) when set, else DATA_DIR/dedup/gallery.key
// (32 random bytes, mode 0600, created on first use).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { KioskError } from '../contract/errors.js';
import { writeFileAtomic } from '../platform/atomic-file.js';
import { FileGalleryPersistence } from './persistence.js';
import { DedupService, type DedupServiceOptions } from './service.js';

export function dedupDir(dataDir: string): string {
  return path.join(dataDir, 'dedup');
}

export function loadOrCreateKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): Uint8Array {
  const hex = env.KIOSK_DEDUP_KEY;
  if (hex !== undefined) {
    if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new KioskError('CONFIG_INVALID', 'KIOSK_DEDUP_KEY must be 64 hex characters');
    return Buffer.from(hex, 'hex');
  }
  const dir = dedupDir(dataDir);
  const file = path.join(dir, 'gallery.key');
  if (existsSync(file)) {
    const key = readFileSync(file);
    if (key.length !== 32) throw new KioskError('CONFIG_INVALID', 'dedup/gallery.key must hold 32 bytes');
    return new Uint8Array(key);
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileAtomic(file, key, 0o600);
  return new Uint8Array(key);
}

/** Starts a DedupService over DATA_DIR/dedup/{gallery,operators}.kdg; disposing it closes the files too. */
export async function openLocalDedup(dataDir: string, opts: Omit<DedupServiceOptions, 'gallery' | 'operators'> = {}): Promise<{ service: DedupService; dispose(): Promise<void> }> {
  const key = loadOrCreateKey(dataDir);
  const dir = dedupDir(dataDir);
  const gallery = new FileGalleryPersistence({ dir, key });
  const operators = new FileGalleryPersistence({ dir, key, name: 'operators.kdg' });
  let service: DedupService;
  try {
    service = await DedupService.start({ ...opts, gallery, operators });
  } catch (error) {
    gallery.dispose();
    operators.dispose();
    throw error;
  }
  return {
    service,
    async dispose() {
      await service.dispose();
      gallery.dispose();
      operators.dispose();
    },
  };
}
