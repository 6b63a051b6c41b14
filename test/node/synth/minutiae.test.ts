import { describe, expect, it } from 'vitest';
import { extractMinutiae, thin } from '../../../drivers/synth/minutiae.js';
import { angleDiff } from './helpers.js';

const W = 80;
const H = 60;

function canvas(draw: (set: (x: number, y: number) => void) => void): Uint8Array {
  const img = new Uint8Array(W * H);
  draw((x, y) => {
    for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) if (x + dx >= 0 && y + dy >= 0 && x + dx < W && y + dy < H) img[(y + dy) * W + x + dx] = 1;
  });
  return img;
}

describe('minutiae extraction (crossing number on the thinned ridge map)', () => {
  it('thins a 5 px bar to a one-pixel line', () => {
    const img = canvas((set) => {
      for (let x = 10; x < 70; x++) set(x, 30);
    });
    const sk = thin(img, W, H);
    for (let x = 15; x < 65; x++) {
      let column = 0;
      for (let y = 0; y < H; y++) column += sk[y * W + x]!;
      expect(column).toBe(1);
    }
  });

  it('finds a ridge ending and points its direction into the ridge (ISO convention)', () => {
    // A ridge coming from the left border and ending at x = 50.
    const img = canvas((set) => {
      for (let x = 0; x <= 50; x++) set(x, 30);
    });
    const found = extractMinutiae(img, W, H, { border: 5 });
    expect(found).toHaveLength(1);
    const [m] = found;
    expect(m!.type).toBe('ending');
    expect(Math.abs(m!.x - 50)).toBeLessThanOrEqual(3);
    expect(Math.abs(m!.y - 30)).toBeLessThanOrEqual(1);
    expect(angleDiff(m!.direction, Math.PI)).toBeLessThan(0.2);
  });

  it('measures directions counter-clockwise with y pointing up on screen', () => {
    // A ridge coming from the bottom border and ending at y = 20: the ridge lies below the ending, direction 270°.
    const img = canvas((set) => {
      for (let y = 20; y < H; y++) set(40, y);
    });
    const [m] = extractMinutiae(img, W, H, { border: 5 });
    expect(m!.type).toBe('ending');
    expect(angleDiff(m!.direction, (3 * Math.PI) / 2)).toBeLessThan(0.2);
  });

  it('finds a bifurcation and points its direction between the two branches', () => {
    // Stem from the left border to (35, 30), then two branches to the upper and lower right, to the border.
    const img = canvas((set) => {
      for (let x = 0; x <= 35; x++) set(x, 30);
      for (let t = 0; t <= 50; t++) {
        set(35 + t, Math.round(30 - t * 0.6));
        set(35 + t, Math.round(30 + t * 0.6));
      }
    });
    const found = extractMinutiae(img, W, H, { border: 8 });
    const forks = found.filter((m) => m.type === 'bifurcation');
    expect(forks).toHaveLength(1);
    expect(Math.abs(forks[0]!.x - 35)).toBeLessThanOrEqual(4);
    expect(Math.abs(forks[0]!.y - 30)).toBeLessThanOrEqual(2);
    expect(angleDiff(forks[0]!.direction, 0)).toBeLessThan(0.25);
    expect(found.filter((m) => m.type === 'ending')).toHaveLength(0);
  });

  it('ignores short spurs and minutiae near the border or outside the mask', () => {
    const img = canvas((set) => {
      for (let x = 0; x < W; x++) set(x, 30);
      for (let y = 24; y <= 30; y++) set(40, y); // a 6 px stub: a thinning artefact, not a ridge
    });
    expect(extractMinutiae(img, W, H, { border: 5 })).toHaveLength(0);
    const ending = canvas((set) => {
      for (let x = 0; x <= 50; x++) set(x, 30);
    });
    const mask = new Uint8Array(W * H); // empty region of interest
    expect(extractMinutiae(ending, W, H, { border: 5, mask })).toHaveLength(0);
    expect(extractMinutiae(ending, W, H, { border: 35 })).toHaveLength(0);
  });
});
