// ANSI/NIST-ITL 1-2011 traditional-encoding writer. LEN (.001) counts every byte of its record including the LEN field
// itself and the record's FS; since its own digits are part of the count it is found by fixed-point iteration
// (Part 1 §7.2.1). CNT (1.003) is rebuilt from the records unless told otherwise.
import { ByteWriter } from '../bytes.js';
import { An2kError } from '../errors.js';
import { binaryHeaderLength, FS, GS, joinItems, type An2kRecord, type An2kTransaction, type TaggedRecord } from './model.js';

const invalid = (message: string) => new An2kError(message, { code: 'AN2K_INVALID_INPUT' });
const latin1 = (s: string) => Buffer.from(s, 'latin1');

export function tagText(type: number, tag: number): string {
  return `${type}.${String(tag).padStart(3, '0')}:`;
}

/** LEN value for a record whose other fields (with their separators and the final FS) take `rest` bytes. */
export function solveLen(type: number, rest: number): number {
  const prefix = tagText(type, 1).length + 1; // "T.001:" + GS after the value
  let len = prefix + rest + 1;
  for (let i = 0; i < 10; i++) {
    const next = prefix + rest + String(len).length;
    if (next === len) return len;
    len = next;
  }
  throw new Error('LEN did not converge');
}

function idcOf(rec: An2kRecord): number {
  if (rec.kind === 'binary') return rec.idc;
  const f = rec.fields.find((x) => x.tag === 2);
  const v = f && 'value' in f ? Number(f.value) : NaN;
  if (!Number.isInteger(v)) throw invalid(`type-${rec.type} record has no numeric IDC (.002)`);
  return v;
}

/** CNT (1.003) for the records after Type-1. */
export function contentField(records: An2kRecord[]): string {
  const rest = records.slice(1);
  return joinItems([[1, rest.length], ...rest.map((r) => [r.type, String(idcOf(r)).padStart(2, '0')])]);
}

function encodeTagged(rec: TaggedRecord): Uint8Array {
  const parts: Uint8Array[] = [];
  let rest = 0;
  const seen = new Set<number>();
  rec.fields.forEach((f, i) => {
    if (f.tag === 1) throw invalid(`type-${rec.type}: LEN (.001) is computed by the writer`);
    if (!Number.isInteger(f.tag) || f.tag < 2 || f.tag > 999) throw invalid(`type-${rec.type}: bad field number ${f.tag}`);
    if (seen.has(f.tag)) throw invalid(`type-${rec.type}: field ${f.tag} appears twice`);
    seen.add(f.tag);
    if ('data' in f && (f.tag !== 999 || i !== rec.fields.length - 1)) throw invalid(`type-${rec.type}: binary data must be the last field, 999`);
    const value = 'data' in f ? f.data : latin1(f.value);
    if ('value' in f && (value.includes(GS) || value.includes(FS))) throw invalid(`type-${rec.type}.${f.tag}: value contains a GS or FS separator`);
    const tag = latin1(tagText(rec.type, f.tag));
    parts.push(tag, value);
    rest += tag.length + value.length + 1; // GS, or FS after the last field
  });
  const len = solveLen(rec.type, rest);
  const w = new ByteWriter(len);
  w.bytes(latin1(`${tagText(rec.type, 1)}${len}`));
  w.u8(rec.fields.length === 0 ? FS : GS);
  for (let i = 0; i < parts.length; i += 2) {
    w.bytes(parts[i]!).bytes(parts[i + 1]!);
    w.u8(i + 2 === parts.length ? FS : GS);
  }
  const out = w.toBytes();
  if (out.length !== len) throw new Error(`LEN mismatch: ${out.length} vs ${len}`);
  return out;
}

export function writeAn2k(tx: An2kTransaction, opts: { updateCnt?: boolean } = {}): Uint8Array {
  const first = tx.records[0];
  if (!first || first.kind !== 'tagged' || first.type !== 1) throw invalid('the first record must be a tagged Type-1 record');
  for (const r of tx.records.slice(1)) if (r.type === 1) throw invalid('only one Type-1 record is allowed');
  const records = tx.records.slice();
  if (opts.updateCnt ?? true) {
    const cnt = contentField(records);
    const fields = first.fields.filter((f) => f.tag !== 3);
    const at = fields.findIndex((f) => f.tag > 3);
    fields.splice(at < 0 ? fields.length : at, 0, { tag: 3, value: cnt });
    records[0] = { ...first, fields };
  }
  const chunks = records.map((rec) => {
    if (rec.kind === 'tagged') return encodeTagged(rec);
    const head = binaryHeaderLength(rec.type);
    if (rec.header.length !== head) throw invalid(`type-${rec.type} binary header must be ${head} bytes`);
    const len = 5 + head + rec.data.length;
    if (len > 0xffffffff) throw invalid('binary record too large');
    return new ByteWriter(len).u32(len).u8(rec.idc).bytes(rec.header).bytes(rec.data).toBytes();
  });
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const w = new ByteWriter(total);
  for (const c of chunks) w.bytes(c);
  return w.toBytes();
}
