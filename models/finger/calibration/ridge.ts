// Ridge regression on standardised features, Spearman rank correlation and grouped k-fold cross-validation:
// the small, transparent model that maps quality features to the NFIQ 2 scale.

export interface LinearModel {
  mean: number[];
  std: number[];
  weights: number[];
  intercept: number;
}

/** Solves A x = b (A symmetric positive definite, small) by Gaussian elimination with partial pivoting. */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    [M[c], M[p]] = [M[p]!, M[c]!];
    const piv = M[c]![c]! || 1e-12;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r]![c]! / piv;
      for (let k = c; k <= n; k++) M[r]![k]! -= f * M[c]![k]!;
    }
  }
  return M.map((row, i) => row[n]! / (row[i]! || 1e-12));
}

export function fitRidge(X: number[][], y: number[], lambda: number): LinearModel {
  const d = X[0]!.length, n = X.length;
  const mean = Array.from({ length: d }, (_, j) => X.reduce((s, r) => s + r[j]!, 0) / n);
  const std = Array.from({ length: d }, (_, j) => Math.sqrt(X.reduce((s, r) => s + (r[j]! - mean[j]!) ** 2, 0) / n) || 1);
  const Z = X.map((r) => r.map((v, j) => (v - mean[j]!) / std[j]!));
  const ym = y.reduce((a, b) => a + b, 0) / n;
  const A = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => Z.reduce((s, r) => s + r[i]! * r[j]!, 0) + (i === j ? lambda : 0)));
  const b = Array.from({ length: d }, (_, i) => Z.reduce((s, r, k) => s + r[i]! * (y[k]! - ym), 0));
  return { mean, std, weights: solve(A, b), intercept: ym };
}

export function predictLinear(m: LinearModel, x: readonly number[]): number {
  let s = m.intercept;
  for (let j = 0; j < m.weights.length; j++) s += m.weights[j]! * ((x[j]! - m.mean[j]!) / m.std[j]!);
  return s;
}

function ranks(v: number[]): number[] {
  const idx = v.map((_, i) => i).sort((a, b) => v[a]! - v[b]!);
  const r = new Array<number>(v.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && v[idx[j + 1]!] === v[idx[i]!]) j++;
    for (let k = i; k <= j; k++) r[idx[k]!] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

export function pearson(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n, mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return saa && sbb ? sab / Math.sqrt(saa * sbb) : 0;
}

export function spearman(a: number[], b: number[]): number {
  return pearson(ranks(a), ranks(b));
}

/** Fold index per sample so that all samples of one group (finger) share a fold; deterministic. */
export function groupFolds(groups: string[], k: number): number[] {
  const uniq = [...new Set(groups)].sort();
  // Deterministic shuffle (LCG) so that folds mix databases.
  let s = 12345;
  const order = uniq.map((g) => ({ g, r: (s = (s * 1103515245 + 12345) % 2147483648) })).sort((a, b) => a.r - b.r);
  const fold = new Map(order.map((o, i) => [o.g, i % k]));
  return groups.map((g) => fold.get(g)!);
}

/** Out-of-fold predictions with λ chosen by an inner grouped CV on each training split (nested CV). */
export function nestedCvPredictions(X: number[][], y: number[], groups: string[], k: number, lambdas: number[]): number[] {
  const folds = groupFolds(groups, k);
  const pred = new Array<number>(y.length).fill(0);
  for (let f = 0; f < k; f++) {
    const tr = y.map((_, i) => i).filter((i) => folds[i] !== f);
    const lambda = chooseLambda(tr.map((i) => X[i]!), tr.map((i) => y[i]!), tr.map((i) => groups[i]!), k, lambdas);
    const m = fitRidge(tr.map((i) => X[i]!), tr.map((i) => y[i]!), lambda);
    y.forEach((_, i) => { if (folds[i] === f) pred[i] = predictLinear(m, X[i]!); });
  }
  return pred;
}

export function chooseLambda(X: number[][], y: number[], groups: string[], k: number, lambdas: number[]): number {
  const folds = groupFolds(groups, k);
  let best = lambdas[0]!, bestRho = -Infinity;
  for (const lambda of lambdas) {
    const pred = new Array<number>(y.length).fill(0);
    for (let f = 0; f < k; f++) {
      const tr = y.map((_, i) => i).filter((i) => folds[i] !== f);
      if (tr.length < 3) continue;
      const m = fitRidge(tr.map((i) => X[i]!), tr.map((i) => y[i]!), lambda);
      y.forEach((_, i) => { if (folds[i] === f) pred[i] = predictLinear(m, X[i]!); });
    }
    const rho = spearman(pred, y);
    if (rho > bestRho) { bestRho = rho; best = lambda; }
  }
  return best;
}
