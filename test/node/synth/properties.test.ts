import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SynthOptionsError, synthesizeImpression } from '../../../drivers/synth/index.js';

describe('synthesizeImpression on arbitrary input', () => {
  it('either returns a well-formed impression or throws SynthOptionsError', () => {
    let produced = 0;
    let rejected = 0;
    fc.assert(
      fc.property(
        fc.record({
          subject: fc.oneof(fc.string({ maxLength: 300 }), fc.constantFrom('Ωμέγα-指纹-😀', 'x'.repeat(256))),
          finger: fc.oneof(fc.integer({ min: 1, max: 10 }), fc.integer({ min: -2, max: 12 }), fc.double()),
          impression: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: -3, max: 3 }), fc.constant(2 ** 31), fc.double({ noNaN: false })),
          width: fc.option(fc.oneof(fc.integer({ min: 64, max: 160 }), fc.integer({ min: 0, max: 63 })), { nil: undefined }),
          height: fc.option(fc.oneof(fc.integer({ min: 64, max: 160 }), fc.integer({ min: 0, max: 63 })), { nil: undefined }),
          seed: fc.option(fc.oneof(fc.integer(), fc.integer(), fc.double()), { nil: undefined }),
        }),
        (options) => {
          let im;
          try {
            // Small frames keep the property cheap; the master is built at full size regardless.
            im = synthesizeImpression({ ...options, width: options.width ?? 96, height: options.height ?? 96 } as never);
          } catch (e) {
            expect(e).toBeInstanceOf(SynthOptionsError);
            rejected++;
            return;
          }
          produced++;
          expect(im.pixels.length).toBe(im.width * im.height);
          for (const m of im.minutiae) {
            expect(Number.isFinite(m.x) && Number.isFinite(m.y) && Number.isFinite(m.direction)).toBe(true);
            expect(m.x >= 0 && m.x < im.width && m.y >= 0 && m.y < im.height).toBe(true);
          }
        },
      ),
      { numRuns: 60, seed: 20261123 },
    );
    expect(produced).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
  });
});
