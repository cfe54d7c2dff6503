/** What an import tells the user: per file, what was detected, kept and rejected, and why. */
import type { Encoding } from './bytes';
import type { DateFormat } from './dates';
import type { FieldKey } from './fields';
import type { LayoutKey } from './layouts';

export type ImportError =
  | { code: 'empty_file' }
  | { code: 'binary_file' }
  | { code: 'unsupported_format'; detail: string }
  | { code: 'no_rows' }
  | { code: 'csv_unreadable'; detail: string }
  | { code: 'unrecognised'; columns: string[]; closest: LayoutKey | null; missing: FieldKey[] }
  | { code: 'ambiguous_dates'; candidates: DateFormat[]; samples: string[] }
  | { code: 'too_large'; detail: string }
  | { code: 'failed'; detail: string };

export type ImportErrorCode = ImportError['code'];

export interface Detected {
  format: 'csv' | 'spreadsheet' | 'parquet';
  /** text files only */
  encoding: Encoding | null;
  /** spreadsheets: the sheet read, the others, the row of the header */
  sheet?: string;
  sheets?: string[];
  header_row?: number;
  delimiter: string | null;
  layout: LayoutKey;
  /** canonical field -> the file's header */
  mapping: Partial<Record<FieldKey, string>>;
  /** headers we did not use: shown, never silently dropped */
  ignored: string[];
  date_format: DateFormat | null;
  decimal_comma: boolean;
  /** reason code -> count, e.g. due_date_from_terms: 12 */
  notes: Record<string, number>;
  /** the reader typed dates and amounts itself (a FEC in its legal formats: typed-read.ts) */
  typed_read?: boolean;
  /** an aged balance by customer: the report's date its items were dated from, and where it was read */
  report_date?: { date: string; source: 'title' | 'file_name' | 'today' };
}

export interface FileReport {
  file: string;
  status: 'imported' | 'failed' | 'needs_input';
  error?: ImportError;
  detected?: Detected;
  rows_read: number;
  rows_imported: number;
  rows_rejected: number;
  amount_read: number | null;
  amount_imported: number | null;
  amount_rejected: number | null;
  /** rows added to other tables by this file (payments derived from settled dates, ...) */
  derived: Partial<Record<string, number>>;
  /** imported rows worth a look, by reason (listed in import_warnings) */
  warnings: Partial<Record<WarningReason, number>>;
  /** the file's own total rows, checked against the rows read (absent when it has none) */
  control_totals?: ControlTotal[];
}

/** A figure of a file's total row and what the rows read add up to in the same column. */
export interface ControlTotal {
  column: string;
  stated: number;
  read: number;
}

export type WarningReason = 'due_before_invoice' | 'future_date' | 'unknown_invoice_unapplied' | 'paid_more_than_invoice' | 'row_total_mismatch';

export type RejectReason =
  | 'required_missing'
  | 'bad_date'
  | 'bad_amount'
  | 'bad_int'
  | 'bad_flag'
  | 'bad_rate'
  | 'duplicate_in_file'
  | 'already_loaded'
  | 'unknown_invoice'
  | 'no_customer'
  | 'paid_without_date'
  | 'bad_sens'
  | 'subtotal_row'
  | 'malformed_line';

export interface RejectRow {
  file_name: string;
  row_number: number | null;
  line: number | null;
  column_name: string | null;
  value: string | null;
  reason: RejectReason | WarningReason;
  detail: string | null;
}

export type ImportPhase = 'reading' | 'parsing' | 'validating' | 'loading' | 'done' | 'failed' | 'cancelled';

export interface ImportProgress {
  file: string;
  phase: ImportPhase;
  bytes?: number;
  total_bytes?: number;
  rows?: number;
}

export interface ImportResult {
  status: 'done' | 'needs_input' | 'cancelled';
  files: FileReport[];
  /** from the first byte read to the ledger ready (set by the host that reads the files) */
  elapsed_ms?: number;
}

export function emptyReport(file: string, status: FileReport['status'], error?: ImportError): FileReport {
  return {
    file,
    status,
    error,
    rows_read: 0,
    rows_imported: 0,
    rows_rejected: 0,
    amount_read: null,
    amount_imported: null,
    amount_rejected: null,
    derived: {},
    warnings: {},
  };
}
