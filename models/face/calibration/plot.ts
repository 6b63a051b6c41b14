// Small chart writer for calibration reports: histograms and DET curves drawn as SVG and rendered to PNG by sharp
// (librsvg), so the figures in docs/ come from the harness that measured them.
import sharp from 'sharp';

export interface Series {
  label: string;
  colour: string;
  values: number[];
}

const W = 720;
const H = 420;
const M = { l: 64, r: 20, t: 40, b: 56 };
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function frame(title: string, xLabel: string, yLabel: string, body: string, xTicks: { v: number; label: string }[], yTicks: { v: number; label: string }[], sx: (v: number) => number, sy: (v: number) => number): string {
  const grid = [
    ...xTicks.map((t) => `<line x1="${sx(t.v)}" y1="${M.t}" x2="${sx(t.v)}" y2="${H - M.b}" stroke="#ddd"/><text x="${sx(t.v)}" y="${H - M.b + 18}" text-anchor="middle">${esc(t.label)}</text>`),
    ...yTicks.map((t) => `<line x1="${M.l}" y1="${sy(t.v)}" x2="${W - M.r}" y2="${sy(t.v)}" stroke="#ddd"/><text x="${M.l - 6}" y="${sy(t.v) + 4}" text-anchor="end">${esc(t.label)}</text>`),
  ].join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="DejaVu Sans, sans-serif" font-size="12">
<rect width="100%" height="100%" fill="#fff"/>${grid}
<rect x="${M.l}" y="${M.t}" width="${W - M.l - M.r}" height="${H - M.t - M.b}" fill="none" stroke="#333"/>
${body}
<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>
<text x="${W / 2}" y="${H - 14}" text-anchor="middle">${esc(xLabel)}</text>
<text transform="translate(16 ${H / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>
</svg>`;
}

function legend(series: { label: string; colour: string }[]): string {
  return series.map((s, i) => `<rect x="${W - M.r - 290}" y="${M.t + 24 + i * 18}" width="12" height="12" fill="${s.colour}" fill-opacity="0.6"/><text x="${W - M.r - 272}" y="${M.t + 34 + i * 18}">${esc(s.label)}</text>`).join('');
}

/** Overlaid histograms (share of each series per bin) with optional vertical marker lines (thresholds). */
export function histogramSvg(title: string, xLabel: string, series: Series[], opts: { min: number; max: number; bins?: number; markers?: { x: number; label: string }[] }): string {
  const bins = opts.bins ?? 40;
  const w = (opts.max - opts.min) / bins;
  const shares = series.map((s) => {
    const h = new Array<number>(bins).fill(0);
    for (const v of s.values) h[Math.max(0, Math.min(bins - 1, Math.floor((v - opts.min) / w)))]!++;
    return h.map((c) => c / Math.max(1, s.values.length));
  });
  const top = Math.max(0.05, ...shares.flat()) * 1.1;
  const sx = (v: number) => M.l + ((v - opts.min) / (opts.max - opts.min)) * (W - M.l - M.r);
  const sy = (v: number) => H - M.b - (v / top) * (H - M.t - M.b);
  let body = '';
  shares.forEach((h, k) => {
    h.forEach((c, i) => {
      if (c > 0) body += `<rect x="${sx(opts.min + i * w)}" y="${sy(c)}" width="${Math.max(1, sx(opts.min + (i + 1) * w) - sx(opts.min + i * w) - 1)}" height="${sy(0) - sy(c)}" fill="${series[k]!.colour}" fill-opacity="0.55"/>`;
    });
  });
  for (const m of opts.markers ?? []) {
    // Labels near the right edge go to the left of their line.
    const right = (m.x - opts.min) / (opts.max - opts.min) > 0.75;
    body += `<line x1="${sx(m.x)}" y1="${M.t}" x2="${sx(m.x)}" y2="${H - M.b}" stroke="#000" stroke-dasharray="5 3"/><text x="${sx(m.x) + (right ? -4 : 4)}" y="${M.t + 14}" text-anchor="${right ? 'end' : 'start'}">${esc(m.label)}</text>`;
  }
  body += legend(series.map((s) => ({ label: `${s.label} (n = ${s.values.length})`, colour: s.colour })));
  const xt = Array.from({ length: 6 }, (_, i) => opts.min + ((opts.max - opts.min) * i) / 5).map((v) => ({ v, label: v.toFixed(2) }));
  const yt = Array.from({ length: 5 }, (_, i) => (top * i) / 4).map((v) => ({ v, label: `${(100 * v).toFixed(0)} %` }));
  return frame(title, xLabel, 'share of the set', body, xt, yt, sx, sy);
}

/** DET curve: FNMR against FMR (or BPCER against APCER for PAD), both on log axes (ISO/IEC 19795-1), with the operating points marked. */
export function detSvg(title: string, genuine: number[], impostor: number[], points: { threshold: number; label: string }[], axes = { x: 'FMR (impostor pairs accepted)', y: 'FNMR (genuine pairs rejected)' }): string {
  const lo = 1e-4;
  const lx = (v: number) => Math.log10(Math.max(lo, v));
  const sx = (v: number) => M.l + ((lx(v) - lx(lo)) / (0 - lx(lo))) * (W - M.l - M.r);
  const sy = (v: number) => M.t + ((0 - lx(v)) / (0 - lx(lo))) * (H - M.t - M.b);
  const g = [...genuine].sort((a, b) => a - b);
  const im = [...impostor].sort((a, b) => a - b);
  const thresholds = [...new Set([...g, ...im])].sort((a, b) => a - b);
  const rate = (sorted: number[], t: number, above: boolean) => {
    let lo2 = 0;
    let hi = sorted.length;
    while (lo2 < hi) {
      const mid = (lo2 + hi) >> 1;
      if (sorted[mid]! < t) lo2 = mid + 1;
      else hi = mid;
    }
    return (above ? sorted.length - lo2 : lo2) / sorted.length;
  };
  const pts: string[] = [];
  for (let i = 0; i < thresholds.length; i += Math.max(1, Math.floor(thresholds.length / 2000))) {
    const t = thresholds[i]!;
    pts.push(`${sx(rate(im, t, true)).toFixed(1)},${sy(rate(g, t, false)).toFixed(1)}`);
  }
  let body = `<polyline points="${pts.join(' ')}" fill="none" stroke="#1565c0" stroke-width="2"/>`;
  for (const p of points) {
    const x = sx(rate(im, p.threshold, true));
    const y = sy(rate(g, p.threshold, false));
    body += `<circle cx="${x}" cy="${y}" r="5" fill="#c62828"/><text x="${x + 8}" y="${y - 6}">${esc(p.label)}</text>`;
  }
  const ticks = [1e-4, 1e-3, 1e-2, 1e-1, 1].map((v) => ({ v, label: v >= 0.01 ? `${v * 100} %` : `${(v * 100).toFixed(v < 1e-3 ? 2 : 1)} %` }));
  return frame(title, axes.x, axes.y, body, ticks, ticks, sx, sy);
}

export async function writePng(svg: string, file: string): Promise<void> {
  await sharp(Buffer.from(svg)).png().toFile(file);
}
