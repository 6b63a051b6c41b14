// From a capture session to the enrollment draft format (main/contract/channels/enrollment.ts draftPatchSchema):
// the best attempt of every captured finger (500 ppi pixels + compact template + quality + attempts) and the finger
// exceptions (with their photos). The workflow stores the result with kiosk:enrollment.updateDraft semantics.
import type { z } from 'zod';
import type { exceptionSchema, fingerCaptureSchema } from '../contract/channels/enrollment.js';
import { ALL_FINGERS } from './positions.js';
import type { FingerAttempt, FingerExceptionRecord, FingerSessionSnapshot } from './service.js';

/** templateFormat of the stored templates: models/finger serializeTemplate ("KFT1"), what local dedup reads. */
export const FINGER_TEMPLATE_FORMAT = 'kiosk-kft1';

export type DraftFingerCapture = z.input<typeof fingerCaptureSchema>;
export type DraftException = z.input<typeof exceptionSchema>;

const b64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

export function toDraftFingerCapture(best: FingerAttempt, attempts: number): DraftFingerCapture {
  return {
    position: best.position,
    width: best.width,
    height: best.height,
    ppi: 500,
    pixelsBase64: b64(best.pixels),
    templateBase64: b64(best.template),
    templateFormat: FINGER_TEMPLATE_FORMAT,
    quality: best.quality,
    attempts: Math.max(1, Math.min(10, attempts)),
    capturedAt: best.capturedAt,
  };
}

export function toDraftException(position: number, e: FingerExceptionRecord): DraftException {
  return { modality: 'finger', position, kind: e.kind, reason: e.reason, ...(e.photo ? { photoBase64: b64(e.photo) } : {}) };
}

/**
 * The draft patch of a session: `fingers` (captured, best attempt each), `exceptions` (finger exceptions only) and
 * `removeFingers` (positions with no capture, so a stored draft drops a finger that was reset or excepted since).
 */
export function toDraftFingerPatch(snapshot: FingerSessionSnapshot): { fingers: DraftFingerCapture[]; exceptions: DraftException[]; removeFingers: number[] } {
  const captured = new Set(snapshot.fingers.map((f) => f.position));
  return {
    fingers: snapshot.fingers.map((f) => toDraftFingerCapture(f.best, f.attempts)),
    exceptions: snapshot.exceptions.map((e) => toDraftException(e.position, e.exception)),
    removeFingers: ALL_FINGERS.filter((p) => !captured.has(p)),
  };
}
