// Verification metrics after the FVC protocol (Maio et al., "FVC2000: fingerprint verification competition", 2002):
// EER, FMR100 / FMR1000 / FMR10000 (the lowest FNMR at FMR ≤ 1 %, 0.1 %, 0.01 %), and the error-versus-reject curve of
// ISO/IEC 29794-1 (FNMR after rejecting the lowest-quality fraction of comparisons).

export interface VerificationMetrics {
  genuine: number;
  impostor: number;
  eer: number;
  fmr100: number;
  fmr1000: number;
  fmr10000: number;
  /** FNMR at a given decision threshold and the FMR measured there. */
  atThreshold?: { threshold: number; fnmr: number; fmr: number };
}

/** Lowest FNMR over thresholds at which FMR ≤ target (score ≥ threshold accepts). */
function fnmrAtFmr(gen: Float64Array, imp: Float64Array, target: number): number {
  // Smallest threshold t with #imp ≥ t ≤ target·|imp|: t just above the k-th largest impostor score.
  const allowed = Math.floor(target * imp.length);
  const t = allowed >= imp.length ? -Infinity : imp[imp.length - 1 - allowed]!;
  let rejected = 0;
  for (let i = 0; i < gen.length; i++) if (!(gen[i]! > t)) rejected++;
  return gen.length ? rejected / gen.length : 0;
}

export function verificationMetrics(genuine: number[], impostor: number[], threshold?: number): VerificationMetrics {
  const gen = Float64Array.from(genuine).sort();
  const imp = Float64Array.from(impostor).sort();
  // EER: sweep thresholds over all scores.
  let eer = 1, bestGap = Infinity;
  let gi = 0, ii = 0;
  const cands = Float64Array.from([...gen, ...imp]).sort();
  for (const t of cands) {
    while (gi < gen.length && gen[gi]! < t) gi++;
    while (ii < imp.length && imp[ii]! < t) ii++;
    const fnmr = gen.length ? gi / gen.length : 0;
    const fmr = imp.length ? (imp.length - ii) / imp.length : 0;
    if (Math.abs(fnmr - fmr) < bestGap) {
      bestGap = Math.abs(fnmr - fmr);
      eer = (fnmr + fmr) / 2;
    }
  }
  const m: VerificationMetrics = {
    genuine: gen.length,
    impostor: imp.length,
    eer,
    fmr100: fnmrAtFmr(gen, imp, 0.01),
    fmr1000: fnmrAtFmr(gen, imp, 0.001),
    fmr10000: fnmrAtFmr(gen, imp, 0.0001),
  };
  if (threshold !== undefined) {
    m.atThreshold = {
      threshold,
      fnmr: gen.length ? gen.filter((s) => s < threshold).length / gen.length : 0,
      fmr: imp.length ? imp.filter((s) => s >= threshold).length / imp.length : 0,
    };
  }
  return m;
}

export interface ScoredPair {
  score: number;
  /** Quality of the pair: the lower of the two samples' quality scores. */
  quality: number;
}

/** FNMR at `threshold` after rejecting each fraction of the lowest-quality genuine comparisons. */
export function errorVersusReject(genuine: ScoredPair[], threshold: number, fractions = [0, 0.05, 0.1, 0.2, 0.3]): { rejected: number; fnmr: number }[] {
  const sorted = [...genuine].sort((a, b) => a.quality - b.quality);
  return fractions.map((f) => {
    const kept = sorted.slice(Math.floor(f * sorted.length));
    return { rejected: f, fnmr: kept.length ? kept.filter((p) => p.score < threshold).length / kept.length : 0 };
  });
}
