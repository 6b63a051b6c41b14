// Provisioning errors: every refusal a technician can meet has a stable code and a message key
// (`provisioning.errors.<CODE>` in renderer/src/i18n/areas/provisioning.ts) that says what happened and what to do.
import { KioskError } from '../contract/errors.js';

export const PROVISIONING_ERROR_CODES = [
  'PROVISION_REGISTRY_UNREACHABLE',
  'PROVISION_REGISTRY_URL_INVALID',
  'PROVISION_TOKEN_EXPIRED',
  'PROVISION_TOKEN_USED',
  'PROVISION_TOKEN_UNKNOWN',
  'PROVISION_TOKEN_WRONG_CENTRE',
  'PROVISION_CLOCK_SKEW',
  'PROVISION_REGISTRY_KEY_MISMATCH',
  'PROVISION_KIOSK_CONFLICT',
  'PROVISION_KIOSK_REVOKED',
  'PROVISION_REGISTRY_REFUSED',
  'PROVISION_NOT_REGISTERED',
  'PROVISION_DOWNLOAD_MISSING',
  'PROVISION_DOWNLOAD_INVALID',
  'PROVISION_STATION_UNKNOWN',
  'PROVISION_DEVICE_TEST_FAILED',
  'PROVISION_CAMERA_TEST_FAILED',
  'PROVISION_MODELS_INVALID',
  'PROVISION_CHECKLIST_INCOMPLETE',
  'PROVISION_WAIVER_REFUSED',
  'PROVISION_BUNDLE_INVALID',
  'PROVISION_BUNDLE_TAMPERED',
  'PROVISION_BUNDLE_WRONG_KIOSK',
  'PROVISION_FILE_INVALID',
  'PROVISION_IN_SERVICE',
] as const;
export type ProvisioningErrorCode = (typeof PROVISIONING_ERROR_CODES)[number];

export function messageKeyOf(code: ProvisioningErrorCode): string {
  return `provisioning.errors.${code}`;
}

export class ProvisioningError extends KioskError {
  override name = 'ProvisioningError';
  declare readonly code: ProvisioningErrorCode;
  constructor(code: ProvisioningErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(code, message, { ...(options.cause === undefined ? {} : { cause: options.cause }), details: { messageKey: messageKeyOf(code), ...(options.details ?? {}) } });
  }
}
