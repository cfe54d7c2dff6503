-- Promises to pay, in scope (by the promising customer's dimensions and the promise's invoice currency).
--
--   promise_kept_rate = promises whose promised date is in the period and on or before as_of, kept
--                       / those promises × 100
--   kept: the payments allocated to the promised invoice, dated from the day the promise was made
--   (promised_on) to the promised date inclusive, cover the promised amount (the invoice's open
--   amount on promised_on when the promise states none). A promise without an invoice counts the
--   customer's payments of the window, allocated or not. The recorded status is not used.
CREATE OR REPLACE MACRO promise_outcomes(as_of, period_days, cur, dim, val) AS TABLE
WITH p AS (
  SELECT pr.*, c.currency AS customer_currency
  FROM promises pr LEFT JOIN customers c ON c.customer_id = pr.customer_id
  WHERE pr.promised_date > as_of::DATE - period_days::INTEGER AND pr.promised_date <= as_of::DATE
    AND enc_in_slice(dim, val, pr.customer_id, c.entity, c.division, c.salesperson, c.collector, c.category, c.country)
)
SELECT p.promise_id, p.customer_id, p.invoice_id, p.promised_on, p.promised_date,
       COALESCE(p.amount,
                (SELECT i.amount FROM invoices i WHERE i.invoice_id = p.invoice_id)
                - (SELECT COALESCE(sum(pa.amount), 0) FROM payments pa WHERE pa.invoice_id = p.invoice_id AND pa.payment_date <= p.promised_on))
         AS promised_amount,
       CASE WHEN p.invoice_id IS NOT NULL
            THEN (SELECT COALESCE(sum(pa.amount), 0) FROM payments pa
                  WHERE pa.invoice_id = p.invoice_id AND pa.payment_date BETWEEN p.promised_on AND p.promised_date)
            ELSE (SELECT COALESCE(sum(pa.amount), 0) FROM payments pa
                  WHERE pa.customer_id = p.customer_id AND pa.payment_date BETWEEN p.promised_on AND p.promised_date) END AS paid_in_window
FROM p
WHERE COALESCE((SELECT i.currency FROM invoices i WHERE i.invoice_id = p.invoice_id), p.customer_currency, cur) = cur;

CREATE OR REPLACE MACRO kpi_promises(as_of, period_days, cur, dim, val) AS TABLE
SELECT CASE WHEN count(*) > 0 THEN count(*) FILTER (WHERE paid_in_window >= promised_amount)::DOUBLE / count(*) * 100 END AS promise_kept_rate,
       count(*) AS promises_due
FROM promise_outcomes(as_of, period_days, cur, dim, val);
