// Data model of ANSI/NIST-ITL 1-2011 transactions in the traditional encoding (Part 1 §7, Annex B):
// records of tagged fields `T.FFF:value`, fields separated by GS, subfields by RS, information items by US, records
// terminated by FS. Types 3–8 are binary records (fixed headers, 4-byte LEN); all others are tagged.

export const FS = 0x1c;
export const GS = 0x1d;
export const RS = 0x1e;
export const US = 0x1f;
export const FS_CHAR = '\x1c';
export const GS_CHAR = '\x1d';
export const RS_CHAR = '\x1e';
export const US_CHAR = '\x1f';

export type An2kField =
  /** Text field: subfields separated by RS, items by US (kept as written, latin1). */
  | { tag: number; value: string }
  /** Binary field (field 999 of image records). */
  | { tag: number; data: Uint8Array };

export interface TaggedRecord {
  kind: 'tagged';
  type: number;
  /** Fields in file order, without the LEN field (.001), which the writer computes. */
  fields: An2kField[];
}

export interface BinaryRecord {
  kind: 'binary';
  /** 3–8. */
  type: number;
  idc: number;
  /** Fixed header after LEN and IDC (types 3–6: 13 bytes; type 8: 7 bytes; type 7: none). */
  header: Uint8Array;
  data: Uint8Array;
}

export type An2kRecord = TaggedRecord | BinaryRecord;

export interface An2kTransaction {
  /** records[0] is the Type-1 transaction information record. */
  records: An2kRecord[];
}

export const BINARY_TYPES = new Set([3, 4, 5, 6, 7, 8]);

export function binaryHeaderLength(type: number): number {
  if (type === 7) return 0;
  if (type === 8) return 7;
  return 13;
}

export function field(rec: TaggedRecord, tag: number): An2kField | undefined {
  return rec.fields.find((f) => f.tag === tag);
}

export function text(rec: TaggedRecord, tag: number): string | undefined {
  const f = field(rec, tag);
  return f && 'value' in f ? f.value : undefined;
}

export function binary(rec: TaggedRecord, tag: number): Uint8Array | undefined {
  const f = field(rec, tag);
  return f && 'data' in f ? f.data : undefined;
}

/** Splits a text value into subfields (RS) of information items (US). */
export function items(value: string): string[][] {
  return value.split(RS_CHAR).map((s) => s.split(US_CHAR));
}

export function joinItems(subfields: (string | number)[][]): string {
  return subfields.map((s) => s.join(US_CHAR)).join(RS_CHAR);
}

/** Parsed view of a Type-3..6 fixed header (IMP, FGP, ISR, HLL, VLL, GCA). */
export function fingerHeader(rec: BinaryRecord): { imp: number; fgp: number[]; isr: number; hll: number; vll: number; gca: number } | undefined {
  if (rec.type < 3 || rec.type > 6 || rec.header.length !== 13) return undefined;
  const h = rec.header;
  return {
    imp: h[0]!,
    fgp: Array.from(h.subarray(1, 7)).filter((v) => v !== 255),
    isr: h[7]!,
    hll: (h[8]! << 8) | h[9]!,
    vll: (h[10]! << 8) | h[11]!,
    gca: h[12]!,
  };
}
