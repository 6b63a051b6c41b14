// Typed errors of the fingerprint pipeline; bad input always ends here, never in a crash.
import { KioskError } from '../../main/contract/errors.js';

export class FingerImageInvalidError extends KioskError {
  override name = 'FingerImageInvalidError';
  constructor(message: string, details?: Record<string, unknown>, cause?: unknown) {
    super('FINGER_IMAGE_INVALID', message, { details, cause });
  }
}

export class FingerTemplateInvalidError extends KioskError {
  override name = 'FingerTemplateInvalidError';
  constructor(message: string, details?: Record<string, unknown>, cause?: unknown) {
    super('FINGER_TEMPLATE_INVALID', message, { details, cause });
  }
}
