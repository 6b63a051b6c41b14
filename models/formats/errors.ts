// Typed errors of the biometric format codecs. Every parser failure on bad input is one of these, never a crash.
import { KioskError } from '../../main/contract/errors.js';

type Opts = { cause?: unknown; details?: Record<string, unknown> };

/** Corrupt or truncated WSQ stream (FBI WSQ 3.1). */
export class WsqError extends KioskError {
  override name = 'WsqError';
  constructor(message: string, options?: Opts & { code?: 'WSQ_CORRUPT' | 'WSQ_UNSUPPORTED' | 'WSQ_INVALID_INPUT' }) {
    super(options?.code ?? 'WSQ_CORRUPT', message, options);
  }
}

/** Corrupt ANSI/NIST-ITL transaction, or an invalid transaction given to the writer. */
export class An2kError extends KioskError {
  override name = 'An2kError';
  constructor(message: string, options?: Opts & { code?: 'AN2K_CORRUPT' | 'AN2K_INVALID_INPUT' }) {
    super(options?.code ?? 'AN2K_CORRUPT', message, options);
  }
}

/** Corrupt ISO/IEC 19794 or ANSI/INCITS 381 record, or invalid input to the writer. */
export class IsoRecordError extends KioskError {
  override name = 'IsoRecordError';
  constructor(message: string, options?: Opts & { code?: 'ISO_RECORD_CORRUPT' | 'ISO_RECORD_INVALID_INPUT' }) {
    super(options?.code ?? 'ISO_RECORD_CORRUPT', message, options);
  }
}

/** Malformed CBEFF XML (ISO/IEC 19785-3 patron format). */
export class CbeffError extends KioskError {
  override name = 'CbeffError';
  constructor(message: string, options?: Opts & { code?: 'CBEFF_CORRUPT' | 'CBEFF_INVALID_INPUT' }) {
    super(options?.code ?? 'CBEFF_CORRUPT', message, options);
  }
}
