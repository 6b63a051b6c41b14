// Errors of diagnostics, the disk-space gate and factory reset.
import { KioskError } from '../contract/errors.js';

/** New enrollments are refused while the data disk is too full to save one safely (nothing saved is touched). */
export class DiskSpaceLowError extends KioskError {
  override name = 'DiskSpaceLowError';
  constructor(freeMegabytes: number, requiredMegabytes: number) {
    super('DISK_SPACE_LOW', `Only ${freeMegabytes} MB free on the data disk; new enrollments need at least ${requiredMegabytes} MB`, {
      details: { freeMegabytes, requiredMegabytes },
    });
  }
}

export class FactoryResetConfirmationError extends KioskError {
  override name = 'FactoryResetConfirmationError';
  constructor() {
    super('FACTORY_RESET_CONFIRMATION', 'Factory reset needs the confirmation text: type this kiosk id exactly', { details: { expected: 'kioskId' } });
  }
}

export class DiagnosticsExportError extends KioskError {
  override name = 'DiagnosticsExportError';
  constructor(message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super('DIAGNOSTICS_EXPORT_FAILED', message, options);
  }
}
