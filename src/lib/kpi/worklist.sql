-- Dunning: which step of which scenario is due for which open invoice on the as-of date D, and
-- today's worklist per customer.
--
-- Scenarios (dunning_scenarios) are lists of steps relative to the due date (dunning_steps: offset
-- in days, channel, key). Each customer follows one: the scenario assigned to its risk grade at D if
-- there is one, else the one assigned to its category (customers.category), else the default. The
-- user edits them (settings.ts); the standard one below is what a new ledger starts with.
-- For an open invoice (amount > 0) d days past due (d = D − due date), the step reached is the last
-- one of its customer's scenario whose offset ≤ d; it is due unless done: an action of that step's
-- key recorded on that invoice (or on the whole account, invoice empty) on or after due + offset.
-- Earlier steps that were skipped are not sent any more: the step reached stands for them.
-- Paused (no step due): an invoice with an open dispute at D, or a customer's promise covering it
-- (on the invoice, or on the whole account) made by D and not yet due.
CREATE TABLE IF NOT EXISTS dunning_scenarios (
  scenario_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL,
  applies_to VARCHAR NOT NULL CHECK (applies_to IN ('default', 'grade', 'category')), applies_value VARCHAR);
CREATE TABLE IF NOT EXISTS dunning_steps (
  scenario_id VARCHAR NOT NULL, step_key VARCHAR NOT NULL, offset_days INTEGER NOT NULL, channel VARCHAR NOT NULL,
  PRIMARY KEY (scenario_id, step_key));
INSERT INTO dunning_scenarios SELECT 'standard', 'Standard', 'default', NULL WHERE NOT EXISTS (SELECT 1 FROM dunning_scenarios);
INSERT INTO dunning_steps SELECT * FROM (VALUES
  ('standard', 'courtesy_reminder', -5, 'email'), ('standard', 'reminder_1', 5, 'email'), ('standard', 'reminder_2', 15, 'email'),
  ('standard', 'formal_notice', 30, 'letter'), ('standard', 'litigation', 45, 'letter')) v
WHERE NOT EXISTS (SELECT 1 FROM dunning_steps);

-- The open invoices (amount > 0) at D, each with its customer's scenario, risk grade and priority:
-- of every customer in scope, or of the `lim` largest late payers only (kpi_top_late's; lim NULL: all).
CREATE OR REPLACE MACRO dunning_items(as_of, cur, dim, val, lim) AS TABLE
WITH o AS (
  SELECT invoice_id, customer_id, customer_name, due_date, open_amount::DOUBLE AS open_amount, as_of::DATE - due_date AS d
  FROM scoped_open(as_of, cur, dim, val) WHERE amount > 0 AND open_amount > 0
    AND (lim IS NULL OR customer_id IN (SELECT customer_id FROM kpi_top_late(as_of, cur, dim, val, COALESCE(lim, 0))))
), scenario_of AS (
  -- grade beats category beats default (the grade and priority joined per customer, not per
  -- invoice: estimated per invoice, the steps' joins below were planned the wrong way round, 1.5× slower)
  SELECT k.customer_id, arg_min(s.scenario_id, CASE s.applies_to WHEN 'grade' THEN 1 WHEN 'category' THEN 2 ELSE 3 END) AS scenario_id,
         any_value(COALESCE(r.grade, 'A')) AS grade, any_value(COALESCE(r.priority, 0)) AS priority
  FROM (SELECT DISTINCT customer_id FROM o) k
  LEFT JOIN kpi_customer_risk_scores(as_of, cur, dim, val) r USING (customer_id)
  LEFT JOIN customers c USING (customer_id)
  JOIN dunning_scenarios s
    ON s.applies_to = 'default' OR (s.applies_to = 'grade' AND s.applies_value = COALESCE(r.grade, 'A'))
    OR (s.applies_to = 'category' AND s.applies_value = c.category)
  GROUP BY k.customer_id
)
SELECT o.*, k.scenario_id, k.grade, k.priority FROM o JOIN scenario_of k USING (customer_id);

-- Whether promise p pauses the dunning of a customer's invoice at D: made by D, not yet due, on that
-- invoice or on the whole account (p_invoice NULL). (Its customer's equality is what joins are hashed on.)
CREATE OR REPLACE MACRO enc_promise_pauses(p_customer, p_invoice, p_on, p_date, customer, invoice, as_of) AS
  p_customer = customer AND p_on <= as_of::DATE AND p_date > as_of::DATE AND (p_invoice = invoice OR p_invoice IS NULL);

-- Every open invoice of dunning_items with its step due at D, if any (the step its scenario has
-- reached, not done: step_key NULL otherwise), and why it waits, if it does (paused: an open dispute
-- at D, or a promise made by D and not yet due). The one set of rules behind today's worklist and
-- the late payers' next steps.
CREATE OR REPLACE MACRO dunning_item_states(as_of, cur, dim, val, lim) AS TABLE
WITH o AS MATERIALIZED (SELECT * FROM dunning_items(as_of, cur, dim, val, lim)),
reached AS (
  -- the last step whose offset ≤ d: an ASOF join (no row per step passed, no window to sort)
  SELECT o.invoice_id, s.step_key, s.offset_days, s.channel, o.customer_id, o.due_date
  FROM o ASOF JOIN dunning_steps s ON s.scenario_id = o.scenario_id AND o.d >= s.offset_days
), acts AS (
  SELECT customer_id, invoice_id, lower(action_type) AS step_key, action_date FROM actions WHERE action_date <= as_of::DATE
), latest AS (
  -- the step reached, if not done (on the invoice, or on the whole account): two equi-joins, not
  -- one join on an OR, which DuckDB cannot hash
  SELECT r.* FROM reached r
  WHERE NOT EXISTS (
    SELECT 1 FROM acts a WHERE a.invoice_id = r.invoice_id AND a.customer_id = r.customer_id AND a.step_key = r.step_key
      AND a.action_date >= r.due_date + r.offset_days)
    AND NOT EXISTS (
    SELECT 1 FROM acts a WHERE a.invoice_id IS NULL AND a.customer_id = r.customer_id AND a.step_key = r.step_key
      AND a.action_date >= r.due_date + r.offset_days)
), paused AS (
  SELECT invoice_id, 'dispute' AS why FROM disputes
  WHERE enc_dispute_open_on(opened_date, resolved_date, as_of) AND invoice_id IS NOT NULL
  UNION ALL
  SELECT o.invoice_id, 'promise' FROM o JOIN promises p
    ON enc_promise_pauses(p.customer_id, p.invoice_id, p.promised_on, p.promised_date, o.customer_id, o.invoice_id, as_of)
)
SELECT o.*, l.step_key, l.offset_days, l.channel, p.why AS paused
FROM o
LEFT JOIN latest l USING (invoice_id)
LEFT JOIN (SELECT invoice_id, min(why) AS why FROM paused GROUP BY invoice_id) p USING (invoice_id);

-- The step due for each open invoice at D, paused or not (the worklist leaves the paused out).
CREATE OR REPLACE MACRO kpi_dunning_due(as_of, cur, dim, val, lim := NULL) AS TABLE
SELECT invoice_id, customer_id, customer_name, strftime(due_date, '%Y-%m-%d') AS due_date, open_amount, d AS days_overdue,
       scenario_id, step_key, offset_days, channel, paused, grade, priority
FROM dunning_item_states(as_of, cur, dim, val, lim)
WHERE step_key IS NOT NULL
ORDER BY customer_id, offset_days DESC, invoice_id;

-- The next step of each of the `lim` largest late payers (the late payers page's "next step"): the
-- step due at D as today's worklist has it (its most advanced step due and not paused, since the
-- first day it was due on one of the invoices), else the first step still to come on an invoice
-- not paused (the earliest due date + offset after D). Neither (every invoice paused, or each past
-- its scenario's last step, done): NULL, with paused = why when every invoice is paused.
CREATE OR REPLACE MACRO kpi_next_steps(as_of, cur, dim, val, lim) AS TABLE
WITH items AS MATERIALIZED (SELECT * FROM dunning_item_states(as_of, cur, dim, val, lim)),
due AS (
  SELECT customer_id, step_key, min(due_date + offset_days) AS since
  FROM items WHERE step_key IS NOT NULL AND paused IS NULL
  GROUP BY customer_id, step_key, offset_days
  QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY offset_days DESC) = 1
), upcoming AS (
  -- each invoice's first step whose offset is after d (ASOF: the smallest such offset)
  SELECT i.customer_id, arg_min(x.step_key, i.due_date + x.offset_days) AS step_key, min(i.due_date + x.offset_days) AS next_date
  FROM (SELECT * FROM items WHERE paused IS NULL) i
  ASOF JOIN dunning_steps x ON x.scenario_id = i.scenario_id AND i.d < x.offset_days
  GROUP BY i.customer_id
), shown AS (
  SELECT customer_id, min(paused) AS why, count(paused) = count(*) AS all_paused FROM items GROUP BY customer_id
)
SELECT s.customer_id,
       COALESCE(d.step_key, u.step_key) AS next_step,
       strftime(COALESCE(d.since, u.next_date), '%Y-%m-%d') AS next_step_date,
       d.step_key IS NOT NULL AS next_step_due,
       CASE WHEN s.all_paused THEN s.why END AS paused
FROM shown s LEFT JOIN due d USING (customer_id) LEFT JOIN upcoming u USING (customer_id)
ORDER BY s.customer_id;

-- Today's worklist: per customer with an unpaused step due, the most advanced step, the invoices
-- it covers and their amount, ordered by collection priority (risk.sql: overdue × (1 + points)).
CREATE OR REPLACE MACRO kpi_worklist(as_of, cur, dim, val) AS TABLE
WITH due AS (SELECT * FROM kpi_dunning_due(as_of, cur, dim, val) WHERE paused IS NULL),
per AS (
  SELECT customer_id, any_value(customer_name) AS customer_name, any_value(scenario_id) AS scenario_id,
         arg_max(step_key, offset_days) AS step_key, arg_max(channel, offset_days) AS channel,
         count(*) AS invoices, sum(open_amount) AS amount, max(days_overdue) AS oldest_days,
         -- most overdue first (then by number); a sorted list, not an ordered aggregate: those sort
         -- per group, 3–5× slower in duckdb-wasm
         array_to_string(list_transform(list_sort(list({'d': -days_overdue, 'i': invoice_id})), x -> x.i), ', ') AS invoice_ids,
         any_value(grade) AS grade, any_value(priority) AS priority
  FROM due GROUP BY customer_id
)
SELECT p.*, c.collector, e.emails
FROM per p LEFT JOIN customers c USING (customer_id)
-- whom the e-mail goes to: the customer's contacts with an address, for the customers listed only
-- (a distinct ordered string_agg over every customer's contacts was 0.15 s of 0.5 s at 35k customers)
LEFT JOIN (SELECT customer_id, array_to_string(list_sort(list_distinct(list(email))), ',') AS emails
           FROM contacts WHERE email IS NOT NULL AND customer_id IN (SELECT customer_id FROM per) GROUP BY customer_id) e USING (customer_id)
ORDER BY priority DESC, amount DESC, customer_id;
