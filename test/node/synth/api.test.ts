import { describe, expect, it } from 'vitest';
import { SynthOptionsError, synthesizeImpression, synthesizeMasterPrint, type FingerPosition } from '../../../drivers/synth/index.js';

describe('synthetic fingerprint API', () => {
  it('produces a 500 ppi 8-bit impression of the default size with ground truth', () => {
    const im = synthesizeImpression({ subject: 'api-subject', finger: 2, impression: 0 });
    expect(im.width).toBe(288);
    expect(im.height).toBe(384);
    expect(im.ppi).toBe(500);
    expect(im.pixels).toBeInstanceOf(Uint8Array);
    expect(im.pixels.length).toBe(288 * 384);
    expect(['arch', 'tented_arch', 'left_loop', 'right_loop', 'whorl']).toContain(im.fingerClass);
    expect(im.minutiae.length).toBeGreaterThan(10);
    for (const m of im.minutiae) {
      expect(m.x).toBeGreaterThanOrEqual(0);
      expect(m.x).toBeLessThan(288);
      expect(m.y).toBeGreaterThanOrEqual(0);
      expect(m.y).toBeLessThan(384);
      expect(m.direction).toBeGreaterThanOrEqual(0);
      expect(m.direction).toBeLessThan(2 * Math.PI);
      expect(['ending', 'bifurcation']).toContain(m.type);
    }
  });

  it('honours any output size', () => {
    const im = synthesizeImpression({ subject: 'api-subject', finger: 2, impression: 1, width: 200, height: 250 });
    expect(im.pixels.length).toBe(200 * 250);
    for (const m of im.minutiae) expect(m.x < 200 && m.y < 250).toBe(true);
    const big = synthesizeImpression({ subject: 'api-subject', finger: 3, impression: 0, width: 400, height: 500 });
    expect(big.pixels.length).toBe(400 * 500);
    // A large frame shows the whole finger on background: the borders are plain background.
    const border = [...big.pixels.subarray(0, 400 * 10)];
    expect(Math.min(...border)).toBeGreaterThan(150);
  });

  it('keeps the finger identity whatever the frame size (a larger sensor only shows more background)', () => {
    const small = synthesizeImpression({ subject: 'api-size', finger: 8, impression: 2 });
    const big = synthesizeImpression({ subject: 'api-size', finger: 8, impression: 2, width: 416, height: 480 });
    const dx = (416 - 288) / 2;
    const dy = (480 - 384) / 2;
    expect(small.minutiae.length).toBeGreaterThan(10);
    for (const m of small.minutiae) {
      const twin = big.minutiae.find((n) => Math.abs(n.x - m.x - dx) < 0.02 && Math.abs(n.y - m.y - dy) < 0.02);
      expect(twin?.type).toBe(m.type);
      expect(Math.abs(twin!.direction - m.direction)).toBeLessThan(1e-9);
    }
    expect(big.minutiae.length).toBeGreaterThanOrEqual(small.minutiae.length);
  });

  it('gives the master print and its impressions the same class', () => {
    const master = synthesizeMasterPrint({ subject: 'api-subject', finger: 2 });
    const im = synthesizeImpression({ subject: 'api-subject', finger: 2, impression: 3 });
    expect(master.fingerClass).toBe(im.fingerClass);
    expect(master.ridges.length).toBe(master.width * master.height);
    const ridgeShare = master.ridges.filter((v) => v === 0).length / master.ridges.length;
    expect(ridgeShare).toBeGreaterThan(0.35);
    expect(ridgeShare).toBeLessThan(0.65);
    expect(new Set(master.ridges)).toEqual(new Set([0, 255]));
  });

  it('rejects bad options with a typed error', () => {
    const bad: Array<Record<string, unknown>> = [
      { subject: '', finger: 1, impression: 0 },
      { subject: 's', finger: 0, impression: 0 },
      { subject: 's', finger: 11, impression: 0 },
      { subject: 's', finger: 1.5, impression: 0 },
      { subject: 's', finger: 1, impression: -1 },
      { subject: 's', finger: 1 },
      { subject: 's', finger: 1, impression: 0, width: 10 },
      { subject: 's', finger: 1, impression: 0, height: 1e6 },
      { subject: 's', finger: 1, impression: 0, seed: 0.5 },
    ];
    for (const options of bad) {
      expect(() => synthesizeImpression(options as never)).toThrow(SynthOptionsError);
    }
    expect(() => synthesizeImpression({ subject: 's', finger: 12 as FingerPosition, impression: 0 })).toThrow(
      expect.objectContaining({ code: 'SYNTH_INVALID_OPTIONS' }),
    );
    expect(() => synthesizeMasterPrint({ subject: 's', finger: 1, width: 5 })).toThrow(SynthOptionsError);
    expect(() => synthesizeImpression(null as never)).toThrow(SynthOptionsError);
    expect(() => synthesizeMasterPrint(undefined as never)).toThrow(SynthOptionsError);
  });
});
