-- The ledger as every KPI sees it: the canonical tables rebuilt as of a date.

-- The larger and the smaller of two values that are never NULL (dates or numbers): greatest() and
-- least() are generic functions, 2–3× slower than a CASE in duckdb-wasm, which counts where they run
-- per invoice or allocation (a scope's daily totals, series.sql: 0.45 → 0.27 s at 0.9M invoices).
CREATE OR REPLACE MACRO enc_max2(a, b) AS CASE WHEN a >= b THEN a ELSE b END;
CREATE OR REPLACE MACRO enc_min2(a, b) AS CASE WHEN a <= b THEN a ELSE b END;
-- Whether an allocation is a write-off ("passage en perte"): the invoice was given up, not paid.
CREATE OR REPLACE MACRO enc_is_write_off(method) AS lower(COALESCE(method, '')) = 'write_off';

-- The dimension set of an invoice, as a key: a 64-bit hash of its own text columns (customer,
-- currency, type, channel, and the dimensions set on the invoice itself; the customer's dimensions
-- and name follow from its id). Two different sets sharing a key have odds of about 1e-11 at
-- 25,000 sets. Most invoices set no dimension of their own: hashing four columns halves the work.
CREATE OR REPLACE MACRO enc_dimset_key(customer_id, currency, document_type, channel, entity, division, salesperson, collector, category, country) AS
  CASE WHEN entity IS NOT NULL OR division IS NOT NULL OR salesperson IS NOT NULL OR collector IS NOT NULL
            OR category IS NOT NULL OR country IS NOT NULL
       THEN hash(customer_id, currency, document_type, channel, entity, division, salesperson, collector, category, country)
       ELSE hash(customer_id, currency, document_type, channel) END;

-- Invoices (credit notes included) as numbers and keys, sorted by invoice date. inv_key is an
-- integer surrogate of invoice_id: joins and groupings on it cost a fraction of those on text.
-- settled_on = the date of the last allocation when the allocations add up to the amount: from that
-- day on the item is closed for good, so open items at a later date need not add up its payments.
-- The currency stays (three letters, stored inline: every KPI filters on it). The other text
-- columns (customer, type, channel, the dimensions with the customer's filling those the invoice
-- leaves empty) stay behind dimset_key, once per set in dimset_facts (24,000 rows at a million
-- invoices), looked up only for a slice or for the text itself (scope.sql). Narrow and
-- sorted because every KPI reads a date range of these facts: in date order a range skips the row
-- groups outside it (their min/max say so), and narrow rows are quicker to build and to keep
-- (measured at 0.9M invoices in duckdb-wasm: the overview at a new date 0.68 → 0.37 s, all the facts
-- rebuilt in 2.1 s instead of 2.8 s; see README, cockpit).
CREATE OR REPLACE VIEW invoice_facts_source AS
WITH alloc AS (
  SELECT invoice_id, sum(amount) AS allocated, max(payment_date) AS last_payment
  FROM payments WHERE invoice_id IS NOT NULL GROUP BY invoice_id
)
SELECT (row_number() OVER ())::BIGINT AS inv_key,
       i.invoice_id, i.invoice_date, i.due_date, i.amount, i.currency,
       CASE WHEN a.allocated = i.amount THEN a.last_payment END AS settled_on,
       COALESCE(a.allocated, 0)::DECIMAL(18,2) AS allocated,
       -- sales are invoices and credit notes; opening balances, transfers between receivable
       -- accounts and other debits (rebuilt from a general ledger) are receivables, not sales
       i.document_type IN ('invoice', 'credit_note') AS in_sales,
       enc_dimset_key(i.customer_id, i.currency, i.document_type, i.channel,
                      i.entity, i.division, i.salesperson, i.collector, i.category, i.country) AS dimset_key
FROM invoices i
LEFT JOIN alloc a ON a.invoice_id = i.invoice_id
ORDER BY i.invoice_date;

CREATE TABLE IF NOT EXISTS invoice_facts AS SELECT * FROM invoice_facts_source LIMIT 0;

-- The text columns of the invoices, once per dimset_key, with the number of invoices that have
-- them; a dimension set on the invoice wins over its customer's. Grouped on the invoices' own
-- columns first (a few thousand groups), so the customers are joined to the groups, not to every
-- invoice.
CREATE OR REPLACE VIEW dimset_facts_source AS
WITH g AS (
  SELECT customer_id, currency, document_type, channel, entity, division, salesperson, collector, category, country,
         count(*) AS invoices
  FROM invoices GROUP BY ALL
)
SELECT enc_dimset_key(g.customer_id, g.currency, g.document_type, g.channel,
                      g.entity, g.division, g.salesperson, g.collector, g.category, g.country) AS dimset_key,
       g.customer_id, COALESCE(c.customer_name, g.customer_id) AS customer_name, g.currency, g.document_type,
       COALESCE(g.entity, c.entity)           AS entity,
       COALESCE(g.division, c.division)       AS division,
       COALESCE(g.salesperson, c.salesperson) AS salesperson,
       COALESCE(g.collector, c.collector)     AS collector,
       COALESCE(g.category, c.category)       AS category,
       COALESCE(g.country, c.country)         AS country,
       g.channel, g.invoices
FROM g LEFT JOIN customers c ON c.customer_id = g.customer_id;

CREATE TABLE IF NOT EXISTS dimset_facts AS SELECT * FROM dimset_facts_source LIMIT 0;

-- Allocations with their invoice's numbers and dimension set, sorted by payment date (allocations
-- to unknown invoices and unapplied cash are not here: see scoped_unapplied). Not the payment's own
-- id: no KPI reads it, and 0.9M distinct strings took 0.1–0.2 s to append at every reopening.
CREATE OR REPLACE VIEW allocation_facts_source AS
SELECT p.payment_date, p.amount, p.method,
       f.inv_key, f.invoice_date, f.due_date, f.amount AS invoice_amount, f.currency, f.dimset_key
FROM payments p JOIN invoice_facts f ON f.invoice_id = p.invoice_id
ORDER BY p.payment_date;

-- These facts are materialised once per change of the ledger (ledgerChanged in bootstrap.ts, inside
-- the import's transaction; a saved workspace loads them back instead, ledgerRestored): every KPI
-- reads them instead of joining invoices, customers and payments again, a dozen times per request.
CREATE TABLE IF NOT EXISTS allocation_facts AS SELECT * FROM allocation_facts_source LIMIT 0;

-- Sales (invoices and credit notes) by currency and calendar month: the whole months of the
-- countback DSO (dso.sql) in one currency read a few dozen rows instead of 36 months of invoices.
CREATE OR REPLACE VIEW sales_month_facts_source AS
SELECT currency, date_trunc('month', invoice_date)::DATE AS month, sum(amount)::DECIMAL(18,2) AS sales
FROM invoice_facts WHERE in_sales
GROUP BY ALL
ORDER BY month, currency;

CREATE TABLE IF NOT EXISTS sales_month_facts AS SELECT * FROM sales_month_facts_source LIMIT 0;

-- Payments allocated to no invoice, with their customer's dimensions (a few thousand rows: the
-- balance family scanned every payment for them, 11 ms a date at 0.9M invoices in duckdb-wasm).
CREATE OR REPLACE VIEW unapplied_facts_source AS
SELECT p.payment_id, p.payment_date, p.amount, COALESCE(p.currency, c.currency) AS currency, p.customer_id,
       c.entity, c.division, c.salesperson, c.collector, c.category, c.country
FROM payments p LEFT JOIN customers c ON c.customer_id = p.customer_id
WHERE p.invoice_id IS NULL;

CREATE TABLE IF NOT EXISTS unapplied_facts AS SELECT * FROM unapplied_facts_source LIMIT 0;

-- Promises and disputes with their invoice's integer key and facts, so that their KPIs join on
-- integers and scan tens of thousands of rows instead of looking every invoice and payment up by
-- its text id (the promises family was the overview's costliest: 0.11 s a date at 0.9M invoices).
-- Rebuilt with the other facts, and also when only promises or disputes were recorded.
-- A promise's currency: its invoice's, else its customer's; its dimensions: its customer's.
-- Money stays DECIMAL(18,2) in every table kept: a sum is DECIMAL(38,2), stored as a 128-bit
-- integer, and once compressed (compactLedger) such a column read 10× slower in duckdb-wasm
-- (the promises family: 35 ms against 3).
-- Each promise's outcome is worked out here (promises.sql says the rule): it depends on the
-- payments up to its promised date only, never on the date a KPI is asked for (a promise is
-- judged once its date has passed), and looking them up at each request read half the
-- allocations (30 ms a date at 0.9M invoices in duckdb-wasm).
CREATE OR REPLACE VIEW promise_facts_source AS
WITH base AS (
  SELECT pr.promise_id, pr.customer_id, pr.invoice_id, pr.promised_on, pr.promised_date, pr.amount, pr.status,
         f.inv_key, f.amount AS invoice_amount, COALESCE(ds.currency, c.currency) AS currency,
         c.entity, c.division, c.salesperson, c.collector, c.category, c.country
  FROM promises pr
  LEFT JOIN customers c ON c.customer_id = pr.customer_id
  LEFT JOIN invoice_facts f ON f.invoice_id = pr.invoice_id
  LEFT JOIN dimset_facts ds ON ds.dimset_key = f.dimset_key
), by_invoice AS (
  -- promises on an invoice: the payments allocated to it (the import refuses a promise on an
  -- invoice the ledger does not have; one whose invoice a later import took away finds none)
  SELECT b.promise_id,
         b.invoice_amount - COALESCE(sum(pa.amount) FILTER (WHERE pa.payment_date <= b.promised_on), 0) AS open_on_promise,
         COALESCE(sum(pa.amount) FILTER (WHERE pa.payment_date BETWEEN b.promised_on AND b.promised_date), 0) AS paid_in_window
  FROM base b LEFT JOIN allocation_facts pa ON pa.inv_key = b.inv_key AND pa.payment_date <= b.promised_date
  WHERE b.invoice_id IS NOT NULL
  GROUP BY b.promise_id, b.invoice_amount
), by_customer AS (
  -- promises without an invoice: the customer's payments, allocated or not
  SELECT b.promise_id, NULL AS open_on_promise,
         COALESCE(sum(pa.amount) FILTER (WHERE pa.payment_date BETWEEN b.promised_on AND b.promised_date), 0) AS paid_in_window
  FROM base b LEFT JOIN payments pa ON pa.customer_id = b.customer_id AND pa.payment_date <= b.promised_date
  WHERE b.invoice_id IS NULL
  GROUP BY b.promise_id
)
SELECT b.*, o.open_on_promise::DECIMAL(18,2) AS open_on_promise, o.paid_in_window::DECIMAL(18,2) AS paid_in_window
FROM base b LEFT JOIN (SELECT * FROM by_invoice UNION ALL SELECT * FROM by_customer) o USING (promise_id);

CREATE TABLE IF NOT EXISTS promise_facts AS SELECT * FROM promise_facts_source LIMIT 0;

-- Disputes on a known invoice, with the invoice's facts (its customer, currency and dimensions
-- scope the dispute, as they scope the invoice).
CREATE OR REPLACE VIEW dispute_facts_source AS
SELECT d.*, f.inv_key, f.invoice_date, f.amount AS invoice_amount, ds.currency,
       ds.customer_id AS invoice_customer_id, ds.entity, ds.division, ds.salesperson, ds.collector, ds.category, ds.country
FROM disputes d JOIN invoice_facts f ON f.invoice_id = d.invoice_id
JOIN dimset_facts ds ON ds.dimset_key = f.dimset_key;

CREATE TABLE IF NOT EXISTS dispute_facts AS SELECT * FROM dispute_facts_source LIMIT 0;

-- What the top late payers read of the actions (each customer's last action up to a date), kept
-- narrow: a reopened workspace loads it with the overview's tables and the actions themselves after,
-- with the late tables (their 11 columns: 124 MB of Arrow at 0.9M invoices, 0.9–1.2 s to append in
-- duckdb-wasm, the largest table of the overview's part).
CREATE OR REPLACE VIEW action_facts_source AS
SELECT customer_id, action_date, action_id, action_type FROM actions;

CREATE TABLE IF NOT EXISTS action_facts AS SELECT * FROM action_facts_source LIMIT 0;

-- Which items can be open at a date, without reading every invoice. An item is open from its
-- invoice date until settled_on; most are settled within weeks. Items settled within W days of
-- their invoice date ("short") that are open at d were invoiced after d − W: a range of the facts
-- sorted by invoice date. The others ("long": settled later than W days, or never) are copied to
-- long_open_facts, a few percent of the invoices, read whole. W is chosen from the ledger at each
-- change so that the range plus the long items are the fewest rows (at 0.9M invoices: W = 120 days,
-- 98k + 67k rows instead of every invoice before d). W is kept in open_window_facts and, for the
-- queries, in the variable enc_open_window (constant when a query is planned, so the range skips
-- row groups; set by ledgerChanged, ledgerRestored and clearLedger, bootstrap.ts).
CREATE OR REPLACE VIEW open_window_facts_source AS
WITH durations AS (
  SELECT enc_min2(COALESCE(settled_on - invoice_date, 100000), 100000) AS days, count(*) AS n FROM invoice_facts GROUP BY ALL
), span AS (
  SELECT count(*) AS n, greatest(COALESCE(max(invoice_date) - min(invoice_date), 1), 1) AS days FROM invoice_facts
), cost AS (
  SELECT w.w, (SELECT n FROM span) * w.w / (SELECT days FROM span) + COALESCE(sum(d.n), 0) AS rows_read
  FROM (SELECT unnest([30, 45, 60, 90, 120, 150, 180, 270, 365, 730]) AS w) w
  LEFT JOIN durations d ON d.days > w.w
  GROUP BY w.w
)
SELECT arg_min(w, rows_read)::INTEGER AS window_days FROM cost;

CREATE TABLE IF NOT EXISTS open_window_facts AS SELECT * FROM open_window_facts_source LIMIT 0;

CREATE OR REPLACE VIEW long_open_facts_source AS
SELECT * FROM invoice_facts
WHERE settled_on IS NULL OR settled_on - invoice_date > (SELECT window_days FROM open_window_facts)
ORDER BY invoice_date;

CREATE TABLE IF NOT EXISTS long_open_facts AS SELECT * FROM long_open_facts_source LIMIT 0;

-- The allocations dated before their item was settled for good (all of them when it never was):
-- those an item still open at d had received by d (an item open at d is settled after d, if ever).
-- 80k of 0.9M allocations; the open amount at d = amount − these dated on or before d.
CREATE OR REPLACE VIEW partial_allocation_facts_source AS
SELECT a.inv_key, a.payment_date, a.amount, a.currency
FROM allocation_facts a JOIN invoice_facts f ON f.inv_key = a.inv_key
WHERE f.settled_on IS NULL OR a.payment_date < f.settled_on
ORDER BY a.payment_date;

CREATE TABLE IF NOT EXISTS partial_allocation_facts AS SELECT * FROM partial_allocation_facts_source LIMIT 0;

-- The invoices written off (given up, not paid), with the day of their first write-off: a few rows,
-- so that the forecast's learning, at every date, need not scan every allocation for them.
CREATE OR REPLACE VIEW write_off_facts_source AS
SELECT inv_key, min(payment_date) AS written_off_on FROM allocation_facts WHERE enc_is_write_off(method) GROUP BY inv_key;

CREATE TABLE IF NOT EXISTS write_off_facts AS SELECT * FROM write_off_facts_source LIMIT 0;

-- Whether an item is open at d as far as its dates say: invoiced on or before d and not settled
-- for good by then (its open amount at d may still be 0: reversed and paid again).
CREATE OR REPLACE MACRO enc_open_on(invoice_date, settled_on, d) AS
  invoice_date <= d::DATE AND (settled_on IS NULL OR settled_on > d::DATE);

-- The invoices that may be open on some day of [lo, hi] (a superset: each date still checks
-- enc_open_on).
CREATE OR REPLACE MACRO open_candidates(lo, hi) AS TABLE
SELECT * FROM invoice_facts
WHERE invoice_date > lo::DATE - getvariable('enc_open_window')::INTEGER AND invoice_date <= hi::DATE
  AND settled_on > lo::DATE AND settled_on - invoice_date <= getvariable('enc_open_window')::INTEGER
UNION ALL
SELECT * FROM long_open_facts
WHERE invoice_date <= hi::DATE AND (settled_on IS NULL OR settled_on > lo::DATE);

-- Open items at up to two dates at once (prepareSnapshots builds the dates it misses two by two):
-- open amount at d = amount − the allocations dated on or before d, for the items invoiced on or
-- before d and not settled for good by d; those allocations are all partial_allocation_facts.
-- Days overdue = d − due date, so an item due on d is not overdue. Over-allocated items show a
-- negative open amount (a credit the customer holds). Items with nothing open are left out.
CREATE OR REPLACE MACRO open_items_at(d1, d2) AS TABLE
WITH candidates AS MATERIALIZED (
  -- the text columns stay behind dimset_key (scoped_open reads them from dimset_facts)
  SELECT inv_key, invoice_id, invoice_date, due_date, amount, currency, settled_on, in_sales, dimset_key
  FROM open_candidates(least(d1::DATE, d2::DATE), greatest(d1::DATE, d2::DATE))
), paid AS MATERIALIZED (
  SELECT inv_key,
         COALESCE(sum(amount) FILTER (WHERE payment_date <= d1::DATE), 0)::DECIMAL(18,2) AS paid1,
         COALESCE(sum(amount) FILTER (WHERE payment_date <= d2::DATE), 0)::DECIMAL(18,2) AS paid2
  FROM partial_allocation_facts
  WHERE payment_date <= greatest(d1::DATE, d2::DATE) AND inv_key IN (SELECT inv_key FROM candidates)
  GROUP BY inv_key
), items AS MATERIALIZED (
  SELECT f.*, COALESCE(p.paid1, 0) AS paid1, COALESCE(p.paid2, 0) AS paid2
  FROM candidates f LEFT JOIN paid p ON p.inv_key = f.inv_key
)
SELECT d1::DATE AS snapshot_date, i.* EXCLUDE (paid1, paid2),
       i.amount - i.paid1 AS open_amount, (d1::DATE - i.due_date) AS days_overdue
FROM items i
WHERE enc_open_on(i.invoice_date, i.settled_on, d1) AND i.amount - i.paid1 <> 0
UNION ALL
SELECT d2::DATE, i.* EXCLUDE (paid1, paid2),
       i.amount - i.paid2, (d2::DATE - i.due_date)
FROM items i
WHERE d2::DATE <> d1::DATE AND enc_open_on(i.invoice_date, i.settled_on, d2) AND i.amount - i.paid2 <> 0;

-- Open items at one date.
CREATE OR REPLACE MACRO open_items(as_of) AS TABLE
SELECT * EXCLUDE (snapshot_date) FROM open_items_at(as_of, as_of);

-- Ageing buckets by days overdue: not due, then one bucket up to each bound, then the rest.
-- The four bounds are the user's to set (setAgingBounds); 30/60/90/120 by default. Bucket keys
-- follow them: 'not_due', '1-30', '31-60', '61-90', '91-120', '>120'. Bounds in the view are
-- inclusive; NULL = unbounded; sort_key 0–5 is the bucket's slot in every pivot (b0 … b5).
CREATE TABLE IF NOT EXISTS aging_bounds (slot INTEGER NOT NULL, max_days INTEGER NOT NULL);
INSERT INTO aging_bounds SELECT * FROM (VALUES (1, 30), (2, 60), (3, 90), (4, 120)) v(slot, max_days)
WHERE NOT EXISTS (SELECT 1 FROM aging_bounds);

CREATE OR REPLACE VIEW aging_buckets AS
WITH b AS (SELECT slot, max_days, COALESCE(lag(max_days) OVER (ORDER BY slot), 0) + 1 AS min_days FROM aging_bounds)
SELECT 0 AS sort_key, 'not_due' AS bucket, NULL::INTEGER AS min_days, 0 AS max_days
UNION ALL
SELECT slot, min_days || '-' || max_days, min_days, max_days FROM b
UNION ALL
SELECT 5, '>' || max(max_days), max(max_days) + 1, NULL FROM b;

-- What the ledger holds: its dates (the default as-of date is its latest movement) and counts. Kept
-- in a one-row table rebuilt at each change of the ledger and when it is cleared (every page asks
-- for it, twice per overview: 0.1 s a time in duckdb-wasm).
CREATE OR REPLACE VIEW ledger_summary_facts_source AS
WITH dates AS (
  SELECT min(invoice_date) AS lo, max(invoice_date) AS hi FROM invoices
  UNION ALL SELECT min(payment_date), max(payment_date) FROM payments
  UNION ALL SELECT min(opened_date), greatest(max(opened_date), max(resolved_date)) FROM disputes
  UNION ALL SELECT min(promised_on), max(promised_on) FROM promises
  UNION ALL SELECT min(action_date), max(action_date) FROM actions
), counts AS (
  -- one row per table, turned into columns below: as nine scalar subqueries, the optimizer joined
  -- nine one-row results and took 0.17 s in duckdb-wasm even on empty tables, at every change of
  -- the ledger (a recorded action too) and at every start
  SELECT 'customers' AS t, count(*) AS n FROM customers
  UNION ALL SELECT 'invoices', count(*) FROM invoices
  UNION ALL SELECT 'payments', count(*) FROM payments
  UNION ALL SELECT 'disputes', count(*) FROM disputes
  UNION ALL SELECT 'promises', count(*) FROM promises
  UNION ALL SELECT 'actions', count(*) FROM actions
  UNION ALL SELECT 'credit_limits', count(*) FROM credit_limits
  UNION ALL SELECT 'fx_rates', count(*) FROM fx_rates
  -- files that list open items only (balances at the export date, no history): the KPIs that
  -- need the period's invoices and payments (sales, DSO, CEI, DBT…) mean nothing on them
  UNION ALL SELECT 'open_items_files', count(*) FROM import_files WHERE detected LIKE '%"open_items_only"%'
)
SELECT d.*, c.*
FROM (SELECT strftime(min(lo), '%Y-%m-%d') AS earliest_date, strftime(max(hi), '%Y-%m-%d') AS latest_date FROM dates) d,
     (SELECT max(n) FILTER (WHERE t = 'customers') AS customers,
             max(n) FILTER (WHERE t = 'invoices') AS invoices,
             max(n) FILTER (WHERE t = 'payments') AS payments,
             max(n) FILTER (WHERE t = 'disputes') AS disputes,
             max(n) FILTER (WHERE t = 'promises') AS promises,
             max(n) FILTER (WHERE t = 'actions') AS actions,
             max(n) FILTER (WHERE t = 'credit_limits') AS credit_limits,
             max(n) FILTER (WHERE t = 'fx_rates') AS fx_rates,
             max(n) FILTER (WHERE t = 'open_items_files') AS open_items_files
      FROM counts) c;

CREATE TABLE IF NOT EXISTS ledger_summary_facts AS SELECT * FROM ledger_summary_facts_source;

CREATE OR REPLACE MACRO ledger_summary() AS TABLE SELECT * FROM ledger_summary_facts;

-- Currencies, the main one first (largest gross invoiced): KPIs never add two currencies.
-- (kept like the summary: every request resolves its currency from it)
CREATE OR REPLACE VIEW ledger_currencies_facts_source AS
SELECT currency, count(*) AS invoices, sum(abs(amount))::DOUBLE AS gross_amount
FROM invoices
GROUP BY currency;

CREATE TABLE IF NOT EXISTS ledger_currencies_facts AS SELECT * FROM ledger_currencies_facts_source;

CREATE OR REPLACE MACRO ledger_currencies() AS TABLE
SELECT * FROM ledger_currencies_facts ORDER BY gross_amount DESC, currency;
