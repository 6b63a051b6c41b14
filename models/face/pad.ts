// Presentation-attack detection. Passive: fr_liveness on the face crop (docs/MODELS.md for how the crop, the
// normalisation and the bona fide class index were established). Active: challenge–response over a frame sequence —
// a blink seen by the eye classifier (open → closed → open), or a requested head turn seen by the pose model.
import type { PadResult } from './types.js';

/** Index of the bona fide class in fr_liveness's three outputs (empirical; docs/MODELS.md). */
export const LIVENESS_BONA_FIDE_INDEX = 0;
export const DEFAULT_PAD_THRESHOLD = 0.5;

export function passivePad(probabilities: number[], threshold = DEFAULT_PAD_THRESHOLD): PadResult {
  const score = probabilities[LIVENESS_BONA_FIDE_INDEX] ?? 0;
  return { score, probabilities, threshold, decision: score >= threshold ? 'bona_fide' : 'attack_suspected' };
}

export interface ActiveFrame {
  /** Open probability of each eye; null when no face in the frame. */
  eyesOpen: [number, number] | null;
  yaw: number | null;
}

export type ActiveChallenge = { kind: 'blink' } | { kind: 'turn'; direction: 'left' | 'right'; minDegrees?: number };

export interface ActiveResult {
  challenge: ActiveChallenge['kind'];
  passed: boolean;
  /** Frame index where the challenge was satisfied, −1 when not. */
  atFrame: number;
  detail: string;
}

/**
 * Blink: some frame with both eyes open (≥ high), later a frame with both closed (≤ low), later open again.
 * Requires a face in every frame between (a face leaving the frame must not count as a blink).
 */
export function detectBlink(frames: ActiveFrame[], high = 0.7, low = 0.3): ActiveResult {
  let state: 'start' | 'open' | 'closed' = 'start';
  for (let i = 0; i < frames.length; i++) {
    const e = frames[i]!.eyesOpen;
    if (!e) {
      state = 'start';
      continue;
    }
    const p = Math.max(e[0], e[1]);
    const q = Math.min(e[0], e[1]);
    if (state !== 'closed' && q >= high) state = 'open';
    else if (state === 'open' && p <= low) state = 'closed';
    else if (state === 'closed' && q >= high) return { challenge: 'blink', passed: true, atFrame: i, detail: 'open → closed → open' };
  }
  return { challenge: 'blink', passed: false, atFrame: -1, detail: state === 'closed' ? 'eyes closed, not reopened' : 'no blink seen' };
}

/**
 * Head turn: yaw moves from the baseline (median yaw of the first three faces) by at least minDegrees (default 15) in
 * the requested direction. "left" is the subject's left, which is positive yaw in fr_pose's convention (the face turns
 * towards the image's right; checked on harington_2 and its mirror image, docs/MODELS.md).
 */
export function detectTurn(frames: ActiveFrame[], direction: 'left' | 'right', minDegrees = 15): ActiveResult {
  const yaws = frames.map((f) => f.yaw);
  const first = yaws.filter((y): y is number => y !== null).slice(0, 3).sort((a, b) => a - b);
  if (first.length === 0) return { challenge: 'turn', passed: false, atFrame: -1, detail: 'no face' };
  const base = first[Math.floor(first.length / 2)]!;
  const sign = direction === 'left' ? 1 : -1;
  for (let i = 0; i < yaws.length; i++) {
    const y = yaws[i];
    if (y !== null && y !== undefined && sign * (y - base) >= minDegrees) return { challenge: 'turn', passed: true, atFrame: i, detail: `yaw ${base.toFixed(1)}° → ${y.toFixed(1)}°` };
  }
  return { challenge: 'turn', passed: false, atFrame: -1, detail: `no turn of ${minDegrees}° to the ${direction}` };
}

export function evaluateChallenge(frames: ActiveFrame[], challenge: ActiveChallenge): ActiveResult {
  return challenge.kind === 'blink' ? detectBlink(frames) : detectTurn(frames, challenge.direction, challenge.minDegrees);
}
