-- One customer, as of a date, for its page (customer 360). Facts, not KPIs: the KPIs of one
-- customer are the catalogue's, sliced by customer.

-- Its history up to as_of, newest first: documents (kind = the document type, amount as invoiced)
-- and settlements (kind = the payment method, amount negative: it reduces what is owed), with, for a
-- settlement allocated to a document, its days against the due date (payment − due; negative =
-- early). Amounts in their own currency (the currency column): a history is not converted.
CREATE OR REPLACE MACRO customer_history(as_of, customer, lim) AS TABLE
WITH moves AS (
  SELECT f.invoice_date AS d, ds.document_type AS kind, f.invoice_id AS document, f.amount::DOUBLE AS amount,
         f.due_date, NULL::INTEGER AS days_late, ds.currency
  FROM invoice_facts f JOIN dimset_facts ds ON ds.dimset_key = f.dimset_key
  WHERE ds.customer_id = customer AND f.invoice_date <= as_of::DATE
  UNION ALL
  SELECT p.payment_date, COALESCE(lower(p.method), 'payment'), p.invoice_id, -p.amount::DOUBLE,
         NULL::DATE, (p.payment_date - f.due_date)::INTEGER, COALESCE(p.currency, ds.currency)
  FROM payments p LEFT JOIN invoice_facts f ON f.invoice_id = p.invoice_id
  LEFT JOIN dimset_facts ds ON ds.dimset_key = f.dimset_key
  WHERE COALESCE(p.customer_id, ds.customer_id) = customer AND p.payment_date <= as_of::DATE
)
SELECT strftime(d, '%Y-%m-%d') AS date, kind, document, amount, strftime(due_date, '%Y-%m-%d') AS due_date, days_late, currency,
       row_number() OVER (ORDER BY d DESC, amount < 0, document) AS seq, count(*) OVER () AS row_count
FROM moves
ORDER BY seq
LIMIT lim;

-- What happened with it up to as_of, newest first: disputes (open or resolved at as_of), promises
-- (kept or broken once their date has passed, by promise_outcomes' rule; pending before) and
-- collection actions.
CREATE OR REPLACE MACRO customer_events(as_of, cur, customer) AS TABLE
WITH outcomes AS (
  SELECT promise_id, paid_in_window >= promised_amount AS kept
  FROM promise_outcomes(as_of, 36600, cur, 'customer', customer)
), ev AS (
  SELECT d.opened_date AS d, 'dispute' AS kind, d.dispute_id AS id, d.invoice_id,
         d.reason AS detail, d.owner AS who,
         CASE WHEN d.resolved_date IS NULL OR d.resolved_date > as_of::DATE THEN 'open' ELSE 'resolved' END AS status,
         d.amount::DOUBLE AS amount
  FROM disputes d LEFT JOIN invoices i ON i.invoice_id = d.invoice_id
  WHERE COALESCE(d.customer_id, i.customer_id) = customer AND d.opened_date <= as_of::DATE
  UNION ALL
  SELECT p.promised_on, 'promise', p.promise_id, p.invoice_id, strftime(p.promised_date, '%Y-%m-%d'), NULL,
         CASE WHEN p.promised_date > as_of::DATE THEN 'pending' WHEN o.kept THEN 'kept' WHEN o.kept = false THEN 'broken' END,
         p.amount::DOUBLE
  FROM promises p LEFT JOIN outcomes o USING (promise_id)
  WHERE p.customer_id = customer AND p.promised_on <= as_of::DATE
  UNION ALL
  SELECT a.action_date, 'action', a.action_id, a.invoice_id, a.action_type, a.collector,
         COALESCE(a.outcome, CASE WHEN a.automated THEN 'automated' END), NULL
  FROM actions a WHERE a.customer_id = customer AND a.action_date <= as_of::DATE
)
SELECT strftime(d, '%Y-%m-%d') AS date, kind, id, invoice_id, detail, who, status, amount
FROM ev ORDER BY d DESC, kind, id;
