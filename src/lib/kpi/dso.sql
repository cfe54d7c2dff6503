-- Days sales outstanding, as of a date, in scope.
--
--   dso  (standard)              = outstanding / sales × P
--   bpdso (best possible, CRF)   = not_due / sales × P         — Credit Research Foundation
--   add  (average days delinquent, "DSO délinquant") = dso − bpdso
--   dso_countback (exhaustion method, "DSO par apurement"): start from outstanding at as_of and
--     walk back through periods — first the month-to-date (1st of the month to as_of, days = day
--     of month), then whole calendar months. While the remaining balance exceeds a period's sales,
--     subtract them and add the period's days; in the period where it does not, add
--     remaining / sales × days and stop. A period without positive sales adds its days and the
--     walk goes on. After 36 periods (the month-to-date counts as one) the walk stops and
--     dso_countback_capped is true.
-- NULL when the period has no positive sales (standard, best possible, delinquent).

-- The walk itself, for several starts at once (the monthly series walks at each of its points):
-- walks = [{key, outstanding, periods: [{sales, days}, ...] latest first}, ...] → a row per key.
CREATE OR REPLACE MACRO enc_countback_walks(walks) AS TABLE
WITH w AS (SELECT unnest(walks) AS w),
p AS (
  SELECT w.key AS key, w.outstanding::DOUBLE AS outstanding, k, s.sales::DOUBLE AS sales, s.days::DOUBLE AS days,
         greatest(s.sales::DOUBLE, 0) AS eff
  FROM (SELECT w, unnest(w.periods) AS s, generate_subscripts(w.periods, 1) AS k FROM w)
), run AS (
  SELECT *,
         COALESCE(sum(eff)  OVER (PARTITION BY key ORDER BY k ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS eff_before,
         COALESCE(sum(days) OVER (PARTITION BY key ORDER BY k ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS days_before
  FROM p
), stop AS (
  SELECT key, min(k) FILTER (WHERE eff > 0 AND outstanding - eff_before <= eff) AS k, sum(days) AS all_days
  FROM run GROUP BY key
)
SELECT stop.key,
       CASE WHEN stop.k IS NULL THEN stop.all_days
            ELSE run.days_before + (run.outstanding - run.eff_before) / run.eff * run.days END AS dso_countback,
       stop.k IS NULL AS dso_countback_capped
FROM stop LEFT JOIN run ON run.key = stop.key AND run.k = stop.k;

-- The walk from one start, over a list of periods, latest first: [{sales, days}, ...].
CREATE OR REPLACE MACRO enc_countback(outstanding, periods) AS TABLE
SELECT dso_countback, dso_countback_capped FROM enc_countback_walks([{'key': 0, 'outstanding': outstanding, 'periods': periods}]);

-- Month-to-date of as_of, then the 35 calendar months before it: sales and days of each.
-- For one currency as it is, the whole months come from sales_month_facts (ledger.sql: a few rows
-- per month) and only the month-to-date from the invoices; a slice or a conversion adds up its
-- invoices by month (36 groups), not matched against each period. The bounds are constants when
-- the statement is planned, so the invoices' date range skips the row groups outside it.
CREATE OR REPLACE MACRO countback_periods(as_of, cur, dim, val) AS TABLE
WITH months AS (
  SELECT m + 1 AS k, (date_trunc('month', as_of::DATE) - INTERVAL (m) MONTH)::DATE AS lo
  FROM range(0, 36) r(m)
), sales AS (
  SELECT month AS lo, sales FROM sales_month_facts
  WHERE enc_plain_scope(cur, dim) AND currency = cur
    AND month >= (date_trunc('month', as_of::DATE) - INTERVAL 35 MONTH)::DATE AND month < date_trunc('month', as_of::DATE)::DATE
  UNION ALL
  SELECT date_trunc('month', invoice_date)::DATE AS lo, sum(amount) AS sales
  FROM scoped_invoices(cur, dim, val)
  WHERE in_sales AND invoice_date <= as_of::DATE
    AND invoice_date >= CASE WHEN enc_plain_scope(cur, dim) THEN date_trunc('month', as_of::DATE)::DATE
                             ELSE (date_trunc('month', as_of::DATE) - INTERVAL 35 MONTH)::DATE END
  GROUP BY ALL
)
SELECT months.k,
       CASE WHEN months.k = 1 THEN day(as_of::DATE)
            ELSE day(last_day(months.lo)) END AS days,
       COALESCE(s.sales, 0) AS sales
FROM months LEFT JOIN (SELECT lo, sum(sales) AS sales FROM sales GROUP BY lo) s USING (lo)
ORDER BY months.k;

-- Needs only outstanding, not due and sales: computed here from open items directly (the balance
-- family also works out disputes and risk, which DSO does not need).
CREATE OR REPLACE MACRO kpi_dso(as_of, period_days, cur, dim, val) AS TABLE
WITH o AS (
  SELECT COALESCE(sum(open_amount), 0)::DOUBLE AS outstanding,
         COALESCE(sum(open_amount) FILTER (WHERE days_overdue <= 0), 0)::DOUBLE AS not_due
  FROM scoped_open_amounts(as_of, cur, dim, val)
), periods AS (
  SELECT * FROM countback_periods(as_of, cur, dim, val)
), b AS (
  SELECT o.outstanding, o.not_due,
         (SELECT COALESCE(sum(amount), 0)::DOUBLE FROM scoped_invoices(cur, dim, val)
          WHERE in_sales AND invoice_date > as_of::DATE - period_days::INTEGER AND invoice_date <= as_of::DATE) AS sales
  FROM o
), cb AS (
  SELECT * FROM enc_countback(
    (SELECT outstanding FROM o),
    (SELECT list({'sales': sales, 'days': days} ORDER BY k) FROM periods))
)
SELECT CASE WHEN b.sales > 0 THEN b.outstanding / b.sales * period_days::INTEGER END AS dso,
       CASE WHEN b.sales > 0 THEN b.not_due / b.sales * period_days::INTEGER END AS bpdso,
       CASE WHEN b.sales > 0 THEN (b.outstanding - b.not_due) / b.sales * period_days::INTEGER END AS add,
       cb.dso_countback,
       cb.dso_countback_capped
FROM b, cb;
