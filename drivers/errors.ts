// Typed device errors. Codes are stable (logs, docs and the UI key on them); details are JSON-safe and PII-free.
import { KioskError } from '../main/contract/errors.js';

type ErrorOptions = { cause?: unknown; details?: Record<string, unknown> };

/** Hex dump of at most `max` bytes, e.g. "ef 01 ff ff". Protocol errors carry the offending bytes this way. */
export function toHex(bytes: Uint8Array, max = 64): string {
  const shown = Array.from(bytes.subarray(0, max), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return bytes.length > max ? `${shown} …(+${bytes.length - max})` : shown;
}

export class DeviceError extends KioskError {
  override name = 'DeviceError';
}

/** The device stopped answering (no bytes within the allowed time). */
export class DeviceTimeoutError extends DeviceError {
  override name = 'DeviceTimeoutError';
  constructor(message: string, options?: ErrorOptions) {
    super('DEVICE_TIMEOUT', message, options);
  }
}

/** The device answered, but no finger was placed before the capture timeout. */
export class NoFingerError extends DeviceError {
  override name = 'NoFingerError';
  constructor(message = 'No finger was placed on the sensor in time', options?: ErrorOptions) {
    super('DEVICE_NO_FINGER', message, options);
  }
}

/** The device (or its port) is in use by someone else. */
export class DeviceBusyError extends DeviceError {
  override name = 'DeviceBusyError';
  constructor(message: string, options?: ErrorOptions) {
    super('DEVICE_BUSY', message, options);
  }
}

/** Bytes that do not follow the protocol; `details.hex` holds (the start of) them. */
export class ProtocolError extends DeviceError {
  override name = 'ProtocolError';
  readonly bytes: Uint8Array;
  constructor(message: string, bytes: Uint8Array = new Uint8Array(0), options?: ErrorOptions) {
    super('DEVICE_PROTOCOL', message, { ...options, details: { ...options?.details, hex: toHex(bytes), length: bytes.length } });
    this.bytes = bytes;
  }
}

/** A packet arrived whole but its checksum does not match. */
export class ChecksumError extends DeviceError {
  override name = 'ChecksumError';
  readonly bytes: Uint8Array;
  constructor(message: string, bytes: Uint8Array, expected: number, actual: number) {
    super('DEVICE_CHECKSUM', message, { details: { hex: toHex(bytes), length: bytes.length, expected, actual } });
    this.bytes = bytes;
  }
}

export class DeviceDisconnectedError extends DeviceError {
  override name = 'DeviceDisconnectedError';
  constructor(message = 'The device was disconnected', options?: ErrorOptions) {
    super('DEVICE_DISCONNECTED', message, options);
  }
}

export class DeviceNotFoundError extends DeviceError {
  override name = 'DeviceNotFoundError';
  constructor(message: string, options?: ErrorOptions) {
    super('DEVICE_NOT_FOUND', message, options);
  }
}

export class UnsupportedError extends DeviceError {
  override name = 'UnsupportedError';
  constructor(message: string, options?: ErrorOptions) {
    super('DEVICE_UNSUPPORTED', message, options);
  }
}

/** The device reported an error code of its own (e.g. an R30x confirmation code or a GT-511C3 NACK). */
export class DeviceReportedError extends DeviceError {
  override name = 'DeviceReportedError';
  constructor(message: string, deviceCode: number, options?: ErrorOptions) {
    super('DEVICE_ERROR', message, { ...options, details: { ...options?.details, deviceCode } });
  }
}

/** A SBI device whose signature is missing, invalid, or not chained to a configured trust root. */
export class DeviceUntrustedError extends DeviceError {
  override name = 'DeviceUntrustedError';
  constructor(message: string, options?: ErrorOptions) {
    super('DEVICE_UNTRUSTED', message, options);
  }
}

/** The caller aborted the capture. Uses the core CANCELLED code. */
export class CaptureCancelledError extends DeviceError {
  override name = 'CaptureCancelledError';
  constructor(message = 'Capture cancelled', options?: ErrorOptions) {
    super('CANCELLED', message, options);
  }
}

export class DeviceDisposedError extends DeviceError {
  override name = 'DeviceDisposedError';
  constructor(message = 'The device driver was disposed') {
    super('DISPOSED', message);
  }
}
