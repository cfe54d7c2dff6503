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

CREATE OR REPLACE MACRO kpi_series(as_of, period_days, cur, dim, val, n := 24) AS TABLE
WITH pts AS (SELECT * FROM series_points(as_of, n)),
grid AS (SELECT m AS g FROM pts UNION SELECT m - period_days::INTEGER FROM pts),
inv AS (SELECT invoice_date, greatest(invoice_date, due_date + 1) AS overdue_from, amount, in_sales FROM scoped_invoices(cur, dim, val)),
alloc AS (
  SELECT greatest(invoice_date, payment_date) AS counts_from,
         greatest(invoice_date, due_date + 1, payment_date) AS counts_overdue_from,
         amount
  FROM scoped_allocations(cur, dim, val)
),
-- Daily totals first (a few thousand days however many invoices), then the running sums at each point.
invoiced_d AS (SELECT invoice_date AS d, sum(amount) AS s, sum(amount) FILTER (WHERE in_sales) AS sales FROM inv GROUP BY ALL),
due_d      AS (SELECT overdue_from AS d, sum(amount) AS s FROM inv GROUP BY ALL),
paid_d     AS (SELECT counts_from AS d, sum(amount) AS s FROM alloc GROUP BY ALL),
paid_due_d AS (SELECT counts_overdue_from AS d, sum(amount) AS s FROM alloc GROUP BY ALL),
invoiced AS (SELECT g, sum(s) AS s FROM grid JOIN invoiced_d ON d <= g GROUP BY g),
due      AS (SELECT g, sum(s) AS s FROM grid JOIN due_d ON d <= g GROUP BY g),
paid     AS (SELECT g, sum(s) AS s FROM grid JOIN paid_d ON d <= g GROUP BY g),
paid_due AS (SELECT g, sum(s) AS s FROM grid JOIN paid_due_d ON d <= g GROUP BY g),
bal AS (
  SELECT grid.g,
         COALESCE(invoiced.s, 0) - COALESCE(paid.s, 0) AS outstanding,
         COALESCE(due.s, 0) - COALESCE(paid_due.s, 0) AS overdue
  FROM grid
  LEFT JOIN invoiced USING (g) LEFT JOIN due USING (g) LEFT JOIN paid USING (g) LEFT JOIN paid_due USING (g)
),
sales AS (
  SELECT pts.m, COALESCE(sum(i.sales), 0) AS sales
  FROM pts LEFT JOIN invoiced_d i ON i.d > pts.m - period_days::INTEGER AND i.d <= pts.m
  GROUP BY pts.m
),
unapplied AS (
  SELECT pts.m, COALESCE(sum(u.amount), 0) AS unapplied_cash
  FROM pts LEFT JOIN scoped_unapplied(cur, dim, val) u ON u.payment_date <= pts.m
  GROUP BY pts.m
),
cash_d AS (
  SELECT payment_date AS d, sum(amount::DOUBLE) AS paid,
         sum(amount::DOUBLE * (payment_date - due_date)) AS beyond,
         sum(amount::DOUBLE * (payment_date - invoice_date)) AS to_pay
  FROM scoped_allocations(cur, dim, val)
  WHERE amount > 0 AND invoice_amount > 0 AND enc_is_cash(method)
  GROUP BY ALL
),
behaviour AS (
  SELECT pts.m, sum(c.beyond) / sum(c.paid) AS dbt, sum(c.to_pay) / sum(c.paid) AS avg_days_to_pay
  FROM pts LEFT JOIN cash_d c ON c.d > pts.m - period_days::INTEGER AND c.d <= pts.m
  GROUP BY pts.m
)
SELECT strftime(pts.m, '%Y-%m-%d') AS date,
       s.sales::DOUBLE AS sales,
       b.outstanding::DOUBLE AS outstanding,
       b.overdue::DOUBLE AS overdue,
       (b.outstanding - b.overdue)::DOUBLE AS not_due,
       CASE WHEN b.outstanding <> 0 THEN b.overdue::DOUBLE / b.outstanding::DOUBLE * 100 END AS pct_overdue,
       u.unapplied_cash::DOUBLE AS unapplied_cash,
       (b.outstanding - u.unapplied_cash)::DOUBLE AS net_outstanding,
       CASE WHEN s.sales > 0 THEN b.outstanding::DOUBLE / s.sales::DOUBLE * period_days::INTEGER END AS dso,
       CASE WHEN s.sales > 0 THEN (b.outstanding - b.overdue)::DOUBLE / s.sales::DOUBLE * period_days::INTEGER END AS bpdso,
       CASE WHEN s.sales > 0 THEN b.overdue::DOUBLE / s.sales::DOUBLE * period_days::INTEGER END AS add,
       enc_cei(b0.outstanding, s.sales, b.outstanding, b.outstanding - b.overdue, 1) AS cei,
       beh.dbt,
       beh.avg_days_to_pay
FROM pts
JOIN bal b ON b.g = pts.m
JOIN bal b0 ON b0.g = pts.m - period_days::INTEGER
JOIN sales s ON s.m = pts.m
JOIN unapplied u ON u.m = pts.m
JOIN behaviour beh ON beh.m = pts.m
ORDER BY pts.m;
