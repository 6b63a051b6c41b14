// Error-versus-reject curve (ISO/IEC 29794-1; Grother & Tabassi 2007) as SVG: FNMR at a fixed threshold against the
// share of lowest-quality comparisons rejected, rendered to PNG with writeDetPng (det-plot.ts).
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export interface EvrCurve {
  label: string;
  color: string;
  /** (rejected share 0–1, FNMR 0–1) points, rejected increasing. */
  points: { rejected: number; fnmr: number }[];
}

export function evrSvg(title: string, curves: readonly EvrCurve[], maxRejected = 0.4): string {
  const W = 760, H = 460, L = 70, R = 230, T = 40, B = 60;
  const maxF = Math.max(0.01, ...curves.flatMap((c) => c.points.map((p) => p.fnmr))) * 1.1;
  const px = (r: number) => L + (r / maxRejected) * (W - L - R);
  const py = (f: number) => H - B - (f / maxF) * (H - T - B);
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="DejaVu Sans, sans-serif" font-size="12">`, `<rect width="${W}" height="${H}" fill="#fff"/>`];
  parts.push(`<text x="${L}" y="24" font-size="15" font-weight="bold">${esc(title)}</text>`);
  for (let r = 0; r <= maxRejected + 1e-9; r += 0.05) parts.push(`<line x1="${px(r)}" y1="${T}" x2="${px(r)}" y2="${H - B}" stroke="#ddd"/><text x="${px(r)}" y="${H - B + 16}" text-anchor="middle">${Math.round(100 * r)}%</text>`);
  const step = maxF > 0.1 ? 0.02 : maxF > 0.04 ? 0.01 : 0.005;
  for (let f = 0; f <= maxF; f += step) parts.push(`<line x1="${L}" y1="${py(f)}" x2="${W - R}" y2="${py(f)}" stroke="#ddd"/><text x="${L - 6}" y="${py(f) + 4}" text-anchor="end">${(100 * f).toFixed(1)}%</text>`);
  parts.push(`<rect x="${L}" y="${T}" width="${W - L - R}" height="${H - T - B}" fill="none" stroke="#333"/>`);
  parts.push(`<text x="${(L + W - R) / 2}" y="${H - 18}" text-anchor="middle">lowest-quality comparisons rejected</text>`);
  parts.push(`<text transform="translate(18 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle">FNMR at the threshold</text>`);
  curves.forEach((c, k) => {
    const d = c.points.filter((p) => p.rejected <= maxRejected).map((p, i) => `${i ? 'L' : 'M'}${px(p.rejected).toFixed(1)},${py(p.fnmr).toFixed(1)}`).join('');
    parts.push(`<path d="${d}" fill="none" stroke="${c.color}" stroke-width="2"/>`);
    const ly = T + 10 + k * 20;
    parts.push(`<line x1="${W - R + 12}" y1="${ly}" x2="${W - R + 40}" y2="${ly}" stroke="${c.color}" stroke-width="2"/><text x="${W - R + 46}" y="${ly + 4}">${esc(c.label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
