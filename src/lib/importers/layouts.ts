/**
 * The input layouts Encours recognises by their header, each mapped onto the canonical tables.
 * `invoices` is both the canonical invoices file and the common single invoice list of ERP exports:
 * when it carries a settled/paid date or paid amount, payments are derived from it; a Disputed flag
 * becomes disputes. Every SQL statement here reads the typed staging table (one column per field,
 * named by its key, NULL when the file lacks it) through `ok`, the rows that passed every check.
 */
import type { FieldKey } from './fields';
import type { RejectReason, WarningReason } from './report';
import type { CanonicalTable } from '../model/tables';
import { FEC_LAYOUTS } from './fec';
import { CUSTOMER_LEDGER } from './customer-ledger';

export type LayoutKey = CanonicalTable | 'fec' | 'fec_signed' | 'customer_ledger' | 'due_dates';

export interface LoadContext {
  /** typed staging table: rn, line, <field>, and <field>__raw for fields that are not text */
  typed: string;
  /** the rows of `typed` that passed every check */
  ok: string;
  /** SQL literal of the file name */
  file: string;
  /** SQL literal prefix for generated ids */
  idPrefix: string;
  defaultCurrency: string;
  defaultTermsDays: number;
  has: (f: FieldKey) => boolean;
  /** the day of the import, YYYY-MM-DD */
  today: string;
  /** the amount column is an open balance (the file's amount header says so) */
  openItemsOnly?: boolean;
}

export interface ExtraCheck {
  field: FieldKey;
  reason: RejectReason | WarningReason;
  /** condition over the typed row `t` that makes it a rejection */
  where: string;
  detail?: string;
}

export interface Note {
  key: string;
  /** the rows counted: `from` (a table and its alias) `where` the condition. The notes over the same
   *  table are counted in one scan. */
  from: string;
  where: string;
}

export interface Layout {
  key: LayoutKey;
  table: CanonicalTable;
  required: readonly FieldKey[];
  /** required columns a row may leave empty (checked by the layout itself) */
  emptyAllowed?: readonly FieldKey[];
  optional: readonly FieldKey[];
  /** unique within the file and the table; generated when absent and not required */
  id?: FieldKey;
  /** the amount reconciled between file and import */
  amount?: FieldKey;
  checks?: (c: LoadContext) => ExtraCheck[];
  /** rows that are not records (a subtotal line): rejected for this reason alone, no other check */
  aside?: { field: FieldKey; reason: RejectReason; where: string; value?: string };
  /** findings on rows that are imported all the same (import_warnings) */
  warnings?: (c: LoadContext) => ExtraCheck[];
  notes?: (c: LoadContext) => Note[];
  /** INSERT statements, in order; each returns nothing. `derived` ones are counted by table. */
  load: (c: LoadContext) => { main: string; derived?: Record<string, string> };
  /** a complement to other files, never offered as the closest layout of an unrecognised file */
  complement?: boolean;
  /** drops what load() created besides the canonical rows; run after the notes */
  cleanup?: (c: LoadContext) => string;
}

const DIMENSIONS = ['entity', 'division', 'salesperson', 'collector', 'category', 'country'] as const;
/** Payments listed among the items of an ERP export (SAP DZ, QuickBooks "Payment", ERPNext "Payment Entry"):
 *  stored as open credits until cleared, never as sales. */
const PAYMENT_WORDS = `('dz', 'payment', 'payment entry', 'receive payment', 'receipt', 'paiement', 'règlement', 'reglement', 'encaissement', 'customer payment')`;
const CREDIT_NOTE_WORDS = `('credit note', 'creditnote', 'credit', 'cn', 'avoir', 'av', 'note de credit', 'note de crédit', 'credit_note', 'dg', 'credit memo', 'creditmemo', 'sales credit note', 'sc')`;

const genId = (c: LoadContext, f: FieldKey) => `COALESCE(t.${f}, ${c.idPrefix} || t.rn)`;
const invoiceKnown = `EXISTS (SELECT 1 FROM invoices i WHERE i.invoice_id = t.invoice_id)`;
// Invoice and customer ids are unique (the importer rejects duplicates), so these joins never fan out.
const withInvoice = (c: LoadContext) => `${c.ok} t LEFT JOIN invoices i ON i.invoice_id = t.invoice_id`;
const customerOfRow = `COALESCE(t.customer_id, i.customer_id)`;
/** A date after the day of the import: a typo, or an export from a test system. (The day comes from
 *  the import: duckdb-wasm has no current_date without ICU.) */
const future = (c: LoadContext, f: FieldKey): ExtraCheck => ({ field: f, reason: 'future_date', where: `t.${f} > DATE '${c.today}'` });
/** A row about an invoice the ledger must have, or at least about a customer. */
const referencesInvoiceOrCustomer = (): ExtraCheck[] => [
  { field: 'invoice_id', reason: 'unknown_invoice', where: `t.invoice_id IS NOT NULL AND NOT ${invoiceKnown}` },
  { field: 'customer_id', reason: 'no_customer', where: `t.invoice_id IS NULL AND t.customer_id IS NULL` },
];

export const LAYOUTS: readonly Layout[] = [
  {
    key: 'invoices',
    table: 'invoices',
    required: ['invoice_id', 'customer_id', 'invoice_date', 'amount'],
    optional: ['due_date', 'customer_name', 'currency', 'document_type', ...DIMENSIONS, 'reference', 'billing_channel', 'payment_terms_days', 'settled_date', 'paid_amount', 'open_amount', 'debit_credit', 'baseline_date', 'terms1_days', 'terms2_days', 'terms3_days', 'disputed', 'dispute_reason'],
    id: 'invoice_id',
    amount: 'amount',
    checks: (c) =>
      // an open-items export states what is left to pay, not when the rest was paid
      c.has('open_amount') ? [] : [
        { field: 'paid_amount', reason: 'paid_without_date', where: `t.paid_amount IS NOT NULL AND t.paid_amount <> 0 AND t.settled_date IS NULL` },
      ],
    warnings: (c) => [
      { field: 'due_date', reason: 'due_before_invoice', where: `t.due_date < t.invoice_date` },
      future(c, 'invoice_date'),
    ],
    notes: (c) => [
      { key: 'due_date_from_terms', from: `${c.ok} t`, where: `t.due_date IS NULL AND t.amount >= 0` },
      { key: 'credit_note_due_date_is_own_date', from: `${c.ok} t`, where: `t.due_date IS NULL AND t.amount < 0` },
      { key: 'credit_note_sign_flipped', from: `${c.ok} t`, where: `lower(trim(t.document_type)) IN ${CREDIT_NOTE_WORDS} AND t.amount > 0` },
      { key: 'currency_defaulted', from: `${c.ok} t`, where: `t.currency IS NULL` },
      { key: 'open_items_only', from: `${c.ok} t`, where: c.has('open_amount') || c.openItemsOnly ? 'true' : 'false' },
      { key: 'payment_documents', from: `${c.ok} t`, where: `lower(trim(t.document_type)) IN ${PAYMENT_WORDS}` },
      { key: 'due_date_from_baseline', from: `${c.ok} t`, where: `t.due_date IS NULL AND t.baseline_date IS NOT NULL` },
    ],
    load: (c) => {
      // A document typed as a credit note but exported with a positive amount is stored negative; so
      // is a line flagged credit (SAP's H, "Haben"). An open-items export gives the open balance.
      const raw = c.has('open_amount') ? 't.open_amount' : 't.amount';
      const creditFlag = `upper(trim(COALESCE(t.debit_credit, ''))) IN ('H', 'C', 'CR', 'CREDIT', 'HABEN')`;
      const isPayment = `lower(trim(t.document_type)) IN ${PAYMENT_WORDS}`;
      const isCredit = `(lower(trim(t.document_type)) IN ${CREDIT_NOTE_WORDS} OR ${isPayment} OR ${raw} < 0 OR ${creditFlag})`;
      const signedWhen = (credit: string) => `CASE WHEN ${credit} THEN -abs(${raw}) ELSE ${raw} END`;
      const signed = signedWhen(isCredit);
      // The main insert classifies each row once (the classification appears three times in it, and
      // an expression inside CASE is evaluated again at each place: 0.5 s per million in duckdb-wasm).
      const classified = `(SELECT t.*, ${isPayment} AS is_payment, ${isCredit} AS is_credit FROM ${c.ok} t)`;
      // SAP net due date: baseline + the third term when set, else the second, else the first
      const sapDue = `t.baseline_date + COALESCE(NULLIF(t.terms3_days, 0), NULLIF(t.terms2_days, 0), t.terms1_days, 0)::INTEGER`;
      const terms = `COALESCE(t.payment_terms_days, cu.payment_terms_days, ${c.defaultTermsDays})`;
      const currency = `COALESCE(upper(t.currency), cu.currency, '${c.defaultCurrency}')`;
      const derived: Record<string, string> = {
        // Customers first met in this file; customers files are loaded before invoice files.
        // (grouped first, then the known customers left out; columns the file lacks are not aggregated:
        // 0.59 → 0.06 s for 0.9M rows in duckdb-wasm)
        customers: `INSERT INTO customers (customer_id, customer_name, ${DIMENSIONS.join(', ')}, currency, payment_terms_days, source_file)
          SELECT * FROM (
            SELECT t.customer_id, ${(['customer_name', ...DIMENSIONS] as const).map((d) => (c.has(d) ? `any_value(t.${d})` : 'NULL')).join(', ')},
                   ${c.has('currency') ? 'upper(any_value(t.currency))' : 'NULL'}, ${c.has('payment_terms_days') ? 'any_value(t.payment_terms_days)' : 'NULL'}, ${c.file}
            FROM ${c.ok} t GROUP BY t.customer_id) g
          WHERE NOT EXISTS (SELECT 1 FROM customers cu WHERE cu.customer_id = g.customer_id)`,
      };
      if (c.has('settled_date') || c.has('paid_amount')) {
        derived.payments = `INSERT INTO payments (payment_id, customer_id, invoice_id, payment_date, amount, currency, method, source_file, source_row)
          SELECT 'PAY-' || t.invoice_id, t.customer_id, t.invoice_id, t.settled_date,
                 COALESCE(t.paid_amount, ${signed}), i.currency, NULL, ${c.file}, t.rn
          FROM ${c.ok} t JOIN invoices i ON i.invoice_id = t.invoice_id
          WHERE t.settled_date IS NOT NULL AND COALESCE(t.paid_amount, ${signed}) <> 0`;
      }
      if (c.has('disputed')) {
        // The list has a flag, not a dispute log: the dispute is taken as opened on the invoice date
        // and resolved when the invoice was settled.
        derived.disputes = `INSERT INTO disputes (dispute_id, invoice_id, customer_id, opened_date, resolved_date, reason, status, source_file, source_row)
          SELECT 'DSP-' || t.invoice_id, t.invoice_id, t.customer_id, t.invoice_date, t.settled_date,
                 COALESCE(t.dispute_reason, 'unspecified'), CASE WHEN t.settled_date IS NULL THEN 'open' ELSE 'resolved' END, ${c.file}, t.rn
          FROM ${c.ok} t WHERE t.disputed`;
      }
      return {
        main: `INSERT INTO invoices (invoice_id, customer_id, invoice_date, due_date, amount, currency, document_type, ${DIMENSIONS.join(', ')}, reference, channel, source_file, source_row)
          SELECT t.invoice_id, t.customer_id, t.invoice_date,
                 COALESCE(t.due_date, ${c.has('baseline_date') ? sapDue : 'NULL'}, CASE WHEN t.is_credit THEN t.invoice_date ELSE t.invoice_date + ${terms}::INTEGER END),
                 ${signedWhen('t.is_credit')}, ${currency},
                 CASE WHEN t.is_payment THEN 'payment' WHEN t.is_credit THEN 'credit_note' ELSE 'invoice' END,
                 ${DIMENSIONS.map((d) => `t.${d}`).join(', ')}, t.reference, t.billing_channel, ${c.file}, t.rn
          FROM ${classified} t LEFT JOIN customers cu ON cu.customer_id = t.customer_id`,
        derived,
      };
    },
  },
  {
    key: 'payments',
    table: 'payments',
    required: ['payment_date', 'amount'],
    optional: ['payment_id', 'invoice_id', 'customer_id', 'currency', 'method'],
    amount: 'amount',
    // A payment naming an invoice the ledger does not have is kept, as unapplied cash of its customer.
    checks: () => [{ field: 'customer_id', reason: 'no_customer', where: `t.customer_id IS NULL AND NOT ${invoiceKnown}` }],
    warnings: (c) => [
      { field: 'invoice_id', reason: 'unknown_invoice_unapplied', where: `t.invoice_id IS NOT NULL AND NOT ${invoiceKnown} AND t.customer_id IS NOT NULL` },
      {
        field: 'amount',
        reason: 'paid_more_than_invoice',
        // (computed once for the file, not row by row)
        where: `t.invoice_id IN (
                  SELECT i.invoice_id FROM invoices i
                  JOIN (SELECT invoice_id, sum(amount) AS paid
                        FROM (SELECT invoice_id, amount FROM payments UNION ALL SELECT invoice_id, amount FROM ${c.ok})
                        WHERE invoice_id IS NOT NULL GROUP BY invoice_id) p USING (invoice_id)
                  WHERE i.amount > 0 AND p.paid > i.amount)`,
      },
      future(c, 'payment_date'),
    ],
    notes: (c) => [{ key: 'unapplied_cash_rows', from: `${c.ok} t`, where: `t.invoice_id IS NULL OR NOT ${invoiceKnown}` }],
    load: (c) => ({
      main: `INSERT INTO payments (payment_id, customer_id, invoice_id, payment_date, amount, currency, method, source_file, source_row)
        SELECT ${genId(c, 'payment_id')}, ${customerOfRow}, i.invoice_id, t.payment_date, t.amount,
               COALESCE(upper(t.currency), i.currency, cu.currency, '${c.defaultCurrency}'),
               t.method, ${c.file}, t.rn
        FROM ${withInvoice(c)} LEFT JOIN customers cu ON cu.customer_id = t.customer_id`,
    }),
  },
  {
    key: 'customers',
    table: 'customers',
    required: ['customer_id', 'customer_name'],
    optional: [...DIMENSIONS, 'currency', 'payment_terms_days', 'status', 'credit_limit', 'contact_name', 'email', 'phone'],
    id: 'customer_id',
    load: (c) => ({
      // A customers file replaces the stubs that invoice files created for customers they named.
      main: `DELETE FROM customers WHERE source_row IS NULL AND customer_id IN (SELECT customer_id FROM ${c.ok});
        INSERT INTO customers (customer_id, customer_name, ${DIMENSIONS.join(', ')}, currency, payment_terms_days, status, source_file, source_row)
        SELECT t.customer_id, t.customer_name, ${DIMENSIONS.map((d) => `t.${d}`).join(', ')}, upper(t.currency), t.payment_terms_days, t.status, ${c.file}, t.rn
        FROM ${c.ok} t`,
      derived:
        c.has('credit_limit') || c.has('email') || c.has('phone')
          ? {
              ...(c.has('credit_limit')
                ? {
                    credit_limits: `INSERT INTO credit_limits (customer_id, credit_limit, currency, source_file, source_row)
              SELECT t.customer_id, t.credit_limit, COALESCE(upper(t.currency), '${c.defaultCurrency}'), ${c.file}, t.rn
              FROM ${c.ok} t WHERE t.credit_limit IS NOT NULL`,
                  }
                : {}),
              // a customers file's e-mail and phone columns: one contact per customer
              ...(c.has('email') || c.has('phone')
                ? {
                    contacts: `INSERT INTO contacts (customer_id, contact_name, email, phone, source_file, source_row)
              SELECT t.customer_id, ${c.has('contact_name') ? 't.contact_name' : 'NULL'}, ${c.has('email') ? 'NULLIF(trim(t.email), \'\')' : 'NULL'},
                     ${c.has('phone') ? 'NULLIF(trim(t.phone), \'\')' : 'NULL'}, ${c.file}, t.rn
              FROM ${c.ok} t WHERE ${[c.has('email') ? 't.email IS NOT NULL' : null, c.has('phone') ? 't.phone IS NOT NULL' : null].filter(Boolean).join(' OR ')}`,
                  }
                : {}),
            }
          : undefined,
    }),
  },
  {
    key: 'credit_limits',
    table: 'credit_limits',
    required: ['customer_id', 'credit_limit'],
    optional: ['currency', 'valid_from', 'valid_to'],
    amount: 'credit_limit',
    load: (c) => ({
      main: `INSERT INTO credit_limits (customer_id, credit_limit, currency, valid_from, valid_to, source_file, source_row)
        SELECT t.customer_id, t.credit_limit, COALESCE(upper(t.currency), '${c.defaultCurrency}'), t.valid_from, t.valid_to, ${c.file}, t.rn
        FROM ${c.ok} t`,
    }),
  },
  {
    key: 'disputes',
    table: 'disputes',
    required: ['opened_date'],
    optional: ['dispute_id', 'invoice_id', 'customer_id', 'resolved_date', 'dispute_reason', 'status', 'owner', 'amount'],
    id: 'dispute_id',
    amount: 'amount',
    checks: referencesInvoiceOrCustomer,
    load: (c) => ({
      main: `INSERT INTO disputes (dispute_id, invoice_id, customer_id, opened_date, resolved_date, reason, status, owner, amount, source_file, source_row)
        SELECT ${genId(c, 'dispute_id')}, t.invoice_id, ${customerOfRow}, t.opened_date, t.resolved_date,
               COALESCE(t.dispute_reason, 'unspecified'), COALESCE(t.status, CASE WHEN t.resolved_date IS NULL THEN 'open' ELSE 'resolved' END),
               t.owner, t.amount, ${c.file}, t.rn
        FROM ${withInvoice(c)}`,
    }),
  },
  {
    key: 'promises',
    table: 'promises',
    required: ['promised_on', 'promised_date'],
    optional: ['promise_id', 'customer_id', 'invoice_id', 'amount', 'status'],
    id: 'promise_id',
    amount: 'amount',
    checks: referencesInvoiceOrCustomer,
    load: (c) => ({
      main: `INSERT INTO promises (promise_id, customer_id, invoice_id, promised_on, promised_date, amount, status, source_file, source_row)
        SELECT ${genId(c, 'promise_id')}, ${customerOfRow}, t.invoice_id, t.promised_on, t.promised_date,
               t.amount, t.status, ${c.file}, t.rn
        FROM ${withInvoice(c)}`,
    }),
  },
  {
    key: 'actions',
    table: 'actions',
    required: ['action_date', 'action_type'],
    optional: ['action_id', 'customer_id', 'invoice_id', 'channel', 'collector', 'automated', 'outcome'],
    id: 'action_id',
    checks: referencesInvoiceOrCustomer,
    load: (c) => ({
      main: `INSERT INTO actions (action_id, customer_id, invoice_id, action_date, action_type, channel, collector, automated, outcome, source_file, source_row)
        SELECT ${genId(c, 'action_id')}, ${customerOfRow}, t.invoice_id, t.action_date, lower(t.action_type),
               t.channel, t.collector, t.automated, t.outcome, ${c.file}, t.rn
        FROM ${withInvoice(c)}`,
    }),
  },
  {
    key: 'contacts',
    table: 'contacts',
    required: ['customer_id', 'contact_name'],
    optional: ['role', 'email', 'phone'],
    load: (c) => ({
      main: `INSERT INTO contacts (customer_id, contact_name, role, email, phone, source_file, source_row)
        SELECT t.customer_id, t.contact_name, ${c.has('role') ? 't.role' : 'NULL'}, ${c.has('email') ? "NULLIF(trim(t.email), '')" : 'NULL'},
               ${c.has('phone') ? "NULLIF(trim(t.phone), '')" : 'NULL'}, ${c.file}, t.rn
        FROM ${c.ok} t`,
    }),
  },
  {
    key: 'fx_rates',
    table: 'fx_rates',
    required: ['rate_date', 'currency', 'to_currency', 'rate'],
    optional: [],
    checks: () => [{ field: 'rate', reason: 'bad_rate', where: `t.rate <= 0` }],
    load: (c) => ({
      main: `INSERT INTO fx_rates (rate_date, from_currency, to_currency, rate, source_file, source_row)
        SELECT t.rate_date, upper(t.currency), upper(t.to_currency), t.rate, ${c.file}, t.rn FROM ${c.ok} t`,
    }),
  },
  ...FEC_LAYOUTS,
  CUSTOMER_LEDGER,
  {
    // Due dates for invoices already in the ledger: what a FEC lacks, from the ERP's open-item list.
    key: 'due_dates',
    table: 'invoices',
    complement: true,
    required: ['invoice_id', 'due_date'],
    optional: [],
    checks: () => [{ field: 'invoice_id', reason: 'unknown_invoice', where: `NOT ${invoiceKnown}` }],
    load: (c) => ({
      main: `UPDATE invoices SET due_date = t.due_date FROM ${c.ok} t WHERE invoices.invoice_id = t.invoice_id`,
    }),
  },
];

/** Files are loaded in this order so that references (invoice of a payment, ...) resolve. */
export const LOAD_ORDER: readonly LayoutKey[] = ['customers', 'credit_limits', 'contacts', 'fx_rates', 'invoices', 'fec', 'fec_signed', 'customer_ledger', 'due_dates', 'payments', 'disputes', 'promises', 'actions'];

export function layoutOf(key: LayoutKey): Layout {
  const l = LAYOUTS.find((x) => x.key === key);
  if (!l) throw new Error(`unknown layout ${key}`);
  return l;
}
