// Input validation for the public API: bad options get a SynthOptionsError, never a crash or a silent default.
import { SynthOptionsError } from './errors.js';
import type { FingerPosition } from './types.js';

export const MIN_SIDE = 64;
export const MAX_SIDE = 2048;

export function checkSubject(subject: unknown): string {
  if (typeof subject !== 'string' || subject.length === 0 || subject.length > 256) throw new SynthOptionsError('subject must be a non-empty string of at most 256 characters');
  return subject;
}

export function checkFinger(finger: unknown): FingerPosition {
  if (typeof finger !== 'number' || !Number.isInteger(finger) || finger < 1 || finger > 10) throw new SynthOptionsError('finger must be an ISO/IEC 19794-2 position 1..10', { finger: String(finger) });
  return finger as FingerPosition;
}

export function checkInteger(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw new SynthOptionsError(`${name} must be an integer in ${min}..${max}`, { [name]: String(value) });
  return value;
}

export function checkSide(name: string, value: unknown, fallback: number): number {
  return checkInteger(name, value, fallback, MIN_SIDE, MAX_SIDE);
}
