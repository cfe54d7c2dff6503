-- Promises to pay, in scope (by the promising customer's dimensions and the promise's invoice currency).
-- Kept or not compares amounts of one invoice, so a reporting currency changes nothing here.
--
--   promise_kept_rate = promises whose promised date is in the period and on or before as_of, kept
--                       / those promises × 100
--   kept: the payments allocated to the promised invoice, dated from the day the promise was made
--   (promised_on) to the promised date inclusive, cover the promised amount (the invoice's open
--   amount on promised_on when the promise states none). A promise without an invoice counts the
--   customer's payments of the window, allocated or not. The recorded status is not used.
-- (paid_in_window and open_on_promise are worked out with the promise facts, ledger.sql)
CREATE OR REPLACE MACRO promise_outcomes(as_of, period_days, cur, dim, val) AS TABLE
WITH p AS (
  SELECT pf.* REPLACE (COALESCE(pf.currency, ltrim(cur, '*')) AS currency)
  FROM promise_facts pf
  WHERE pf.promised_date > as_of::DATE - period_days::INTEGER AND pf.promised_date <= as_of::DATE
    AND enc_in_slice(dim, val, pf.customer_id, pf.entity, pf.division, pf.salesperson, pf.collector, pf.category, pf.country)
)
SELECT p.promise_id, p.customer_id, p.invoice_id, p.promised_on, p.promised_date,
       COALESCE(p.amount, p.open_on_promise) AS promised_amount,
       p.paid_in_window
FROM p
WHERE enc_cur_ok(p.currency, cur);

CREATE OR REPLACE MACRO kpi_promises(as_of, period_days, cur, dim, val) AS TABLE
SELECT CASE WHEN count(*) > 0 THEN count(*) FILTER (WHERE paid_in_window >= promised_amount)::DOUBLE / count(*) * 100 END AS promise_kept_rate,
       count(*) AS promises_due
FROM promise_outcomes(as_of, period_days, cur, dim, val);
