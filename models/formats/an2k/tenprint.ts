// Tenprint enrollment transaction builder for ANSI/NIST-ITL 1-2011 (traditional encoding): Type-1 (§8.1), Type-2
// (§8.2, user-defined demographics), Type-14 variable-resolution fingerprint images (§8.14, WSQ20 at 500 ppi, one
// record per finger or per slap: 13 right four, 14 left four, 15 both thumbs) and Type-10 face image (§8.10, JPEGB,
// IMT "FACE", POS "F"). `readTenprint` recovers the same input from a parsed transaction.
import { An2kError } from '../errors.js';
import { encodeWsq, inspectWsq } from '../wsq/index.js';
import { items, joinItems, text, binary, type An2kField, type An2kTransaction, type TaggedRecord } from './model.js';
import { contentField } from './writer.js';

export type FingerImpression = 'plain' | 'rolled';

export interface TenprintFinger {
  /** Friction ridge position: 1–10 single fingers, 13/14/15 slaps. */
  position: number;
  impression: FingerImpression;
  /** WSQ-compressed image (500 ppi, 8-bit); or give `pixels` and the builder compresses it. */
  wsq?: Uint8Array;
  pixels?: Uint8Array;
  width?: number;
  height?: number;
  /** NFIQ-style 0–100 quality, written to FQM (14.024). */
  quality?: number;
}

export interface TenprintFace {
  jpeg: Uint8Array;
  width: number;
  height: number;
}

export interface TenprintInput {
  /** Type of transaction (1.004), e.g. "CAR" criminal tenprint, "NFUF" civil. */
  tot: string;
  /** Destination (1.007) and originating (1.008) agency identifiers, transaction control number (1.009). */
  dai: string;
  ori: string;
  tcn: string;
  /** YYYYMMDD (1.005, also used for capture dates). */
  date: string;
  /** 1–9 (1.006), optional. */
  priority?: number;
  /** Type-2 fields by number (e.g. 18 → "DOE,JOHN"); user-defined per domain. */
  demographics?: Record<number, string>;
  fingers: TenprintFinger[];
  face?: TenprintFace;
  /** Scan resolution in ppi (default 500); NSR/NTR are written in pixels per mm. */
  ppi?: number;
  /** Domain name (1.013), e.g. "NORAM"; and UTC time YYYYMMDDhhmmssZ (1.014). Both optional. */
  domain?: string;
  gmt?: string;
}

const invalid = (message: string) => new An2kError(message, { code: 'AN2K_INVALID_INPUT' });
const IMP_CODE: Record<FingerImpression, number> = { plain: 0, rolled: 1 }; // live-scan (Table 7)
const SINGLE = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
const SLAPS = new Set([13, 14, 15]);

function ppmm(ppi: number): string {
  return (ppi / 25.4).toFixed(2);
}

export function validateTenprint(input: TenprintInput): void {
  if (!/^\d{8}$/.test(input.date)) throw invalid('date must be YYYYMMDD');
  for (const [k, v] of Object.entries({ tot: input.tot, dai: input.dai, ori: input.ori, tcn: input.tcn })) if (!v || /[\x1c-\x1f]/.test(v)) throw invalid(`${k} must be non-empty text without separators`);
  const positions = input.fingers.map((f) => f.position);
  if (new Set(positions).size !== positions.length) throw invalid('each finger position may appear once');
  const allSingle = positions.every((p) => SINGLE.has(p));
  const allSlaps = positions.every((p) => SLAPS.has(p));
  if (!(allSingle && positions.length === 10) && !(allSlaps && positions.length === 3))
    throw invalid('a tenprint needs 10 single fingers (positions 1–10) or 3 slaps (13, 14, 15)');
  if (input.gmt !== undefined && !/^\d{14}Z$/.test(input.gmt)) throw invalid('gmt must be YYYYMMDDhhmmssZ');
  if (input.domain !== undefined && (!input.domain || /[\x1c-\x1f]/.test(input.domain))) throw invalid('domain must be non-empty text without separators');
  for (const f of input.fingers) if (!f.wsq && !(f.pixels && f.width && f.height)) throw invalid(`finger ${f.position}: give wsq or pixels with width and height`);
}

function fingerRecord(f: TenprintFinger, idc: number, input: TenprintInput, ppi: number): TaggedRecord {
  const wsq = f.wsq ?? encodeWsq(f.pixels!, f.width!, f.height!, { ppi });
  const frame = inspectWsq(wsq).frame;
  const fields: An2kField[] = [
    { tag: 2, value: String(idc).padStart(2, '0') },
    { tag: 3, value: String(IMP_CODE[f.impression]) },
    { tag: 4, value: input.ori },
    { tag: 5, value: input.date },
    { tag: 6, value: String(frame.width) },
    { tag: 7, value: String(frame.height) },
    { tag: 8, value: '1' },
    { tag: 9, value: String(ppi) },
    { tag: 10, value: String(ppi) },
    { tag: 11, value: 'WSQ20' },
    { tag: 12, value: '8' },
    { tag: 13, value: String(f.position) },
  ];
  // FQM: position, score, algorithm vendor id, product code (§8.14.23 / 8.14.24 quality metric).
  if (f.quality !== undefined) fields.push({ tag: 24, value: joinItems([[f.position, Math.round(f.quality), '001F', '1']]) });
  fields.push({ tag: 999, data: wsq });
  return { kind: 'tagged', type: 14, fields };
}

function faceRecord(face: TenprintFace, idc: number, input: TenprintInput): TaggedRecord {
  return {
    kind: 'tagged',
    type: 10,
    fields: [
      { tag: 2, value: String(idc).padStart(2, '0') },
      { tag: 3, value: 'FACE' },
      { tag: 4, value: input.ori },
      { tag: 5, value: input.date },
      { tag: 6, value: String(face.width) },
      { tag: 7, value: String(face.height) },
      { tag: 8, value: '0' },
      { tag: 9, value: '1' },
      { tag: 10, value: '1' },
      { tag: 11, value: 'JPEGB' },
      { tag: 12, value: 'YCC' },
      { tag: 13, value: '1' },
      { tag: 20, value: 'F' },
      { tag: 999, data: face.jpeg },
    ],
  };
}

/** Builds the transaction model (write it with writeAn2k). */
export function buildTenprint(input: TenprintInput): An2kTransaction {
  validateTenprint(input);
  const ppi = input.ppi ?? 500;
  const type2: TaggedRecord = {
    kind: 'tagged',
    type: 2,
    fields: [
      { tag: 2, value: '00' },
      ...Object.entries(input.demographics ?? {})
        .map(([k, v]) => ({ tag: Number(k), value: v }))
        .filter((f) => f.tag > 2)
        .sort((a, b) => a.tag - b.tag),
    ],
  };
  const records: TaggedRecord[] = [type2];
  const ordered = input.fingers.slice().sort((a, b) => a.position - b.position);
  ordered.forEach((f, i) => records.push(fingerRecord(f, i + 1, input, ppi)));
  if (input.face) records.push(faceRecord(input.face, ordered.length + 1, input));
  const type1Fields: An2kField[] = [
    { tag: 2, value: '0500' },
    { tag: 3, value: '' },
    { tag: 4, value: input.tot },
    { tag: 5, value: input.date },
    ...(input.priority === undefined ? [] : [{ tag: 6, value: String(input.priority) }]),
    { tag: 7, value: input.dai },
    { tag: 8, value: input.ori },
    { tag: 9, value: input.tcn },
    { tag: 11, value: ppmm(ppi) },
    { tag: 12, value: ppmm(ppi) },
    ...(input.domain === undefined ? [] : [{ tag: 13, value: input.domain }]),
    ...(input.gmt === undefined ? [] : [{ tag: 14, value: input.gmt }]),
  ];
  const type1: TaggedRecord = { kind: 'tagged', type: 1, fields: type1Fields };
  const all = [type1, ...records];
  type1Fields[1] = { tag: 3, value: contentField(all) };
  return { records: all };
}

/** Recovers the builder input (with WSQ bytes, not pixels) from a tenprint transaction. */
export function readTenprint(tx: An2kTransaction): TenprintInput {
  const recs = tx.records.filter((r): r is TaggedRecord => r.kind === 'tagged');
  const t1 = recs.find((r) => r.type === 1);
  if (!t1) throw new An2kError('no Type-1 record');
  const need = (r: TaggedRecord, tag: number) => {
    const v = text(r, tag);
    if (v === undefined) throw new An2kError(`type-${r.type} record lacks field ${tag}`);
    return v;
  };
  const out: TenprintInput = { tot: need(t1, 4), dai: need(t1, 7), ori: need(t1, 8), tcn: need(t1, 9), date: need(t1, 5), fingers: [] };
  const pry = text(t1, 6);
  if (pry !== undefined) out.priority = Number(pry);
  const dom = text(t1, 13);
  if (dom !== undefined) out.domain = dom;
  const gmt = text(t1, 14);
  if (gmt !== undefined) out.gmt = gmt;
  const nsr = text(t1, 11);
  if (nsr !== undefined) out.ppi = Math.round(Number(nsr) * 25.4);
  const t2 = recs.find((r) => r.type === 2);
  if (t2) {
    const demo: Record<number, string> = {};
    for (const f of t2.fields) if (f.tag > 2 && 'value' in f) demo[f.tag] = f.value;
    if (Object.keys(demo).length) out.demographics = demo;
  }
  for (const r of recs.filter((x) => x.type === 14)) {
    const imp = Number(need(r, 3));
    const finger: TenprintFinger = { position: Number(need(r, 13)), impression: imp === 1 || imp === 3 ? 'rolled' : 'plain', wsq: binary(r, 999) ?? new Uint8Array(0) };
    const fqm = text(r, 24);
    if (fqm !== undefined) finger.quality = Number(items(fqm)[0]![1]);
    out.fingers.push(finger);
  }
  const face = recs.find((r) => r.type === 10);
  if (face) out.face = { jpeg: binary(face, 999) ?? new Uint8Array(0), width: Number(need(face, 6)), height: Number(need(face, 7)) };
  return out;
}
