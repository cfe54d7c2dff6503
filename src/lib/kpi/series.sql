-- Monthly series for trends: the as-of date D and the 23 month-ends before it (24 points), in scope.
--
-- Computed from dated movements as running sums rather than by rebuilding open items 24 times:
--   outstanding(m) = Σ invoices dated ≤ m − Σ allocations counted at greatest(invoice date, payment date) ≤ m
--   overdue(m)     = Σ invoices with greatest(invoice date, due date + 1) ≤ m
--                  − Σ allocations counted at greatest(invoice date, due date + 1, payment date) ≤ m
-- which is exactly open_items() summed (an item exists from its invoice date, is overdue from the day
-- after its due date, and a payment counts from its own date). The other points follow the
-- definitions of balances.sql, dso.sql, cei.sql and payment_behaviour.sql, period P ending at m;
-- the countback DSO, the collection rate, the dispute rate and the promise-kept rate are worked out
-- at each point by their own families' macros (the countback's walk on that outstanding, cash_allocations,
-- kpi_disputes, kpi_promises: a lateral join per point over small or date-sorted facts).
-- The figures that need each item's open amount at each point (weighted days late, disputed, at
-- risk: an overpaid item drops out of weighted days late, which running sums cannot see) are
-- worked out from the items open at each point (series_open_figures).
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

-- outstanding, overdue and unapplied cash at each of the dates `points` (g), from the running sums of
-- a scope's days
CREATE OR REPLACE MACRO series_balances(points, scope_key) AS TABLE
WITH grid AS (SELECT DISTINCT unnest(points) AS g),
sums AS (
  SELECT g, sum(invoiced) AS invoiced, sum(due) AS due, sum(paid) AS paid, sum(paid_due) AS paid_due, sum(unapplied) AS unapplied
  FROM grid JOIN series_days days ON days.scope = scope_key AND days.d <= g GROUP BY g
)
SELECT grid.g,
       COALESCE(sums.invoiced, 0) - COALESCE(sums.paid, 0) AS outstanding,
       COALESCE(sums.due, 0) - COALESCE(sums.paid_due, 0) AS overdue,
       COALESCE(sums.unapplied, 0) AS unapplied_cash
FROM grid LEFT JOIN sums USING (g);

-- Disputed, at risk and weighted days late at each of the dates `points`, by the aggregates of
-- kpi_balances (balances.sql) over the items open at each date, rebuilt as open_items_at does (an
-- item open at d: invoiced on or before d, not settled for good by d; its open amount = its amount
-- − its allocations dated on or before d, all of them partial_allocation_facts) and converted as
-- scoped_open_amounts does (the open amount whole, rounded to the cent). One pass over the
-- invoices that may be open at some point (open_candidates), each paired with the points where it is.
CREATE OR REPLACE MACRO series_open_figures(points, cur, dim, val) AS TABLE
WITH pts AS (SELECT DISTINCT unnest(points)::DATE AS g),
cand AS MATERIALIZED (
  SELECT f.inv_key, f.invoice_date, f.due_date, f.amount, f.settled_on, f.dimset_key, NULL::DOUBLE AS rate
  FROM open_candidates((SELECT min(g) FROM pts), (SELECT max(g) FROM pts)) f
  WHERE enc_plain_scope(cur, dim) AND f.currency = cur
  UNION ALL
  SELECT f.inv_key, f.invoice_date, f.due_date, f.amount, f.settled_on, f.dimset_key, ds.rate
  FROM open_candidates((SELECT min(g) FROM pts), (SELECT max(g) FROM pts)) f
  JOIN scope_sets(cur, dim, val) ds ON ds.dimset_key = f.dimset_key
  WHERE NOT enc_plain_scope(cur, dim)
),
at_point AS MATERIALIZED (
  SELECT p.g, c.* FROM pts p JOIN cand c ON c.invoice_date <= p.g AND COALESCE(c.settled_on, DATE '9999-12-31') > p.g
),
paid AS (
  SELECT a.g, a.inv_key, sum(pa.amount) AS paid
  FROM at_point a JOIN partial_allocation_facts pa ON pa.inv_key = a.inv_key AND pa.payment_date <= a.g
  GROUP BY ALL
),
disputed AS (
  SELECT DISTINCT a.g, a.inv_key
  FROM at_point a JOIN dispute_facts d ON d.inv_key = a.inv_key AND enc_dispute_open_on(d.opened_date, d.resolved_date, a.g)
),
open AS (
  SELECT a.g,
         enc_at_rate(a.amount, a.rate) AS amount,
         enc_at_rate(a.amount - COALESCE(p.paid, 0), a.rate) AS open_amount,
         a.g - a.due_date AS days_overdue,
         d.inv_key IS NOT NULL AS is_disputed,
         a.dimset_key IN (SELECT dimset_key FROM risky_dimsets()) AS risky_customer
  FROM at_point a
  LEFT JOIN paid p ON p.g = a.g AND p.inv_key = a.inv_key
  LEFT JOIN disputed d ON d.g = a.g AND d.inv_key = a.inv_key
  WHERE a.amount - COALESCE(p.paid, 0) <> 0
)
SELECT pts.g AS m,
       COALESCE(o.disputed, 0)::DOUBLE AS disputed, COALESCE(o.at_risk, 0)::DOUBLE AS at_risk, o.weighted_days_late
FROM pts LEFT JOIN (
  SELECT g, enc_disputed_amount(open_amount, is_disputed) AS disputed,
         enc_at_risk_amount(open_amount, days_overdue, is_disputed, risky_customer) AS at_risk,
         enc_weighted_days_late(open_amount, days_overdue, amount) AS weighted_days_late
  FROM open GROUP BY g
) o USING (g);

-- The series' figures that are not running sums, each by its family's own macros: the countback's
-- walk from that outstanding (enc_countback_walks, countback_periods), the collection rate
-- (cash_allocations, enc_collection_rate), kpi_disputes, kpi_promises. They are kept per scope,
-- period and point (series_family_points, prepared by series-days.ts): a new date of a scope
-- computes its own point only, the month-ends before it being the same for every date.
-- At one date (the facts are sorted by date: each family reads its window; ~60 ms natively at 0.9M
-- invoices, most of it planning four families):
CREATE OR REPLACE MACRO series_family_at(at_date, scope_key, period_days, cur, dim, val) AS TABLE
WITH b AS (SELECT * FROM series_balances([at_date::DATE], scope_key)),
cb AS (
  SELECT * FROM enc_countback(
    (SELECT outstanding FROM b),
    (SELECT list({'sales': sales, 'days': days} ORDER BY k) FROM countback_periods(at_date, cur, dim, val)))
),
cl AS (SELECT enc_paid_on_due(at_date, amount, due_date) AS paid_on_due FROM cash_allocations(at_date, period_days, cur, dim, val))
SELECT at_date::DATE AS m, cb.dso_countback, enc_collection_rate(cl.paid_on_due, b.overdue) AS collection_rate,
       di.dispute_rate, pr.promise_kept_rate, o.weighted_days_late, o.disputed, o.at_risk
FROM b, cb, cl, kpi_disputes(at_date, period_days, cur, dim, val) di, kpi_promises(at_date, period_days, cur, dim, val) pr,
     series_open_figures([at_date::DATE], cur, dim, val) o;
-- At many dates in one statement (each family joined laterally to the points: it reads all its
-- facts once, whatever the points; 0.75 s for 24 points natively against 1.6 s one by one):
CREATE OR REPLACE MACRO series_family_source(points, scope_key, period_days, cur, dim, val) AS TABLE
WITH pts AS (SELECT DISTINCT unnest(points) AS m),
bal AS (SELECT * FROM series_balances(points, scope_key)),
countback AS (
  SELECT w.key AS m, w.dso_countback
  FROM enc_countback_walks((
    SELECT list({'key': pts.m, 'outstanding': b.outstanding, 'periods': p.periods})
    FROM pts JOIN bal b ON b.g = pts.m,
         LATERAL (SELECT list({'sales': sales, 'days': days} ORDER BY k) AS periods FROM countback_periods(pts.m, cur, dim, val)) p)) w
),
collected AS (
  SELECT pts.m, c.paid_on_due
  FROM pts, LATERAL (SELECT enc_paid_on_due(pts.m, amount, due_date) AS paid_on_due FROM cash_allocations(pts.m, period_days, cur, dim, val)) c
),
disputes AS (SELECT pts.m, d.dispute_rate FROM pts, LATERAL kpi_disputes(pts.m, period_days, cur, dim, val) d),
promises AS (SELECT pts.m, p.promise_kept_rate FROM pts, LATERAL kpi_promises(pts.m, period_days, cur, dim, val) p)
SELECT pts.m, cb.dso_countback, enc_collection_rate(cl.paid_on_due, b.overdue) AS collection_rate, di.dispute_rate, pr.promise_kept_rate,
       o.weighted_days_late, o.disputed, o.at_risk
FROM pts
JOIN bal b ON b.g = pts.m
JOIN countback cb ON cb.m = pts.m
JOIN collected cl ON cl.m = pts.m
JOIN disputes di ON di.m = pts.m
JOIN promises pr ON pr.m = pts.m
JOIN series_open_figures(points, cur, dim, val) o ON o.m = pts.m;

CREATE TABLE IF NOT EXISTS series_family_points (
  scope VARCHAR NOT NULL, period INTEGER NOT NULL, m DATE NOT NULL,
  dso_countback DOUBLE, collection_rate DOUBLE, dispute_rate DOUBLE, promise_kept_rate DOUBLE,
  weighted_days_late DOUBLE, disputed DOUBLE, at_risk DOUBLE);

-- Fails loudly, rather than drawing those figures blank, when a point was not prepared.
CREATE OR REPLACE MACRO enc_series_points_ready(scope_key, period_days, as_of, n) AS
  (SELECT CASE WHEN count(*) = n THEN true
               ELSE error('the series points of this scope were not prepared (prepareSeriesDays)') END
   FROM series_family_points f JOIN series_points(as_of, n) p ON p.m = f.m
   WHERE f.scope = scope_key AND f.period = period_days::INTEGER);

CREATE OR REPLACE MACRO kpi_series(as_of, period_days, cur, dim, val, n := 24) AS TABLE
WITH days AS MATERIALIZED (
  SELECT * FROM series_days
  WHERE enc_series_days_ready(series_scope_key(as_of, cur, dim, val)) AND scope = series_scope_key(as_of, cur, dim, val)
),
pts AS (SELECT * FROM series_points(as_of, n)),
grid AS (SELECT m AS g FROM pts UNION SELECT m - period_days::INTEGER FROM pts),
bal AS (SELECT * FROM series_balances((SELECT list(g) FROM grid), series_scope_key(as_of, cur, dim, val))),
fam AS (
  SELECT * FROM series_family_points
  WHERE enc_series_points_ready(series_scope_key(as_of, cur, dim, val), period_days, as_of, n)
    AND scope = series_scope_key(as_of, cur, dim, val) AND period = period_days::INTEGER
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
       w.avg_days_to_pay,
       f.dso_countback,
       f.collection_rate,
       f.dispute_rate,
       f.promise_kept_rate,
       f.weighted_days_late,
       f.disputed,
       f.at_risk
FROM pts
JOIN bal b ON b.g = pts.m
JOIN bal b0 ON b0.g = pts.m - period_days::INTEGER
JOIN windowed w ON w.m = pts.m
JOIN fam f ON f.m = pts.m
ORDER BY pts.m;

-- Each series KPI's change over the period, as the overview's cards show it ("−3,1 jours depuis le
-- 31/12/2023"): its value at D minus its value at the point of the series before D nearest to D − P
-- (the earlier one on a tie), among the points where it has a value; no row for a KPI without one
-- before D; change NULL when the KPI has no value at D.
-- Drawn with its series in one statement (kpi_series_drawn: the points, part = 'point', then the
-- changes, part = 'change'; computing the series twice, once for each, was 15–20 ms of the
-- sparklines drawn with the cards in duckdb-wasm), or alone (kpi_series_changes).
CREATE OR REPLACE MACRO kpi_series_drawn(as_of, period_days, cur, dim, val, n := 24) AS TABLE
WITH series AS MATERIALIZED (SELECT * FROM kpi_series(as_of, period_days, cur, dim, val, n := n)),
s AS (SELECT date, COLUMNS(* EXCLUDE (date))::DOUBLE FROM series),
long AS (SELECT date::DATE AS d, kpi, value FROM (UNPIVOT s ON COLUMNS(* EXCLUDE (date)) INTO NAME kpi VALUE value)),
ref AS (
  SELECT kpi, arg_min(d, (abs(d - (as_of::DATE - period_days::INTEGER)), d)) AS ref_date,
         arg_min(value, (abs(d - (as_of::DATE - period_days::INTEGER)), d)) AS ref_value
  FROM long WHERE d < as_of::DATE GROUP BY kpi
),
changes AS (
  SELECT r.kpi, strftime(r.ref_date, '%Y-%m-%d') AS since, c.value - r.ref_value AS change
  FROM ref r LEFT JOIN (SELECT kpi, value FROM long WHERE d = as_of::DATE) c USING (kpi)
)
SELECT * FROM (
  SELECT 'point' AS part, * FROM series
  UNION ALL BY NAME
  SELECT 'change' AS part, * FROM changes
)
ORDER BY part DESC, date, kpi;

CREATE OR REPLACE MACRO kpi_series_changes(as_of, period_days, cur, dim, val, n := 24) AS TABLE
SELECT kpi, since, change FROM kpi_series_drawn(as_of, period_days, cur, dim, val, n := n) WHERE part = 'change'
ORDER BY kpi;
