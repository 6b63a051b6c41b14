// Prefilter vector of a compact finger template without rebuilding its cylinders: reads the minutiae of the
// "KFT1" form, version 1 or 2 (models/finger/template.ts) and computes the matcher's pair histogram (models/finger/index-vector.ts).
import { INDEX_DIMS, pairHistogram } from '../finger/index-vector.js';
import { quantizeIndex } from '../finger/matcher.js';
import { DedupInputError } from './errors.js';

const MAGIC = 0x3154464b;

export function templateIndex(template: Uint8Array, out: Int8Array = new Int8Array(INDEX_DIMS)): Int8Array {
  if (template.length < 16) throw new DedupInputError('Finger template is truncated');
  const dv = new DataView(template.buffer, template.byteOffset, template.byteLength);
  if (dv.getUint32(0, true) !== MAGIC) throw new DedupInputError('Not a kiosk finger template (KFT1)');
  const version = dv.getUint16(4, true), count = dv.getUint16(10, true);
  if (version !== 1 && version !== 2) throw new DedupInputError('Unsupported finger template version');
  // Version 2 appends the orientation grid (header bytes 12 and 13: cells across and down) after the minutiae.
  const grid = version === 2 ? template[12]! * template[13]! : 0;
  if (template.length !== 16 + count * 8 + grid) throw new DedupInputError('Finger template length does not match its minutia count');
  const x = new Float32Array(count), y = new Float32Array(count), theta = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const o = 16 + i * 8;
    x[i] = dv.getUint16(o, true) / 4;
    y[i] = dv.getUint16(o + 2, true) / 4;
    theta[i] = (dv.getUint16(o + 4, true) / 65536) * 2 * Math.PI;
  }
  return quantizeIndex(pairHistogram(x, y, theta), out as Int8Array<ArrayBuffer>);
}
