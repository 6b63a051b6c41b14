// Minimal RFC 4180 CSV reader (quoted fields, doubled quotes, CRLF or LF, BOM): a partner's list for
// cross-matching, the sheets of an XLSForm kept as CSV.
import { KioskError } from '../contract/errors.js';

export class CsvError extends KioskError {
  override name = 'CsvError';
  constructor(code: 'CSV_INVALID' | 'CSV_COLUMN_NOT_FOUND', message: string, details?: Record<string, unknown>) {
    super(code, message, details ? { details } : undefined);
  }
}

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      line++;
    } else field += c;
  }
  if (quoted) throw new CsvError('CSV_INVALID', `CSV has an unterminated quoted field (from line ${line})`, { line });
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

/** The values of one column: by header name, or by 1-based index; default: the only column, or `national_number`. */
export function csvColumn(rows: string[][], column?: string): string[] {
  if (rows.length === 0) throw new CsvError('CSV_INVALID', 'CSV is empty');
  const header = rows[0]!.map((h) => h.trim());
  let idx: number;
  if (column && /^\d+$/.test(column)) {
    idx = Number(column) - 1;
    if (idx < 0 || idx >= header.length) throw new CsvError('CSV_COLUMN_NOT_FOUND', `Column ${column} is outside the ${header.length} columns`, { column });
  } else {
    const want = column ?? (header.length === 1 ? header[0]! : 'national_number');
    idx = header.findIndex((h) => h.toLowerCase() === want.toLowerCase());
    if (idx < 0) throw new CsvError('CSV_COLUMN_NOT_FOUND', `No column named "${want}" in the header (${header.length} columns); pass --column NAME or a 1-based number`, { column: want });
  }
  return rows.slice(1).map((r) => r[idx] ?? '');
}
