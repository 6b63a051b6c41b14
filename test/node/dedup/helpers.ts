// Shared helpers of the dedup tests: temp dirs, keys, synthetic faces and minutiae templates.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DedupService, type DedupServiceOptions } from '../../../main/dedup/service.js';
import { mulberry32, perturbMinutiae, randomMinutiae, SyntheticFaces, templateBytes } from '../../../models/dedup/synthetic.js';
import type { FingerPos } from '../../../models/dedup/types.js';
import type { TemplateMinutia } from '../../../models/finger/template.js';

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-dedup-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const faces = new SyntheticFaces();

const masters = new Map<string, TemplateMinutia[]>();
function master(subject: number, pos: FingerPos): TemplateMinutia[] {
  const k = `${subject}:${pos}`;
  let m = masters.get(k);
  if (!m) {
    m = randomMinutiae(mulberry32(subject * 31 + pos * 1009 + 7));
    masters.set(k, m);
  }
  return m;
}

/** A finger template of `subject` at `pos`; each `impression` is a perturbed copy of the subject's minutiae. */
export function fingerTemplate(subject: number, pos: FingerPos, impression: number): Uint8Array {
  return templateBytes(perturbMinutiae(master(subject, pos), mulberry32(subject * 977 + pos * 131 + impression * 7331)));
}

export function fingers(subject: number, impression: number, positions: FingerPos[]): { position: FingerPos; template: Uint8Array }[] {
  return positions.map((position) => ({ position, template: fingerTemplate(subject, position, impression) }));
}

export interface Harness {
  dir: string;
  key: Uint8Array;
  service: DedupService;
  restart(opts?: Partial<DedupServiceOptions>): Promise<void>;
  dispose(): Promise<void>;
}

export async function startHarness(dir: string, key: Uint8Array = randomBytes(32), opts: Partial<DedupServiceOptions> = {}): Promise<Harness> {
  const h: Harness = {
    dir,
    key,
    service: await DedupService.start({ ...opts, dir, key }),
    async restart(more = {}) {
      await h.service.dispose();
      h.service = await DedupService.start({ ...opts, ...more, dir, key });
    },
    async dispose() {
      await h.service.dispose();
    },
  };
  return h;
}

/** True when the pinned face models verify; otherwise warns loudly (tests that need them are skipped). */
export async function faceModelsReady(): Promise<boolean> {
  const { checkModels, defaultModelsDir } = await import('../../../models/runtime/manifest.js');
  const report = await checkModels(defaultModelsDir());
  if (report.ok) return true;
  console.warn(`\n*** FACE MODELS NOT AVAILABLE in ${report.modelsDir} — dedup tests on fixture photos are SKIPPED. Run \`npm run models\`. ***\n`);
  return false;
}
