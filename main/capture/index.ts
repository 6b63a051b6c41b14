// Finger capture (issue 8, FINGERS step): real devices → quality/template in worker threads → best attempt kept.
//
// Pieces
// - FingerCaptureService (service.ts; DeviceFingerCaptureService implements it over FingerDeviceSource, i.e. the
//   core's FingerprintDeviceManager): capture(step) takes one finger (1..10) on single-finger sensors, or a slap
//   (13 right four, 14 left four, 15 thumbs) on SBI slap scanners, split per finger by the device's per-finger
//   records. Each image is analysed in FingerAnalysisPool (analysis.worker.ts: NFIQ 2-scale quality + feedback,
//   minutiae, compact template, 500 ppi pixels) — never on the main loop. Up to `maxAttempts` calls per step; the best
//   attempt per finger is kept. Exceptions (missing, amputated, bandaged, unable) with an optional JPEG photo replace a
//   finger. When slaps and singles both exist, each single is matched against the slap segments: one that matches
//   another position's segment and not its own is refused and listed in `sequence.mismatches`. Progress (place finger,
//   finger detected, uploading, lift finger, analysing, captured + quality, failed, cancelled) goes to onProgress
//   listeners (the core forwards it as kiosk:event.finger-progress). cancel(sessionId) aborts a running capture.
// - Capture order: positions.ts (DEFAULT_CAPTURE_ORDER; config `fingerCapture.order`), capturePlan() per device.
// - IPC: handlers.ts (main/contract/channels/finger.ts), role-checked.
//
// For the enrollment workflow (sessions are keyed by the draft id):
//   const patch = toDraftFingerPatch(service.snapshot(draftId));
//   // patch.fingers: fingerCaptureSchema[] (pixels at 500 ppi + template 'kiosk-kft1' + quality + attempts),
//   // patch.exceptions: exceptionSchema[] (modality 'finger'), patch.removeFingers: positions without a capture.
//   // Check service.session(draftId).complete before leaving the step; service.discard(draftId) once stored.
export { FingerAnalysisPool, type FingerAnalyzer } from './analysis-pool.js';
export * from './errors.js';
export * from './positions.js';
export * from './service.js';
export * from './draft.js';
export { fingerCaptureConfigFrom } from './config.js';
export { createFingerHandlers, sessionRoleGate, type FingerHandlerMap, type RoleGate } from './handlers.js';
