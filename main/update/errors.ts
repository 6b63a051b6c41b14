// Errors of signed updates. Every refusal leaves the installed app untouched.
import { KioskError } from '../contract/errors.js';

export class UpdateManifestInvalidError extends KioskError {
  override name = 'UpdateManifestInvalidError';
  constructor(problems: string[]) {
    super('UPDATE_MANIFEST_INVALID', `The update manifest is malformed: ${problems.join('; ')}`, { details: { problems } });
  }
}

export class UpdateSignatureInvalidError extends KioskError {
  override name = 'UpdateSignatureInvalidError';
  constructor(reason: string, details: Record<string, unknown> = {}) {
    super('UPDATE_SIGNATURE_INVALID', `The update manifest is not signed by this kiosk's release key (${reason}); refusing it`, { details: { reason, ...details } });
  }
}

export class UpdateDowngradeError extends KioskError {
  override name = 'UpdateDowngradeError';
  constructor(offered: string, installed: string) {
    super('UPDATE_DOWNGRADE', `The update offers version ${offered}, older than the installed ${installed}; downgrades are refused`, { details: { offered, installed } });
  }
}

export class UpdateHashMismatchError extends KioskError {
  override name = 'UpdateHashMismatchError';
  constructor(file: string, reason: 'sha512' | 'size') {
    super('UPDATE_HASH_MISMATCH', `Downloaded ${file} does not match the signed manifest (${reason}); it was discarded`, { details: { file, reason } });
  }
}

export class UpdateKeyInvalidError extends KioskError {
  override name = 'UpdateKeyInvalidError';
  constructor(message: string, cause?: unknown) {
    super('UPDATE_KEY_INVALID', message, { cause });
  }
}

export class UpdateDownloadError extends KioskError {
  override name = 'UpdateDownloadError';
  constructor(message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super('UPDATE_DOWNLOAD_FAILED', message, options);
  }
}

export class UpdateNoFileError extends KioskError {
  override name = 'UpdateNoFileError';
  constructor(platform: string, arch: string, kind: string | null) {
    super('UPDATE_NO_FILE', `The update has no ${kind ?? 'installer'} for ${platform}-${arch}`, { details: { platform, arch, kind } });
  }
}
