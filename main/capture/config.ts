// The finger capture settings from the kiosk config (thresholds.fingerQualityMin / fingerAttemptsMax, fingerCapture.*).
import type { KioskConfig } from '../config/schema.js';
import { KioskError } from '../contract/errors.js';
import { validateCaptureOrder, type FingerPos, type SlapStep } from './positions.js';
import { DEFAULT_FINGER_CAPTURE_CONFIG, type FingerCaptureConfig } from './service.js';

export function fingerCaptureConfigFrom(config: Pick<KioskConfig, 'thresholds' | 'fingerCapture'>): FingerCaptureConfig {
  const order = { slap: config.fingerCapture.slapOrder as SlapStep[], single: config.fingerCapture.singleOrder as FingerPos[] };
  const problems = validateCaptureOrder(order);
  if (problems.length) throw new KioskError('CONFIG_INVALID', `fingerCapture order: ${problems.join('; ')}`, { details: { problems } });
  return {
    ...DEFAULT_FINGER_CAPTURE_CONFIG,
    maxAttempts: config.thresholds.fingerAttemptsMax,
    qualityMin: config.thresholds.fingerQualityMin,
    order,
    sequenceThreshold: config.fingerCapture.sequenceThreshold,
    timeoutMs: config.fingerCapture.timeoutMs,
  };
}
