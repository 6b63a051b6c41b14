// Typed errors of cross-matching. Codes are stable (docs/CROSS_MATCHING.md lists them).
import { KioskError } from '../../../main/contract/errors.js';
import { SyncError } from '../../errors.js';

/** Bad local input on either side (CSV, key, hash file, request file). */
export class PartnerInputError extends KioskError {
  override name = 'PartnerInputError';
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, details ? { details } : undefined);
  }
}

export const PARTNER_ERROR_CODES = [
  'PARTNER_UNKNOWN',
  'PARTNER_REVOKED',
  'PARTNER_EXISTS',
  'PARTNER_BATCH_TOO_SMALL',
  'PARTNER_BATCH_TOO_LARGE',
  'PARTNER_RATE_LIMITED',
  'PARTNER_REQUEST_INVALID',
] as const;
export type PartnerErrorCode = (typeof PARTNER_ERROR_CODES)[number];

export const partnerError = (code: PartnerErrorCode, message: string, status: number, details?: Record<string, unknown>) => new SyncError(code, message, status, details ? { details } : undefined);
