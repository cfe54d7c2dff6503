-- Scope: every KPI is computed for one currency (never summed across currencies) and, optionally,
-- one slice of one dimension (dim = 'entity', 'division', 'salesperson', 'collector', 'category',
-- 'country' or 'customer'; val = the value). dim NULL = the whole ledger.
--
-- Reporting currency: `cur` = '*EUR' asks for every currency converted into EUR at the rates in
-- fx_request — the closing rates at the request's as-of date (the latest rate dated on or before it,
-- direct or inverse), prepared by prepareFx() (fx.ts). Each amount is converted and rounded to the
-- cent row by row. Currencies without a rate are left out, and the report says which.
CREATE TABLE IF NOT EXISTS fx_request (currency VARCHAR NOT NULL, rate DOUBLE NOT NULL);
-- Which reporting currency and date fx_request holds the rates for (one row, or none).
CREATE TABLE IF NOT EXISTS fx_request_for (reporting VARCHAR NOT NULL, as_of DATE NOT NULL);

CREATE OR REPLACE MACRO enc_cur_ok(row_cur, cur) AS
  CASE WHEN starts_with(cur, '*') THEN row_cur IN (SELECT currency FROM fx_request) ELSE row_cur = cur END;

-- An amount at a rate into the reporting currency, rounded to the cent (rate NULL: as it is, the
-- scope's own currency).
CREATE OR REPLACE MACRO enc_at_rate(amount, rate) AS
  CASE WHEN rate IS NULL THEN amount ELSE round(amount * rate, 2)::DECIMAL(18,2) END;

CREATE OR REPLACE MACRO enc_fx(amount, row_cur, cur) AS
  CASE WHEN starts_with(cur, '*')
       THEN round(amount * (SELECT rate FROM fx_request WHERE currency = row_cur), 2)::DECIMAL(18,2)
       ELSE amount END;

-- Whether an allocation is cash received. Not cash: write-offs, credit notes set against invoices,
-- transfers between receivable accounts and miscellaneous entries (as a general ledger labels them,
-- see importers/fec.ts).
CREATE OR REPLACE MACRO enc_is_cash(method) AS
  lower(COALESCE(method, '')) NOT IN ('write_off', 'credit_note', 'reclassification', 'misc_entry', 'netting');

-- The value of dimension `dim` for a row, from the row's dimension columns.
CREATE OR REPLACE MACRO enc_dim_value(dim, customer_id, entity, division, salesperson, collector, category, country) AS
  CASE dim
    WHEN 'customer'    THEN customer_id
    WHEN 'entity'      THEN entity
    WHEN 'division'    THEN division
    WHEN 'salesperson' THEN salesperson
    WHEN 'collector'   THEN collector
    WHEN 'category'    THEN category
    WHEN 'country'     THEN country
  END;

CREATE OR REPLACE MACRO enc_in_slice(dim, val, customer_id, entity, division, salesperson, collector, category, country) AS
  dim IS NULL
  OR enc_dim_value(dim, customer_id, entity, division, salesperson, collector, category, country) IS NOT DISTINCT FROM val;

-- The dimension sets in scope (the currency and slice, on dimset_facts: a few thousand rows), with
-- the rate when converting (it matches only then, so a plain currency keeps its plain filter).
CREATE OR REPLACE MACRO scope_sets(cur, dim, val) AS TABLE
SELECT ds.*, fx.rate
FROM dimset_facts ds
LEFT JOIN fx_request fx ON starts_with(cur, '*') AND fx.currency = ds.currency
WHERE (ds.currency = cur OR fx.rate IS NOT NULL)
  AND enc_in_slice(dim, val, ds.customer_id, ds.entity, ds.division, ds.salesperson, ds.collector, ds.category, ds.country);

-- One currency as it is, the whole ledger: the facts need no lookup at all, and each scoped_*
-- macro reads them through a plain filter (a branch whose condition is false is dropped when the
-- statement is planned, its parameters being known then).
CREATE OR REPLACE MACRO enc_plain_scope(cur, dim) AS NOT starts_with(cur, '*') AND dim IS NULL;

-- Whether a fact row's dimension set is in scope: without a slice, no lookup at all (a hash join of
-- half a million facts to the sets cost 15–20 ms in duckdb-wasm).
CREATE OR REPLACE MACRO enc_in_sets(dimset_key, cur, dim, val) AS
  dim IS NULL OR dimset_key IN (SELECT s.dimset_key FROM scope_sets(cur, dim, val) s);

-- Invoices (and credit notes) in scope: numbers, dates, currency and dimset_key (the text columns
-- are dimset_facts' for the few that need them).
CREATE OR REPLACE MACRO scoped_invoices(cur, dim, val) AS TABLE
SELECT f.* FROM invoice_facts f WHERE enc_plain_scope(cur, dim) AND f.currency = cur
UNION ALL
SELECT f.* REPLACE (enc_at_rate(f.amount, fx.rate) AS amount)
FROM invoice_facts f
LEFT JOIN fx_request fx ON starts_with(cur, '*') AND fx.currency = f.currency
WHERE NOT enc_plain_scope(cur, dim) AND (f.currency = cur OR fx.rate IS NOT NULL) AND enc_in_sets(f.dimset_key, cur, dim, val);

-- Open items at a date, kept for the dates being looked at (a request's as-of date; the last few
-- are kept): rebuilding them is the costly part of every KPI (all payments added up per invoice), and
-- a request asks for them a dozen times, in several slices. prepareSnapshots() (snapshots.ts) fills
-- them before any KPI query; every import and every clear empties them. Numbers and dimset_key
-- only: scoped_open joins the text columns back.
CREATE TABLE IF NOT EXISTS open_snapshot AS SELECT * FROM open_items_at(DATE '1900-01-01', DATE '1900-01-01') LIMIT 0;
CREATE TABLE IF NOT EXISTS open_snapshot_dates (snapshot_date DATE NOT NULL);

-- Fails loudly, rather than answering with an empty ledger, when a date was not prepared.
CREATE OR REPLACE MACRO enc_snapshot_ready(as_of) AS
  (SELECT CASE WHEN count(*) > 0 THEN true
               ELSE error('open items at this as-of date were not prepared (prepareSnapshots)') END
   FROM open_snapshot_dates WHERE snapshot_date = as_of::DATE);

-- Open items in scope at as_of (see open_items), from the snapshot: numbers, currency and
-- dimset_key (all that DSO, CEI and payment behaviour need: no lookup of the dimension sets).
CREATE OR REPLACE MACRO scoped_open_amounts(as_of, cur, dim, val) AS TABLE
SELECT o.inv_key, o.invoice_id, o.invoice_date, o.due_date, o.amount, o.currency, o.settled_on, o.in_sales,
       o.open_amount, o.days_overdue, o.dimset_key
FROM open_snapshot o
WHERE enc_snapshot_ready(as_of) AND o.snapshot_date = as_of::DATE AND enc_plain_scope(cur, dim) AND o.currency = cur
UNION ALL
SELECT o.inv_key, o.invoice_id, o.invoice_date, o.due_date,
       enc_at_rate(o.amount, ds.rate),
       o.currency, o.settled_on, o.in_sales,
       enc_at_rate(o.open_amount, ds.rate),
       o.days_overdue, o.dimset_key
FROM open_snapshot o
JOIN scope_sets(cur, dim, val) ds ON ds.dimset_key = o.dimset_key
WHERE enc_snapshot_ready(as_of) AND o.snapshot_date = as_of::DATE AND NOT enc_plain_scope(cur, dim);

-- The same with the text columns of their dimension set.
CREATE OR REPLACE MACRO scoped_open(as_of, cur, dim, val) AS TABLE
SELECT o.inv_key, o.invoice_id, ds.customer_id, ds.customer_name, o.invoice_date, o.due_date, o.amount,
       o.currency, ds.document_type, ds.entity, ds.division, ds.salesperson, ds.collector, ds.category,
       ds.country, o.settled_on, o.in_sales, ds.channel, o.open_amount, o.days_overdue, o.dimset_key
FROM scoped_open_amounts(as_of, cur, dim, val) o
JOIN dimset_facts ds ON ds.dimset_key = o.dimset_key;

-- Allocations to invoices in scope, with the invoice's dates (payments dated after as_of are the
-- caller's to exclude: some KPIs look at a window, not at everything before as_of).
CREATE OR REPLACE MACRO scoped_allocations(cur, dim, val) AS TABLE
SELECT a.payment_date, a.amount, a.method, a.inv_key, a.invoice_date, a.due_date, a.invoice_amount, a.currency, a.dimset_key
FROM allocation_facts a WHERE enc_plain_scope(cur, dim) AND a.currency = cur
UNION ALL
SELECT a.payment_date,
       enc_at_rate(a.amount, fx.rate) AS amount, a.method,
       a.inv_key, a.invoice_date, a.due_date,
       enc_at_rate(a.invoice_amount, fx.rate) AS invoice_amount,
       a.currency, a.dimset_key
FROM allocation_facts a
LEFT JOIN fx_request fx ON starts_with(cur, '*') AND fx.currency = a.currency
WHERE NOT enc_plain_scope(cur, dim) AND (a.currency = cur OR fx.rate IS NOT NULL) AND enc_in_sets(a.dimset_key, cur, dim, val);

-- Outstanding at a date without building the open items: Σ (amount − allocations dated on or before
-- d) over the items open at d (open_candidates and partial_allocation_facts, ledger.sql) in scope.
-- The same figure as Σ open_amount of open_items(d). When converting, each movement is converted
-- and rounded to the cent (the invoice, then each allocation): a cent apart at most per item from
-- open_items, where the open amount is converted whole.
CREATE OR REPLACE MACRO outstanding_at(d, cur, dim, val) AS TABLE
WITH items AS MATERIALIZED (
  SELECT f.inv_key, f.amount FROM open_candidates(d, d) f
  WHERE enc_plain_scope(cur, dim) AND f.currency = cur
    AND enc_open_on(f.invoice_date, f.settled_on, d)
  UNION ALL
  SELECT f.inv_key, enc_at_rate(f.amount, fx.rate)
  FROM open_candidates(d, d) f
  LEFT JOIN fx_request fx ON starts_with(cur, '*') AND fx.currency = f.currency
  WHERE NOT enc_plain_scope(cur, dim) AND (f.currency = cur OR fx.rate IS NOT NULL) AND enc_in_sets(f.dimset_key, cur, dim, val)
    AND enc_open_on(f.invoice_date, f.settled_on, d)
), paid AS (
  SELECT enc_at_rate(p.amount, fx.rate) AS amount
  FROM partial_allocation_facts p
  LEFT JOIN fx_request fx ON starts_with(cur, '*') AND fx.currency = p.currency
  WHERE p.payment_date <= d::DATE AND p.inv_key IN (SELECT inv_key FROM items)
)
SELECT (SELECT COALESCE(sum(amount), 0) FROM items) - (SELECT COALESCE(sum(amount), 0) FROM paid) AS outstanding;

-- Payments not allocated to any invoice, in scope by their customer's dimensions.
CREATE OR REPLACE MACRO scoped_unapplied(cur, dim, val) AS TABLE
SELECT u.* REPLACE (enc_at_rate(u.amount, fx.rate) AS amount)
FROM unapplied_facts u
LEFT JOIN fx_request fx ON starts_with(cur, '*') AND fx.currency = u.currency
WHERE (u.currency = cur OR fx.rate IS NOT NULL)
  AND enc_in_slice(dim, val, u.customer_id, u.entity, u.division, u.salesperson, u.collector, u.category, u.country);

-- The slice pickers' values: for every dimension, its values in the currency's invoices, most used
-- first (at most 500 each). Read from the dimension sets (dimset_facts: a few thousand rows, each with
-- its number of invoices) with grouping sets: one pass for all dimensions.
CREATE OR REPLACE MACRO dimension_values(cur) AS TABLE
WITH g AS (
  SELECT CASE WHEN grouping(customer_id) = 0 THEN 'customer' WHEN grouping(entity) = 0 THEN 'entity'
              WHEN grouping(division) = 0 THEN 'division' WHEN grouping(salesperson) = 0 THEN 'salesperson'
              WHEN grouping(collector) = 0 THEN 'collector' WHEN grouping(category) = 0 THEN 'category' ELSE 'country' END AS dimension,
         -- in each grouping set the other columns are NULL
         COALESCE(customer_id, entity, division, salesperson, collector, category, country) AS value,
         sum(invoices)::BIGINT AS invoices
  FROM dimset_facts WHERE enc_cur_ok(currency, cur)
  GROUP BY GROUPING SETS ((customer_id), (entity), (division), (salesperson), (collector), (category), (country))
)
SELECT dimension, value, invoices FROM g WHERE value IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY dimension ORDER BY invoices DESC, value) <= 500
ORDER BY dimension, invoices DESC, value;

-- Which dimensions the ledger fills at all (customer always).
CREATE OR REPLACE MACRO dimensions_present() AS TABLE
SELECT d AS dimension FROM (
  SELECT 'entity' AS d, count(entity) AS n FROM dimset_facts
  UNION ALL SELECT 'division', count(division) FROM dimset_facts
  UNION ALL SELECT 'salesperson', count(salesperson) FROM dimset_facts
  UNION ALL SELECT 'collector', count(collector) FROM dimset_facts
  UNION ALL SELECT 'category', count(category) FROM dimset_facts
  UNION ALL SELECT 'country', count(country) FROM dimset_facts
  UNION ALL SELECT 'customer', 1
) WHERE n > 0;
