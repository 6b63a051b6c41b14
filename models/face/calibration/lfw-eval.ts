// Verification and sharpness on a folder of labelled press photos (LFW layout: <Identity>_<NNNN>.jpg): every photo
// goes through the kiosk's own capture path; all pairs are scored (genuine = same identity), and each photo is also
// analysed blurred (Gaussian σ = 2 px, applied here) so the sharpness check is seen to flag what a person would reject.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { KioskError } from '../../../main/contract/errors.js';
import type { FaceService } from '../service.js';

export interface LfwPhoto {
  file: string;
  identity: string;
  embedding: number[] | null;
  sharpness: number | null;
  sharpnessPass: boolean;
  blurredSharpness: number | null;
  blurredPass: boolean | null;
}

export const identityOfLfw = (file: string) => path.basename(file).replace(/_\d+\.[a-z]+$/i, '');

export async function lfwFiles(dir: string, every = 1): Promise<string[]> {
  const names = await readdir(dir).catch((cause: unknown) => {
    throw new KioskError('NOT_FOUND', `Cannot read folder ${dir}`, { cause, details: { dir } });
  });
  const files = names.filter((f) => /_\d+\.(jpe?g|png)$/i.test(f)).sort();
  // Subsample by identity (every n-th identity with all its photos), so genuine pairs survive.
  const ids = [...new Set(files.map(identityOfLfw))];
  const keep = new Set(ids.filter((_, i) => i % every === 0));
  return files.filter((f) => keep.has(identityOfLfw(f))).map((f) => path.join(dir, f));
}

export async function measureLfw(service: FaceService, files: string[], blurEvery = 1, onProgress?: (done: number) => void): Promise<LfwPhoto[]> {
  const out: LfwPhoto[] = [];
  for (const [i, file] of files.entries()) {
    const data = await readFile(file);
    const c = await service.analyzeCapture({ data });
    const s = c.report.measures.sharpness;
    let blurredSharpness: number | null = null;
    let blurredPass: boolean | null = null;
    if (i % blurEvery === 0) {
      const b = await service.analyzeFrame({ data: await sharp(data).blur(2).jpeg({ quality: 95 }).toBuffer() });
      blurredSharpness = b.measures.sharpness.raw;
      blurredPass = b.measures.sharpness.pass;
    }
    out.push({ file, identity: identityOfLfw(file), embedding: c.embedding, sharpness: s.raw, sharpnessPass: s.pass, blurredSharpness, blurredPass });
    onProgress?.(i + 1);
  }
  return out;
}

/** Cosine scores of all pairs of photos with an embedding, split by identity. */
export function allPairScores(photos: LfwPhoto[]): { genuine: number[]; impostor: number[] } {
  const ok = photos.filter((p) => p.embedding);
  const genuine: number[] = [];
  const impostor: number[] = [];
  for (let i = 0; i < ok.length; i++) {
    const a = ok[i]!.embedding!;
    for (let j = i + 1; j < ok.length; j++) {
      const b = ok[j]!.embedding!;
      let d = 0;
      for (let k = 0; k < a.length; k++) d += a[k]! * b[k]!;
      (ok[i]!.identity === ok[j]!.identity ? genuine : impostor).push(d);
    }
  }
  return { genuine, impostor };
}

/** Smallest threshold whose FMR (share of impostor scores ≥ it) is ≤ fmr. */
export function thresholdAtFmr(impostor: number[], fmr: number): number {
  const s = [...impostor].sort((a, b) => b - a);
  const k = Math.floor(fmr * s.length);
  return k < s.length ? s[k]! + 1e-6 : -1;
}

export function ratesAt(scores: { genuine: number[]; impostor: number[] }, threshold: number): { fmr: number; tar: number } {
  return {
    fmr: scores.impostor.filter((x) => x >= threshold).length / Math.max(1, scores.impostor.length),
    tar: scores.genuine.filter((x) => x >= threshold).length / Math.max(1, scores.genuine.length),
  };
}
