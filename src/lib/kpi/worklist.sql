-- Dunning: which step of the scenario is due for which open invoice on the as-of date D, and
-- today's worklist per customer.
--
-- A scenario is a list of steps relative to the due date (dunning_steps: offset in days, channel,
-- key). For an open invoice (amount > 0) d days past due (d = D − due date), the step reached is the
-- last one whose offset ≤ d; it is due unless done: an action of that step's key recorded on that
-- invoice (or on the whole account, invoice empty) on or after due + offset. Earlier steps that were
-- skipped are not sent any more: the step reached stands for them.
-- Paused (no step due): an invoice with an open dispute at D, or a customer's promise covering it
-- (on the invoice, or on the whole account) made by D and not yet due.
CREATE TABLE IF NOT EXISTS dunning_steps (step_key VARCHAR PRIMARY KEY, offset_days INTEGER NOT NULL, channel VARCHAR NOT NULL);
INSERT OR IGNORE INTO dunning_steps VALUES
  ('courtesy_reminder', -5, 'email'), ('reminder_1', 5, 'email'), ('reminder_2', 15, 'email'),
  ('formal_notice', 30, 'letter'), ('litigation', 45, 'letter');

CREATE OR REPLACE MACRO kpi_dunning_due(as_of, cur, dim, val) AS TABLE
WITH o AS (
  SELECT invoice_id, customer_id, customer_name, due_date, open_amount::DOUBLE AS open_amount, as_of::DATE - due_date AS d
  FROM scoped_open(as_of, cur, dim, val) WHERE amount > 0 AND open_amount > 0
), reached AS (
  SELECT o.*, s.step_key, s.offset_days, s.channel
  FROM o JOIN dunning_steps s ON s.offset_days <= o.d
), latest AS (
  -- the step reached, if not done
  SELECT r.* FROM (SELECT * FROM reached QUALIFY row_number() OVER (PARTITION BY invoice_id ORDER BY offset_days DESC) = 1) r
  WHERE NOT EXISTS (
    SELECT 1 FROM actions a
    WHERE a.customer_id = r.customer_id AND lower(a.action_type) = r.step_key
      AND (a.invoice_id = r.invoice_id OR a.invoice_id IS NULL)
      AND a.action_date >= r.due_date + r.offset_days AND a.action_date <= as_of::DATE)
), paused AS (
  SELECT invoice_id, 'dispute' AS why FROM disputes
  WHERE opened_date <= as_of::DATE AND (resolved_date IS NULL OR resolved_date > as_of::DATE) AND invoice_id IS NOT NULL
  UNION ALL
  SELECT o.invoice_id, 'promise' FROM o JOIN promises p ON p.customer_id = o.customer_id
  WHERE p.promised_on <= as_of::DATE AND p.promised_date > as_of::DATE AND (p.invoice_id = o.invoice_id OR p.invoice_id IS NULL)
)
SELECT l.invoice_id, l.customer_id, l.customer_name, strftime(l.due_date, '%Y-%m-%d') AS due_date, l.open_amount, l.d AS days_overdue,
       l.step_key, l.offset_days, l.channel,
       (SELECT min(why) FROM paused p WHERE p.invoice_id = l.invoice_id) AS paused
FROM latest l
ORDER BY l.customer_id, l.offset_days DESC, l.invoice_id;

-- Today's worklist: per customer with an unpaused step due, the most advanced step, the invoices
-- it covers and their amount, ordered by collection priority (risk.sql: overdue × (1 + points)).
CREATE OR REPLACE MACRO kpi_worklist(as_of, cur, dim, val) AS TABLE
WITH due AS (SELECT * FROM kpi_dunning_due(as_of, cur, dim, val) WHERE paused IS NULL),
per AS (
  SELECT customer_id, any_value(customer_name) AS customer_name,
         arg_max(step_key, offset_days) AS step_key, arg_max(channel, offset_days) AS channel,
         count(*) AS invoices, sum(open_amount) AS amount, max(days_overdue) AS oldest_days,
         string_agg(invoice_id, ', ' ORDER BY days_overdue DESC) AS invoice_ids
  FROM due GROUP BY customer_id
)
SELECT p.*, COALESCE(r.grade, 'A') AS grade, COALESCE(r.priority, 0) AS priority, c.collector
FROM per p
LEFT JOIN kpi_customer_risk(as_of, cur, dim, val) r USING (customer_id)
LEFT JOIN customers c USING (customer_id)
ORDER BY priority DESC, amount DESC, customer_id;
