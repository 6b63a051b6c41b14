// Authentication errors. Messages never say whether the operator id exists.
import { KioskError } from '../contract/errors.js';

export class UnauthorizedError extends KioskError {
  override name = 'UnauthorizedError';
  constructor(reason: 'not_signed_in' | 'idle_timeout' | 'bad_credentials' | 'inactive', details: Record<string, unknown> = {}) {
    super('UNAUTHORIZED', reason === 'idle_timeout' ? 'Session expired after inactivity; sign in again' : reason === 'not_signed_in' ? 'Sign in first' : 'Operator id or PIN is wrong', {
      details: { reason, ...details },
    });
  }
}

export class OperatorLockedError extends KioskError {
  override name = 'OperatorLockedError';
  constructor(lockedUntil: number) {
    super('OPERATOR_LOCKED', `Too many wrong PINs; operator locked until ${new Date(lockedUntil).toISOString()}`, { details: { lockedUntil: new Date(lockedUntil).toISOString() } });
  }
}

export class PinChangeRequiredError extends KioskError {
  override name = 'PinChangeRequiredError';
  constructor() {
    super('PIN_CHANGE_REQUIRED', 'Signed in with a temporary PIN: choose your own PIN first', { details: { reason: 'temporary_pin' } });
  }
}

export class OperatorExistsError extends KioskError {
  override name = 'OperatorExistsError';
  constructor(id: string) {
    super('CONFLICT', `Operator ${id} already exists`, { details: { id } });
  }
}

export class ScreenLockedError extends KioskError {
  override name = 'ScreenLockedError';
  constructor() {
    super('SCREEN_LOCKED', 'The screen is locked; the signed-in operator must re-enter the PIN', { details: { reason: 'screen_locked' } });
  }
}
