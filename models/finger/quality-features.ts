// NFIQ 2-style quality features (Tabassi et al., "NFIQ 2.0", NIST IR 8382; ISO/IEC 29794-4): orientation certainty
// level (Lim, Yuen & Yan 2002), local clarity score and ridge–valley uniformity (Chen, Dass & Jain 2005), frequency
// domain analysis (Lim et al. 2002), orientation flow, minutiae count and quality, foreground area, grey statistics.
import { angleDiff } from './fields.js';
import type { FingerAnalysis } from './extract.js';

export const QUALITY_FEATURES = [
  'oclMean', 'oclLow', 'lcsMean', 'lcsLow', 'fdaMean', 'fdaLow', 'rvuMean', 'rvuStd', 'ofMean', 'cohMean',
  'minutiae', 'minutiaeCentre', 'minutiaeGood', 'foregroundArea', 'foregroundShare', 'greyMean', 'blockMeanMean', 'contrast', 'periodValid', 'ridgeShare',
] as const;

/** A 16-px lattice block counts as ridge area when its spectrum is dominated by one ridge frequency. */
export const RIDGE_FDA = 0.3;

export type QualityFeatureName = (typeof QUALITY_FEATURES)[number];
export type QualityFeatures = Record<QualityFeatureName, number> & {
  /** Pixels (500 ppi) of foreground with a clear periodic ridge pattern. */
  ridgeAreaPx: number;
};

const SIG_L = 32;
const SIG_W = 16;

interface BlockMeasures { lcs: number; fda: number; rvu: number; periodOk: boolean }

/** Samples an oriented SIG_L × SIG_W window and derives LCS, FDA and RVU for one block. */
export function blockClarity(pixels: Uint8Array, W: number, H: number, cx: number, cy: number, theta: number): BlockMeasures | undefined {
  const tx = Math.cos(theta), ty = Math.sin(theta);
  const nx = -ty, ny = tx;
  const samples = new Float32Array(SIG_L * SIG_W);
  const sig = new Float32Array(SIG_L);
  for (let k = 0; k < SIG_L; k++) {
    const u = k - (SIG_L - 1) / 2;
    let s = 0;
    for (let d = 0; d < SIG_W; d++) {
      const v = d - (SIG_W - 1) / 2;
      const x = Math.round(cx + u * nx + v * tx), y = Math.round(cy + u * ny + v * ty);
      if (x < 0 || y < 0 || x >= W || y >= H) return undefined;
      const p = pixels[y * W + x]!;
      samples[k * SIG_W + d] = p;
      s += p;
    }
    sig[k] = s / SIG_W;
  }
  let mean = 0;
  for (let k = 0; k < SIG_L; k++) mean += sig[k]!;
  mean /= SIG_L;
  // LCS: share of pixels on the wrong side of the threshold within ridge and valley columns.
  let ridgeN = 0, ridgeBad = 0, valleyN = 0, valleyBad = 0;
  for (let k = 0; k < SIG_L; k++) {
    const ridge = sig[k]! < mean;
    for (let d = 0; d < SIG_W; d++) {
      const p = samples[k * SIG_W + d]!;
      if (ridge) { ridgeN++; if (p >= mean) ridgeBad++; } else { valleyN++; if (p < mean) valleyBad++; }
    }
  }
  const lcs = ridgeN && valleyN ? 1 - (ridgeBad / ridgeN + valleyBad / valleyN) / 2 : 0;
  // FDA: energy at the dominant ridge frequency relative to the whole spectrum (DC excluded).
  const amp = new Float32Array(SIG_L / 2);
  let total = 0;
  for (let f = 1; f < SIG_L / 2; f++) {
    let re = 0, im = 0;
    for (let k = 0; k < SIG_L; k++) {
      const a = (2 * Math.PI * f * k) / SIG_L;
      re += (sig[k]! - mean) * Math.cos(a);
      im -= (sig[k]! - mean) * Math.sin(a);
    }
    amp[f] = Math.hypot(re, im);
    total += amp[f]!;
  }
  let fmax = 2;
  for (let f = 2; f <= 9; f++) if (amp[f]! > amp[fmax]!) fmax = f;
  const fda = total > 0 ? (amp[fmax]! + 0.3 * (amp[fmax - 1]! + amp[fmax + 1]!)) / total : 0;
  // RVU: ratios of ridge to valley run lengths across the signature (first and last runs are cut, so skipped).
  const runs: { ridge: boolean; len: number }[] = [];
  for (let k = 0; k < SIG_L; k++) {
    const ridge = sig[k]! < mean;
    const last = runs[runs.length - 1];
    if (last && last.ridge === ridge) last.len++;
    else runs.push({ ridge, len: 1 });
  }
  const inner = runs.slice(1, -1);
  const ratios: number[] = [];
  for (let i = 0; i + 1 < inner.length; i++) {
    const a = inner[i]!, b = inner[i + 1]!;
    ratios.push(a.ridge ? a.len / b.len : b.len / a.len);
  }
  let rvu = 0;
  if (ratios.length >= 2) {
    const m = ratios.reduce((s, r) => s + r, 0) / ratios.length;
    rvu = Math.sqrt(ratios.reduce((s, r) => s + (r - m) * (r - m), 0) / ratios.length);
  }
  const periodOk = inner.length >= 3;
  return { lcs, fda, rvu, periodOk };
}

function meanOf(v: number[]): number {
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : 0;
}
function stdOf(v: number[]): number {
  if (v.length < 2) return 0;
  const m = meanOf(v);
  return Math.sqrt(v.reduce((s, x) => s + (x - m) * (x - m), 0) / v.length);
}
function lowQuantile(v: number[], q = 0.2): number {
  if (!v.length) return 0;
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(q * (s.length - 1))]!;
}

export function qualityFeatures(a: FingerAnalysis): QualityFeatures {
  const { image, field, foreground: fg } = a;
  const { width: W, height: H, pixels } = image;
  const B = field.blockSize;
  const ocl: number[] = [], coh: number[] = [], lcs: number[] = [], fda: number[] = [], rvu: number[] = [], of: number[] = [], bmeans: number[] = [], stds: number[] = [];
  let periodValid = 0, sampled = 0, fgBlocks = 0, ridgeBlocks = 0;
  for (let by = 0; by < field.bh; by++) {
    for (let bx = 0; bx < field.bw; bx++) {
      const i = by * field.bw + bx;
      if (!fg.mask[i]) continue;
      fgBlocks++;
      ocl.push(field.ocl[i]!);
      coh.push(field.coherence[i]!);
      bmeans.push(fg.mean[i]!);
      stds.push(fg.std[i]!);
      let dsum = 0, dn = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
        if (!dx && !dy) continue;
        const x = bx + dx, y = by + dy;
        if (x < 0 || y < 0 || x >= field.bw || y >= field.bh || !fg.mask[y * field.bw + x]) continue;
        dsum += Math.abs(angleDiff(field.theta[i]!, field.theta[y * field.bw + x]!, Math.PI));
        dn++;
      }
      if (dn) of.push(dsum / dn);
      // Clarity measures on a 16-px lattice (every other block).
      if ((bx & 1) || (by & 1)) continue;
      const m = blockClarity(pixels, W, H, bx * B + B / 2, by * B + B / 2, field.theta[i]!);
      if (!m) continue;
      sampled++;
      lcs.push(m.lcs);
      fda.push(m.fda);
      rvu.push(m.rvu);
      if (m.periodOk) periodValid++;
      if (m.periodOk && m.fda >= RIDGE_FDA) ridgeBlocks++;
    }
  }
  let greySum = 0;
  for (let i = 0; i < pixels.length; i++) greySum += pixels[i]!;
  const ms = a.minutiae;
  let cx = 0, cy = 0;
  for (const m of ms) { cx += m.x; cy += m.y; }
  cx /= Math.max(1, ms.length);
  cy /= Math.max(1, ms.length);
  const centre = ms.filter((m) => Math.abs(m.x - cx) <= 100 && Math.abs(m.y - cy) <= 100).length;
  return {
    oclMean: meanOf(ocl),
    oclLow: lowQuantile(ocl),
    lcsMean: meanOf(lcs),
    lcsLow: lowQuantile(lcs),
    fdaMean: meanOf(fda),
    fdaLow: lowQuantile(fda),
    rvuMean: meanOf(rvu),
    rvuStd: stdOf(rvu),
    ofMean: meanOf(of),
    cohMean: meanOf(coh),
    minutiae: Math.sqrt(ms.length),
    minutiaeCentre: Math.sqrt(centre),
    minutiaeGood: ms.length ? ms.filter((m) => m.quality >= 60).length / ms.length : 0,
    foregroundArea: Math.sqrt(fgBlocks * B * B),
    foregroundShare: a.foregroundShare,
    greyMean: greySum / Math.max(1, pixels.length),
    blockMeanMean: meanOf(bmeans),
    contrast: meanOf(stds),
    periodValid: sampled ? periodValid / sampled : 0,
    ridgeShare: sampled ? ridgeBlocks / sampled : 0,
    ridgeAreaPx: ridgeBlocks * 4 * B * B,
  };
}
