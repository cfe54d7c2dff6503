-- Balance KPIs as of a date, in scope (scope.sql). Period = invoice dates in (as_of − P, as_of].
--
--   sales           = Σ invoice amounts dated in the period, net of credit notes
--   outstanding     = Σ open amounts at as_of (credit notes included, unapplied cash not)
--   overdue         = Σ open where days overdue > 0;  not_due = the rest
--   pct_overdue     = overdue / outstanding × 100
--   disputed        = Σ open of invoices with a dispute opened on or before as_of and not resolved
--                     on or before as_of
--   unapplied_cash  = Σ unallocated payments dated on or before as_of
--   net_outstanding = outstanding − unapplied_cash
--   at_risk         = Σ open of items that are > 90 days overdue, OR disputed, OR owed by a customer
--                     whose status is 'collection' or 'litigation' (each item counted once; the
--                     status is the customer's current one: the ledger keeps no status history)
--   weighted_days_late ("retard moyen pondéré") = Σ open × days overdue / Σ open, over invoices
--                     (amount > 0) with open > 0 and days overdue > 0
-- A ratio whose denominator is zero is NULL, never 0.
--
-- disputed, at_risk and weighted_days_late are aggregates over the items open at a date, defined
-- once here as macros: the monthly series (series_open_figures, series.sql) works them out at every
-- point with the same ones.
CREATE OR REPLACE MACRO enc_dispute_open_on(opened_date, resolved_date, d) AS
  opened_date <= d::DATE AND (resolved_date IS NULL OR resolved_date > d::DATE);
-- a customer whose every item is at risk, whatever its age; its dimension sets (the facts' keys)
CREATE OR REPLACE MACRO enc_risky_status(status) AS lower(status) IN ('collection', 'litigation');
CREATE OR REPLACE MACRO risky_dimsets() AS TABLE
SELECT ds.dimset_key FROM dimset_facts ds JOIN customers c ON c.customer_id = ds.customer_id WHERE enc_risky_status(c.status);
CREATE OR REPLACE MACRO enc_disputed_amount(open_amount, is_disputed) AS
  COALESCE(sum(open_amount) FILTER (WHERE is_disputed), 0);
CREATE OR REPLACE MACRO enc_at_risk_amount(open_amount, days_overdue, is_disputed, risky_customer) AS
  COALESCE(sum(open_amount) FILTER (WHERE days_overdue > 90 OR is_disputed OR risky_customer), 0);
CREATE OR REPLACE MACRO enc_weighted_days_late(open_amount, days_overdue, amount) AS
  sum(open_amount::DOUBLE * days_overdue) FILTER (WHERE amount > 0 AND open_amount > 0 AND days_overdue > 0)
  / sum(open_amount::DOUBLE) FILTER (WHERE amount > 0 AND open_amount > 0 AND days_overdue > 0);

CREATE OR REPLACE MACRO kpi_balances(as_of, period_days, cur, dim, val) AS TABLE
WITH open AS (
  -- on integer keys: the disputes by their invoice's key, the customer's status by its dimension
  -- sets (the same lookups on the text ids cost 8 ms a date at 0.9M invoices in duckdb-wasm)
  SELECT o.*,
         o.inv_key IN (SELECT d.inv_key FROM dispute_facts d WHERE enc_dispute_open_on(d.opened_date, d.resolved_date, as_of)) AS is_disputed,
         o.dimset_key IN (SELECT dimset_key FROM risky_dimsets()) AS risky_customer
  FROM scoped_open_amounts(as_of, cur, dim, val) o
), b AS (
  SELECT COALESCE(sum(open_amount), 0)                                          AS outstanding,
         COALESCE(sum(open_amount) FILTER (WHERE days_overdue > 0), 0)          AS overdue,
         COALESCE(sum(open_amount) FILTER (WHERE days_overdue <= 0), 0)         AS not_due,
         enc_disputed_amount(open_amount, is_disputed)                          AS disputed,
         enc_at_risk_amount(open_amount, days_overdue, is_disputed, risky_customer) AS at_risk,
         enc_weighted_days_late(open_amount, days_overdue, amount)              AS weighted_days_late
  FROM open
), s AS (
  SELECT COALESCE(sum(amount), 0) AS sales
  FROM scoped_invoices(cur, dim, val)
  WHERE in_sales AND invoice_date > as_of::DATE - period_days::INTEGER AND invoice_date <= as_of::DATE
), u AS (
  SELECT COALESCE(sum(amount), 0) AS unapplied_cash
  FROM scoped_unapplied(cur, dim, val) WHERE payment_date <= as_of::DATE
)
SELECT s.sales::DOUBLE AS sales,
       b.outstanding::DOUBLE AS outstanding,
       b.overdue::DOUBLE AS overdue,
       b.not_due::DOUBLE AS not_due,
       CASE WHEN b.outstanding <> 0 THEN b.overdue::DOUBLE / b.outstanding::DOUBLE * 100 END AS pct_overdue,
       b.disputed::DOUBLE AS disputed,
       u.unapplied_cash::DOUBLE AS unapplied_cash,
       (b.outstanding - u.unapplied_cash)::DOUBLE AS net_outstanding,
       b.at_risk::DOUBLE AS at_risk,
       b.weighted_days_late
FROM b, s, u;
