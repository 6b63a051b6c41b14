// Dedup service end to end (worker, encrypted persistence, fusion) on synthetic faces and minutiae sets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FingerPos } from '../../../models/dedup/types.js';
import { faces, fingers, startHarness, tempDir, type Harness } from './helpers.js';

const ALL: FingerPos[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const FOUR: FingerPos[] = [1, 2, 6, 7];

describe('dedup service', () => {
  const tmp = tempDir();
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness(tmp.dir);
    for (let s = 1; s <= 30; s++) await h.service.addEnrollment({ id: `E${s}`, face: faces.capture(s, 0), fingers: fingers(s, 0, FOUR) });
    await h.service.setOperator({ id: 'OP-A', face: faces.capture(900, 0), fingers: fingers(900, 0, [2, 7]) });
    await h.service.setOperator({ id: 'OP-B', face: faces.capture(901, 0), fingers: fingers(901, 0, [2, 7]) });
  });
  afterAll(async () => {
    await h.dispose();
    tmp.cleanup();
  });

  it('flags the same subject enrolled again (new face capture, new impressions) as a duplicate with explanations', async () => {
    const r = await h.service.search({ face: faces.capture(7, 1), fingers: fingers(7, 1, FOUR) });
    expect(r.decision).toBe('duplicate');
    const top = r.candidates[0]!;
    expect(top.id).toBe('E7');
    expect(top.decision).toBe('duplicate');
    expect(top.face.available).toBe(true);
    expect(top.face.llr).toBeGreaterThan(0);
    expect(top.fingers.map((f) => f.position)).toEqual(FOUR);
    expect(top.fingers.every((f) => f.score !== null && f.llr <= 8)).toBe(true);
    expect(top.matchedFingers.length).toBeGreaterThanOrEqual(2);
    expect(top.llr).toBeCloseTo(top.face.llr + top.fingers.reduce((s, f) => s + f.llr, 0), 6);
    expect(r.operatorMatches).toEqual([]);
  });

  it('does not flag a new subject', async () => {
    for (const s of [101, 102, 103]) {
      const r = await h.service.search({ face: faces.capture(s, 0), fingers: fingers(s, 0, FOUR) });
      expect(r.decision).toBe('no_match');
      expect(r.candidates.every((c) => c.decision === 'no_match')).toBe(true);
    }
  });

  it('dedups on face alone when every finger is excepted (and reports the missing fingers)', async () => {
    const r = await h.service.search({ face: faces.capture(12, 2), fingers: [] });
    expect(r.candidates[0]!.id).toBe('E12');
    expect(r.decision).not.toBe('no_match');
    expect(r.candidates[0]!.missing.some((m) => m.startsWith('fingers'))).toBe(true);
    expect(r.probeMissing).toEqual(ALL.map((p) => `finger ${p}`));
  });

  it('dedups on fingers alone when the face is excepted', async () => {
    const r = await h.service.search({ face: null, fingers: fingers(19, 3, FOUR) });
    expect(r.candidates[0]!.id).toBe('E19');
    expect(r.decision).toBe('duplicate');
    expect(r.candidates[0]!.face.available).toBe(false);
    expect(r.candidates[0]!.missing).toContain('face (probe)');
  });

  it('flags a probe that matches the signed-in operator, and another operator of the kiosk', async () => {
    const a = await h.service.search({ face: faces.capture(900, 5), fingers: fingers(900, 5, [2, 7]) }, { signedInOperatorId: 'OP-A' });
    expect(a.operatorMatches.map((m) => [m.operatorId, m.signedIn])).toEqual([['OP-A', true]]);
    const b = await h.service.search({ face: faces.capture(901, 5), fingers: fingers(901, 5, [2, 7]) }, { signedInOperatorId: 'OP-A' });
    expect(b.operatorMatches.map((m) => [m.operatorId, m.signedIn])).toEqual([['OP-B', false]]);
    expect(b.decision).toBe('no_match');
  });

  it('keeps the gallery across a restart; purge and rejection remove entries', async () => {
    expect((await h.service.stats()).entries).toBe(30);
    expect(await h.service.removeEnrollment('E7')).toBe(true);
    expect(await h.service.removeEnrollment('E7')).toBe(false);
    await h.restart();
    const s = await h.service.stats();
    expect(s.entries).toBe(29);
    expect(s.operatorEntries).toBe(2);
    expect(s.faces).toBe(29);
    expect(s.fingers).toBe(29 * 4);
    expect(s.bytes).toBeGreaterThan(0);
    expect(s.loadMs).toBeGreaterThan(0);
    const gone = await h.service.search({ face: faces.capture(7, 1), fingers: fingers(7, 1, FOUR) });
    expect(gone.candidates.find((c) => c.id === 'E7')).toBeUndefined();
    expect(gone.decision).toBe('no_match');
    const kept = await h.service.search({ face: faces.capture(8, 1), fingers: fingers(8, 1, FOUR) });
    expect(kept.candidates[0]!.id).toBe('E8');
  });

  it('applies a regional delta: adds and removes regional entries', async () => {
    const delta = await h.service.applyRegionalDelta({
      upserts: [200, 201].map((s) => ({ id: `R${s}`, source: 'regional' as const, face: faces.capture(s, 0), fingers: fingers(s, 0, FOUR) })),
      removals: [],
    });
    expect(delta).toEqual({ upserted: 2, removed: 0 });
    let r = await h.service.search({ face: faces.capture(200, 1), fingers: fingers(200, 1, FOUR) });
    expect(r.candidates[0]).toMatchObject({ id: 'R200', source: 'regional', decision: 'duplicate' });
    expect((await h.service.stats()).regional).toBe(2);
    expect(await h.service.applyRegionalDelta({ upserts: [], removals: ['R200', 'nope'] })).toEqual({ upserted: 0, removed: 1 });
    await h.restart();
    r = await h.service.search({ face: faces.capture(200, 1), fingers: fingers(200, 1, FOUR) });
    expect(r.decision).toBe('no_match');
    expect((await h.service.stats()).regional).toBe(1);
  });

  it('rejects malformed input with typed errors', async () => {
    await expect(h.service.search({ face: new Float32Array(3), fingers: [] })).rejects.toMatchObject({ code: 'DEDUP_INPUT_INVALID' });
    await expect(h.service.addEnrollment({ id: 'X', face: null, fingers: [{ position: 11 as FingerPos, template: new Uint8Array(40) }] })).rejects.toMatchObject({ code: 'DEDUP_INPUT_INVALID' });
  });
});

describe('dedup worker disposal', () => {
  it('leaves no worker or message port behind', async () => {
    const count = () => process.getActiveResourcesInfo().filter((r) => r === 'MessagePort' || r === 'Worker').length;
    const before = count();
    const tmp = tempDir();
    const h = await startHarness(tmp.dir);
    await h.service.addEnrollment({ id: 'E1', face: faces.capture(1, 0), fingers: [] });
    expect((await h.service.stats()).entries).toBe(1);
    await h.dispose();
    await expect(h.service.stats()).rejects.toMatchObject({ code: 'DISPOSED' });
    await new Promise((r) => setTimeout(r, 50));
    expect(count()).toBeLessThanOrEqual(before);
    tmp.cleanup();
  });
});
