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
WITH a AS (SELECT * FROM scoped_actions(as_of, period_days, dim, val)),
judged AS (SELECT * FROM a WHERE a.action_date + window_days::INTEGER <= as_of::DATE),
-- The first promise and the first payment from the customer on or after each action (ASOF joins:
-- one ordered pass instead of a search per action).
answered AS (
  SELECT j.action_id,
         lower(COALESCE(j.outcome, '')) IN ('promise', 'reply', 'dispute_raised', 'paid')
         OR pr.promised_on <= j.action_date + window_days::INTEGER
         OR pa.payment_date <= j.action_date + window_days::INTEGER AS responded
  FROM judged j
  ASOF LEFT JOIN (SELECT customer_id, promised_on FROM promises
                  WHERE promised_on BETWEEN (SELECT min(action_date) FROM judged)
                                        AND (SELECT max(action_date) + window_days::INTEGER FROM judged)) pr
    ON pr.customer_id = j.customer_id AND pr.promised_on >= j.action_date
  ASOF LEFT JOIN (SELECT customer_id, payment_date FROM payments
                  WHERE amount > 0
                    AND payment_date BETWEEN (SELECT min(action_date) FROM judged)
                                         AND (SELECT max(action_date) + window_days::INTEGER FROM judged)) pa
    ON pa.customer_id = j.customer_id AND pa.payment_date >= j.action_date
)
SELECT CASE WHEN (SELECT count(*) FROM answered) > 0
            THEN (SELECT count(*) FILTER (WHERE COALESCE(responded, false)) FROM answered)::DOUBLE / (SELECT count(*) FROM answered) * 100 END AS dunning_response_rate,
       CASE WHEN count(*) > 0 THEN count(*) FILTER (WHERE automated)::DOUBLE / count(*) * 100 END AS automation_rate,
       CASE WHEN count(DISTINCT collector) > 0 THEN count(*)::DOUBLE / count(DISTINCT collector) END AS actions_per_collector,
       count(*) AS actions
FROM a;

CREATE OR REPLACE MACRO kpi_actions_by_collector(as_of, period_days, dim, val) AS TABLE
SELECT COALESCE(collector, '') AS collector, count(*) AS actions,
       count(*) FILTER (WHERE automated) AS automated, count(DISTINCT customer_id) AS customers
FROM scoped_actions(as_of, period_days, dim, val)
GROUP BY ALL ORDER BY actions DESC, collector;
