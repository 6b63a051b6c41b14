// Typed errors of finger capture (stable codes; the UI keys its messages on them).
import { KioskError } from '../contract/errors.js';

export class FingerDeviceUnavailableError extends KioskError {
  override name = 'FingerDeviceUnavailableError';
  constructor(deviceId: string, detail?: string) {
    super('FINGER_DEVICE_UNAVAILABLE', `Fingerprint device ${deviceId} is not configured or not open${detail ? `: ${detail}` : ''}`, { details: { deviceId } });
  }
}

export class FingerStepUnsupportedError extends KioskError {
  override name = 'FingerStepUnsupportedError';
  constructor(deviceId: string, step: number) {
    super('FINGER_STEP_UNSUPPORTED', `Device ${deviceId} cannot capture step ${step}`, { details: { deviceId, step } });
  }
}

export class FingerAttemptsExhaustedError extends KioskError {
  override name = 'FingerAttemptsExhaustedError';
  constructor(step: number, maxAttempts: number) {
    super('FINGER_ATTEMPTS_EXHAUSTED', `Step ${step} already has ${maxAttempts} attempts; record an exception or reset the finger`, { details: { step, maxAttempts } });
  }
}

export class FingerNothingToCaptureError extends KioskError {
  override name = 'FingerNothingToCaptureError';
  constructor(step: number) {
    super('FINGER_NOTHING_TO_CAPTURE', `Every finger of step ${step} is recorded as an exception`, { details: { step } });
  }
}

export class FingerCaptureBusyError extends KioskError {
  override name = 'FingerCaptureBusyError';
  constructor(what: 'session' | 'device', id: string) {
    super('FINGER_CAPTURE_BUSY', what === 'session' ? 'A capture is already running for this enrollment' : `Device ${id} is capturing for another enrollment`, { details: { what } });
  }
}

export class FingerSessionNotFoundError extends KioskError {
  override name = 'FingerSessionNotFoundError';
  constructor() {
    super('NOT_FOUND', 'No finger capture session with this id');
  }
}

export class FingerExceptionPhotoInvalidError extends KioskError {
  override name = 'FingerExceptionPhotoInvalidError';
  constructor(reason: string) {
    super('FINGER_EXCEPTION_PHOTO_INVALID', `Exception photo is not a usable JPEG: ${reason}`, { details: { reason } });
  }
}

export class FingerSegmentUnexpectedError extends KioskError {
  override name = 'FingerSegmentUnexpectedError';
  constructor(step: number, position: number) {
    super('FINGER_SEGMENT_UNEXPECTED', `The device returned finger ${position}, which step ${step} did not ask for`, { details: { step, position } });
  }
}

export class FingerAnalysisError extends KioskError {
  override name = 'FingerAnalysisError';
  constructor(message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super('FINGER_ANALYSIS_FAILED', message, options);
  }
}
