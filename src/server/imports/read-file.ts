import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';

/**
 * Reading member-system exports: format and encoding detection, delimiter detection, a tolerant
 * streaming CSV reader, XLSX rows through exceljs' streaming reader, and header-row detection.
 * Everything works on an async stream of byte chunks, so a 200 MB file never sits in memory.
 */

export type FileFormat = 'csv' | 'xlsx';
export type TextEncodingName = 'utf-8' | 'utf-8-bom' | 'windows-1252';

/** One record of the file: its row number (line in the file, 1-based) and cells, or "broken". */
export type FileRecord = { rowNumber: number; cells: string[] } | { rowNumber: number; broken: string };

/** Why a file cannot be imported; the web translates each (`errors.reasons.<reason>`). */
export type UnreadableReason =
  | 'file_empty'
  | 'xls_not_supported'
  | 'utf16_not_supported'
  | 'not_csv_or_xlsx'
  | 'xlsx_unreadable'
  | 'xlsx_no_worksheet'
  | 'no_header_row';

export class UnreadableFileError extends Error {
  readonly reason: UnreadableReason;
  constructor(reason: UnreadableReason, message: string) {
    super(message);
    this.reason = reason;
  }
}

/** What the first bytes say: xlsx (zip), csv (text), or why it is neither. */
export function sniffFormat(head: Uint8Array): FileFormat {
  if (head.length === 0) throw new UnreadableFileError('file_empty', 'The file is empty.');
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'xlsx';
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) {
    throw new UnreadableFileError(
      'xls_not_supported',
      'Old Excel files (.xls) cannot be read. Save the file as .xlsx or .csv.',
    );
  }
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    throw new UnreadableFileError(
      'utf16_not_supported',
      'UTF-16 files cannot be read. Save the file as CSV in UTF-8.',
    );
  }
  const sample = head.subarray(0, 8192);
  let control = 0;
  for (const b of sample) if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) control++;
  if (control > 0)
    throw new UnreadableFileError('not_csv_or_xlsx', 'This is neither a CSV nor an XLSX file.');
  return 'csv';
}

/** Streaming check whether the bytes are UTF-8; anything else is read as Windows-1252. */
export class EncodingDetector {
  private decoder = new TextDecoder('utf-8', { fatal: true });
  private utf8 = true;
  private first = true;
  private bom = false;
  push(chunk: Uint8Array) {
    if (this.first) {
      this.bom = chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf;
      this.first = false;
    }
    if (!this.utf8) return;
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      this.utf8 = false;
    }
  }
  result(): TextEncodingName {
    if (this.utf8) {
      try {
        this.decoder.decode();
      } catch {
        this.utf8 = false;
      }
    }
    if (!this.utf8) return 'windows-1252';
    return this.bom ? 'utf-8-bom' : 'utf-8';
  }
}

/** The delimiter that splits the first lines most consistently: semicolon, comma or tab. */
export function detectDelimiter(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .slice(0, 20);
  let best = ';';
  let bestScore = -1;
  for (const d of [';', ',', '\t']) {
    const counts = lines.map((l) => countOutsideQuotes(l, d));
    const positive = counts.filter((c) => c > 0);
    if (!positive.length) continue;
    const sorted = [...positive].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    const consistent = counts.filter((c) => c === median).length / counts.length;
    const score = median * consistent;
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}

function countOutsideQuotes(line: string, d: string) {
  let n = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === d && !quoted) n++;
  }
  return n;
}

/** A quoted field may span lines, but not more than this: beyond it the quote counts as broken. */
const MAX_LINES_PER_RECORD = 20;

/**
 * A tolerant CSV reader: RFC 4180 quoting, `""` escapes, CRLF or LF. Unlike csv-parse it recovers
 * from a broken quote (an unclosed quote swallows the rest of the file there): the record is
 * reported as broken and reading continues on the next line.
 */
export class CsvReader {
  private buf = '';
  private pos = 0;
  private line = 1;
  private readonly d: string;
  constructor(delimiter: string) {
    this.d = delimiter;
  }

  /** Adds text and returns the records it completed. */
  push(text: string, final = false): FileRecord[] {
    this.buf = this.buf.slice(this.pos) + text;
    this.pos = 0;
    const out: FileRecord[] = [];
    while (this.pos < this.buf.length) {
      const rec = this.readRecord(final);
      if (!rec) break;
      out.push(rec);
    }
    return out;
  }

  /** Reports the record starting at `pos` as broken and continues on the line after its first. */
  private skipLine(): FileRecord {
    const start = this.pos;
    const nl = this.buf.indexOf('\n', start);
    const end = nl < 0 ? this.buf.length : nl;
    const rec = { rowNumber: this.line, broken: this.buf.slice(start, end).replace(/\r$/, '') };
    this.pos = end + 1;
    this.line += 1;
    return rec;
  }

  private readRecord(final: boolean): FileRecord | null {
    const buf = this.buf;
    const d = this.d;
    const cells: string[] = [];
    let i = this.pos;
    let newlines = 0;
    for (;;) {
      if (buf[i] === '"') {
        let j = i + 1;
        let value = '';
        for (;;) {
          const q = buf.indexOf('"', j);
          if (q < 0) {
            newlines += countNewlines(buf, j, buf.length);
            if (newlines > MAX_LINES_PER_RECORD || final) return this.skipLine();
            return null;
          }
          value += buf.slice(j, q);
          if (buf[q + 1] === '"') {
            value += '"';
            j = q + 2;
            continue;
          }
          if (q + 1 >= buf.length && !final) return null;
          newlines += countNewlines(buf, j, q);
          if (newlines > MAX_LINES_PER_RECORD) return this.skipLine();
          i = q + 1;
          break;
        }
        const next = buf[i];
        if (next !== undefined && next !== d && next !== '\n' && next !== '\r') return this.skipLine();
        cells.push(value);
      } else {
        let j = i;
        while (j < buf.length && buf[j] !== d && buf[j] !== '\n') j++;
        if (j >= buf.length && !final) return null;
        let value = buf.slice(i, j);
        if (value.endsWith('\r') && buf[j] !== d) value = value.slice(0, -1);
        cells.push(value);
        i = j;
      }
      const ch = buf[i];
      if (ch === d) {
        i++;
        continue;
      }
      if (ch === '\r' && buf[i + 1] === undefined && !final) return null;
      if (ch === '\r') i++;
      if (buf[i] === '\n') i++;
      const rec = { rowNumber: this.line, cells };
      this.line += 1 + newlines;
      this.pos = i;
      return rec;
    }
  }
}

function countNewlines(s: string, from: number, to: number) {
  let n = 0;
  for (let k = s.indexOf('\n', from); k >= 0 && k < to; k = s.indexOf('\n', k + 1)) n++;
  return n;
}

/** Text of an exceljs cell value: dates as YYYY-MM-DD, rich text and links as their text. */
function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return '';
    return v.toISOString().slice(0, 10);
  }
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: string };
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if (o.text !== undefined) return cellText(o.text);
    if (o.result !== undefined) return cellText(o.result);
    if (o.error) return '';
  }
  return String(v);
}

async function* xlsxRecords(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<FileRecord> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(chunks), {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  let sheets = 0;
  try {
    for await (const sheet of reader) {
      sheets++;
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        if (sheets > 1) continue;
        const values = row.values as unknown[];
        const cells: string[] = [];
        for (let c = 1; c < values.length; c++) cells.push(cellText(values[c]).trim());
        yield { rowNumber: row.number, cells };
      }
    }
  } catch (err) {
    if (err instanceof UnreadableFileError) throw err;
    throw new UnreadableFileError(
      'xlsx_unreadable',
      `The Excel file could not be read (${(err as Error).message}).`,
    );
  }
  if (sheets === 0) throw new UnreadableFileError('xlsx_no_worksheet', 'The Excel file has no worksheet.');
}

async function* csvRecords(
  chunks: AsyncIterable<Uint8Array>,
  encoding: TextEncodingName,
  delimiter: string,
): AsyncGenerator<FileRecord> {
  const decoder = new TextDecoder(encoding === 'windows-1252' ? 'windows-1252' : 'utf-8');
  const reader = new CsvReader(delimiter);
  for await (const chunk of chunks) yield* reader.push(decoder.decode(chunk, { stream: true }));
  yield* reader.push(decoder.decode(), true);
}

/** Every non-blank record of the file, in order. */
export async function* readRecords(
  chunks: AsyncIterable<Uint8Array>,
  file: { format: FileFormat; encoding: string | null; delimiter: string | null },
): AsyncGenerator<FileRecord> {
  const source =
    file.format === 'xlsx'
      ? xlsxRecords(chunks)
      : csvRecords(chunks, (file.encoding ?? 'utf-8') as TextEncodingName, file.delimiter ?? ';');
  for await (const rec of source) {
    if ('cells' in rec && rec.cells.every((c) => c.trim() === '')) continue;
    yield rec;
  }
}

/** Header names that say "this is the header row" (normalised, see normalizeHeader). */
export function normalizeHeader(h: string): string {
  return h
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]/g, '');
}

/**
 * The header row among the first records: the one with most cells that look like known column
 * names; without any, the first record of at least two distinct, non-numeric texts.
 * Returns its index among the records, or -1.
 */
export function detectHeaderRow(records: string[][], isKnownHeader: (h: string) => boolean): number {
  let best = -1;
  let bestScore = 1;
  records.forEach((cells, i) => {
    const score = cells.filter((c) => c.trim() && isKnownHeader(c)).length;
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  });
  if (best >= 0) return best;
  return records.findIndex((cells) => {
    const texts = cells.map((c) => c.trim()).filter(Boolean);
    return (
      texts.length >= 2 &&
      new Set(texts).size === texts.length &&
      texts.every((t) => !/^[\d\s.,/:+-]+$/.test(t) && !t.includes('@'))
    );
  });
}

/** Column names from the header cells: blanks get "Spalte N", repeats get " (2)". */
export function columnNames(header: string[]): string[] {
  const seen = new Map<string, number>();
  return header.map((raw, i) => {
    const base = raw.trim().replace(/^\uFEFF/, '') || `Spalte ${i + 1}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base} (${n})`;
  });
}
