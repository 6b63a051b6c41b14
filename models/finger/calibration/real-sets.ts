// The real development sets (fixtures fingers/fcj2020 and fingers/fvc2000) as lists of samples with their finger id,
// person and impression, plus the protocols the issue fixes: every genuine pair and every impostor pair of the set
// ("all impostor pairs", as `kiosk finger compare --all` scores them). fcj2020 is split by person: 111–130 is the
// training half (parameters are chosen there), 131–150 the test half.
import { existsSync, readdirSync } from 'node:fs';
import { fixturePath } from '../../../test/helpers/fixtures.js';

export interface RealImage {
  file: string;
  finger: string;
  /** fcj2020: person number; fvc2000: 0. */
  person: number;
  impression: number;
}

export type RealSetName = 'fcj2020' | 'fvc2000';

export function realSetDir(name: RealSetName): string {
  return fixturePath('fingers', name);
}

/** Images of a real set, sorted by file name; [] when the fixture is absent. */
export function realSetImages(name: RealSetName): RealImage[] {
  const dir = realSetDir(name);
  if (!existsSync(dir)) return [];
  const out: RealImage[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.png')).sort()) {
    if (name === 'fcj2020') {
      const m = /^(\d+)_(\d+)_(\d+)\.png$/.exec(f);
      if (!m) continue;
      out.push({ file: `${dir}/${f}`, finger: `${m[1]}_${m[2]}`, person: Number(m[1]), impression: Number(m[3]) });
    } else {
      const m = /^(.*)_(\d+)\.png$/.exec(f);
      if (!m) continue;
      out.push({ file: `${dir}/${f}`, finger: m[1]!, person: 0, impression: Number(m[2]) });
    }
  }
  return out;
}

export type Half = 'train' | 'test' | 'all';

/** fcj2020 halves by person: train = 111–130, test = 131–150. */
export function inHalf(img: RealImage, half: Half): boolean {
  if (half === 'all' || img.person === 0) return true;
  return half === 'train' ? img.person <= 130 : img.person >= 131;
}

/** Every pair (i < j) of the given indices, split into genuine and impostor by finger id. */
export function allPairs<T extends { finger: string }>(items: readonly T[], idx: readonly number[]): { gen: [number, number][]; imp: [number, number][] } {
  const gen: [number, number][] = [], imp: [number, number][] = [];
  for (let a = 0; a < idx.length; a++) {
    for (let b = a + 1; b < idx.length; b++) {
      const i = idx[a]!, j = idx[b]!;
      (items[i]!.finger === items[j]!.finger ? gen : imp).push([i, j]);
    }
  }
  return { gen, imp };
}
