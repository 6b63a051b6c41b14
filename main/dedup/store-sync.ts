// Keeps the dedup gallery in step with the enrollment store: at start a reconcile (every record with a sealed gallery
// entry is in the gallery as a local entry, nothing else local is), then incrementally after each committed store
// call — seal adds the record, purge and rejection remove it. Store calls are observed through
// StoreClient.onCommitted, so every path that seals (approval, sealing pending records after a registry key arrives)
// is covered without the enrollment service knowing about dedup. The operator gallery is rebuilt from the operators'
// enrolled fingers at start and whenever one is enrolled or an operator is (de)activated.
import type { Logger } from 'pino';
import { KioskError } from '../contract/errors.js';
import type { Disposable } from '../platform/disposable.js';
import type { StoreMethod } from '../store/protocol.js';
import { createTemplate, decodeIso19794_2, serializeTemplate } from '../../models/finger/index.js';
import { validateEntry } from '../../models/dedup/codec.js';
import { DedupInputError } from '../../models/dedup/errors.js';
import type { FingerPos, GalleryEntry } from '../../models/dedup/types.js';
import type { DedupService } from './service.js';

/** What the gallery needs from the store (EnrollmentService.galleryEntry and the 'gallery.ids' call). */
export interface GallerySource {
  galleryIds(): Promise<string[]>;
  galleryEntry(id: string): Promise<{ embedding: Float32Array | null; templates: { position: number; format: string; data: Uint8Array }[] }>;
  onCommitted(listener: (method: StoreMethod, params: unknown) => void): () => void;
  /** Decrypted finger templates of the active operators (AuthService.operatorFingerTemplates). */
  operatorFingerTemplates?(): Promise<{ operatorId: string; position: number; format: string; template: Uint8Array }[]>;
}

/** Finger template formats the gallery accepts: the compact MCC template, and ISO/IEC 19794-2 (converted). */
export function kft1Template(format: string, data: Uint8Array): Uint8Array {
  const f = format.toLowerCase();
  if (f === 'kiosk-kft1' || f === 'kft1') return data;
  if (f === 'iso-19794-2' || f === 'iso19794-2') {
    const rec = decodeIso19794_2(data);
    const view = rec.views[0];
    if (!view) throw new DedupInputError('ISO 19794-2 record has no finger view');
    return serializeTemplate(createTemplate(view.minutiae, rec.width, rec.height));
  }
  throw new DedupInputError(`Unsupported finger template format ${format}`, { format });
}

/** The gallery entry of a stored record; fingers whose template cannot be converted are left out and listed. */
export function entryFromStore(id: string, g: Awaited<ReturnType<GallerySource['galleryEntry']>>): { entry: Omit<GalleryEntry, 'source'>; skipped: { position: number; code: string }[] } {
  const fingers: GalleryEntry['fingers'] = [];
  const skipped: { position: number; code: string }[] = [];
  for (const t of g.templates) {
    try {
      fingers.push({ position: t.position as FingerPos, template: kft1Template(t.format, t.data) });
    } catch (error) {
      skipped.push({ position: t.position, code: error instanceof KioskError ? error.code : 'INTERNAL' });
    }
  }
  return { entry: { id, face: g.embedding, fingers }, skipped };
}

export class StoreGallerySync implements Disposable {
  private readonly off: () => void;
  private chain: Promise<unknown> = Promise.resolve();
  private disposed = false;

  constructor(
    private readonly dedup: DedupService,
    private readonly source: GallerySource,
    private readonly logger: Pick<Logger, 'warn' | 'info'>,
  ) {
    this.off = source.onCommitted((method, params) => this.observe(method, params));
  }

  /**
   * Adds the store's sealed records missing from the gallery and (unless `removeStale: false`, the CLI's read-mostly
   * use) removes local entries the store no longer has.
   */
  async reconcile(opts: { removeStale?: boolean } = {}): Promise<{ added: number; removed: number }> {
    const [storeIds, galleryIds] = await Promise.all([this.source.galleryIds(), this.dedup.localIds()]);
    const want = new Set(storeIds);
    const have = new Set(galleryIds);
    let added = 0, removed = 0;
    // Batched (one log append and fsync per batch): a lost gallery of 100k records is rebuilt in minutes, not hours.
    let batch: Omit<GalleryEntry, 'source'>[] = [];
    const flush = async () => {
      if (!batch.length) return;
      await this.dedup.addEnrollments(batch);
      added += batch.length;
      batch = [];
    };
    for (const id of storeIds) {
      if (have.has(id)) continue;
      try {
        const entry = await this.entryOf(id);
        if (entry) batch.push(entry);
      } catch (error) {
        // One unreadable record must not keep the kiosk from starting; it is retried at the next start.
        if (error instanceof KioskError && error.code === 'DISPOSED') throw error;
        this.logger.warn({ err: error }, 'dedup: a stored gallery entry could not be added');
      }
      if (batch.length >= 500) await flush();
    }
    await flush();
    for (const id of opts.removeStale === false ? [] : galleryIds) {
      if (want.has(id)) continue;
      if (await this.dedup.removeEnrollment(id)) removed++;
    }
    return { added, removed };
  }

  /** Rebuilds the operator gallery from the operators' enrolled fingers (active operators only). */
  async syncOperators(): Promise<{ set: number; removed: number }> {
    if (!this.source.operatorFingerTemplates) return { set: 0, removed: 0 };
    const byOperator = new Map<string, { position: number; format: string; data: Uint8Array }[]>();
    for (const t of await this.source.operatorFingerTemplates()) byOperator.set(t.operatorId, [...(byOperator.get(t.operatorId) ?? []), { position: t.position, format: t.format, data: t.template }]);
    const entries: Omit<GalleryEntry, 'source'>[] = [];
    for (const [id, templates] of byOperator) {
      const { entry, skipped } = entryFromStore(id, { embedding: null, templates });
      if (skipped.length) this.logger.warn({ skipped }, 'dedup: operator finger templates in an unsupported format were left out');
      if (entry.fingers.length) entries.push(entry);
    }
    return this.dedup.replaceOperators(entries);
  }

  /** Resolves when every change observed so far has reached the gallery (tests, status). */
  idle(): Promise<void> {
    return this.chain.then(() => undefined);
  }

  dispose(): Promise<void> {
    if (!this.disposed) {
      this.disposed = true;
      this.off();
    }
    return this.idle();
  }

  private observe(method: StoreMethod, params: unknown): void {
    if (method === 'operator.fingerprint.put' || method === 'operator.setActive') {
      this.enqueue(() => this.syncOperators(), 'operators');
      return;
    }
    const id = (params as { id?: unknown }).id;
    if (typeof id !== 'string') return;
    let action: 'add' | 'remove' | null = null;
    if (method === 'enrollment.seal') action = 'add';
    else if (method === 'enrollment.purge') action = 'remove';
    else if (method === 'enrollment.update' && (params as { set?: { status?: string } }).set?.status === 'rejected') action = 'remove';
    if (!action) return;
    this.enqueue(async () => (action === 'add' ? this.add(id) : this.dedup.removeEnrollment(id)), action);
  }

  private enqueue(fn: () => Promise<unknown>, action: string): void {
    this.chain = this.chain.then(async () => {
      if (this.disposed) return;
      try {
        await fn();
      } catch (error) {
        // The next start's reconcile repairs the gallery; the enrollment itself is safely stored.
        if (!(error instanceof KioskError && error.code === 'DISPOSED')) this.logger.warn({ err: error, action }, 'dedup gallery update failed; the next start reconciles it');
      }
    });
  }

  /** The record's gallery entry, or null when it has no usable biometrics; bad entries throw DedupInputError. */
  private async entryOf(id: string): Promise<Omit<GalleryEntry, 'source'> | null> {
    const { entry, skipped } = entryFromStore(id, await this.source.galleryEntry(id));
    if (skipped.length) this.logger.warn({ skipped }, 'dedup: finger templates in an unsupported format were left out of the gallery');
    if (!entry.face && entry.fingers.length === 0) return null;
    validateEntry({ ...entry, source: 'local' });
    return entry;
  }

  private async add(id: string): Promise<boolean> {
    const entry = await this.entryOf(id);
    if (!entry) return false;
    await this.dedup.addEnrollment(entry);
    return true;
  }
}
