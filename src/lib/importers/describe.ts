/** Words for import errors, rejections and notes, in the user's language (app and CLI alike). */
import { DATE_FORMAT_LABEL } from './dates';
import type { ControlTotal, ImportError, RejectRow } from './report';
import { formatNumber } from '../i18n/format';
import { translate, type Lang } from '../i18n/translate';
import type { MessageKey } from '../i18n/en';

export function describeError(lang: Lang, e: ImportError): string {
  switch (e.code) {
    case 'unrecognised':
      return translate(lang, 'error.unrecognised', {
        columns: e.columns.join(', ') || '—',
        closest: e.closest ? translate(lang, `layout.${e.closest}` as MessageKey) : '—',
        missing: e.missing.map((f) => fieldName(lang, f)).join(', '),
      });
    case 'unsupported_format':
    case 'too_large':
    case 'csv_unreadable':
    case 'failed':
      return translate(lang, `error.${e.code}`, { detail: e.detail });
    case 'ambiguous_dates':
      return translate(lang, 'error.ambiguous_dates') + ' ' + e.candidates.map((c) => DATE_FORMAT_LABEL[c]).join(' / ');
    default:
      return translate(lang, `error.${e.code}`);
  }
}

export function describeReject(lang: Lang, r: Pick<RejectRow, 'reason' | 'detail'>): string {
  // bad_amount's detail is the decimal mark the file was read with: a message key of its own.
  const detail = r.reason === 'bad_amount' && r.detail ? translate(lang, `report.${r.detail}` as MessageKey) : (r.detail ?? '');
  return translate(lang, `reason.${r.reason}`, { detail });
}

export function fieldName(lang: Lang, field: string): string {
  const key = `field.${field}`;
  return key in FIELD_KEYS ? translate(lang, key as MessageKey) : field;
}
const FIELD_KEYS: Record<string, true> = Object.fromEntries(
  ['invoice_id', 'customer_id', 'customer_name', 'invoice_date', 'due_date', 'amount', 'payment_date', 'opened_date', 'promised_on', 'promised_date', 'action_date', 'action_type', 'credit_limit', 'contact_name',
   'gl_customer', 'gl_customer_name', 'gl_date', 'gl_journal', 'gl_piece', 'gl_label', 'gl_debit', 'gl_credit', 'gl_let', 'gl_let_date', 'gl_due'].map((f) => [`field.${f}`, true]),
);

/** A file's control total: its total row against the rows read, and whether they agree (to the cent). */
export function describeControlTotal(lang: Lang, c: ControlTotal): { ok: boolean; text: string } {
  const ok = Math.abs(c.stated - c.read) < 0.005;
  const money = (x: number) => formatNumber(lang, x, 2);
  return ok
    ? { ok, text: translate(lang, 'report.control_total_ok', { column: c.column, stated: money(c.stated) }) }
    : { ok, text: translate(lang, 'report.control_total_off', { column: c.column, stated: money(c.stated), read: money(c.read), gap: money(c.read - c.stated) }) };
}

/** Where an aged summary's date came from, in words. */
export function describeReportDate(lang: Lang, d: { date: string; source: 'title' | 'file_name' | 'today' }): string {
  const [y, m, day] = d.date.split('-');
  return translate(lang, `report.report_date_${d.source}`, { date: lang === 'fr' ? `${day}/${m}/${y}` : d.date });
}
