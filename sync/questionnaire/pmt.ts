// Proxy-means test (PMT) score: a linear predictor of household welfare from observable answers, as in the PMT
// formulas of social registries (Grosh & Baker 1995, "Proxy means tests for targeting social programs"):
//
//   score = intercept + Σ_numeric w · f(min(x, cap)) + Σ_choice w[chosen]
//
// f is identity or log1p; a select_multiple adds the weights of every chosen option; an unanswered or non-relevant
// term contributes its `missing` value (default 0). Computed on the evaluated values (so calculations, e.g. rooms per
// person or counts over the members repeat, can be weighted). The same pure function runs at the kiosk (for
// information) and at the registry (authoritative).
import type { Answers } from './answers.js';
import type { PmtConfig } from './definition.js';

export interface PmtResult {
  score: number;
  /** Present when the configuration has a threshold: score ≤ threshold. */
  eligible?: boolean;
  terms: { name: string; x: number | string[] | string | null; contribution: number }[];
}

export function pmtScore(config: PmtConfig, values: Answers): PmtResult {
  const terms: PmtResult['terms'] = [];
  let score = config.intercept;
  for (const t of config.terms) {
    const v = values[t.name];
    let contribution: number;
    let x: PmtResult['terms'][number]['x'] = null;
    if (t.kind === 'numeric') {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      if (!Number.isFinite(n)) contribution = t.missing ?? 0;
      else {
        x = n;
        const c = t.cap !== undefined ? Math.min(n, t.cap) : n;
        contribution = t.weight * (t.transform === 'log1p' ? Math.log1p(Math.max(0, c)) : c);
      }
    } else {
      const chosen = typeof v === 'string' && v !== '' ? [v] : Array.isArray(v) && v.every((c) => typeof c === 'string') ? (v as string[]) : [];
      if (chosen.length === 0) contribution = t.missing ?? 0;
      else {
        x = typeof v === 'string' ? v : chosen;
        contribution = chosen.reduce((s, c) => s + (t.weights[c] ?? 0), 0);
      }
    }
    score += contribution;
    terms.push({ name: t.name, x, contribution });
  }
  // Rounded to 1e-9 so that kiosk and registry print the same number whatever the summation order.
  score = Math.round(score * 1e9) / 1e9;
  return { score, ...(config.threshold !== undefined ? { eligible: score <= config.threshold } : {}), terms };
}
