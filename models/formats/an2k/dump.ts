// Summary of a transaction for display: every record and field, images summarised (size, format, WSQ frame header).
import { inspectWsq } from '../wsq/index.js';
import { WsqError } from '../errors.js';
import { FIELD_NAMES } from './names.js';
import { fingerHeader, type An2kTransaction } from './model.js';

export interface An2kRecordDump {
  type: number;
  kind: 'tagged' | 'binary';
  idc?: number;
  fields: { tag: string; name?: string; value?: string; image?: Record<string, unknown> }[];
}

export interface An2kDump {
  records: An2kRecordDump[];
}

function describeImage(data: Uint8Array): Record<string, unknown> {
  const out: Record<string, unknown> = { bytes: data.length };
  if (data[0] === 0xff && data[1] === 0xa0) {
    out.format = 'WSQ';
    try {
      const info = inspectWsq(data);
      out.width = info.frame.width;
      out.height = info.frame.height;
      if (info.ppi !== undefined) out.ppi = info.ppi;
    } catch (e) {
      out.error = e instanceof WsqError ? e.code : 'unreadable';
    }
  } else if (data[0] === 0xff && data[1] === 0xd8) out.format = 'JPEG';
  else if (data[0] === 0x89 && data[1] === 0x50) out.format = 'PNG';
  else if (data[0] === 0x00 && data[1] === 0x00 && data[2] === 0x00 && data[3] === 0x0c) out.format = 'JPEG2000';
  return out;
}

const printable = (v: string) => v.replace(/\x1e/g, ' | ').replace(/\x1f/g, ', ');

export function dumpAn2k(tx: An2kTransaction): An2kDump {
  return {
    records: tx.records.map((r): An2kRecordDump => {
      if (r.kind === 'binary') {
        const h = fingerHeader(r);
        const fields: An2kRecordDump['fields'] = h
          ? [
              { tag: 'IMP', value: String(h.imp) },
              { tag: 'FGP', value: h.fgp.join(', ') },
              { tag: 'ISR', value: String(h.isr) },
              { tag: 'HLL', value: String(h.hll) },
              { tag: 'VLL', value: String(h.vll) },
              { tag: 'GCA', value: String(h.gca) },
            ]
          : [];
        fields.push({ tag: 'DATA', image: describeImage(r.data) });
        return { type: r.type, kind: 'binary', idc: r.idc, fields };
      }
      return {
        type: r.type,
        kind: 'tagged',
        fields: r.fields.map((f) => {
          const tag = `${r.type}.${String(f.tag).padStart(3, '0')}`;
          const name = FIELD_NAMES[r.type]?.[f.tag];
          const base = name ? { tag, name } : { tag };
          return 'data' in f ? { ...base, image: describeImage(f.data) } : { ...base, value: printable(f.value) };
        }),
      };
    }),
  };
}
