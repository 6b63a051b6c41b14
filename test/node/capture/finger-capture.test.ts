// FingerCaptureService against the REAL drivers and emulators: R30x on a socat pty, MOSIP SBI on loopback HTTP.
// Images come from the synthetic generator (drivers/synth) at each sensor's native size, so impressions of one finger
// match across devices and fingers of one hand do not.
import { execFileSync } from 'node:child_process';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Impression, ImpressionSource } from '../../../drivers/emulators/impression.js';
import { R30xEmulator } from '../../../drivers/emulators/r30x-emulator.js';
import { SbiService } from '../../../drivers/emulators/sbi-service.js';
import { R30xDevice } from '../../../drivers/r30x/driver.js';
import { SbiDevice } from '../../../drivers/sbi/client.js';
import { synthesizeImpression, type FingerPosition } from '../../../drivers/synth/index.js';
import { draftPatchSchema, fingerCaptureSchema } from '../../../main/contract/channels/enrollment.js';
import type { FingerProgress } from '../../../main/contract/channels/finger.js';
import { fingerSessionViewSchema } from '../../../main/contract/channels/finger.js';
import { KioskError } from '../../../main/contract/errors.js';
import {
  DeviceFingerCaptureService,
  FINGER_TEMPLATE_FORMAT,
  FingerAnalysisPool,
  toDraftFingerPatch,
  type FingerDeviceSource,
} from '../../../main/capture/index.js';
import { compareTemplates, deserializeTemplate } from '../../../models/finger/index.js';
import { leaksSince, resourceSnapshot } from '../drivers/helpers.js';

function hasSocat(): boolean {
  try {
    execFileSync('socat', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    console.warn('\n*** socat MISSING — finger capture integration tests over a pty are SKIPPED (apt-get install socat). ***\n');
    return false;
  }
}
const socat = hasSocat();

const SUBJECT = 'capture-test-subject';

/** Synthetic impressions at a fixed size, memoised (the generator costs ~0.5 s per image on this machine). */
/** hooks.smudged: fingers whose impressions come out washed out (the emulator may draw an impression more than once per capture). */
function synthSource(width: number, height: number, hooks: { swap?: Map<number, number>; smudged?: Set<number> } = {}): ImpressionSource {
  const cache = new Map<string, Impression>();
  return (finger, attempt) => {
    const real = hooks.swap?.get(finger) ?? finger;
    // A swapped finger is a fresh impression of the other finger, not a copy of one already captured.
    const impression = real === finger ? attempt : attempt + 5;
    const key = `${real}/${impression}`;
    let im = cache.get(key);
    if (!im) {
      const s = synthesizeImpression({ subject: SUBJECT, finger: real as FingerPosition, impression, width, height });
      im = { width: s.width, height: s.height, pixels: s.pixels };
      cache.set(key, im);
    }
    if (hooks.smudged?.has(finger)) {
      // A smudged, washed-out print: almost no contrast left.
      return { width: im.width, height: im.height, pixels: im.pixels.map((v) => 235 + Math.round(v / 14)) };
    }
    return im;
  };
}

function source(devices: Record<string, R30xDevice | SbiDevice>): FingerDeviceSource {
  return { list: () => Object.entries(devices).map(([id, device]) => ({ id, device, info: null })) };
}

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return error instanceof KioskError ? error.code : `untyped: ${String(error)}`;
  }
}

describe.skipIf(!socat)('finger capture: R30x on a pty and SBI on loopback, through the service', () => {
  let baseline: ReturnType<typeof resourceSnapshot>;
  let emu: R30xEmulator;
  let r30x: R30xDevice;
  let sbi: SbiService;
  let sbiDevice: SbiDevice;
  let service: DeviceFingerCaptureService;
  const smudged = new Set<number>();
  const swap = new Map<number, number>();
  const events: FingerProgress[] = [];

  beforeAll(async () => {
    baseline = resourceSnapshot();
    emu = await R30xEmulator.start({ source: synthSource(256, 288, { smudged }), pacing: false });
    r30x = new R30xDevice({ path: emu.hostPath, responseTimeoutMs: 5000, pollIntervalMs: 20 });
    sbi = await SbiService.start({ source: synthSource(320, 400, { swap }) });
    sbiDevice = new SbiDevice({ port: sbi.port, trustRoots: [sbi.trustRootPem], captureTimeoutMs: 30_000 });
    service = new DeviceFingerCaptureService(source({ r30x, sbi: sbiDevice }), new FingerAnalysisPool({ size: 2 }), { maxAttempts: 3, qualityMin: 40 });
    service.onProgress((e) => events.push(e));
  });

  afterAll(async () => {
    await service?.dispose();
    await r30x?.dispose();
    await sbiDevice?.dispose();
    await emu?.dispose();
    await sbi?.dispose();
  });

  it('lists both devices with their capture mode and plans the configured order', async () => {
    const devices = await service.listDevices();
    expect(devices.map((d) => [d.id, d.kind, d.mode, d.state])).toEqual([
      ['r30x', 'r30x', 'single', 'ready'],
      ['sbi', 'sbi', 'slap', 'ready'],
    ]);
    const single = await service.plan('r30x');
    expect(single.steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const slap = await service.plan('sbi');
    expect(slap.steps).toEqual([
      { step: 14, fingers: [7, 8, 9, 10] },
      { step: 13, fingers: [2, 3, 4, 5] },
      { step: 15, fingers: [1, 6] },
    ]);
    expect(await code(service.plan('nope'))).toBe('FINGER_DEVICE_UNAVAILABLE');
  });

  it('single finger on the R30x: capture → quality → template, with progress, into the draft format', async () => {
    events.length = 0;
    emu.placeFinger(7);
    const out = await service.capture({ sessionId: 'single-1', deviceId: 'r30x', step: 7 });
    expect(out.captured).toHaveLength(1);
    const c = out.captured[0]!;
    expect(c.position).toBe(7);
    expect(c.kept).toBe(true);
    expect(c.quality).toBeGreaterThanOrEqual(40);
    const f7 = out.session.fingers[6]!;
    expect(f7).toMatchObject({ position: 7, state: 'captured', quality: c.quality, attempts: 1, accepted: true, source: 7 });
    expect(f7.minutiae).toBeGreaterThan(8);
    expect(fingerSessionViewSchema.safeParse(out.session).success).toBe(true);
    const phases = events.filter((e) => e.sessionId === 'single-1').map((e) => e.phase);
    expect(phases[0]).toBe('place_finger');
    expect(phases).toContain('finger_detected');
    expect(phases).toContain('lift_finger');
    expect(phases.indexOf('analysing')).toBeGreaterThan(phases.indexOf('lift_finger'));
    expect(events.at(-1)).toMatchObject({ phase: 'captured', position: 7, quality: c.quality, attempt: 1 });

    const patch = toDraftFingerPatch(service.snapshot('single-1'));
    expect(patch.fingers).toHaveLength(1);
    const wire = fingerCaptureSchema.parse(patch.fingers[0]);
    expect(wire).toMatchObject({ position: 7, width: 256, height: 288, ppi: 500, templateFormat: FINGER_TEMPLATE_FORMAT, quality: c.quality, attempts: 1 });
    expect(Buffer.from(wire.pixelsBase64, 'base64').length).toBe(256 * 288);
    const template = deserializeTemplate(new Uint8Array(Buffer.from(wire.templateBase64, 'base64')));
    expect(template.count).toBe(f7.minutiae);
    expect(patch.removeFingers).toEqual([1, 2, 3, 4, 5, 6, 8, 9, 10]);
    expect(draftPatchSchema.safeParse({ fingers: patch.fingers, exceptions: patch.exceptions, removeFingers: patch.removeFingers }).success).toBe(true);
    // The kept template is the finger's: a fresh impression of finger 7 matches it, finger 8 does not.
    const again = await service.capture({ sessionId: 'other', deviceId: 'r30x', step: 7 });
    const other = toDraftFingerPatch(service.snapshot('other')).fingers[0]!;
    expect(again.captured[0]!.position).toBe(7);
    const score = compareTemplates(template, deserializeTemplate(new Uint8Array(Buffer.from(other.templateBase64, 'base64'))));
    expect(score).toBeGreaterThanOrEqual(40);
  });

  it('retry keeps the best attempt, and stops at the configured maximum', async () => {
    emu.placeFinger(2);
    const first = await service.capture({ sessionId: 'retry', deviceId: 'r30x', step: 2 });
    smudged.add(2);
    const second = await service.capture({ sessionId: 'retry', deviceId: 'r30x', step: 2 });
    const third = await service.capture({ sessionId: 'retry', deviceId: 'r30x', step: 2 });
    const q = [first, second, third].map((o) => o.captured[0]!.quality);
    expect(q[0]).toBeGreaterThan(q[1]!);
    expect(q[0]).toBeGreaterThan(q[2]!);
    expect(second.captured[0]!.kept).toBe(false);
    expect(second.captured[0]!.feedback).toContain('LOW_QUALITY');
    const f2 = third.session.fingers[1]!;
    expect(f2).toMatchObject({ state: 'captured', quality: q[0], lastQuality: q[2], attempts: 3, accepted: true });
    expect(service.snapshot('retry').fingers[0]!.best.attempt).toBe(1);
    expect(toDraftFingerPatch(service.snapshot('retry')).fingers[0]).toMatchObject({ position: 2, quality: q[0], attempts: 3 });
    smudged.clear();
    expect(await code(service.capture({ sessionId: 'retry', deviceId: 'r30x', step: 2 }))).toBe('FINGER_ATTEMPTS_EXHAUSTED');
    // A slap is not something a single-finger sensor takes.
    expect(await code(service.capture({ sessionId: 'retry', deviceId: 'r30x', step: 13 }))).toBe('FINGER_STEP_UNSUPPORTED');
  });

  it('records exceptions with a photo; an excepted finger is skipped in its slap', async () => {
    const jpeg = new Uint8Array(await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 160, b: 140 } } }).jpeg().toBuffer());
    const view = service.recordException({ sessionId: 'slaps', position: 10, kind: 'amputated', reason: 'left little finger amputated', photo: jpeg });
    expect(view.fingers[9]).toMatchObject({ state: 'excepted', exception: { kind: 'amputated', hasPhoto: true } });
    expect(() => service.recordException({ sessionId: 'slaps', position: 9, kind: 'bandaged', reason: 'x', photo: new Uint8Array([1, 2, 3, 4, 5]) })).toThrow(
      expect.objectContaining({ code: 'FINGER_EXCEPTION_PHOTO_INVALID' }),
    );
    const left = await service.capture({ sessionId: 'slaps', deviceId: 'sbi', step: 14 });
    expect(left.captured.map((c) => c.position).sort()).toEqual([7, 8, 9]);
    const patch = toDraftFingerPatch(service.snapshot('slaps'));
    expect(patch.exceptions).toEqual([{ modality: 'finger', position: 10, kind: 'amputated', reason: 'left little finger amputated', photoBase64: Buffer.from(jpeg).toString('base64') }]);
    expect(draftPatchSchema.safeParse({ fingers: patch.fingers, exceptions: patch.exceptions }).success).toBe(true);
  });

  it('slaps 4-4-2 on the SBI device split into per-finger records', async () => {
    const right = await service.capture({ sessionId: 'slaps', deviceId: 'sbi', step: 13 });
    expect(right.captured.map((c) => c.position).sort()).toEqual([2, 3, 4, 5]);
    const thumbs = await service.capture({ sessionId: 'slaps', deviceId: 'sbi', step: 15 });
    expect(thumbs.captured.map((c) => c.position).sort()).toEqual([1, 6]);
    const view = thumbs.session;
    expect(view.fingers.map((f) => f.state)).toEqual(['captured', 'captured', 'captured', 'captured', 'captured', 'captured', 'captured', 'captured', 'captured', 'excepted']);
    expect(view.fingers.filter((f) => f.state === 'captured').every((f) => f.source === 13 || f.source === 14 || f.source === 15)).toBe(true);
    expect(view.sequence.mismatches).toEqual([]);
    const wires = toDraftFingerPatch(service.snapshot('slaps')).fingers.map((f) => fingerCaptureSchema.parse(f));
    expect(wires.map((w) => [w.position, w.width, w.height])).toContainEqual([3, 320, 400]);
  });

  it('sequence check: a single captured under the wrong position is caught against the slap segments', async () => {
    // Slaps are in session "slaps"; the clerk now takes singles on the R30x, but the person puts the index finger (2)
    // on the sensor while position 3 (middle) is being captured.
    const checkedBefore = service.session('slaps').sequence.checked;
    emu.placeFinger(2);
    const wrong = await service.capture({ sessionId: 'slaps', deviceId: 'r30x', step: 3 });
    expect(wrong.captured[0]).toMatchObject({ position: 3, kept: false });
    expect(wrong.captured[0]!.feedback).toContain('SEQUENCE_MISMATCH');
    const mismatch = wrong.session.sequence.mismatches[0]!;
    expect(mismatch).toMatchObject({ position: 3, matchedPosition: 2 });
    expect(mismatch.score).toBeGreaterThanOrEqual(30);
    expect(mismatch.claimedScore!).toBeLessThan(30);
    expect(wrong.session.sequence.checked).toBe(checkedBefore + 1);
    expect(wrong.session.complete).toBe(false);
    // The slap segment stays the kept image of finger 3.
    expect(wrong.session.fingers[2]).toMatchObject({ state: 'captured', source: 13 });
    // Retaking it with the right finger clears the mismatch.
    emu.placeFinger(3);
    const right = await service.capture({ sessionId: 'slaps', deviceId: 'r30x', step: 3 });
    expect(right.captured[0]!.feedback).not.toContain('SEQUENCE_MISMATCH');
    expect(right.session.sequence.mismatches).toEqual([]);
    expect(right.session.complete).toBe(true);
  });

  it('sequence check also runs when the slap comes after the singles (SBI singles and slaps, swapped finger)', async () => {
    swap.set(8, 7); // the person shows the index finger for position 8 (left middle)
    const single = await service.capture({ sessionId: 'late-slap', deviceId: 'sbi', step: 8 });
    expect(single.captured[0]).toMatchObject({ position: 8, kept: true });
    expect(single.session.sequence.checked).toBe(0); // no slap yet: nothing to check against
    swap.clear();
    const slap = await service.capture({ sessionId: 'late-slap', deviceId: 'sbi', step: 14 });
    expect(slap.session.sequence.mismatches).toEqual([expect.objectContaining({ position: 8, matchedPosition: 7 })]);
    expect(slap.session.fingers[7]).toMatchObject({ source: 14 });
    expect(slap.session.fingers[7]!.feedback).toContain('SEQUENCE_MISMATCH');
  });

  it('cancel aborts a capture waiting for a finger; the device works again afterwards', async () => {
    await emu.setFault('no_finger');
    events.length = 0;
    const pending = service.capture({ sessionId: 'cancel', deviceId: 'r30x', step: 1, timeoutMs: 30_000 });
    while (!events.some((e) => e.sessionId === 'cancel' && e.phase === 'place_finger')) await new Promise((r) => setTimeout(r, 20));
    expect(await code(service.capture({ sessionId: 'cancel', deviceId: 'r30x', step: 1 }))).toBe('FINGER_CAPTURE_BUSY');
    expect(service.cancel('cancel')).toBe(true);
    expect(await code(pending)).toBe('CANCELLED');
    expect(events.at(-1)).toMatchObject({ phase: 'cancelled', code: 'CANCELLED' });
    expect(service.cancel('cancel')).toBe(false);
    await emu.setFault(null);
    emu.placeFinger(1);
    const next = await service.capture({ sessionId: 'cancel', deviceId: 'r30x', step: 1 });
    expect(next.captured[0]!.position).toBe(1);
  });

  it('a device failure is a typed error with a "failed" progress event and costs no attempt', async () => {
    await emu.setFault('no_finger');
    events.length = 0;
    expect(await code(service.capture({ sessionId: 'fail', deviceId: 'r30x', step: 4, timeoutMs: 1000 }))).toBe('DEVICE_NO_FINGER');
    expect(events.at(-1)).toMatchObject({ sessionId: 'fail', phase: 'failed', code: 'DEVICE_NO_FINGER' });
    expect(service.session('fail').fingers[3]).toMatchObject({ state: 'pending', attempts: 0 });
    await emu.setFault(null);
    emu.placeFinger(4);
    const ok = await service.capture({ sessionId: 'fail', deviceId: 'r30x', step: 4 });
    expect(ok.session.fingers[3]).toMatchObject({ state: 'captured', attempts: 1 });
  });

  it('reset forgets a finger; unknown sessions and disposed services give typed errors', async () => {
    const view = service.reset('cancel', 1);
    expect(view.fingers[0]).toMatchObject({ state: 'pending', attempts: 0, quality: null });
    expect(() => service.reset('never-seen', 1)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('dispose leaves no open handles, ports or workers', async () => {
    await service.dispose();
    expect(await code(service.capture({ sessionId: 'x', deviceId: 'r30x', step: 1 }))).toBe('DISPOSED');
    await r30x.dispose();
    await sbiDevice.dispose();
    await emu.dispose();
    await sbi.dispose();
    // Worker threads end asynchronously after terminate(); give the event loop a turn.
    await new Promise((r) => setTimeout(r, 50));
    expect(leaksSince(baseline)).toEqual([]);
  });
});
