-- Promises to pay, in scope (by the promising customer's dimensions and the promise's invoice currency).
-- Kept or not compares amounts of one invoice, so a reporting currency changes nothing here.
--
--   promise_kept_rate = promises whose promised date is in the period and on or before as_of, kept
--                       / those promises × 100
--   kept: the payments allocated to the promised invoice, dated from the day the promise was made
--   (promised_on) to the promised date inclusive, cover the promised amount (the invoice's open
--   amount on promised_on when the promise states none). A promise without an invoice counts the
--   customer's payments of the window, allocated or not. The recorded status is not used.
CREATE OR REPLACE MACRO promise_outcomes(as_of, period_days, cur, dim, val) AS TABLE
WITH p AS (
  SELECT pf.* REPLACE (COALESCE(pf.currency, ltrim(cur, '*')) AS currency)
  FROM promise_facts pf
  WHERE pf.promised_date > as_of::DATE - period_days::INTEGER AND pf.promised_date <= as_of::DATE
    AND enc_in_slice(dim, val, pf.customer_id, pf.entity, pf.division, pf.salesperson, pf.collector, pf.category, pf.country)
), by_invoice AS (
  -- promises on an invoice: the payments allocated to it (the import refuses a promise on an
  -- invoice the ledger does not have; one whose invoice a later import took away finds none)
  SELECT p.promise_id,
         p.invoice_amount - COALESCE(sum(pa.amount) FILTER (WHERE pa.payment_date <= p.promised_on), 0) AS open_on_promise,
         COALESCE(sum(pa.amount) FILTER (WHERE pa.payment_date BETWEEN p.promised_on AND p.promised_date), 0) AS paid_in_window
  FROM p LEFT JOIN allocation_facts pa ON pa.inv_key = p.inv_key AND pa.payment_date <= p.promised_date
  WHERE p.invoice_id IS NOT NULL
  GROUP BY p.promise_id, p.invoice_amount
), by_customer AS (
  -- promises without an invoice: the customer's payments, allocated or not
  SELECT p.promise_id, NULL AS open_on_promise,
         COALESCE(sum(pa.amount) FILTER (WHERE pa.payment_date BETWEEN p.promised_on AND p.promised_date), 0) AS paid_in_window
  FROM p LEFT JOIN payments pa ON pa.customer_id = p.customer_id AND pa.payment_date <= p.promised_date
  WHERE p.invoice_id IS NULL
  GROUP BY p.promise_id
), paid AS (
  SELECT * FROM by_invoice UNION ALL SELECT * FROM by_customer
)
SELECT p.promise_id, p.customer_id, p.invoice_id, p.promised_on, p.promised_date,
       COALESCE(p.amount, paid.open_on_promise) AS promised_amount,
       paid.paid_in_window
FROM p JOIN paid USING (promise_id)
WHERE enc_cur_ok(p.currency, cur);

CREATE OR REPLACE MACRO kpi_promises(as_of, period_days, cur, dim, val) AS TABLE
SELECT CASE WHEN count(*) > 0 THEN count(*) FILTER (WHERE paid_in_window >= promised_amount)::DOUBLE / count(*) * 100 END AS promise_kept_rate,
       count(*) AS promises_due
FROM promise_outcomes(as_of, period_days, cur, dim, val);
