-- Dunning and collection actions dated in the period (as_of − P, as_of], in scope (customer dimensions).
--
--   dunning_response_rate = actions followed, within `window_days` (14 by default) and on or before
--                           as_of, by a response from that customer: the action's own outcome says
--                           so ('promise', 'reply', 'dispute_raised', 'paid'), a promise made, or a
--                           payment received / actions × 100. Actions whose window is not over at
--                           as_of are left out, so that recent ones do not bias it down.
--   automation_rate       = automated actions / actions × 100
--   actions_per_collector = actions / collectors who logged at least one
CREATE OR REPLACE MACRO scoped_actions(as_of, period_days, dim, val) AS TABLE
SELECT a.* FROM actions a LEFT JOIN customers c ON c.customer_id = a.customer_id
WHERE a.action_date > as_of::DATE - period_days::INTEGER AND a.action_date <= as_of::DATE
  AND enc_in_slice(dim, val, a.customer_id, c.entity, c.division, c.salesperson, c.collector, c.category, c.country);

CREATE OR REPLACE MACRO kpi_dunning(as_of, period_days, cur, dim, val, window_days := 14) AS TABLE
WITH a AS MATERIALIZED (SELECT * FROM scoped_actions(as_of, period_days, dim, val)),
judged AS MATERIALIZED (
  SELECT customer_id, action_date,
         lower(COALESCE(outcome, '')) IN ('promise', 'reply', 'dispute_raised', 'paid') AS says_answered
  FROM a WHERE action_date + window_days::INTEGER <= as_of::DATE
),
-- The days on which each customer answered otherwise (a promise made, a payment received), within
-- the judged actions' windows.
answers AS (
  SELECT DISTINCT customer_id, d FROM (
    SELECT customer_id, promised_on AS d FROM promises
    UNION ALL
    SELECT customer_id, payment_date FROM payments WHERE amount > 0
  )
  WHERE d BETWEEN (SELECT min(action_date) FROM judged) AND (SELECT max(action_date) + window_days::INTEGER FROM judged)
), r AS (
  SELECT (SELECT count(*) FROM judged) AS judged,
         (SELECT count(*) FROM judged WHERE says_answered)
         + (SELECT count(*) FROM judged j
            SEMI JOIN answers x ON x.customer_id = j.customer_id AND x.d BETWEEN j.action_date AND j.action_date + window_days::INTEGER
            WHERE NOT j.says_answered) AS responded
), t AS (
  SELECT count(*) AS actions, count(*) FILTER (WHERE automated) AS automated, count(DISTINCT collector) AS collectors FROM a
)
SELECT CASE WHEN r.judged > 0 THEN r.responded::DOUBLE / r.judged * 100 END AS dunning_response_rate,
       CASE WHEN t.actions > 0 THEN t.automated::DOUBLE / t.actions * 100 END AS automation_rate,
       CASE WHEN t.collectors > 0 THEN t.actions::DOUBLE / t.collectors END AS actions_per_collector,
       t.actions
FROM r, t;

CREATE OR REPLACE MACRO kpi_actions_by_collector(as_of, period_days, dim, val) AS TABLE
SELECT COALESCE(collector, '') AS collector, count(*) AS actions,
       count(*) FILTER (WHERE automated) AS automated, count(DISTINCT customer_id) AS customers
FROM scoped_actions(as_of, period_days, dim, val)
GROUP BY ALL ORDER BY actions DESC, collector;
