// Reads the sheets of an .xlsx workbook (ECMA-376 SpreadsheetML) into rows of cell text, keeping row numbers and
// column letters for error messages; and writes simple workbooks (inline strings) for examples and tests.
import { XlsxReadError } from '../errors.js';
import { child, elements, parseXml, textOf, type XmlElement } from './xml.js';
import { readZip, writeZip } from './zip.js';

export interface SheetRow {
  /** 1-based row number in the sheet. */
  row: number;
  /** Cell text by 0-based column index ("" for empty). */
  cells: string[];
}
export interface Sheet {
  name: string;
  rows: SheetRow[];
}

export function columnLetter(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function columnIndex(ref: string): number {
  const letters = /^([A-Z]{1,3})\d+$/.exec(ref)?.[1];
  if (!letters) return -1;
  return [...letters].reduce((n, c) => n * 26 + (c.charCodeAt(0) - 64), 0) - 1;
}

function part(files: Map<string, Buffer>, name: string): XmlElement {
  const data = files.get(name);
  if (!data) throw new XlsxReadError(`.xlsx part missing: ${name}`, { part: name });
  return parseXml(data.toString('utf8'), name);
}

/** Shared strings: the text of each <si>, rich-text runs joined, phonetic runs (<rPh>) left out. */
function sharedStrings(files: Map<string, Buffer>): string[] {
  if (!files.has('xl/sharedStrings.xml')) return [];
  const runText = (e: XmlElement): string => e.children.map((c) => (typeof c === 'string' ? '' : c.local === 'rPh' ? '' : c.local === 't' ? textOf(c) : runText(c))).join('');
  return elements(part(files, 'xl/sharedStrings.xml'), 'si').map(runText);
}

export function readWorkbook(buf: Buffer): Sheet[] {
  const files = readZip(buf);
  const wb = part(files, 'xl/workbook.xml');
  const rels = files.has('xl/_rels/workbook.xml.rels') ? elements(part(files, 'xl/_rels/workbook.xml.rels'), 'Relationship') : [];
  const target = new Map(rels.map((r) => [r.attrs.Id ?? '', r.attrs.Target ?? '']));
  const strings = sharedStrings(files);
  const sheetsEl = child(wb, 'sheets');
  if (!sheetsEl) throw new XlsxReadError('xl/workbook.xml lists no sheets');
  return elements(sheetsEl, 'sheet').map((s) => {
    const rid = Object.entries(s.attrs).find(([k]) => k.endsWith(':id'))?.[1] ?? '';
    const t = target.get(rid);
    if (!t) throw new XlsxReadError(`Sheet "${s.attrs.name}" has no part`, { sheet: s.attrs.name });
    const file = t.startsWith('/') ? t.slice(1) : `xl/${t.replace(/^\.\//, '')}`;
    const data = child(part(files, file), 'sheetData');
    const rows: SheetRow[] = [];
    let nextRow = 1;
    for (const r of data ? elements(data, 'row') : []) {
      const rowNo = r.attrs.r ? Number(r.attrs.r) : nextRow;
      nextRow = rowNo + 1;
      const cells: string[] = [];
      let nextCol = 0;
      for (const c of elements(r, 'c')) {
        const col = c.attrs.r ? columnIndex(c.attrs.r) : nextCol;
        if (col < 0 || col > 16_383) throw new XlsxReadError(`Bad cell reference ${c.attrs.r ?? ''} in sheet "${s.attrs.name}"`, { sheet: s.attrs.name, row: rowNo });
        nextCol = col + 1;
        const type = c.attrs.t ?? 'n';
        const v = child(c, 'v');
        let text = '';
        if (type === 's') text = strings[Number(v ? textOf(v) : -1)] ?? '';
        else if (type === 'inlineStr') {
          const is = child(c, 'is');
          text = is ? elements(is).map((e) => (e.local === 't' ? textOf(e) : e.local === 'r' ? textOf(child(e, 't') ?? e) : '')).join('') : '';
        } else if (type === 'b') text = v && textOf(v) === '1' ? 'TRUE' : 'FALSE';
        else text = v ? textOf(v) : '';
        while (cells.length < col) cells.push('');
        cells[col] = text;
      }
      if (cells.some((x) => x.trim() !== '')) rows.push({ row: rowNo, cells });
    }
    return { name: s.attrs.name ?? '', rows };
  });
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A workbook of text cells (inline strings), readable by spreadsheet programs and by readWorkbook. */
export function writeWorkbook(sheets: { name: string; rows: string[][] }[]): Buffer {
  const xml = (s: string) => Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${s}`, 'utf8');
  const files = [
    {
      name: '[Content_Types].xml',
      data: xml(
        `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${sheets.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('')}</Types>`,
      ),
    },
    { name: '_rels/.rels', data: xml(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`) },
    {
      name: 'xl/workbook.xml',
      data: xml(`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${sheets.map((s, i) => `<sheet name="${esc(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`),
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: xml(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('')}</Relationships>`),
    },
    ...sheets.map((s, i) => ({
      name: `xl/worksheets/sheet${i + 1}.xml`,
      data: xml(
        `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${s.rows
          .map((r, ri) => `<row r="${ri + 1}">${r.map((v, ci) => (v === '' ? '' : `<c r="${columnLetter(ci)}${ri + 1}" t="inlineStr"><is><t xml:space="preserve">${esc(v)}</t></is></c>`)).join('')}</row>`)
          .join('')}</sheetData></worksheet>`,
      ),
    })),
  ];
  return writeZip(files);
}
