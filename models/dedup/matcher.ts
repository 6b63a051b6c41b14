// The finger matcher as dedup sees it. The real one (models/finger, MCC LSS-R) is plugged in by default; anything
// with the same shape (e.g. a future ParallelGallery adapter) can replace it.
import { compareTemplates, deserializeTemplate, type FingerTemplate } from '../finger/index.js';
import { templateIndex } from './template-index.js';

export interface FingerMatcher<T = unknown> {
  /** Parses a compact template into the matcher's comparison form (may be costly: cached by the caller). */
  load(template: Uint8Array): T;
  /** Normalised similarity (the matcher's −10·log10 FMR scale, 0–100). */
  compare(probe: T, candidate: T): number;
  /** Optional 1:N prefilter vector (INDEX_DIMS signed bytes); without it every candidate row is compared in full. */
  prefilter?(template: Uint8Array): Int8Array;
}

export const mccMatcher: FingerMatcher<FingerTemplate> = {
  load: (t) => deserializeTemplate(t),
  compare: (a, b) => compareTemplates(a, b),
  prefilter: (t) => templateIndex(t),
};

/** A small LRU of loaded templates keyed by "row id:position" (cylinder rebuilding dominates a comparison's cost). */
export class TemplateCache<T> {
  private readonly map = new Map<string, T>();
  constructor(private readonly capacity: number) {}

  get(key: string, make: () => T): T {
    const hit = this.map.get(key);
    if (hit !== undefined) {
      this.map.delete(key);
      this.map.set(key, hit);
      return hit;
    }
    const v = make();
    this.map.set(key, v);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value!);
    return v;
  }

  invalidate(prefix: string): void {
    for (const k of [...this.map.keys()]) if (k.startsWith(prefix)) this.map.delete(k);
  }

  clear(): void {
    this.map.clear();
  }

  get size(): number {
    return this.map.size;
  }
}
