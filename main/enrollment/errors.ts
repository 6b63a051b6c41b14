import { KioskError } from '../contract/errors.js';

export class EnrollmentValidationError extends KioskError {
  override name = 'EnrollmentValidationError';
  constructor(message: string, problems: { field: string; message: string }[]) {
    super('VALIDATION_FAILED', message, { details: { problems } });
  }
}

export class EnrollmentIncompleteError extends KioskError {
  override name = 'EnrollmentIncompleteError';
  constructor(recordId: string, missing: string[]) {
    super('ENROLLMENT_INCOMPLETE', `Enrollment ${recordId} is incomplete: ${missing.join(', ')}`, { details: { recordId, missing } });
  }
}

export class DuplicateEnrollmentError extends KioskError {
  override name = 'DuplicateEnrollmentError';
  constructor(recordId: string, existingId: string) {
    super('DUPLICATE_NATIONAL_NUMBER', `Another enrollment on this kiosk has the same national number`, { details: { recordId, existingId } });
  }
}

export class SelfApprovalError extends KioskError {
  override name = 'SelfApprovalError';
  constructor(recordId: string) {
    super('SELF_APPROVAL', 'A supervisor may not approve an enrollment they captured', { details: { recordId } });
  }
}

export class LifecycleReservedError extends KioskError {
  override name = 'LifecycleReservedError';
  constructor(recordId: string, from: string, to: string) {
    super('LIFECYCLE_RESERVED', `Only the sync outbox moves a sealed enrollment (${from} → ${to}), on a verified registry receipt`, { details: { recordId, from, to } });
  }
}
