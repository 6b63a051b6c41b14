// Detection error trade-off (DET) curves (Martin et al., "The DET curve in assessment of detection task
// performance", Eurospeech 1997): FNMR against FMR on normal-deviate axes, drawn as SVG and rendered to PNG with sharp.
import sharp from 'sharp';

/** Inverse of the standard normal CDF (Acklam's rational approximation, |relative error| < 1.2e-9). */
export function probit(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const q0 = Math.min(1 - 1e-12, Math.max(1e-12, p));
  if (q0 < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(q0));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (q0 > 1 - 0.02425) return -probit(1 - q0);
  const q = q0 - 0.5, r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/** (FMR, FNMR) operating points of a score set, one per distinct threshold (score ≥ t accepts). */
export function detPoints(genuine: readonly number[], impostor: readonly number[]): { fmr: number; fnmr: number }[] {
  const g = Float64Array.from(genuine).sort(), im = Float64Array.from(impostor).sort();
  const ts = Float64Array.from(new Set([...g, ...im])).sort();
  const out: { fmr: number; fnmr: number }[] = [];
  let gi = 0, ii = 0;
  for (const t of ts) {
    while (gi < g.length && g[gi]! < t) gi++;
    while (ii < im.length && im[ii]! < t) ii++;
    out.push({ fmr: (im.length - ii) / im.length, fnmr: gi / g.length });
  }
  return out;
}

export interface DetCurve {
  label: string;
  color: string;
  dashed?: boolean;
  genuine: readonly number[];
  impostor: readonly number[];
}

export interface DetMarker {
  label: string;
  color: string;
  fmr: number;
  fnmr: number;
}

const TICKS = [0.0001, 0.001, 0.01, 0.02, 0.05, 0.1, 0.2, 0.4];
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** The DET plot as an SVG document (FMR 0.01 %–40 % across, FNMR 0.1 %–40 % up). */
export function detSvg(title: string, curves: readonly DetCurve[], markers: readonly DetMarker[] = []): string {
  const W = 760, H = 600, L = 70, R = 250, T = 40, B = 60;
  const xLo = probit(0.0001), xHi = probit(0.4), yLo = probit(0.001), yHi = probit(0.4);
  const px = (p: number) => L + ((probit(p) - xLo) / (xHi - xLo)) * (W - L - R);
  const py = (p: number) => H - B - ((probit(p) - yLo) / (yHi - yLo)) * (H - T - B);
  const pct = (p: number) => `${+(100 * p).toPrecision(2)}%`;
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="DejaVu Sans, sans-serif" font-size="12">`, `<rect width="${W}" height="${H}" fill="#fff"/>`];
  parts.push(`<text x="${L}" y="24" font-size="15" font-weight="bold">${esc(title)}</text>`);
  for (const t of TICKS) {
    if (t >= 0.0001) parts.push(`<line x1="${px(t)}" y1="${T}" x2="${px(t)}" y2="${H - B}" stroke="#ddd"/><text x="${px(t)}" y="${H - B + 16}" text-anchor="middle">${pct(t)}</text>`);
    if (t >= 0.001) parts.push(`<line x1="${L}" y1="${py(t)}" x2="${W - R}" y2="${py(t)}" stroke="#ddd"/><text x="${L - 6}" y="${py(t) + 4}" text-anchor="end">${pct(t)}</text>`);
  }
  parts.push(`<rect x="${L}" y="${T}" width="${W - L - R}" height="${H - T - B}" fill="none" stroke="#333"/>`);
  parts.push(`<text x="${(L + W - R) / 2}" y="${H - 18}" text-anchor="middle">false match rate (FMR)</text>`);
  parts.push(`<text transform="translate(18 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle">false non-match rate (FNMR)</text>`);
  const clipX = (p: number) => Math.min(0.4, Math.max(0.0001, p)), clipY = (p: number) => Math.min(0.4, Math.max(0.001, p));
  curves.forEach((c, k) => {
    const pts = detPoints(c.genuine, c.impostor).filter((p) => p.fmr > 0 && p.fnmr > 0 && p.fmr <= 0.5 && p.fnmr <= 0.5);
    const d = pts.map((p, i) => `${i ? 'L' : 'M'}${px(clipX(p.fmr)).toFixed(1)},${py(clipY(p.fnmr)).toFixed(1)}`).join('');
    parts.push(`<path d="${d}" fill="none" stroke="${c.color}" stroke-width="2"${c.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    const ly = T + 10 + k * 20;
    parts.push(`<line x1="${W - R + 12}" y1="${ly}" x2="${W - R + 40}" y2="${ly}" stroke="${c.color}" stroke-width="2"${c.dashed ? ' stroke-dasharray="6 4"' : ''}/><text x="${W - R + 46}" y="${ly + 4}">${esc(c.label)}</text>`);
  });
  markers.forEach((m, k) => {
    const x = px(clipX(m.fmr)), y = py(clipY(m.fnmr));
    parts.push(`<circle cx="${x}" cy="${y}" r="5" fill="none" stroke="${m.color}" stroke-width="2"/>`);
    const ly = T + 10 + (curves.length + k) * 20;
    parts.push(`<circle cx="${W - R + 26}" cy="${ly}" r="5" fill="none" stroke="${m.color}" stroke-width="2"/><text x="${W - R + 46}" y="${ly + 4}">${esc(m.label)}</text>`);
  });
  // FMR = FNMR (where the EER is read).
  parts.push(`<line x1="${px(0.001)}" y1="${py(0.001)}" x2="${px(0.4)}" y2="${py(0.4)}" stroke="#bbb" stroke-dasharray="2 3"/>`);
  parts.push('</svg>');
  return parts.join('\n');
}

/** Renders the SVG to a PNG file. */
export async function writeDetPng(file: string, svg: string): Promise<void> {
  await sharp(Buffer.from(svg)).png().toFile(file);
}
