// ANSI/NIST-ITL 1-2011 traditional-encoding reader (Part 1 §7.2 record structure, §8.1.3 CNT, Annex B binary records).
// Every length is checked against the bytes left before anything is sliced, and every loop advances, so corrupt input
// ends in An2kError (AN2K_CORRUPT), never a hang or an oversized allocation.
import { ByteReader } from '../bytes.js';
import { An2kError } from '../errors.js';
import { BINARY_TYPES, binaryHeaderLength, FS, GS, items, type An2kField, type An2kRecord, type An2kTransaction, type TaggedRecord } from './model.js';

const corrupt = (message: string, details?: Record<string, unknown>) => new An2kError(message, details ? { details } : undefined);
const latin1 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1');

/** Reads "T.FFF:" at `pos`; returns type, field number and the offset after ':'. */
function readTag(bytes: Uint8Array, pos: number, end: number): { type: number; tag: number; next: number } {
  let i = pos;
  let type = 0;
  let digits = 0;
  while (i < end && bytes[i]! >= 0x30 && bytes[i]! <= 0x39 && digits < 4) {
    type = type * 10 + (bytes[i++]! - 0x30);
    digits++;
  }
  if (digits === 0 || i >= end || bytes[i] !== 0x2e) throw corrupt('malformed field tag', { offset: pos });
  i++;
  let tag = 0;
  digits = 0;
  while (i < end && bytes[i]! >= 0x30 && bytes[i]! <= 0x39 && digits < 4) {
    tag = tag * 10 + (bytes[i++]! - 0x30);
    digits++;
  }
  if (digits === 0 || i >= end || bytes[i] !== 0x3a) throw corrupt('malformed field tag', { offset: pos });
  return { type, tag, next: i + 1 };
}

/** Record length of a tagged record: the value of its first field, which must be T.001 (LEN). */
function taggedLength(bytes: Uint8Array, pos: number, expectType: number | undefined): { type: number; length: number } {
  const end = Math.min(bytes.length, pos + 32);
  const { type, tag, next } = readTag(bytes, pos, end);
  if (tag !== 1) throw corrupt(`record at ${pos} does not start with its LEN field`, { offset: pos });
  if (expectType !== undefined && type !== expectType) throw corrupt(`record at ${pos} is type ${type}, CNT says ${expectType}`, { offset: pos });
  let i = next;
  let length = 0;
  while (i < end && bytes[i]! >= 0x30 && bytes[i]! <= 0x39) length = length * 10 + (bytes[i++]! - 0x30);
  if (i === next || i >= end || bytes[i] !== GS) throw corrupt(`malformed LEN field at ${pos}`, { offset: pos });
  return { type, length };
}

function parseTagged(bytes: Uint8Array, start: number, end: number, type: number): TaggedRecord {
  if (bytes[end - 1] !== FS) throw corrupt(`type-${type} record at ${start} does not end with FS`, { offset: start });
  const fields: An2kField[] = [];
  let pos = start;
  const stop = end - 1;
  while (pos < stop) {
    const t = readTag(bytes, pos, stop);
    if (t.type !== type) throw corrupt(`field ${t.type}.${t.tag} inside a type-${type} record`, { offset: pos });
    if (t.tag === 999) {
      // Image data runs to the end of the record (§7.2.3); it must be the last field.
      fields.push({ tag: 999, data: bytes.slice(t.next, stop) });
      pos = stop;
      break;
    }
    let i = t.next;
    while (i < stop && bytes[i] !== GS) i++;
    if (t.tag !== 1) fields.push({ tag: t.tag, value: latin1(bytes.subarray(t.next, i)) });
    pos = i + 1;
  }
  return { kind: 'tagged', type, fields };
}

/** Parses CNT (1.003): first subfield "1 US n", then one "type US IDC" subfield per following record. */
function contentList(type1: TaggedRecord): { type: number; idc: number }[] {
  const cnt = type1.fields.find((f) => f.tag === 3);
  if (!cnt || !('value' in cnt)) throw corrupt('Type-1 record has no CNT field (1.003)');
  const subs = items(cnt.value);
  const head = subs[0]!;
  const declared = Number(head[1]);
  if (head[0] !== '1' || !Number.isInteger(declared) || declared !== subs.length - 1) throw corrupt(`CNT field is inconsistent: ${JSON.stringify(cnt.value.slice(0, 64))}`);
  return subs.slice(1).map((s) => {
    const type = Number(s[0]);
    const idc = Number(s[1]);
    if (!Number.isInteger(type) || type < 2 || type > 99 || !Number.isInteger(idc) || idc < 0) throw corrupt(`bad CNT entry ${JSON.stringify(s)}`);
    return { type, idc };
  });
}

export function readAn2k(bytes: Uint8Array): An2kTransaction {
  try {
    const first = taggedLength(bytes, 0, 1);
    if (first.length < 8 || first.length > bytes.length) throw corrupt(`Type-1 LEN ${first.length} is out of bounds (${bytes.length} bytes)`);
    const type1 = parseTagged(bytes, 0, first.length, 1);
    const records: An2kRecord[] = [type1];
    let pos = first.length;
    for (const entry of contentList(type1)) {
      if (pos >= bytes.length) throw corrupt(`transaction ends before its type-${entry.type} record`);
      if (BINARY_TYPES.has(entry.type)) {
        const r = new ByteReader(bytes, (m) => corrupt(m), pos);
        const length = r.u32('binary record LEN');
        const head = binaryHeaderLength(entry.type);
        if (length < 5 + head || length > bytes.length - pos) throw corrupt(`type-${entry.type} LEN ${length} is out of bounds`, { offset: pos });
        const idc = r.u8('IDC');
        const header = r.take(head, 'binary header').slice();
        const data = r.take(length - 5 - head, 'binary data').slice();
        records.push({ kind: 'binary', type: entry.type, idc, header, data });
        pos += length;
      } else {
        const { length } = taggedLength(bytes, pos, entry.type);
        if (length < 8 || length > bytes.length - pos) throw corrupt(`type-${entry.type} LEN ${length} is out of bounds`, { offset: pos });
        records.push(parseTagged(bytes, pos, pos + length, entry.type));
        pos += length;
      }
    }
    if (pos !== bytes.length) throw corrupt(`${bytes.length - pos} bytes after the last record listed in CNT`);
    return { records };
  } catch (e) {
    if (e instanceof An2kError) throw e;
    throw new An2kError('ANSI/NIST-ITL transaction could not be parsed', { cause: e });
  }
}

/** True when the bytes start like a traditional-encoding transaction ("1.001:" or "1.01:"). */
export function looksLikeAn2k(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 8)).toString('latin1');
  return /^1\.0*1:\d/.test(head);
}
