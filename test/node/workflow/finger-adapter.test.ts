// From a finger capture session snapshot (main/capture) to the workflow's draft fingers.
import { describe, expect, it } from 'vitest';
import type { FingerSessionSnapshot } from '../../../main/capture/service.js';
import { FINGER_TEMPLATE_FORMAT, sessionResultOf } from '../../../main/workflow/finger-adapter.js';

function attempt(position: number, quality: number) {
  return { position, step: position, deviceId: 'd', attempt: 1, width: 16, height: 16, pixels: new Uint8Array(256).fill(position), template: new Uint8Array([1, 2, position]), quality, feedback: [], minutiae: 20, capturedAt: '2026-11-23T10:00:00.000Z' };
}

function snapshot(): FingerSessionSnapshot {
  const state = (position: number, s: 'pending' | 'captured' | 'excepted', accepted: boolean, attempts: number) => ({
    position,
    state: s,
    quality: null,
    lastQuality: null,
    feedback: [],
    attempts,
    maxAttempts: 3,
    accepted,
    minutiae: null,
    source: null,
    exception: null,
  });
  return {
    sessionId: 'S',
    fingers: [
      { position: 1, best: attempt(1, 80), attempts: 1 },
      { position: 2, best: attempt(2, 20), attempts: 1 }, // low quality, attempts left: still being retried
      { position: 3, best: attempt(3, 25), attempts: 3 }, // low quality, attempts used up: kept
    ],
    exceptions: [{ position: 5, exception: { kind: 'amputated', reason: 'accident', photo: new Uint8Array([0xff, 0xd8, 0xff, 0xd9]) } }],
    view: {
      sessionId: 'S',
      fingers: [state(1, 'captured', true, 1), state(2, 'captured', false, 1), state(3, 'captured', false, 3), state(4, 'pending', false, 0), state(5, 'excepted', false, 0), ...[6, 7, 8, 9, 10].map((p) => state(p, 'pending', false, 0))],
      sequence: { checked: 2, mismatches: [{ position: 3, matchedPosition: 4, score: 55, claimedScore: 5 }] },
      complete: false,
    },
  } as unknown as FingerSessionSnapshot;
}

describe('sessionResultOf', () => {
  it('keeps accepted fingers and those out of attempts, maps exceptions with photos and sequence mismatches', () => {
    const r = sessionResultOf(snapshot());
    expect(r.fingers.map((f) => [f.position, f.quality, f.attempts])).toEqual([
      [1, 80, 1],
      [3, 25, 3],
    ]);
    expect(r.fingers[0]).toMatchObject({ image: { width: 16, height: 16, ppi: 500 }, templateFormat: FINGER_TEMPLATE_FORMAT });
    expect(r.exceptions).toEqual([{ modality: 'finger', position: 5, kind: 'amputated', reason: 'accident', photo: new Uint8Array([0xff, 0xd8, 0xff, 0xd9]) }]);
    expect(r.sequenceMismatches).toEqual([3]);
  });
});
