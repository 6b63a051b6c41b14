// Typed errors of the deduplication kernels and service.
import { KioskError } from '../../main/contract/errors.js';

export class DedupInputError extends KioskError {
  override name = 'DedupInputError';
  constructor(message: string, details?: Record<string, unknown>, cause?: unknown) {
    super('DEDUP_INPUT_INVALID', message, { details, cause });
  }
}

export class GalleryCorruptError extends KioskError {
  override name = 'GalleryCorruptError';
  constructor(message: string, details?: Record<string, unknown>, cause?: unknown) {
    super('DEDUP_GALLERY_CORRUPT', message, { details, cause });
  }
}
