-- Monthly series for trends: the as-of date D and the 23 month-ends before it (24 points), in scope.
--
-- Computed from dated movements as running sums rather than by rebuilding open items 24 times:
--   outstanding(m) = Σ invoices dated ≤ m − Σ allocations counted at greatest(invoice date, payment date) ≤ m
--   overdue(m)     = Σ invoices with greatest(invoice date, due date + 1) ≤ m
--                  − Σ allocations counted at greatest(invoice date, due date + 1, payment date) ≤ m
-- which is exactly open_items() summed (an item exists from its invoice date, is overdue from the day
-- after its due date, and a payment counts from its own date). The other points follow the
-- definitions of balances.sql, dso.sql, cei.sql and payment_behaviour.sql, period P ending at m.
CREATE OR REPLACE MACRO series_points(as_of, n) AS TABLE
SELECT 0 AS k, as_of::DATE AS m
UNION ALL
SELECT k, last_day(as_of::DATE - INTERVAL (k) MONTH)::DATE FROM range(1, n) r(k);

-- What a series adds up, day by day, for a scope: invoiced (and sales), due (the day an item becomes
-- overdue), paid and paid-once-due (the day an allocation counts, see above), unapplied cash, and
-- the cash received with its delays (for DBT and days to pay). They depend on the scope only, not
-- on D or P: series_days keeps them per scope (prepareSeriesDays, series-days.ts), a few thousand
-- rows, so that a change of date reads those instead of every invoice and payment again (0.4 s at
-- 0.9M invoices in duckdb-wasm). When converting, the rates are the request's date's, so the date
-- is part of the scope's key.
CREATE OR REPLACE MACRO series_days_source(cur, dim, val) AS TABLE
-- (enc_max2 rather than greatest, ledger.sql: over every invoice and allocation of the scope)
WITH inv AS (SELECT invoice_date, enc_max2(invoice_date, due_date + 1) AS overdue_from, amount, in_sales FROM scoped_invoices(cur, dim, val)),
alloc AS (
  SELECT enc_max2(invoice_date, payment_date) AS counts_from,
         enc_max2(enc_max2(invoice_date, due_date + 1), payment_date) AS counts_overdue_from,
         amount
  FROM scoped_allocations(cur, dim, val)
)
SELECT d, sum(invoiced)::DECIMAL(18,2) AS invoiced, sum(sales)::DECIMAL(18,2) AS sales, sum(due)::DECIMAL(18,2) AS due,
       sum(paid)::DECIMAL(18,2) AS paid, sum(paid_due)::DECIMAL(18,2) AS paid_due, sum(unapplied)::DECIMAL(18,2) AS unapplied,
       sum(cash_paid) AS cash_paid, sum(beyond) AS beyond, sum(to_pay) AS to_pay
FROM (
  SELECT invoice_date AS d, sum(amount) AS invoiced, sum(amount) FILTER (WHERE in_sales) AS sales FROM inv GROUP BY ALL
  UNION ALL BY NAME SELECT overdue_from AS d, sum(amount) AS due FROM inv GROUP BY ALL
  UNION ALL BY NAME SELECT counts_from AS d, sum(amount) AS paid FROM alloc GROUP BY ALL
  UNION ALL BY NAME SELECT counts_overdue_from AS d, sum(amount) AS paid_due FROM alloc GROUP BY ALL
  UNION ALL BY NAME SELECT payment_date AS d, sum(amount) AS unapplied FROM scoped_unapplied(cur, dim, val) GROUP BY ALL
  UNION ALL BY NAME
  SELECT payment_date AS d, sum(amount::DOUBLE) AS cash_paid,
         sum(amount::DOUBLE * (payment_date - due_date)) AS beyond,
         sum(amount::DOUBLE * (payment_date - invoice_date)) AS to_pay
  FROM scoped_allocations(cur, dim, val)
  WHERE amount > 0 AND invoice_amount > 0 AND enc_is_cash(method)
  GROUP BY ALL
)
GROUP BY d;

CREATE OR REPLACE MACRO series_scope_key(as_of, cur, dim, val) AS
  concat_ws('|', cur, COALESCE(dim, ''), COALESCE(val, ''), CASE WHEN starts_with(cur, '*') THEN strftime(as_of::DATE, '%Y-%m-%d') ELSE '' END);

CREATE TABLE IF NOT EXISTS series_days AS SELECT ''::VARCHAR AS scope, * FROM series_days_source('', NULL, NULL) LIMIT 0;
CREATE TABLE IF NOT EXISTS series_days_scopes (scope VARCHAR NOT NULL);

-- Fails loudly, rather than drawing an empty series, when the scope's days were not prepared.
CREATE OR REPLACE MACRO enc_series_days_ready(key) AS
  (SELECT CASE WHEN count(*) > 0 THEN true
               ELSE error('the daily totals of this scope were not prepared (prepareSeriesDays)') END
   FROM series_days_scopes WHERE scope = key);

CREATE OR REPLACE MACRO kpi_series(as_of, period_days, cur, dim, val, n := 24) AS TABLE
WITH days AS MATERIALIZED (
  SELECT * FROM series_days
  WHERE enc_series_days_ready(series_scope_key(as_of, cur, dim, val)) AND scope = series_scope_key(as_of, cur, dim, val)
),
pts AS (SELECT * FROM series_points(as_of, n)),
grid AS (SELECT m AS g FROM pts UNION SELECT m - period_days::INTEGER FROM pts),
-- the running sums at each point
sums AS (
  SELECT g, sum(invoiced) AS invoiced, sum(due) AS due, sum(paid) AS paid, sum(paid_due) AS paid_due, sum(unapplied) AS unapplied
  FROM grid JOIN days ON days.d <= g GROUP BY g
),
bal AS (
  SELECT grid.g,
         COALESCE(sums.invoiced, 0) - COALESCE(sums.paid, 0) AS outstanding,
         COALESCE(sums.due, 0) - COALESCE(sums.paid_due, 0) AS overdue,
         COALESCE(sums.unapplied, 0) AS unapplied_cash
  FROM grid LEFT JOIN sums USING (g)
),
windowed AS (
  SELECT pts.m, COALESCE(sum(days.sales), 0) AS sales,
         sum(days.beyond) / sum(days.cash_paid) AS dbt, sum(days.to_pay) / sum(days.cash_paid) AS avg_days_to_pay
  FROM pts LEFT JOIN days ON days.d > pts.m - period_days::INTEGER AND days.d <= pts.m
  GROUP BY pts.m
)
SELECT strftime(pts.m, '%Y-%m-%d') AS date,
       w.sales::DOUBLE AS sales,
       b.outstanding::DOUBLE AS outstanding,
       b.overdue::DOUBLE AS overdue,
       (b.outstanding - b.overdue)::DOUBLE AS not_due,
       CASE WHEN b.outstanding <> 0 THEN b.overdue::DOUBLE / b.outstanding::DOUBLE * 100 END AS pct_overdue,
       b.unapplied_cash::DOUBLE AS unapplied_cash,
       (b.outstanding - b.unapplied_cash)::DOUBLE AS net_outstanding,
       CASE WHEN w.sales > 0 THEN b.outstanding::DOUBLE / w.sales::DOUBLE * period_days::INTEGER END AS dso,
       CASE WHEN w.sales > 0 THEN (b.outstanding - b.overdue)::DOUBLE / w.sales::DOUBLE * period_days::INTEGER END AS bpdso,
       CASE WHEN w.sales > 0 THEN b.overdue::DOUBLE / w.sales::DOUBLE * period_days::INTEGER END AS add,
       enc_cei(b0.outstanding, w.sales, b.outstanding, b.outstanding - b.overdue, 1) AS cei,
       w.dbt,
       w.avg_days_to_pay
FROM pts
JOIN bal b ON b.g = pts.m
JOIN bal b0 ON b0.g = pts.m - period_days::INTEGER
JOIN windowed w ON w.m = pts.m
ORDER BY pts.m;
