// Typed errors of the synthetic fingerprint generator.
import { KioskError } from '../../main/contract/errors.js';

export class SynthOptionsError extends KioskError {
  override name = 'SynthOptionsError';
  constructor(message: string, details?: Record<string, unknown>) {
    super('SYNTH_INVALID_OPTIONS', message, details === undefined ? undefined : { details });
  }
}
