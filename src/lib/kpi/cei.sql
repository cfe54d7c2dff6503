-- Collection effectiveness index over the period (as_of − P, as_of], in scope.
--
--   cei     = (AR at as_of − P + sales − AR at as_of) / (AR at as_of − P + sales − current AR at as_of) × 100
--   cei_crf = the same with sales divided by N, the number of months in the period, N = P × 12 / 365
--             (2.96 for P = 90) — the Credit Research Foundation form.
-- "AR" is outstanding (open amount), "current" is not_due. NULL when the denominator is 0.
-- AR at as_of − P is summed from the items open then (outstanding_at, scope.sql): the open items
-- are built for the as-of date only.
CREATE OR REPLACE MACRO enc_cei(begin_ar, sales, end_ar, end_current, n) AS
  CASE WHEN begin_ar::DOUBLE + sales::DOUBLE / n - end_current::DOUBLE <> 0
       THEN (begin_ar::DOUBLE + sales::DOUBLE / n - end_ar::DOUBLE)
            / (begin_ar::DOUBLE + sales::DOUBLE / n - end_current::DOUBLE) * 100 END;

CREATE OR REPLACE MACRO kpi_cei(as_of, period_days, cur, dim, val) AS TABLE
WITH now AS (
  SELECT COALESCE(sum(open_amount), 0) AS outstanding,
         COALESCE(sum(open_amount) FILTER (WHERE days_overdue <= 0), 0) AS not_due,
         (SELECT COALESCE(sum(amount), 0) FROM scoped_invoices(cur, dim, val)
          WHERE in_sales AND invoice_date > as_of::DATE - period_days::INTEGER AND invoice_date <= as_of::DATE) AS sales
  FROM scoped_open_amounts(as_of, cur, dim, val)
), before AS (
  SELECT outstanding FROM outstanding_at(as_of::DATE - period_days::INTEGER, cur, dim, val)
)
SELECT enc_cei(before.outstanding, now.sales, now.outstanding, now.not_due, 1) AS cei,
       enc_cei(before.outstanding, now.sales, now.outstanding, now.not_due, period_days::INTEGER * 12 / 365) AS cei_crf
FROM now, before;
