// Typed errors of the sync engine and the registry. Codes are stable (docs/REGISTRY_API.md lists them).
import { KioskError } from '../main/contract/errors.js';

export class SyncError extends KioskError {
  override name = 'SyncError';
  /** HTTP status the registry answers with for this error. */
  readonly status: number;
  constructor(code: string, message: string, status = 400, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(code, message, options);
    this.status = status;
  }
}

export const authError = (code: string, message: string, details?: Record<string, unknown>) => new SyncError(code, message, 401, details ? { details } : undefined);

/** Error codes the registry answers with. */
export const REGISTRY_ERROR_CODES = [
  'SIGNATURE_MISSING',
  'SIGNATURE_INVALID',
  'SIGNATURE_STALE',
  'NONCE_REPLAYED',
  'CONTENT_DIGEST_MISMATCH',
  'KIOSK_UNKNOWN',
  'KIOSK_REVOKED',
  'TOKEN_INVALID',
  'KIOSK_CONFLICT',
  'PACKET_CONFLICT',
  'UPLOAD_NOT_FOUND',
  'UPLOAD_OFFSET_MISMATCH',
  'UPLOAD_INCOMPLETE',
  'UPLOAD_HASH_MISMATCH',
  'UPLOAD_TOO_LARGE',
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'RATE_LIMITED',
] as const;

/** A response from the registry that the kiosk must not trust (bad signature, wrong key, wrong subject). */
export class RegistryResponseInvalidError extends KioskError {
  override name = 'RegistryResponseInvalidError';
  constructor(reason: string) {
    super('REGISTRY_RESPONSE_INVALID', `Registry response refused: ${reason}`, { details: { reason } });
  }
}

/** The registry answered with a typed error. */
export class RegistryRequestError extends KioskError {
  override name = 'RegistryRequestError';
  readonly status: number;
  constructor(status: number, code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, { details: { status, ...(details ?? {}) } });
    this.status = status;
  }
  get retryable(): boolean {
    return this.status >= 500 || this.status === 429 || this.code === 'NONCE_REPLAYED' || this.code === 'SIGNATURE_STALE' || this.code === 'UPLOAD_OFFSET_MISMATCH';
  }
}

export class UsbExportInvalidError extends KioskError {
  override name = 'UsbExportInvalidError';
  constructor(reason: string, details: Record<string, unknown> = {}) {
    super('USB_EXPORT_INVALID', `USB transfer refused: ${reason}`, { details: { reason, ...details } });
  }
}

export class NotRegisteredError extends KioskError {
  override name = 'NotRegisteredError';
  constructor() {
    super('SYNC_NOT_REGISTERED', 'This kiosk is not registered with a registry (run `kiosk register`)');
  }
}

/**
 * Registry, several processes: this process's lease on a packet expired and another process claimed it since (or
 * finished it), so the writes of this pass are refused (fencing token mismatch). The other process's work stands.
 */
export class LeaseLostError extends KioskError {
  override name = 'LeaseLostError';
  constructor(packetId: string, fence: number, current: number | null) {
    super('LEASE_LOST', `Lease on packet ${packetId} was lost (claim ${fence}, now ${current === null ? 'out of the queue' : `claim ${current}`}): this pass may not commit`, { details: { packetId, fence, current } });
  }
}

/** Error codes of the registry's packet store (filesystem or S3-compatible object storage). */
export const PACKET_STORE_ERROR_CODES = ['PACKET_STORE_AUTH', 'PACKET_STORE_NOT_FOUND', 'PACKET_STORE_UNREACHABLE', 'PACKET_STORE_INTEGRITY', 'PACKET_STORE_FAILED', 'PACKET_STORE_CONFIG_INVALID'] as const;
export type PacketStoreErrorCode = (typeof PACKET_STORE_ERROR_CODES)[number];

/**
 * The packet store refused or could not answer: credentials refused (AUTH), object or bucket absent (NOT_FOUND),
 * network or timeout (UNREACHABLE), bytes that do not have their hash (INTEGRITY), any other error answer (FAILED),
 * a bad --packet-store / credentials setting (CONFIG_INVALID). `retryable`: a later pass may succeed.
 */
export class PacketStoreError extends KioskError {
  override name = 'PacketStoreError';
  declare readonly code: PacketStoreErrorCode;
  constructor(code: PacketStoreErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(code, message, options);
  }
  get retryable(): boolean {
    return this.code === 'PACKET_STORE_UNREACHABLE' || this.code === 'PACKET_STORE_AUTH' || this.code === 'PACKET_STORE_FAILED';
  }
}

export class OutboxError extends KioskError {
  override name = 'OutboxError';
}
