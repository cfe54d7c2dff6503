-- Disputes, as of a date, in scope (through the disputed invoice).
--
--   dispute_rate = invoices (amount > 0) dated in the period with a dispute opened on or before as_of
--                  / invoices (amount > 0) dated in the period × 100
--   dispute_resolution_rate = disputes opened in the period and resolved on or before as_of
--                  / disputes opened in the period × 100
--   avg_dispute_resolution_days = mean of (resolved − opened) over disputes resolved in the period
--   disputes_open / disputes_open_amount = disputes open at as_of, and the open amount of their invoices
CREATE OR REPLACE MACRO scoped_disputes(as_of, cur, dim, val) AS TABLE
SELECT d.* EXCLUDE (currency, invoice_customer_id, entity, division, salesperson, collector, category, country)
       REPLACE (enc_at_rate(d.invoice_amount, fx.rate) AS invoice_amount,
                enc_at_rate(d.amount, fx.rate) AS amount)
FROM dispute_facts d
LEFT JOIN fx_request fx ON starts_with(cur, '*') AND fx.currency = d.currency
WHERE d.opened_date <= as_of::DATE
  AND (d.currency = cur OR fx.rate IS NOT NULL)
  AND enc_in_slice(dim, val, d.invoice_customer_id, d.entity, d.division, d.salesperson, d.collector, d.category, d.country);

CREATE OR REPLACE MACRO kpi_disputes(as_of, period_days, cur, dim, val) AS TABLE
WITH d AS MATERIALIZED (
  SELECT inv_key, invoice_date, invoice_amount, opened_date, resolved_date FROM scoped_disputes(as_of, cur, dim, val)
), inv AS (
  -- the period's invoices, and how many of them have a dispute opened by D (from the disputes'
  -- own copy of their invoice's date and amount: no lookup per invoice)
  SELECT count(*) AS n,
         (SELECT count(DISTINCT inv_key) FROM d
          WHERE invoice_amount > 0 AND invoice_date > as_of::DATE - period_days::INTEGER AND invoice_date <= as_of::DATE) AS disputed
  FROM scoped_invoices(cur, dim, val) f
  WHERE f.amount > 0 AND f.invoice_date > as_of::DATE - period_days::INTEGER AND f.invoice_date <= as_of::DATE
), opened AS (
  SELECT count(*) AS n, count(*) FILTER (WHERE resolved_date <= as_of::DATE) AS resolved
  FROM d WHERE opened_date > as_of::DATE - period_days::INTEGER
), closed AS (
  SELECT avg(resolved_date - opened_date) AS days
  FROM d WHERE resolved_date > as_of::DATE - period_days::INTEGER AND resolved_date <= as_of::DATE
), still_open AS (
  SELECT count(*) AS n FROM d WHERE resolved_date IS NULL OR resolved_date > as_of::DATE
)
SELECT CASE WHEN inv.n > 0 THEN inv.disputed::DOUBLE / inv.n * 100 END AS dispute_rate,
       CASE WHEN opened.n > 0 THEN opened.resolved::DOUBLE / opened.n * 100 END AS dispute_resolution_rate,
       closed.days::DOUBLE AS avg_dispute_resolution_days,
       still_open.n AS disputes_open
FROM inv, opened, closed, still_open;

-- Open disputes by reason, status (as recorded; 'open' when none) and owner, with the open amount
-- they block and how long they have been open at as_of (mean of as_of − opened, in days).
CREATE OR REPLACE MACRO kpi_disputes_breakdown(as_of, cur, dim, val) AS TABLE
SELECT COALESCE(d.reason, 'unspecified') AS reason, COALESCE(lower(d.status), 'open') AS status, COALESCE(d.owner, '') AS owner,
       count(*) AS disputes, COALESCE(sum(o.open_amount), 0)::DOUBLE AS open_amount,
       avg(as_of::DATE - d.opened_date)::DOUBLE AS avg_days_open
FROM scoped_disputes(as_of, cur, dim, val) d
LEFT JOIN scoped_open(as_of, cur, dim, val) o ON o.invoice_id = d.invoice_id
WHERE d.resolved_date IS NULL OR d.resolved_date > as_of::DATE
GROUP BY ALL
ORDER BY open_amount DESC, reason, owner;

-- Disputes resolved in the period (resolved in (D − P, D]) by reason and owner: how many, the
-- amount they held (the dispute's amount, else its invoice's) and how long they took to resolve
-- (resolved − opened, in days: mean and longest). Over all of them, the mean is
-- avg_dispute_resolution_days (kpi_disputes).
CREATE OR REPLACE MACRO kpi_disputes_resolved_by(as_of, period_days, cur, dim, val) AS TABLE
SELECT COALESCE(reason, 'unspecified') AS reason, COALESCE(owner, '') AS owner, count(*) AS disputes,
       COALESCE(sum(COALESCE(amount, invoice_amount)), 0)::DOUBLE AS amount,
       avg(resolved_date - opened_date)::DOUBLE AS avg_resolution_days,
       max(resolved_date - opened_date)::INTEGER AS max_resolution_days
FROM scoped_disputes(as_of, cur, dim, val)
WHERE resolved_date > as_of::DATE - period_days::INTEGER AND resolved_date <= as_of::DATE
GROUP BY ALL
ORDER BY disputes DESC, amount DESC, reason, owner;
