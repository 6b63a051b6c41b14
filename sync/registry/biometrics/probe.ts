// What the registry's matchers read from an opened packet: the face embedding (512 float32 LE, L2-normalised here)
// and each finger image (WSQ in manifest v2, raw grey8 in v1), plus the template extraction the registry runs itself
// on the decoded image (models/formats WSQ decoder → models/finger extractor → compact "KFT1" template). The
// kiosk's own templates are used only after some of them were checked against their images (kiosk-templates.ts).
import { wsq } from '../../../models/formats/index.js';
import { extractTemplate, serializeTemplate } from '../../../models/finger/index.js';
import type { OpenedPacket } from '../../packet/index.js';

export const FACE_DIMS = 512;

export interface FingerImageInput {
  position: number;
  kind: 'wsq' | 'raw';
  bytes: Uint8Array;
  /** raw only: from the manifest's record.fingers. */
  width?: number;
  height?: number;
  ppi?: number;
}

/** The packet's face embedding, L2-normalised; null when absent or not 512 finite floats. */
export function faceEmbeddingOf(p: OpenedPacket): Float32Array | null {
  const b = p.parts.get('face.embedding');
  if (!b || b.length !== FACE_DIMS * 4) return null;
  const v = new Float32Array(FACE_DIMS);
  for (let i = 0; i < FACE_DIMS; i++) v[i] = b.readFloatLE(i * 4);
  let s = 0;
  for (let i = 0; i < FACE_DIMS; i++) {
    const x = v[i]!;
    if (!Number.isFinite(x)) return null;
    s += x * x;
  }
  if (!(s > 1e-12)) return null;
  const n = Math.sqrt(s);
  for (let i = 0; i < FACE_DIMS; i++) v[i]! /= n;
  return v;
}

interface FingerMeta {
  position?: unknown;
  width?: unknown;
  height?: unknown;
  ppi?: unknown;
}

/** Finger images of a packet by ISO position (WSQ preferred when both are present). */
export function fingerImagesOf(p: OpenedPacket): FingerImageInput[] {
  const meta = new Map<number, FingerMeta>();
  const fingers = (p.manifest.record as { fingers?: unknown }).fingers;
  if (Array.isArray(fingers)) for (const f of fingers as FingerMeta[]) if (typeof f?.position === 'number') meta.set(f.position, f);
  const out: FingerImageInput[] = [];
  for (let pos = 1; pos <= 10; pos++) {
    const w = p.parts.get(`finger.${pos}.wsq`);
    if (w) {
      out.push({ position: pos, kind: 'wsq', bytes: w });
      continue;
    }
    const raw = p.parts.get(`finger.${pos}.raw`);
    const m = meta.get(pos);
    if (raw && m && typeof m.width === 'number' && typeof m.height === 'number' && m.width * m.height === raw.length) {
      out.push({ position: pos, kind: 'raw', bytes: raw, width: m.width, height: m.height, ppi: typeof m.ppi === 'number' ? m.ppi : 500 });
    }
  }
  return out;
}

/** Decodes (WSQ) and extracts a compact KFT1 template. Throws the codec's or extractor's typed error. */
export function extractFingerTemplate(input: FingerImageInput): Uint8Array {
  const img =
    input.kind === 'wsq'
      ? (() => {
          const d = wsq.decodeWsq(input.bytes);
          return { width: d.width, height: d.height, pixels: d.pixels, ppi: d.ppi ?? 500 };
        })()
      : { width: input.width!, height: input.height!, pixels: input.bytes, ppi: input.ppi ?? 500 };
  return serializeTemplate(extractTemplate(img));
}
