// How the passive liveness decision holds up when the camera changes: every PAD image is re-scored after sensor noise,
// JPEG compression, blur, exposure and gamma changes and a smaller face. The accept threshold is chosen on one half of
// the set (even-numbered files) under the "calibration" conditions and reported on the other half under all of them.
import path from 'node:path';
import sharp from 'sharp';
import { encodeJpeg, decodeImage, type RgbImage } from '../../runtime/image.js';
import { gaussianBlur } from '../measures.js';
import { chooseAcceptThreshold } from '../pad.js';
import type { FaceService } from '../service.js';
import { noisyRgba, type PadLabel } from './pad-eval.js';

export interface Condition {
  id: string;
  label: string;
  /** Used to choose the threshold (conditions a site camera plausibly adds); the others are only reported. */
  calibration: boolean;
  apply(img: RgbImage, seed: number): Promise<RgbImage>;
}

const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));
const mapPixels = (img: RgbImage, f: (v: number) => number): RgbImage => ({ ...img, data: img.data.map(f) });

function blurRgb(img: RgbImage, sigma: number): RgbImage {
  const n = img.width * img.height;
  const out = new Uint8Array(3 * n);
  const ch = new Float32Array(n);
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < n; i++) ch[i] = img.data[3 * i + c]!;
    const b = gaussianBlur(ch, img.width, img.height, sigma);
    for (let i = 0; i < n; i++) out[3 * i + c] = clamp(b[i]!);
  }
  return { ...img, data: out };
}

async function resized(img: RgbImage, width: number, height: number): Promise<RgbImage> {
  const { data, info } = await sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength), { raw: { width: img.width, height: img.height, channels: 3 } })
    .resize(width, height)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

function withNoise(img: RgbImage, sigma: number, seed: number): RgbImage {
  const { rgba, width, height } = noisyRgba(img, sigma, seed);
  const data = new Uint8Array(3 * width * height);
  for (let i = 0, j = 0; i < data.length; i += 3, j += 4) {
    data[i] = rgba[j]!;
    data[i + 1] = rgba[j + 1]!;
    data[i + 2] = rgba[j + 2]!;
  }
  return { data, width, height };
}

export const PAD_CONDITIONS: Condition[] = [
  { id: 'clean', label: 'as captured', calibration: true, apply: async (i) => i },
  { id: 'noise2', label: 'sensor noise σ 2', calibration: true, apply: async (i, s) => withNoise(i, 2, s) },
  { id: 'noise4', label: 'sensor noise σ 4', calibration: true, apply: async (i, s) => withNoise(i, 4, s) },
  { id: 'noise8', label: 'sensor noise σ 8', calibration: false, apply: async (i, s) => withNoise(i, 8, s) },
  { id: 'jpeg30', label: 'JPEG quality 30', calibration: true, apply: async (i) => decodeImage(await encodeJpeg(i, 30)) },
  { id: 'noise4jpeg70', label: 'noise σ 4 + JPEG 70', calibration: false, apply: async (i, s) => decodeImage(await encodeJpeg(withNoise(i, 4, s), 70)) },
  { id: 'blur1', label: 'Gaussian blur σ 1 px', calibration: true, apply: async (i) => blurRgb(i, 1) },
  { id: 'blur2', label: 'Gaussian blur σ 2 px', calibration: false, apply: async (i) => blurRgb(i, 2) },
  { id: 'dark', label: 'exposure × 0.6', calibration: true, apply: async (i) => mapPixels(i, (v) => clamp(v * 0.6)) },
  { id: 'bright115', label: 'exposure × 1.15', calibration: true, apply: async (i) => mapPixels(i, (v) => clamp(v * 1.15)) },
  { id: 'bright130', label: 'exposure × 1.3 (clipped highlights)', calibration: false, apply: async (i) => mapPixels(i, (v) => clamp(v * 1.3)) },
  { id: 'gamma07', label: 'gamma 0.7 (lifted mid-tones)', calibration: false, apply: async (i) => mapPixels(i, (v) => clamp(255 * (v / 255) ** 0.7)) },
  { id: 'gamma14', label: 'gamma 1.4 (darker mid-tones)', calibration: true, apply: async (i) => mapPixels(i, (v) => clamp(255 * (v / 255) ** 1.4)) },
  { id: 'half', label: 'half resolution', calibration: false, apply: (i) => resized(i, Math.round(i.width / 2), Math.round(i.height / 2)) },
  { id: 'double4', label: 'double resolution + noise σ 4', calibration: false, apply: async (i, s) => withNoise(await resized(i, 2 * i.width, 2 * i.height), 4, s) },
];

export interface ConditionScore {
  file: string;
  label: PadLabel;
  /** The even-numbered half of the set chooses the threshold; the odd half reports. */
  half: 'calibration' | 'report';
  condition: string;
  score: number | null;
  eyesVisible: boolean;
}

export interface ConditionRow {
  condition: string;
  label: string;
  calibration: boolean;
  /** On the report half: live presentations that would be asked for the challenge. */
  challengeRate: number;
  /** On the report half: attacks accepted by the passive cue. */
  apcerPassive: number;
  bonaFide: number;
  attacks: number;
}

/** The number in a file name (pad-dev: 2.png … 25.png); files without one go by their position. */
const fileNumber = (file: string, index: number) => Number(/(\d+)(?!.*\d)/.exec(path.basename(file))?.[1] ?? index);

export async function scoreConditions(service: FaceService, items: { file: string; label: PadLabel; data: Uint8Array }[], conditions = PAD_CONDITIONS): Promise<ConditionScore[]> {
  const out: ConditionScore[] = [];
  for (const [index, it] of items.entries()) {
    const img = await decodeImage(it.data);
    const half = fileNumber(it.file, index) % 2 === 0 ? 'calibration' : 'report';
    for (const c of conditions) {
      const x = await c.apply(img, index + 1);
      const rgba = new Uint8Array(4 * x.width * x.height);
      for (let i = 0, j = 0; j < rgba.length; i += 3, j += 4) {
        rgba[j] = x.data[i]!;
        rgba[j + 1] = x.data[i + 1]!;
        rgba[j + 2] = x.data[i + 2]!;
        rgba[j + 3] = 255;
      }
      const cap = await service.analyzeCapture({ rgba, width: x.width, height: x.height });
      out.push({ file: it.file, label: it.label, half, condition: c.id, score: cap.pad?.score ?? null, eyesVisible: cap.pad?.eyesVisible ?? false });
    }
  }
  return out;
}

/**
 * Passive accept threshold from the calibration half under the calibration conditions: passive APCER ≤ maxApcer on
 * the attacks whose face is visible (the others go to the challenge anyway), fewest live people challenged. The
 * default 0 (no calibration attack frame accepted) is the margin for cameras and attacks the set does not hold.
 */
export function chooseThresholdFromConditions(scores: ConditionScore[], conditions = PAD_CONDITIONS, maxApcer = 0): number {
  const cal = new Set(conditions.filter((c) => c.calibration).map((c) => c.id));
  const use = scores.filter((s) => s.half === 'calibration' && cal.has(s.condition) && s.score !== null);
  return chooseAcceptThreshold(
    use.filter((s) => s.label === 'bonafide').map((s) => s.score!),
    use.filter((s) => s.label === 'attack' && s.eyesVisible).map((s) => s.score!),
    maxApcer,
  );
}

/** Per condition, on the report half: share of live people challenged and of attacks accepted passively at `threshold`. */
export function conditionRows(scores: ConditionScore[], threshold: number, conditions = PAD_CONDITIONS): ConditionRow[] {
  return conditions.map((c) => {
    const rep = scores.filter((s) => s.half === 'report' && s.condition === c.id);
    const accepted = (s: ConditionScore) => s.score !== null && s.eyesVisible && s.score >= threshold;
    const bf = rep.filter((s) => s.label === 'bonafide');
    const at = rep.filter((s) => s.label === 'attack');
    return {
      condition: c.id,
      label: c.label,
      calibration: c.calibration,
      challengeRate: bf.length ? bf.filter((s) => !accepted(s)).length / bf.length : NaN,
      apcerPassive: at.length ? at.filter(accepted).length / at.length : NaN,
      bonaFide: bf.length,
      attacks: at.length,
    };
  });
}
