// Dedup on real captures: synthetic fingerprint impressions (drivers/synth) through the real extractor and MCC
// matcher, and fixture photos through the face pipeline (different photos of the same identity).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesizeImpression } from '../../../drivers/synth/index.js';
import { createFaceService } from '../../../models/face/service.js';
import { extractTemplate, serializeTemplate } from '../../../models/finger/index.js';
import type { FingerPos } from '../../../models/dedup/types.js';
import { fixturePath, hasFixture } from '../../helpers/fixtures.js';
import { faceModelsReady, startHarness, tempDir, type Harness } from './helpers.js';

const POSITIONS: FingerPos[] = [2, 7];
const ready = hasFixture('faces', 'obama_1.jpg') && (await faceModelsReady());

function realFingers(subject: string, impression: number): { position: FingerPos; template: Uint8Array }[] {
  return POSITIONS.map((position) => {
    const im = synthesizeImpression({ subject, finger: position, impression });
    return { position, template: serializeTemplate(extractTemplate({ width: im.width, height: im.height, ppi: 500, pixels: im.pixels })) };
  });
}

describe.skipIf(!ready)('dedup on synthetic impressions and fixture photos', () => {
  const tmp = tempDir();
  let h: Harness;
  const emb = new Map<string, Float32Array>();

  beforeAll(async () => {
    const faceService = await createFaceService({ workers: 1 });
    try {
      for (const f of ['obama_1.jpg', 'obama_2.jpg', 'biden_1.jpg', 'harington_1.jpg']) {
        const c = await faceService.analyzeCapture({ data: readFileSync(fixturePath('faces', f)) });
        if (!c.embedding) throw new Error(`no face in ${f}`);
        emb.set(f, Float32Array.from(c.embedding));
      }
    } finally {
      await faceService.dispose();
    }
    h = await startHarness(tmp.dir);
    await h.service.addEnrollment({ id: 'OBAMA', face: emb.get('obama_1.jpg')!, fingers: realFingers('dd-a', 0) });
    await h.service.addEnrollment({ id: 'BIDEN', face: emb.get('biden_1.jpg')!, fingers: realFingers('dd-b', 0) });
  }, 120_000);
  afterAll(async () => {
    await h?.dispose();
    tmp.cleanup();
  });

  it('flags the same person enrolled twice (other photo, fresh impressions) as a duplicate', async () => {
    const r = await h.service.search({ face: emb.get('obama_2.jpg')!, fingers: realFingers('dd-a', 1) });
    expect(r.decision).toBe('duplicate');
    const top = r.candidates[0]!;
    expect(top.id).toBe('OBAMA');
    expect(top.face.score!).toBeGreaterThan(0.4);
    expect(top.matchedFingers).toEqual(POSITIONS);
    expect(r.candidates.find((c) => c.id === 'BIDEN')!.decision).toBe('no_match');
  });

  it('does not flag a different person', async () => {
    const r = await h.service.search({ face: emb.get('harington_1.jpg')!, fingers: realFingers('dd-c', 0) });
    expect(r.decision).toBe('no_match');
    expect(r.candidates.every((c) => c.llr < r.thresholds.possibleLlr)).toBe(true);
  });
});
