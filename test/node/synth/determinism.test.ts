import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { synthesizeImpression, synthesizeMasterPrint } from '../../../drivers/synth/index.js';
import { clearMasterCache } from '../../../drivers/synth/master.js';

const digest = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('determinism', () => {
  it('gives identical bytes and minutiae for identical inputs, with and without the master cache', () => {
    const options = { subject: 'det-1', finger: 4, impression: 2, seed: 7 } as const;
    const a = synthesizeImpression(options);
    const b = synthesizeImpression(options);
    clearMasterCache();
    const c = synthesizeImpression({ ...options });
    expect(digest(a.pixels)).toBe(digest(b.pixels));
    expect(digest(a.pixels)).toBe(digest(c.pixels));
    expect(c.minutiae).toEqual(a.minutiae);
    expect(c.fingerClass).toBe(a.fingerClass);
  });

  it('gives identical master prints for identical inputs and does not share mutable state with callers', () => {
    const a = synthesizeMasterPrint({ subject: 'det-2', finger: 9 });
    a.ridges.fill(7);
    a.minutiae.length = 0;
    const b = synthesizeMasterPrint({ subject: 'det-2', finger: 9 });
    clearMasterCache();
    const c = synthesizeMasterPrint({ subject: 'det-2', finger: 9 });
    expect(b.minutiae.length).toBeGreaterThan(0);
    expect(digest(b.ridges)).toBe(digest(c.ridges));
    expect(b.minutiae).toEqual(c.minutiae);
  });

  it('makes different impressions of one finger differ', () => {
    const digests = new Set([0, 1, 2, 3].map((impression) => digest(synthesizeImpression({ subject: 'det-3', finger: 1, impression }).pixels)));
    expect(digests.size).toBe(4);
  });

  it('makes subject, finger and seed each change the master print', () => {
    const base = synthesizeMasterPrint({ subject: 'det-4', finger: 2 });
    const variants = [
      synthesizeMasterPrint({ subject: 'det-5', finger: 2 }),
      synthesizeMasterPrint({ subject: 'det-4', finger: 3 }),
      synthesizeMasterPrint({ subject: 'det-4', finger: 2, seed: 1 }),
    ];
    for (const v of variants) {
      let same = 0;
      for (let i = 0; i < base.ridges.length; i++) if (base.ridges[i] === v.ridges[i]) same++;
      // Unrelated ridge patterns agree on about half of the pixels.
      expect(same / base.ridges.length).toBeLessThan(0.7);
    }
  });
});
