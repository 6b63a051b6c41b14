// ISO/IEC 19794-2:2005 finger minutiae record ("FMR\0", version " 20\0"): encode and decode.
// Angles are stored counter-clockwise from the x axis in units of 360/256°, with y pointing down the image;
// internally directions are clockwise-on-screen radians (image coordinates), so θ_iso = −θ (mod 2π).
import { FingerTemplateInvalidError } from './errors.js';
import type { TemplateMinutia } from './template.js';

export interface IsoFingerView {
  /** 0 unknown, 1 right thumb … 10 left little. */
  fingerPosition: number;
  viewNumber: number;
  /** 0 live-scan plain, 1 live-scan rolled, 2 non-live plain, 3 non-live rolled, 8 swipe. */
  impressionType: number;
  /** 0–100. */
  fingerQuality: number;
  minutiae: TemplateMinutia[];
  /** Extended data block bytes, kept verbatim. */
  extendedData: Uint8Array;
}

export interface IsoMinutiaRecord {
  captureEquipmentCompliance: number;
  captureEquipmentId: number;
  width: number;
  height: number;
  /** Pixels per centimetre (197 ≈ 500 ppi). */
  resolutionX: number;
  resolutionY: number;
  views: IsoFingerView[];
}

const HEADER = 24;
const VIEW_HEADER = 4;
const MINUTIA = 6;

function fail(message: string, details?: Record<string, unknown>): never {
  throw new FingerTemplateInvalidError(`ISO 19794-2 record: ${message}`, details);
}

export function decodeIso19794_2(data: Uint8Array): IsoMinutiaRecord {
  if (!(data instanceof Uint8Array) || data.length < HEADER) fail('too short', { length: data?.length });
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (data[0] !== 0x46 || data[1] !== 0x4d || data[2] !== 0x52 || data[3] !== 0) fail('bad format identifier');
  if (data[4] !== 0x20 || data[5] !== 0x32 || data[6] !== 0x30 || data[7] !== 0) fail('unsupported version (expected " 20")');
  const length = dv.getUint32(8);
  if (length < HEADER || length > data.length) fail('record length out of range', { length, available: data.length });
  const equip = dv.getUint16(12);
  const rec: IsoMinutiaRecord = {
    captureEquipmentCompliance: equip >>> 12,
    captureEquipmentId: equip & 0x0fff,
    width: dv.getUint16(14),
    height: dv.getUint16(16),
    resolutionX: dv.getUint16(18),
    resolutionY: dv.getUint16(20),
    views: [],
  };
  const nViews = data[22]!;
  let o = HEADER;
  for (let v = 0; v < nViews; v++) {
    if (o + VIEW_HEADER > length) fail('truncated finger view header', { view: v });
    const fingerPosition = data[o]!;
    const viewNumber = data[o + 1]! >>> 4;
    const impressionType = data[o + 1]! & 0x0f;
    const fingerQuality = data[o + 2]!;
    const count = data[o + 3]!;
    o += VIEW_HEADER;
    if (o + count * MINUTIA + 2 > length) fail('truncated minutiae', { view: v, count });
    const minutiae: TemplateMinutia[] = [];
    for (let i = 0; i < count; i++) {
      const a = dv.getUint16(o), b = dv.getUint16(o + 2);
      const t = a >>> 14;
      const angle = data[o + 4]!;
      minutiae.push({
        x: a & 0x3fff,
        y: b & 0x3fff,
        direction: ((2 * Math.PI - (angle * 2 * Math.PI) / 256) % (2 * Math.PI)),
        type: t === 1 ? 'ending' : t === 2 ? 'bifurcation' : 'other',
        quality: data[o + 5]!,
      });
      o += MINUTIA;
    }
    const ext = dv.getUint16(o);
    o += 2;
    if (o + ext > length) fail('truncated extended data', { view: v, ext });
    rec.views.push({ fingerPosition, viewNumber, impressionType, fingerQuality, minutiae, extendedData: data.slice(o, o + ext) });
    o += ext;
  }
  return rec;
}

export function encodeIso19794_2(rec: IsoMinutiaRecord): Uint8Array {
  let length = HEADER;
  for (const v of rec.views) {
    if (v.minutiae.length > 255) fail('more than 255 minutiae in a view', { count: v.minutiae.length });
    length += VIEW_HEADER + v.minutiae.length * MINUTIA + 2 + v.extendedData.length;
  }
  if (rec.views.length > 255) fail('too many views');
  const out = new Uint8Array(length);
  const dv = new DataView(out.buffer);
  out.set([0x46, 0x4d, 0x52, 0, 0x20, 0x32, 0x30, 0], 0);
  dv.setUint32(8, length);
  dv.setUint16(12, ((rec.captureEquipmentCompliance & 0xf) << 12) | (rec.captureEquipmentId & 0x0fff));
  dv.setUint16(14, rec.width);
  dv.setUint16(16, rec.height);
  dv.setUint16(18, rec.resolutionX);
  dv.setUint16(20, rec.resolutionY);
  out[22] = rec.views.length;
  let o = HEADER;
  for (const v of rec.views) {
    out[o] = v.fingerPosition;
    out[o + 1] = ((v.viewNumber & 0xf) << 4) | (v.impressionType & 0xf);
    out[o + 2] = Math.max(0, Math.min(100, Math.round(v.fingerQuality)));
    out[o + 3] = v.minutiae.length;
    o += VIEW_HEADER;
    for (const m of v.minutiae) {
      const x = Math.round(m.x), y = Math.round(m.y);
      if (x < 0 || y < 0 || x > 0x3fff || y > 0x3fff) fail('minutia position out of range', { x, y });
      const t = m.type === 'ending' ? 1 : m.type === 'bifurcation' ? 2 : 0;
      dv.setUint16(o, (t << 14) | x);
      dv.setUint16(o + 2, y);
      const iso = (((2 * Math.PI - m.direction) % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);
      out[o + 4] = Math.round((iso * 256) / (2 * Math.PI)) & 0xff;
      out[o + 5] = Math.max(0, Math.min(100, Math.round(m.quality)));
      o += MINUTIA;
    }
    dv.setUint16(o, v.extendedData.length);
    o += 2;
    out.set(v.extendedData, o);
    o += v.extendedData.length;
  }
  return out;
}

/** Resolution in pixels per centimetre for a ppi value. */
export const ppiToPpcm = (ppi: number) => Math.round(ppi / 2.54);
