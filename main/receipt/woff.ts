// WOFF 1.0 → SFNT (TrueType/OpenType) decoding (W3C "WOFF File Format 1.0", §3–5): the header, the table directory,
// and each table zlib-compressed or stored. The offline Arabic font ships only as WOFF (@fontsource), and a PDF
// embeds TrueType (FontFile2).
import { inflateSync } from 'node:zlib';
import { KioskError } from '../contract/errors.js';

export class WoffInvalidError extends KioskError {
  override name = 'WoffInvalidError';
  constructor(reason: string, cause?: unknown) {
    super('FONT_INVALID', `The font file is not valid WOFF 1.0: ${reason}`, { cause, details: { reason } });
  }
}

const WOFF_SIGNATURE = 0x774f4646; // 'wOFF'
const WOFF_HEADER_BYTES = 44;
const WOFF_DIRECTORY_ENTRY_BYTES = 20;
const SFNT_DIRECTORY_ENTRY_BYTES = 16;

interface WoffTable {
  tag: number;
  offset: number;
  compLength: number;
  origLength: number;
  origChecksum: number;
}

const pad4 = (n: number): number => (n + 3) & ~3;

export function woffToSfnt(woff: Uint8Array): Buffer {
  const b = Buffer.from(woff.buffer, woff.byteOffset, woff.byteLength);
  if (b.length < WOFF_HEADER_BYTES || b.readUInt32BE(0) !== WOFF_SIGNATURE) throw new WoffInvalidError('missing wOFF signature');
  if (b.readUInt32BE(8) !== b.length) throw new WoffInvalidError('length field does not match the file size (truncated?)');
  const flavor = b.readUInt32BE(4);
  const numTables = b.readUInt16BE(12);
  if (numTables === 0 || WOFF_HEADER_BYTES + numTables * WOFF_DIRECTORY_ENTRY_BYTES > b.length) throw new WoffInvalidError('table directory out of range');
  const tables: WoffTable[] = [];
  for (let i = 0; i < numTables; i++) {
    const o = WOFF_HEADER_BYTES + i * WOFF_DIRECTORY_ENTRY_BYTES;
    const t = { tag: b.readUInt32BE(o), offset: b.readUInt32BE(o + 4), compLength: b.readUInt32BE(o + 8), origLength: b.readUInt32BE(o + 12), origChecksum: b.readUInt32BE(o + 16) };
    if (t.offset + t.compLength > b.length || t.compLength > t.origLength) throw new WoffInvalidError(`table ${i} out of range`);
    tables.push(t);
  }
  // SFNT header: searchRange etc. from the largest power of two ≤ numTables.
  let entrySelector = 0;
  while (2 ** (entrySelector + 1) <= numTables) entrySelector++;
  const searchRange = 2 ** entrySelector * 16;
  const directoryBytes = 12 + numTables * SFNT_DIRECTORY_ENTRY_BYTES;
  const out = Buffer.alloc(directoryBytes + tables.reduce((sum, t) => sum + pad4(t.origLength), 0));
  out.writeUInt32BE(flavor, 0);
  out.writeUInt16BE(numTables, 4);
  out.writeUInt16BE(searchRange, 6);
  out.writeUInt16BE(entrySelector, 8);
  out.writeUInt16BE(numTables * 16 - searchRange, 10);
  let offset = directoryBytes;
  tables.forEach((t, i) => {
    const stored = b.subarray(t.offset, t.offset + t.compLength);
    let data: Buffer;
    try {
      data = t.compLength < t.origLength ? inflateSync(stored) : stored;
    } catch (error) {
      throw new WoffInvalidError(`table ${i} does not inflate`, error);
    }
    if (data.length !== t.origLength) throw new WoffInvalidError(`table ${i} inflates to ${data.length} bytes, expected ${t.origLength}`);
    const d = 12 + i * SFNT_DIRECTORY_ENTRY_BYTES;
    out.writeUInt32BE(t.tag, d);
    out.writeUInt32BE(t.origChecksum, d + 4);
    out.writeUInt32BE(offset, d + 8);
    out.writeUInt32BE(t.origLength, d + 12);
    data.copy(out, offset);
    offset += pad4(t.origLength);
  });
  return out;
}
