// The one serializable error that crosses process boundaries, and the base for named errors inside a process.
import { z } from 'zod';

/** Stable error codes. Add new codes; never rename or reuse one (logs, docs and the UI key on them). */
export const ERROR_CODES = [
  'INTERNAL',
  'VALIDATION_FAILED',
  'UNKNOWN_CHANNEL',
  'FORBIDDEN_SENDER',
  'UNAUTHORIZED',
  'FORBIDDEN_ROLE',
  'NOT_FOUND',
  'CONFLICT',
  'DISPOSED',
  'TIMEOUT',
  'CANCELLED',
  'CONFIG_INVALID',
  'CONFIG_NOT_FOUND',
  'BRIDGE_TOKEN_INVALID',
  'BRIDGE_ORIGIN_REFUSED',
  'MODEL_MISSING',
  'MODEL_CORRUPT',
] as const;

export const errorCodeSchema = z.string().min(1).max(64).regex(/^[A-Z][A-Z0-9_]*$/);

/** Codes are open-ended strings so that every layer can add its own; ERROR_CODES lists the core ones. */
export type KioskErrorCode = (typeof ERROR_CODES)[number] | (string & {});

export const kioskErrorShapeSchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});

export type KioskErrorShape = z.infer<typeof kioskErrorShapeSchema>;

/**
 * Base of every named error in the kiosk. Subclasses fix `code`; `details` must be JSON-serialisable and free of PII.
 */
export class KioskError extends Error {
  override name = 'KioskError';
  readonly code: KioskErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: KioskErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options?.details;
  }

  toShape(): KioskErrorShape {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/** Converts anything thrown into the serializable shape; unknown errors become INTERNAL without leaking their text. */
export function toKioskErrorShape(error: unknown): KioskErrorShape {
  if (error instanceof KioskError) return error.toShape();
  return { code: 'INTERNAL', message: 'Internal error' };
}

export function isKioskErrorShape(value: unknown): value is KioskErrorShape {
  return kioskErrorShapeSchema.safeParse(value).success;
}
