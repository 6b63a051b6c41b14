// Typed errors of the model runtime. They cross the worker boundary as shapes and are rebuilt by code.
import { KioskError, type KioskErrorShape } from '../../main/contract/errors.js';

export class ModelMissingError extends KioskError {
  override name = 'ModelMissingError';
  constructor(message: string, details?: Record<string, unknown>) {
    super('MODEL_MISSING', message, details === undefined ? undefined : { details });
  }
}

export class ModelCorruptError extends KioskError {
  override name = 'ModelCorruptError';
  constructor(message: string, details?: Record<string, unknown>) {
    super('MODEL_CORRUPT', message, details === undefined ? undefined : { details });
  }
}

/** Bytes that are not a decodable image (truncated, unknown format, zero-sized). */
export class ImageInvalidError extends KioskError {
  override name = 'ImageInvalidError';
  constructor(message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super('IMAGE_INVALID', message, options);
  }
}

/** Image whose declared size exceeds the pixel limit; refused before decoding. */
export class ImageTooLargeError extends KioskError {
  override name = 'ImageTooLargeError';
  constructor(message: string, details?: Record<string, unknown>) {
    super('IMAGE_TOO_LARGE', message, details === undefined ? undefined : { details });
  }
}

export class InferenceError extends KioskError {
  override name = 'InferenceError';
  constructor(message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super('INFERENCE_FAILED', message, options);
  }
}

/** Rebuilds a typed error from a shape received from a worker. */
export function errorFromShape(shape: KioskErrorShape): KioskError {
  const d = shape.details;
  switch (shape.code) {
    case 'MODEL_MISSING':
      return new ModelMissingError(shape.message, d);
    case 'MODEL_CORRUPT':
      return new ModelCorruptError(shape.message, d);
    case 'IMAGE_INVALID':
      return new ImageInvalidError(shape.message, d === undefined ? undefined : { details: d });
    case 'IMAGE_TOO_LARGE':
      return new ImageTooLargeError(shape.message, d);
    case 'INFERENCE_FAILED':
      return new InferenceError(shape.message, d === undefined ? undefined : { details: d });
    default:
      return new KioskError(shape.code, shape.message, d === undefined ? undefined : { details: d });
  }
}
