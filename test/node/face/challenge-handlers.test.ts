// The liveness challenge channels in main with the real face service: a capture the passive cue does not accept
// asks for a head turn (main picks the side); frames that turn that way pass it and turn the capture's PAD decision
// into bona fide; a still picture runs out of time and stays a suspected spoof; nothing pending → CONFLICT.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../main/config/load-config.js';
import type { CallContext } from '../../../main/core/handlers.js';
import { createFaceHandlers, CHALLENGE_TIMEOUT_MS, type FaceHandlers } from '../../../main/face/face-handlers.js';
import { face, hasFaceFixtures, hasModels } from './helpers.js';

const ready = (await hasModels()) && hasFaceFixtures();

describe.skipIf(!ready)('face liveness challenge (main)', { timeout: 240_000 }, () => {
  let h: FaceHandlers;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kiosk-face-challenge-'));
  const ctx = (connectionId: string): CallContext => ({
    connectionId,
    session: { sessionId: 's', operatorId: 'clerk', role: 'clerk', signedInAt: Date.now(), lastActivityAt: Date.now() },
    setSession: () => undefined,
  });
  const call = async (name: string, req: unknown, c: CallContext) => (h.handlers as Record<string, (r: unknown, c: CallContext) => Promise<unknown>>)[name]!(req, c);
  const b64 = (b: Buffer) => b.toString('base64');

  beforeAll(async () => {
    h = createFaceHandlers(await loadConfig(undefined, { dataDir }), pino({ level: 'silent' }));
  });
  afterAll(async () => {
    await h?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('no pending capture: CONFLICT', async () => {
    await expect(call('kiosk:face.challengeStart', {}, ctx('none'))).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(call('kiosk:face.challengeFrame', { image: b64(face('obama_1.jpg')), scale: 1 }, ctx('none'))).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('a head turn to the asked side passes and makes the capture bona fide', async () => {
    const c = ctx('live');
    // A published press photo: the passive model reads it as a reproduction, so the kiosk asks for the challenge.
    const cap = (await call('kiosk:face.capture', { image: b64(face('lacamoire_2.jpg')) }, c)) as { pad: { challengeRequired: boolean; decision: string } };
    expect(cap.pad).toMatchObject({ challengeRequired: true, decision: 'attack_suspected' });
    const start = (await call('kiosk:face.challengeStart', {}, c)) as { kind: string; direction: 'left' | 'right'; timeoutMs: number };
    expect(start).toMatchObject({ kind: 'turn', timeoutMs: CHALLENGE_TIMEOUT_MS });
    // harington_2 is turned to the subject's left (+28° yaw); its mirror image to the right.
    const turned = start.direction === 'left' ? face('harington_2.jpg') : await sharp(face('harington_2.jpg')).flop().jpeg({ quality: 95 }).toBuffer();
    let state = '';
    for (const frame of [face('lacamoire_2.jpg'), face('lacamoire_2.jpg'), turned]) state = ((await call('kiosk:face.challengeFrame', { image: b64(frame), scale: 1 }, c)) as { state: string }).state;
    expect(state).toBe('passed');
    expect(h.lastCapture('live')!.pad).toMatchObject({ decision: 'bona_fide', challengeRequired: false, challenge: 'passed' });
    // The challenge is over: further frames are refused.
    await expect(call('kiosk:face.challengeFrame', { image: b64(turned), scale: 1 }, c)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('a still picture cannot turn: the challenge times out and the capture stays a suspected spoof', async () => {
    const c = ctx('still');
    await call('kiosk:face.capture', { image: b64(face('lacamoire_2.jpg')) }, c);
    await call('kiosk:face.challengeStart', {}, c);
    let state = 'running';
    const until = Date.now() + CHALLENGE_TIMEOUT_MS + 30_000;
    while (state === 'running' && Date.now() < until) state = ((await call('kiosk:face.challengeFrame', { image: b64(face('lacamoire_2.jpg')), scale: 1 }, c)) as { state: string }).state;
    expect(state).toBe('failed');
    expect(h.lastCapture('still')!.pad).toMatchObject({ decision: 'attack_suspected', challenge: 'failed' });
  });
});
