// Typed store errors. They cross the worker boundary as KioskErrorShape and are rebuilt by code on the client side.
import { KioskError, type KioskErrorShape } from '../contract/errors.js';

type Opts = { cause?: unknown; details?: Record<string, unknown> };

export class StoreFullError extends KioskError {
  override name = 'StoreFullError';
  constructor(message = 'The enrollment store is full (disk or page limit reached); nothing was saved by this operation', o?: Opts) {
    super('STORE_FULL', message, o);
  }
}

export class StoreCorruptError extends KioskError {
  override name = 'StoreCorruptError';
  constructor(message = 'The enrollment store database is corrupt; it was not modified or recreated', o?: Opts) {
    super('STORE_CORRUPT', message, o);
  }
}

export class StoreNewerThanAppError extends KioskError {
  override name = 'StoreNewerThanAppError';
  constructor(message = 'The enrollment store was written by a newer app version; refusing to open it', o?: Opts) {
    super('STORE_NEWER_THAN_APP', message, o);
  }
}

export class StoreBusyError extends KioskError {
  override name = 'StoreBusyError';
  constructor(message = 'The enrollment store is locked by another process', o?: Opts) {
    super('STORE_BUSY', message, o);
  }
}

export class StoreClosedError extends KioskError {
  override name = 'StoreClosedError';
  constructor(message = 'The enrollment store is closed', o?: Opts) {
    super('STORE_CLOSED', message, o);
  }
}

export class StoreIoError extends KioskError {
  override name = 'StoreIoError';
  constructor(message = 'The enrollment store could not read or write its files', o?: Opts) {
    super('STORE_IO', message, o);
  }
}

export class StoreConflictError extends KioskError {
  override name = 'StoreConflictError';
  constructor(message: string, o?: Opts) {
    super('CONFLICT', message, o);
  }
}

export class StoreNotFoundError extends KioskError {
  override name = 'StoreNotFoundError';
  constructor(message: string, o?: Opts) {
    super('NOT_FOUND', message, o);
  }
}

/** A ciphertext failed authentication: flipped bytes, or a blob moved to another record or field. */
export class TamperDetectedError extends KioskError {
  override name = 'TamperDetectedError';
  constructor(
    readonly recordId: string,
    readonly field: string,
    o?: Opts,
  ) {
    super('TAMPER_DETECTED', `Tamper detected in record ${recordId}, field ${field}: ciphertext failed authentication`, {
      ...o,
      details: { recordId, field, ...o?.details },
    });
  }
}

export class KeyringMissingError extends KioskError {
  override name = 'KeyringMissingError';
  constructor(file: string, o?: Opts) {
    super('KEYRING_MISSING', 'The store has data but its key ring is missing (crypto-erased or deleted); data is unreadable', {
      ...o,
      details: { file, ...o?.details },
    });
  }
}

export class KeyUnwrapError extends KioskError {
  override name = 'KeyUnwrapError';
  constructor(mode: string, o?: Opts) {
    super('KEY_UNWRAP_FAILED', `Could not unwrap the data key (mode ${mode}): wrong passphrase/key or tampered key ring`, {
      ...o,
      details: { mode, ...o?.details },
    });
  }
}

export class KeyModeMismatchError extends KioskError {
  override name = 'KeyModeMismatchError';
  constructor(expected: string, got: string) {
    super('KEY_MODE_MISMATCH', `The key ring was created with key mode ${expected}, but a ${got} protector was given`, {
      details: { expected, got },
    });
  }
}

export class AuditChainBrokenError extends KioskError {
  override name = 'AuditChainBrokenError';
  constructor(
    readonly seq: number,
    readonly reason: string,
  ) {
    super('AUDIT_CHAIN_BROKEN', `Audit log broken at entry ${seq}: ${reason}`, { details: { seq, reason } });
  }
}

export class RegistryKeyMissingError extends KioskError {
  override name = 'RegistryKeyMissingError';
  constructor(message = 'No registry public key is configured; approved records stay unsealed until one is set') {
    super('REGISTRY_KEY_MISSING', message);
  }
}

const byCode: Record<string, (s: KioskErrorShape) => KioskError> = {
  STORE_FULL: (s) => new StoreFullError(s.message, { details: s.details }),
  STORE_CORRUPT: (s) => new StoreCorruptError(s.message, { details: s.details }),
  STORE_NEWER_THAN_APP: (s) => new StoreNewerThanAppError(s.message, { details: s.details }),
  STORE_BUSY: (s) => new StoreBusyError(s.message, { details: s.details }),
  STORE_CLOSED: (s) => new StoreClosedError(s.message, { details: s.details }),
  STORE_IO: (s) => new StoreIoError(s.message, { details: s.details }),
  CONFLICT: (s) => new StoreConflictError(s.message, { details: s.details }),
  NOT_FOUND: (s) => new StoreNotFoundError(s.message, { details: s.details }),
};

/** Rebuilds a typed error from the shape posted by the worker. */
export function storeErrorFromShape(shape: KioskErrorShape): KioskError {
  const make = byCode[shape.code];
  return make ? make(shape) : new KioskError(shape.code, shape.message, { details: shape.details });
}

/** Maps a better-sqlite3 SqliteError (by its `code`) to a typed store error; other errors pass through. */
export function mapSqliteError(error: unknown): unknown {
  if (error instanceof KioskError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return error;
  const details = { sqliteCode: code };
  if (code === 'SQLITE_FULL') return new StoreFullError(undefined, { cause: error, details });
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return new StoreCorruptError(undefined, { cause: error, details });
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return new StoreBusyError(undefined, { cause: error, details });
  if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY') {
    return new StoreIoError(`The enrollment store could not read or write its files (${code})`, { cause: error, details });
  }
  if (code.startsWith('SQLITE_CONSTRAINT')) return new StoreConflictError(`Store constraint violated (${code})`, { cause: error, details });
  return new KioskError('STORE_ERROR', `Store error (${code})`, { cause: error, details });
}
