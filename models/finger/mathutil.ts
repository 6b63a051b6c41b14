// Small numeric helpers shared by the matcher: fast popcount, atan2 and sigmoid look-ups.

const POP16 = new Uint8Array(65536);
for (let i = 1; i < 65536; i++) POP16[i] = (i & 1) + POP16[i >> 1]!;

export function popcount32(v: number): number {
  return POP16[v & 0xffff]! + POP16[v >>> 16]!;
}

/** atan2 with max error ≈ 0.0015 rad (polynomial approximation of atan on [0, 1]). */
export function fastAtan2(y: number, x: number): number {
  const ax = Math.abs(x), ay = Math.abs(y);
  if (ax === 0 && ay === 0) return 0;
  const a = Math.min(ax, ay) / Math.max(ax, ay);
  const s = a * a;
  let r = ((-0.0464964749 * s + 0.15931422) * s - 0.327622764) * s * a + a;
  if (ay > ax) r = Math.PI / 2 - r;
  if (x < 0) r = Math.PI - r;
  return y < 0 ? -r : r;
}

/** Logistic Z(v; μ, τ) = 1 / (1 + e^(−τ(v − μ))), as used by MCC. */
export function logistic(v: number, mu: number, tau: number): number {
  return 1 / (1 + Math.exp(-tau * (v - mu)));
}

/** Tabulated logistic over [0, max] (clamped), for inner loops. */
export function logisticTable(mu: number, tau: number, max: number, steps: number): (v: number) => number {
  const t = new Float32Array(steps + 1);
  for (let i = 0; i <= steps; i++) t[i] = logistic((i * max) / steps, mu, tau);
  const scale = steps / max;
  return (v: number) => t[Math.min(steps, Math.round(v * scale))]!;
}

/** Error function (Abramowitz & Stegun 7.1.26, |error| < 1.5e−7). */
export function erf(x: number): number {
  const s = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}
