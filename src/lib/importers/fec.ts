/**
 * The French FEC (Fichier des Écritures Comptables, art. A47 A-1 du Livre des procédures fiscales):
 * every accounting line of the year, 18 fixed columns (Debit/Credit, or Montant + Sens), tab or
 * pipe separated, dates AAAAMMJJ, decimal comma. The receivables ledger is rebuilt from it:
 *
 *  - receivable accounts: 411* (customers), 413* (bills receivable), 416* (doubtful), 419*
 *    (advances). The customer is CompAuxNum (auxiliary ledger) or, without one, the account itself.
 *  - each entry (JournalCode + EcritureNum; journal codes are free-form, so the entry is classified
 *    by its counterpart accounts, never by its journal) is, first match wins:
 *      opening   an 89* line, or an à-nouveaux journal (AN, RAN, ANO): balances carried forward
 *      write_off a 654* or 6714* loss on receivables line (its output VAT reversal, 4457*, too)
 *      sale      a 70* sales or 4457* output VAT line
 *      cash      a 5* bank or cash line
 *      transfer  receivable accounts only (411 → 416 doubtful, 411 → 413 bill, customer to customer)
 *      misc      anything else: reported with its effect
 *  - receivable debits are items (invoices; opening balances, transfers and other debits are items
 *    that are not sales); receivable credits of sales entries are credit notes (negative items);
 *    other receivable credits settle items: payments (cash), write-offs, transfers, misc.
 *  - allocation through lettrage: within one account, customer and EcritureLet code, credits settle
 *    debits oldest first (by date, then file line). The allocation is dated when the match was made,
 *    DateLet (never before the credit itself), so at an earlier as-of date the items are still
 *    open and the cash is unapplied. Partial lettrage (debits and credits of a code that do not
 *    balance) leaves the rest open or unapplied. Unlettered credits are unapplied cash (payments)
 *    or open credit notes.
 *  - due date = item date + the customer's payment terms (customers file) or the import's default.
 */
import type { Layout, LoadContext, Note } from './layouts';

const RECEIVABLE = (a: string) => `(${a} LIKE '411%' OR ${a} LIKE '413%' OR ${a} LIKE '416%' OR ${a} LIKE '419%')`;

/** The temporary tables of one FEC load, named after the load's own staging tables. */
export const names = (c: LoadContext) => ({ lines: `${c.ok}_fec`, items: `${c.ok}_fec_items`, alloc: `${c.ok}_fec_alloc` });

/** `due`: the lines carry their own due date (`t.fec_due`, a customer ledger's Échéance); else
 *  the item's date + terms. */
export function build(c: LoadContext, signed: boolean, due = false): string {
  const { lines, items, alloc } = names(c);
  // debit − credit of the line (Montant + Sens variant: Sens D or C)
  const net = signed
    ? `CASE WHEN upper(trim(t.fec_sens)) IN ('C', 'CREDIT', '-1') THEN -t.fec_amount ELSE t.fec_amount END`
    : `COALESCE(t.fec_debit, 0) - COALESCE(t.fec_credit, 0)`;
  return `
CREATE TEMP TABLE ${lines} AS
-- Each line's account as a rank (the classes below, first match wins, highest first); an entry's
-- kind is its highest rank, and a transfer when its lowest is still a receivable (all lines are).
WITH entries AS (
  SELECT fec_journal AS journal, fec_entry AS entry, max(rank) AS top, min(rank) AS bottom
  FROM (SELECT fec_journal, fec_entry,
               CASE WHEN fec_account LIKE '89%' OR upper(fec_journal) IN ('AN', 'RAN', 'ANO', 'ANX') THEN 5
                    WHEN fec_account LIKE '654%' OR fec_account LIKE '6714%' THEN 4
                    WHEN fec_account LIKE '70%' OR fec_account LIKE '4457%' THEN 3
                    WHEN fec_account LIKE '5%' THEN 2
                    WHEN ${RECEIVABLE('fec_account')} THEN 1
                    ELSE 0 END::UTINYINT AS rank
        FROM ${c.ok})
  GROUP BY ALL
), l AS (
  -- only the receivable lines are kept (the others only classify their entry)
  SELECT t.rn, t.fec_journal AS journal, t.fec_entry AS entry, t.fec_date AS entry_date,
         t.fec_account AS account, ${net} AS net,
         COALESCE(t.fec_aux, t.fec_account) AS customer_id,
         COALESCE(t.fec_aux_label, t.fec_account_label) AS customer_name,
         t.fec_piece AS piece, COALESCE(t.fec_piece_date, t.fec_date) AS piece_date,
         t.fec_let AS let, t.fec_let_date AS let_date, ${due ? 't.fec_due' : 'NULL::DATE'} AS due_date
  FROM ${c.ok} t
  WHERE ${RECEIVABLE('t.fec_account')} AND ${net} <> 0
)
SELECT l.*,
       CASE e.top WHEN 5 THEN 'opening' WHEN 4 THEN 'write_off' WHEN 3 THEN 'sale' WHEN 2 THEN 'cash'
                  ELSE CASE WHEN e.bottom = 1 THEN 'transfer' ELSE 'misc' END END AS kind,
       CASE WHEN l.net > 0 OR e.top IN (3, 5) THEN 'item' ELSE 'settlement' END AS role
FROM l JOIN entries e USING (journal, entry);

-- Items get the piece reference as invoice number (made unique with the file line when a piece
-- has several receivable lines, or was loaded before).
CREATE TEMP TABLE ${items} AS
WITH f AS (SELECT *, COALESCE(piece, journal || '-' || entry) AS ref FROM ${lines} WHERE role = 'item'),
taken AS (
  SELECT ref FROM f GROUP BY ref HAVING count(*) > 1
  UNION ALL
  SELECT invoice_id FROM invoices WHERE invoice_id IN (SELECT ref FROM f)
)
SELECT f.* EXCLUDE (ref),
       CASE WHEN f.ref IN (SELECT ref FROM taken) THEN f.ref || '/' || f.rn ELSE f.ref END AS invoice_id,
       CASE WHEN f.kind = 'sale' AND f.net < 0 THEN 'credit_note'
            WHEN f.kind = 'sale' THEN 'invoice'
            WHEN f.kind = 'opening' THEN 'opening_balance'
            WHEN f.kind = 'transfer' THEN 'transfer'
            ELSE 'other_debit' END AS document_type
FROM f;

-- Lettrage: per account, customer and code, credits settle debits oldest first. Each side's
-- cumulative range [lo, hi) is laid on the same axis; an allocation is the overlap of a debit's
-- range with a credit's.
CREATE TEMP TABLE ${alloc} AS
WITH debits AS (
  SELECT invoice_id, account, customer_id, let, let_date, net AS amount,
         sum(net) OVER w - net AS lo, sum(net) OVER w AS hi
  FROM ${items} WHERE let IS NOT NULL AND net > 0
  WINDOW w AS (PARTITION BY account, customer_id, let ORDER BY piece_date, rn ROWS UNBOUNDED PRECEDING)
), credits AS (
  SELECT x.rn, x.journal, x.entry, x.role, x.entry_date, x.let_date, x.kind, i.invoice_id AS own_invoice,
         x.account, x.customer_id, x.let, -x.net AS amount,
         sum(-x.net) OVER w + x.net AS lo, sum(-x.net) OVER w AS hi
  FROM ${lines} x LEFT JOIN ${items} i ON i.rn = x.rn
  WHERE x.let IS NOT NULL AND x.net < 0
  WINDOW w AS (PARTITION BY x.account, x.customer_id, x.let ORDER BY x.entry_date, x.rn ROWS UNBOUNDED PRECEDING)
)
SELECT c.rn AS credit_rn, c.journal, c.entry, c.role, c.kind, c.own_invoice, c.customer_id, c.entry_date AS credit_date,
       d.invoice_id, greatest(c.entry_date, COALESCE(c.let_date, d.let_date, c.entry_date)) AS alloc_date,
       least(d.hi, c.hi) - greatest(d.lo, c.lo) AS amount
FROM debits d JOIN credits c USING (account, customer_id, let)
WHERE least(d.hi, c.hi) > greatest(d.lo, c.lo);

INSERT INTO invoices (invoice_id, customer_id, invoice_date, due_date, amount, currency, document_type, reference, source_file, source_row)
SELECT f.invoice_id, f.customer_id, f.piece_date,
       COALESCE(f.due_date, CASE WHEN f.net < 0 THEN f.piece_date ELSE f.piece_date + COALESCE(cu.payment_terms_days, ${c.defaultTermsDays})::INTEGER END),
       f.net, '${c.defaultCurrency}', f.document_type, f.journal || '-' || f.entry, ${c.file}, f.rn
FROM ${items} f LEFT JOIN customers cu ON cu.customer_id = f.customer_id;`;
}

export function payments(c: LoadContext): string {
  const { lines, alloc } = names(c);
  const method = (kind: string) => `CASE ${kind} WHEN 'cash' THEN 'bank' WHEN 'write_off' THEN 'write_off' WHEN 'transfer' THEN 'reclassification' ELSE 'misc_entry' END`;
  // a settlement line's id; the allocations carry its journal, entry and kind (no join back to the lines)
  const payId = (s: string, rn: string) => `'FEC-' || ${s}.journal || '-' || ${s}.entry || '-' || ${rn}`;
  return `INSERT INTO payments (payment_id, customer_id, invoice_id, payment_date, amount, currency, method, source_file, source_row)
-- settlements allocated through lettrage
SELECT ${payId('a', 'a.credit_rn')}, a.customer_id, a.invoice_id, a.alloc_date, a.amount, '${c.defaultCurrency}', ${method('a.kind')}, ${c.file}, a.credit_rn
FROM ${alloc} a WHERE a.role = 'settlement'
UNION ALL
-- credit notes lettered against invoices: the invoice and the credit note are both cleared
SELECT 'FEC-AV-' || a.credit_rn, a.customer_id, x.invoice_id, a.alloc_date, x.amount, '${c.defaultCurrency}', 'credit_note', ${c.file}, a.credit_rn
FROM ${alloc} a, LATERAL (VALUES (a.invoice_id, a.amount), (a.own_invoice, -a.amount)) x(invoice_id, amount)
WHERE a.role = 'item'
UNION ALL
-- settlement cash not (yet) matched: unapplied from its own date; the part matched later leaves
-- the unapplied balance on the day it is matched
SELECT ${payId('s', 's.rn')}, s.customer_id, NULL, s.entry_date, s.unapplied, '${c.defaultCurrency}', ${method('s.kind')}, ${c.file}, s.rn
FROM (SELECT s.*, -s.net - COALESCE(same_day.amount, 0) AS unapplied
      FROM ${lines} s
      LEFT JOIN (SELECT credit_rn, sum(amount) AS amount FROM ${alloc} WHERE alloc_date = credit_date GROUP BY credit_rn) same_day
        ON same_day.credit_rn = s.rn
      WHERE s.role = 'settlement') s
WHERE s.unapplied <> 0
UNION ALL
SELECT ${payId('a', 'a.credit_rn')}, a.customer_id, NULL, a.alloc_date, -a.amount, '${c.defaultCurrency}', ${method('a.kind')}, ${c.file}, a.credit_rn
FROM ${alloc} a WHERE a.role = 'settlement' AND a.alloc_date > a.credit_date`;
}

export function notes(c: LoadContext): Note[] {
  const { lines, items } = names(c);
  const n = (key: string, where: string, table = lines): Note => ({ key, from: table, where });
  return [
    n('fec_invoices', `document_type = 'invoice'`, items),
    n('fec_credit_notes', `document_type = 'credit_note'`, items),
    n('fec_opening_balances', `document_type = 'opening_balance'`, items),
    n('fec_transfers', `kind = 'transfer'`),
    n('fec_payments', `role = 'settlement' AND kind = 'cash'`),
    n('fec_write_offs', `role = 'settlement' AND kind = 'write_off'`),
    n('fec_misc_lines', `kind = 'misc'`),
    n('fec_other_debits', `document_type = 'other_debit'`, items),
    n('fec_receivable_lines', `true`),
    n('fec_lettered_lines', `let IS NOT NULL`),
    n('fec_unlettered_credits', `let IS NULL AND net < 0`),
    { key: 'fec_other_account_lines', from: `${c.ok} t`, where: `NOT ${RECEIVABLE('t.fec_account')}` },
  ];
}

// The columns the rebuild reads. The others (JournalLib, EcritureLib, ValidDate, Montantdevise,
// Idevise, CodeEtablissement) are listed as not used, and not typed: a bad cell there rejects nothing.
const FEC_OPTIONAL = ['fec_account_label', 'fec_aux', 'fec_aux_label', 'fec_piece', 'fec_piece_date', 'fec_let', 'fec_let_date'] as const;

function fecLayout(signed: boolean): Layout {
  return {
    key: signed ? 'fec_signed' : 'fec',
    table: 'invoices',
    required: signed
      ? ['fec_journal', 'fec_entry', 'fec_date', 'fec_account', 'fec_amount', 'fec_sens']
      : ['fec_journal', 'fec_entry', 'fec_date', 'fec_account', 'fec_debit', 'fec_credit'],
    optional: FEC_OPTIONAL,
    amount: signed ? 'fec_amount' : 'fec_debit',
    checks: () =>
      signed ? [{ field: 'fec_sens', reason: 'bad_sens', where: `upper(trim(t.fec_sens)) NOT IN ('D', 'C', 'DEBIT', 'CREDIT', '1', '-1')` }] : [],
    notes,
    load: (c) => ({
      main: build(c, signed),
      derived: {
        payments: payments(c),
        customers: `INSERT INTO customers (customer_id, customer_name, source_file)
          SELECT customer_id, any_value(customer_name), ${c.file} FROM ${names(c).lines}
          WHERE customer_id NOT IN (SELECT customer_id FROM customers) GROUP BY customer_id`,
      },
    }),
    cleanup: (c) => Object.values(names(c)).map((t) => `DROP TABLE IF EXISTS ${t};`).join('\n'),
  };
}

export const FEC_LAYOUTS: readonly Layout[] = [fecLayout(false), fecLayout(true)];
