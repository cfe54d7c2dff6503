-- How customers pay, from the allocations dated in the period (as_of − P, as_of], in scope.
-- Only cash allocated to invoices counts: clearings of credit notes (negative allocations, or
-- allocations to credit notes) and non-cash settlements (write-offs, credit notes, transfers,
-- miscellaneous entries: enc_is_cash) are not payments.
--
--   dbt (days beyond terms)  = Σ amount × (payment date − due date) / Σ amount; early payments count
--                              negative. dbt_late_only clamps those negatives to 0.
--   avg_days_to_pay ("délai moyen de recouvrement") = Σ amount × (payment date − invoice date) / Σ amount
--   collection_rate          = payments dated in the period allocated to items due on or before as_of
--                              / (those payments + overdue at as_of) × 100 (enc_collection_rate: the
--                              monthly series, series.sql, works it out with the same macros)
CREATE OR REPLACE MACRO cash_allocations(as_of, period_days, cur, dim, val) AS TABLE
SELECT * FROM scoped_allocations(cur, dim, val)
WHERE payment_date > as_of::DATE - period_days::INTEGER AND payment_date <= as_of::DATE
  AND amount > 0 AND invoice_amount > 0 AND enc_is_cash(method);

-- the period's payments on items due by as_of (collection_rate's numerator), from cash_allocations
CREATE OR REPLACE MACRO enc_paid_on_due(as_of, paid, due_date) AS COALESCE(sum(paid::DOUBLE) FILTER (WHERE due_date <= as_of::DATE), 0);
CREATE OR REPLACE MACRO enc_collection_rate(paid_on_due, overdue) AS
  CASE WHEN paid_on_due + overdue <> 0 THEN paid_on_due / (paid_on_due + overdue::DOUBLE) * 100 END;

CREATE OR REPLACE MACRO kpi_payment_behaviour(as_of, period_days, cur, dim, val) AS TABLE
WITH a AS (SELECT * FROM cash_allocations(as_of, period_days, cur, dim, val)),
b AS (SELECT COALESCE(sum(open_amount) FILTER (WHERE days_overdue > 0), 0) AS overdue FROM scoped_open_amounts(as_of, cur, dim, val)),
w AS (
  SELECT sum(amount::DOUBLE)                                                     AS paid,
         sum(amount::DOUBLE * (payment_date - due_date))                         AS days_beyond,
         sum(amount::DOUBLE * enc_max2(payment_date - due_date, 0))               AS days_late,
         sum(amount::DOUBLE * (payment_date - invoice_date))                     AS days_to_pay,
         enc_paid_on_due(as_of, amount, due_date)                                AS paid_on_due
  FROM a
)
SELECT w.days_beyond / w.paid AS dbt,
       w.days_late / w.paid   AS dbt_late_only,
       w.days_to_pay / w.paid AS avg_days_to_pay,
       enc_collection_rate(w.paid_on_due, b.overdue) AS collection_rate
FROM w, b;
