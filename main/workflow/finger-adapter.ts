// The workflow's FingerSessionSource over main/capture's FingerCaptureService (sessions keyed by the draft id).
// A finger counts as captured when its best attempt is accepted (quality ≥ minimum) or its attempts are used up;
// a finger still being retried is left out (it shows as missing until then).
import { FingerSessionNotFoundError } from '../capture/errors.js';
import type { FingerCaptureService, FingerSessionSnapshot } from '../capture/service.js';
import type { BiometricException, FingerCapture, FingerPosition } from '../enrollment/model.js';
import type { FingerSessionResult, FingerSessionSource } from './ports.js';

export const FINGER_TEMPLATE_FORMAT = 'kiosk-kft1';

export function sessionResultOf(snapshot: FingerSessionSnapshot): FingerSessionResult {
  const byPos = new Map(snapshot.view.fingers.map((f) => [f.position, f]));
  const fingers: FingerCapture[] = snapshot.fingers
    .filter((f) => {
      const v = byPos.get(f.position);
      return !v || v.accepted || v.attempts >= v.maxAttempts;
    })
    .map((f) => ({
      position: f.position as FingerPosition,
      image: { width: f.best.width, height: f.best.height, ppi: 500, pixels: f.best.pixels },
      template: f.best.template,
      templateFormat: FINGER_TEMPLATE_FORMAT,
      quality: f.best.quality,
      attempts: Math.max(1, Math.min(10, f.attempts)),
      capturedAt: f.best.capturedAt,
    }));
  const exceptions: BiometricException[] = snapshot.exceptions.map((e) => ({
    modality: 'finger',
    position: e.position as FingerPosition,
    kind: e.exception.kind,
    reason: e.exception.reason,
    ...(e.exception.photo ? { photo: e.exception.photo } : {}),
  }));
  return { fingers, exceptions, sequenceMismatches: snapshot.view.sequence.mismatches.map((m) => m.position as FingerPosition) };
}

export function fingerSessionSource(service: FingerCaptureService, plan: { positions: FingerPosition[]; maxAttempts: number }): FingerSessionSource {
  return {
    async sessionResult(sessionId) {
      try {
        return sessionResultOf(service.snapshot(sessionId));
      } catch (error) {
        if (error instanceof FingerSessionNotFoundError) return null;
        throw error;
      }
    },
    plan: () => plan,
    discard: (sessionId) => service.discard(sessionId),
  };
}
