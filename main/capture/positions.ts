// Finger positions (ISO/IEC 19794-4) and capture plans: which steps a device takes, in the configured order.
import type { DeviceInfo } from '../../drivers/device.js';
import type { CapturePlanView } from '../contract/channels/finger.js';

export type FingerPos = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10;
export type SlapStep = 13 | 14 | 15;
export type CaptureStep = FingerPos | SlapStep;

export const ALL_FINGERS: readonly FingerPos[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

/** 4-4-2: right four (13), left four (14), both thumbs (15). */
export const SLAP_FINGERS: Readonly<Record<SlapStep, readonly FingerPos[]>> = {
  13: [2, 3, 4, 5],
  14: [7, 8, 9, 10],
  15: [1, 6],
};

export function isSlap(step: number): step is SlapStep {
  return step === 13 || step === 14 || step === 15;
}

export function isFinger(n: number): n is FingerPos {
  return Number.isInteger(n) && n >= 1 && n <= 10;
}

export function fingersOf(step: CaptureStep): readonly FingerPos[] {
  return isSlap(step) ? SLAP_FINGERS[step] : [step];
}

export function slapOf(position: FingerPos): SlapStep {
  return position === 1 || position === 6 ? 15 : position <= 5 ? 13 : 14;
}

export interface CaptureOrder {
  /** Steps on slap devices (default MOSIP order: left four, right four, thumbs). */
  slap: SlapStep[];
  /** Fingers on single-finger sensors. */
  single: FingerPos[];
}

export const DEFAULT_CAPTURE_ORDER: CaptureOrder = { slap: [14, 13, 15], single: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] };

export type CaptureMode = 'slap' | 'single';

/** Slap devices (SBI slap scanners) report the slaps they take; everything else takes one finger at a time. */
export function captureModeOf(info: Pick<DeviceInfo, 'kind' | 'positions'>): CaptureMode {
  return info.kind === 'sbi' && info.positions.some(isSlap) ? 'slap' : 'single';
}

/** Steps the device can take: its slaps, and single fingers (slap devices take singles as a slap with exceptions). */
export function supportsStep(info: Pick<DeviceInfo, 'kind' | 'positions'>, step: number): step is CaptureStep {
  if (isSlap(step)) return info.positions.includes(step);
  if (!isFinger(step)) return false;
  return info.kind === 'sbi' ? info.positions.includes(slapOf(step)) : info.positions.includes(step);
}

export function capturePlan(deviceId: string, info: Pick<DeviceInfo, 'kind' | 'positions'>, order: CaptureOrder, limits: { maxAttempts: number; qualityMin: number }): CapturePlanView {
  const mode = captureModeOf(info);
  const steps = (mode === 'slap' ? order.slap : order.single).filter((s) => supportsStep(info, s)).map((step) => ({ step, fingers: [...fingersOf(step)] }));
  return { deviceId, mode, steps, maxAttempts: limits.maxAttempts, qualityMin: limits.qualityMin };
}

/** Checks a configured order: known steps, no repeats, and every finger covered once. */
export function validateCaptureOrder(order: CaptureOrder): string[] {
  const problems: string[] = [];
  const check = (name: string, steps: readonly CaptureStep[]) => {
    const seen = new Set<number>();
    for (const s of steps) for (const f of fingersOf(s)) {
      if (seen.has(f)) problems.push(`${name}: finger ${f} appears twice`);
      seen.add(f);
    }
    for (const f of ALL_FINGERS) if (!seen.has(f)) problems.push(`${name}: finger ${f} is never captured`);
  };
  if (!order.slap.every(isSlap)) problems.push('slap: steps must be 13, 14 or 15');
  else check('slap', order.slap);
  if (!order.single.every(isFinger)) problems.push('single: steps must be fingers 1..10');
  else check('single', order.single);
  return problems;
}
