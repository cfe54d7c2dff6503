/**
 * First look at a file's bytes, before DuckDB sees them: refuse what is not text (with the reason),
 * and hand DuckDB UTF-8. French exports are often Windows-1252 and some tools write UTF-16; the
 * transcoding is done here because duckdb-wasm has no ICU to do it.
 */
import type { ImportError } from './report';

export type Encoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface PreparedBytes {
  bytes: Uint8Array;
  encoding: Encoding;
  /** DuckDB decodes the bytes itself (read_csv's `encoding`): a Windows-1252 file without any byte
   *  in 0x80–0x9F is Latin-1, which DuckDB reads without a converted copy */
  readerEncoding?: 'latin-1';
}

const SNIFF = 64 * 1024;

function startsWith(bytes: Uint8Array, sig: number[]): boolean {
  return sig.every((b, i) => bytes[i] === b);
}

export type FileFormat = 'csv' | 'spreadsheet' | 'parquet';

/** What the file is, from its first bytes: a workbook (XLSX/ODS are zip, XLS is OLE2), Parquet, or text. */
export function sniffFormat(bytes: Uint8Array): FileFormat | ImportError {
  if (bytes.length === 0) return { code: 'empty_file' };
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0])) return 'spreadsheet';
  if (startsWith(bytes, [0x50, 0x41, 0x52, 0x31])) return 'parquet';
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) return { code: 'unsupported_format', detail: 'pdf' };
  return 'csv';
}

/** The bytes as DuckDB is to read them: text in UTF-8 (or Latin-1), lines ending in `\n` or `\r\n`. */
export function prepareBytes(bytes: Uint8Array): PreparedBytes | ImportError {
  const prepared = decoded(bytes);
  return 'code' in prepared ? prepared : { ...prepared, bytes: lineFeeds(prepared.bytes) };
}

function decoded(bytes: Uint8Array): PreparedBytes | ImportError {
  if (bytes.length === 0) return { code: 'empty_file' };
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) {
    const le = bytes[0] === 0xff;
    const text = new TextDecoder(le ? 'utf-16le' : 'utf-16be').decode(bytes.subarray(2));
    return { bytes: new TextEncoder().encode(text), encoding: le ? 'utf-16le' : 'utf-16be' };
  }
  const head = bytes.subarray(0, SNIFF);
  if (head.includes(0)) return { code: 'binary_file' };
  const bom = startsWith(bytes, [0xef, 0xbb, 0xbf]);
  const body = bom ? bytes.subarray(3) : bytes;
  const kind = textKind(body);
  if (kind === 'utf-8') return { bytes: body, encoding: bom ? 'utf-8-bom' : 'utf-8' };
  if (kind === 'latin-1') return { bytes: body, encoding: 'windows-1252', readerEncoding: 'latin-1' };
  return { bytes: windows1252ToUtf8(body), encoding: 'windows-1252' };
}

/**
 * One pass over the bytes, no string made: valid UTF-8; else Latin-1 (read as Windows-1252, the
 * same where no byte is in 0x80–0x9F); else Windows-1252 proper (€, ’, œ… in 0x80–0x9F).
 */
export function textKind(b: Uint8Array): 'utf-8' | 'latin-1' | 'windows-1252' {
  let utf8 = true;
  /** a byte in 0x80–0x9F anywhere (continuation bytes too: the file may prove not UTF-8 later) */
  let c1 = false;
  const n = b.length;
  let i = 0;
  while (i < n) {
    const x = b[i];
    if (x < 0x80) {
      i++;
      continue;
    }
    if (utf8) {
      // the length of a UTF-8 sequence from its lead byte, its continuation bytes checked
      const len = x >= 0xc2 && x <= 0xdf ? 2 : x >= 0xe0 && x <= 0xef ? 3 : x >= 0xf0 && x <= 0xf4 ? 4 : 0;
      let ok = len > 0 && i + len <= n;
      for (let k = 1; ok && k < len; k++) ok = (b[i + k] & 0xc0) === 0x80;
      // overlong and surrogate forms, as TextDecoder refuses them
      if (ok && len === 3) ok = !(x === 0xe0 && b[i + 1] < 0xa0) && !(x === 0xed && b[i + 1] >= 0xa0);
      if (ok && len === 4) ok = !(x === 0xf0 && b[i + 1] < 0x90) && !(x === 0xf4 && b[i + 1] >= 0x90);
      if (ok) {
        for (let k = 1; k < len; k++) if (b[i + k] < 0xa0) c1 = true;
        i += len;
        continue;
      }
      utf8 = false;
    }
    if (x < 0xa0) c1 = true;
    if (c1) return 'windows-1252';
    i++;
  }
  return utf8 ? 'utf-8' : c1 ? 'windows-1252' : 'latin-1';
}

// Windows-1252 differs from Latin-1 only in 0x80–0x9F (€, ‚, ƒ, „, …, Œ, œ, Ÿ, ’, –, —, ...),
// mapped here by hand: Node's TextDecoder without full ICU reads it as Latin-1, losing the €.
const CP1252_HIGH =
  '\u20ac\ufffd\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\ufffd\u017d\ufffd' +
  '\ufffd\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\ufffd\u017e\u0178';


/** UTF-8 of each byte 0x80–0xFF read as Windows-1252. */
const HIGH_UTF8: Uint8Array[] = Array.from({ length: 128 }, (_, i) => {
  const c = i < 32 ? CP1252_HIGH[i] : String.fromCharCode(0x80 + i);
  return new TextEncoder().encode(c);
});

/**
 * Windows-1252 bytes → UTF-8 bytes, byte by byte: no string in between. (Decoding to a string and
 * encoding it again cost 3 s on a 226 MB file in Chromium, whose TextEncoder is slow; this takes a
 * fraction of that.)
 */
export function windows1252ToUtf8(bytes: Uint8Array): Uint8Array {
  let size = bytes.length;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] >= 0x80) size += HIGH_UTF8[bytes[i] - 0x80].length - 1;
  const out = new Uint8Array(size);
  let o = 0;
  let start = 0; // start of the current run of ASCII bytes, copied in one go
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b < 0x80) continue;
    if (i > start) {
      out.set(bytes.subarray(start, i), o);
      o += i - start;
    }
    const u = HIGH_UTF8[b - 0x80];
    for (let k = 0; k < u.length; k++) out[o++] = u[k];
    start = i + 1;
  }
  out.set(bytes.subarray(start), o);
  return out;
}

/**
 * Every line ending made `\n` when a file mixes them (a `\r\n` export with `\n` lines added by
 * another tool, or lone `\r`: an old Mac export), which DuckDB's sniffer refuses ("Error when
 * sniffing file"), and which the line numbering below could not follow. A file that keeps to `\n`
 * or to `\r\n` is returned as it is, without a copy.
 */
export function lineFeeds(bytes: Uint8Array): Uint8Array {
  if (bytes.indexOf(13) < 0) return bytes; // \n only (one pass of memchr)
  let crlf = false;
  let lf = false;
  for (let i = bytes.indexOf(10); i >= 0 && !(crlf && lf); i = bytes.indexOf(10, i + 1)) {
    if (i > 0 && bytes[i - 1] === 13) crlf = true;
    else lf = true;
  }
  let loneCr = false;
  if (!(crlf && lf)) {
    for (let i = bytes.indexOf(13); i >= 0 && !loneCr; i = bytes.indexOf(13, i + 1)) loneCr = bytes[i + 1] !== 10;
    if (!loneCr) return bytes;
  }
  const out = new Uint8Array(bytes.length);
  let o = 0;
  let from = 0; // start of the bytes not yet copied
  for (let i = bytes.indexOf(13); i >= 0; i = bytes.indexOf(13, i + 1)) {
    out.set(bytes.subarray(from, i), o);
    o += i - from;
    if (bytes[i + 1] !== 10) out[o++] = 10; // a lone \r: a line feed; before a \n: dropped
    from = i + 1;
  }
  out.set(bytes.subarray(from), o);
  return out.subarray(0, o + bytes.length - from);
}

/** bytes before which a `"` opens a quoted cell: a line's start or a delimiter (, ; tab |) */
const OPENS_CELL = new Set([10, 13, 44, 59, 9, 124]);

export interface NonRecordLines {
  /** empty lines, which DuckDB's reader skips (it counts them in its line numbers) */
  blank: number[];
  /** lines that continue a quoted cell of the record before them (a note with line breaks); DuckDB
   *  numbers a record's lines as one */
  continued: number[];
  /** the empty lines if `"` quotes nothing (DuckDB's sniffer may find that it does not) */
  unquotedBlank: number[];
}

/**
 * The lines (1-based, above `after`) of a text file that start no record, so that a row's line in
 * the file can be found (import.ts). A `"` opens a quoted cell at a line's start or after a
 * delimiter only, and `""` inside one is a quote (RFC 4180): a stray inch mark in a cell does not
 * turn the rest of the file into one cell. The text after the last line break is not a line.
 * Quotes and line breaks are found with indexOf, so a file without quotes is read in one go.
 */
export function nonRecordLines(bytes: Uint8Array, after: number): NonRecordLines {
  const out: NonRecordLines = { blank: [], continued: [], unquotedBlank: [] };
  let quote = bytes.indexOf(34);
  let inCell = false;
  let start = 0;
  for (let line = 1; ; line++) {
    const nl = bytes.indexOf(10, start);
    if (nl < 0) return out;
    const continued = inCell;
    // the quotes of this line open and close cells
    while (quote >= 0 && quote < nl) {
      if (inCell) {
        if (bytes[quote + 1] === 34) {
          quote = bytes.indexOf(34, quote + 2);
          continue;
        }
        inCell = false;
      } else if (quote === 0 || OPENS_CELL.has(bytes[quote - 1])) inCell = true;
      quote = bytes.indexOf(34, quote + 1);
    }
    if (line > after) {
      const len = nl - start;
      const empty = len === 0 || (len === 1 && bytes[start] === 13);
      if (empty) out.unquotedBlank.push(line);
      if (continued) out.continued.push(line);
      else if (empty) out.blank.push(line);
    }
    start = nl + 1;
  }
}
