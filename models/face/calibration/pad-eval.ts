// PAD evaluation on folders of still images (bona fide and attack), as the kiosk decides: passive accept when the
// liveness score clears the threshold with both eyes visible; otherwise the active challenge. A still image cannot
// move, so the challenge is run for real on a short burst of the same picture with fresh sensor noise per frame (a
// printed photo or a paused replay in front of the camera); a live person asked for the challenge is counted as
// challenged — the challenge itself is exercised on moving sequences in the tests and the e2e.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { decodeImage, type RgbImage } from '../../runtime/image.js';
import { KioskError } from '../../../main/contract/errors.js';
import { padErrorRates, chooseAcceptThreshold, DEFAULT_PAD_THRESHOLD } from '../pad.js';
import type { FaceService } from '../service.js';

export type PadLabel = 'bonafide' | 'attack';

export interface PadSample {
  file: string;
  label: PadLabel;
  /** P(bona fide); null when no face was found. */
  score: number | null;
  eyesVisible: boolean;
  /** Passive decision at the threshold used. */
  passiveAccepted: boolean;
  /** Result of the challenge on a still burst (only run when the passive cue did not accept). */
  challengePassed: boolean | null;
  /** What the kiosk decides: passive accept, or challenge passed. */
  accepted: boolean;
}

export interface PadSummary {
  threshold: number;
  bonaFide: number;
  attacks: number;
  /** Live presentations rejected by the passive cue alone (they are asked for the challenge). */
  bpcerPassive: number;
  /** Attacks accepted by the passive cue alone. */
  apcerPassive: number;
  /** Share of live presentations asked for the challenge (= bpcerPassive). */
  challengeRate: number;
  /** Attacks the kiosk accepts (passive accept, or a still burst passing the challenge). */
  apcer: number;
  /** Live presentations the kiosk rejects, assuming a live person asked for the challenge completes it. */
  bpcer: number;
}

const IMAGE = /\.(jpe?g|png|webp)$/i;
const BONA_FIDE = /^(bona[-_]?fide|live|real|genuine)$/i;
const ATTACK = /^(attacks?|spoofs?|fake|pa)$/i;

/** Folders to labelled files: a folder named bonafide/live/real or attack/spoof, or a folder holding such subfolders. */
export async function collectPadSets(dirs: string[]): Promise<{ file: string; label: PadLabel }[]> {
  const out: { file: string; label: PadLabel }[] = [];
  const list = async (dir: string) =>
    (await readdir(dir, { withFileTypes: true }).catch((cause: unknown) => {
      throw new KioskError('NOT_FOUND', `Cannot read folder ${dir}`, { cause, details: { dir } });
    })) as { name: string; isDirectory(): boolean; isFile(): boolean }[];
  for (const dir of dirs) {
    const base = path.basename(path.resolve(dir));
    const label: PadLabel | null = BONA_FIDE.test(base) ? 'bonafide' : ATTACK.test(base) ? 'attack' : null;
    const entries = await list(dir);
    if (label) {
      for (const e of entries.filter((x) => x.isFile() && IMAGE.test(x.name)).sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }))) out.push({ file: path.join(dir, e.name), label });
      continue;
    }
    const subs = entries.filter((e) => e.isDirectory() && (BONA_FIDE.test(e.name) || ATTACK.test(e.name)));
    if (subs.length === 0) throw new KioskError('VALIDATION_FAILED', `${dir}: name it bonafide/ or attack/, or give a folder holding bonafide/ and attack/`, { details: { dir } });
    out.push(...(await collectPadSets(subs.map((e) => path.join(dir, e.name)))));
  }
  return out;
}

/** Deterministic Gaussian sensor noise (Box–Muller on a xorshift stream), RGBA out for the service. */
export function noisyRgba(img: RgbImage, sigma: number, seed: number): { rgba: Uint8Array; width: number; height: number } {
  let s = seed >>> 0 || 1;
  const rnd = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return ((s >>> 0) + 0.5) / 4294967296;
  };
  const n = img.width * img.height;
  const out = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) {
      const g = Math.sqrt(-2 * Math.log(rnd())) * Math.cos(2 * Math.PI * rnd());
      out[4 * i + c] = Math.max(0, Math.min(255, Math.round(img.data[3 * i + c]! + sigma * g)));
    }
    out[4 * i + 3] = 255;
  }
  return { rgba: out, width: img.width, height: img.height };
}

/** Runs the kiosk's PAD decision on each labelled image. */
export async function scorePadSet(service: FaceService, items: { file: string; label: PadLabel; data: Uint8Array }[], threshold = DEFAULT_PAD_THRESHOLD, burst = 8): Promise<PadSample[]> {
  const out: PadSample[] = [];
  for (const it of items) {
    const c = await service.analyzeCapture({ data: it.data }, { padThreshold: threshold });
    const pad = c.pad;
    const passiveAccepted = pad?.decision === 'bona_fide';
    let challengePassed: boolean | null = null;
    if (!passiveAccepted && it.label === 'attack' && pad) {
      const img = await decodeImage(it.data);
      const frames = Array.from({ length: burst }, (_, k) => noisyRgba(img, 3, k + 1));
      const left = await service.activeCheck(frames, { kind: 'turn', direction: 'left' });
      const right = await service.activeCheck(frames, { kind: 'turn', direction: 'right' });
      challengePassed = left.passed || right.passed;
    }
    const accepted = passiveAccepted || (it.label === 'attack' ? challengePassed === true : pad !== null);
    out.push({ file: it.file, label: it.label, score: pad?.score ?? null, eyesVisible: pad?.eyesVisible ?? false, passiveAccepted, challengePassed, accepted });
  }
  return out;
}

export function summarisePad(samples: PadSample[], threshold: number): PadSummary {
  const bf = samples.filter((s) => s.label === 'bonafide');
  const at = samples.filter((s) => s.label === 'attack');
  const passive = padErrorRates(
    bf.map((s) => s.passiveAccepted),
    at.map((s) => s.passiveAccepted),
  );
  const kiosk = padErrorRates(
    bf.map((s) => s.accepted),
    at.map((s) => s.accepted),
  );
  return { threshold, bonaFide: bf.length, attacks: at.length, bpcerPassive: passive.bpcer, apcerPassive: passive.apcer, challengeRate: passive.bpcer, apcer: kiosk.apcer, bpcer: kiosk.bpcer };
}

/** Threshold from a calibration subset: attacks whose eyes are not visible go to the challenge anyway and are left out. */
export function calibrateThreshold(samples: PadSample[], maxApcer = 0.05): number {
  const bf = samples.filter((s) => s.label === 'bonafide' && s.score !== null).map((s) => s.score!);
  const at = samples.filter((s) => s.label === 'attack' && s.score !== null && s.eyesVisible).map((s) => s.score!);
  return chooseAcceptThreshold(bf, at, maxApcer);
}
