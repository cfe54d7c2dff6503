/**
 * A customer ledger ("grand livre clients", "grand-livre auxiliaire", an account statement from the
 * accounting software): the dated lines of the customer accounts, debit and credit, with the piece,
 * the lettrage and the due date when the software gives them. It is rebuilt like a FEC (fec.ts:
 * items, credit notes, payments, lettrage allocations, unapplied cash), but a customer ledger has no
 * counterpart accounts, so each line's kind is read from its journal code and its label:
 *
 *   opening     journal AN / RAN / ANO / ANX, or "report à nouveau", "solde à nouveau"…
 *   write-off   "perte", "irrécouvrable" in the label
 *   sale        journal VE*, VT*, FA* (sales): a debit is an invoice, a credit a credit note
 *   cash        journal BQ*, BN*, BA*, CA*, CS*, BP*, CCP*, REG*, TR* (bank, cash)
 *   misc        journal OD* (miscellaneous entries)
 *   otherwise   "avoir" in the label: a credit note; else a credit is a payment, a debit an invoice
 *
 * Each line becomes an entry of its own, with one counterpart line of that kind (89, 654, 706, 512,
 * 471), and goes through the FEC's rebuild. Subtotal lines inside the file ("Total compte 411DUP")
 * are rejected and listed, never counted twice.
 */
import { build, names, notes as fecNotes, payments } from './fec';
import { totalLabelSql } from './total-label';
import type { Layout, LoadContext } from './layouts';

/** The lines as a FEC would have them (fec_* columns), in their own temporary table. */
const shaped = (c: LoadContext): LoadContext => ({ ...c, ok: `${c.ok}_gl` });

function shape(c: LoadContext): string {
  const label = `lower(COALESCE(t.gl_label, ''))`;
  const journal = `upper(COALESCE(trim(t.gl_journal), ''))`;
  return `
CREATE TEMP TABLE ${shaped(c).ok} AS
WITH k AS (
  SELECT t.rn, COALESCE(NULLIF(trim(t.gl_journal), ''), 'GL') AS journal, t.gl_date AS d, trim(t.gl_customer) AS customer,
         t.gl_customer_name AS name, t.gl_piece AS piece, t.gl_let AS let, t.gl_let_date AS let_date, t.gl_due AS due,
         COALESCE(t.gl_debit, 0) AS debit, COALESCE(t.gl_credit, 0) AS credit,
         CASE WHEN ${journal} IN ('AN', 'RAN', 'ANO', 'ANX')
                   OR regexp_matches(${label}, '(report|reprise|solde)s?\\s+(à|a)[\\s-]?nouveau|^(à|a)[\\s-]?nouveaux?\\b') THEN '890'
              WHEN regexp_matches(${label}, 'perte|irr[ée]couvrable') THEN '654'
              WHEN regexp_matches(${journal}, '^(VE|VT|FA)') THEN '706'
              WHEN regexp_matches(${journal}, '^(BQ|BN|BA|CA|CS|BP|CCP|REG|TR)') THEN '512'
              WHEN regexp_matches(${journal}, '^OD') THEN '471'
              WHEN regexp_matches(${label}, '\\bavoirs?\\b|credit note') THEN '706'
              WHEN COALESCE(t.gl_credit, 0) > COALESCE(t.gl_debit, 0) THEN '512'
              ELSE '706' END AS counterpart
  FROM ${c.ok} t
)
SELECT rn, journal AS fec_journal, rn::VARCHAR AS fec_entry, d AS fec_date, '411' AS fec_account, NULL::VARCHAR AS fec_account_label,
       customer AS fec_aux, name AS fec_aux_label, piece AS fec_piece, d AS fec_piece_date, let AS fec_let, let_date AS fec_let_date,
       debit AS fec_debit, credit AS fec_credit, due AS fec_due
FROM k
UNION ALL
SELECT -rn, journal, rn::VARCHAR, d, counterpart, NULL, NULL, NULL, NULL, d, NULL, NULL, credit, debit, NULL FROM k;
`;
}

export const CUSTOMER_LEDGER: Layout = {
  key: 'customer_ledger',
  table: 'invoices',
  required: ['gl_customer', 'gl_date', 'gl_debit', 'gl_credit'],
  // a line fills its debit or its credit, not both
  emptyAllowed: ['gl_debit', 'gl_credit'],
  optional: ['gl_customer_name', 'gl_journal', 'gl_piece', 'gl_label', 'gl_let', 'gl_let_date', 'gl_due'],
  amount: 'gl_debit',
  aside: { field: 'gl_label', reason: 'subtotal_row', where: `${totalLabelSql('t.gl_customer')} OR ${totalLabelSql('t.gl_label')} OR ${totalLabelSql('t.gl_piece')}`, value: 'COALESCE(t.gl_label, t.gl_customer, t.gl_piece)' },
  checks: () => [{ field: 'gl_debit', reason: 'required_missing', where: `t.gl_debit IS NULL AND t.gl_credit IS NULL` }],
  notes: (c) => [
    { key: 'gl_lines', from: `${c.ok} t`, where: 'true' },
    ...fecNotes(shaped(c)).filter((n) => n.key !== 'fec_other_account_lines' && n.key !== 'fec_receivable_lines'),
  ],
  load: (c) => ({
    main: shape(c) + build(shaped(c), false, true),
    derived: {
      payments: payments(shaped(c)),
      customers: `INSERT INTO customers (customer_id, customer_name, source_file)
        SELECT customer_id, any_value(customer_name), ${c.file} FROM ${names(shaped(c)).lines}
        WHERE customer_id NOT IN (SELECT customer_id FROM customers) GROUP BY customer_id`,
    },
  }),
  cleanup: (c) => [...Object.values(names(shaped(c))), shaped(c).ok].map((t) => `DROP TABLE IF EXISTS ${t};`).join('\n'),
};
