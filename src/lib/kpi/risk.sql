-- Customer risk grade A–E as of a date, in scope, with its reasons; and the collection priority.
--
-- Each factor scores points above its thresholds (risk_thresholds: documented defaults below,
-- changed with setRiskThresholds in settings.ts); the grade is the sum: 0 → A, 1–2 → B, 3–4 → C,
-- 5–6 → D, 7 and more → E.
--   drift              days late of the cash received in the last 182 days − in the 182 before
--                      (amount-weighted payment − due date): > 5 days 1 point, > 10 days 2
--   pct_overdue        overdue / outstanding × 100: > 25 % 1 point, > 50 % 2
--   weighted_days_late open overdue amounts weighted by their days overdue: > 30 days 1, > 60 days 2
--   disputes           disputes open at D: any 1 point
--   broken_promises    promises due in the last 182 days and not kept: 1 → 1 point, 2 or more → 2
--   utilisation        outstanding / credit limit × 100: > 80 % 1 point, > 100 % 2
--   concentration      the customer's share of the outstanding in scope: > 10 % 1 point
-- priority = overdue amount × (1 + points): the cash at stake, weighted by the risk (the worklist's
-- order).
CREATE TABLE IF NOT EXISTS risk_thresholds (factor VARCHAR PRIMARY KEY, one_point DOUBLE NOT NULL, two_points DOUBLE);
INSERT OR IGNORE INTO risk_thresholds VALUES
  ('drift', 5, 10), ('pct_overdue', 25, 50), ('weighted_days_late', 30, 60), ('disputes', 0, NULL),
  ('broken_promises', 0, 1), ('utilisation', 80, 100), ('concentration', 10, NULL);

-- Points of a factor's value against its thresholds (one row of them per factor, read once per
-- query as a struct: a lookup per customer and factor cost a third of the worklist's time).
CREATE OR REPLACE MACRO enc_risk_points(x, t) AS
  CASE WHEN x IS NULL THEN 0 WHEN x > t.two THEN 2 WHEN x > t.one THEN 1 ELSE 0 END;

-- The scores (factors, points, grade, priority) without the reasons' list and the order: what the
-- worklist reads (building each customer's list of reasons cost 10 % of the worklist's time).
CREATE OR REPLACE MACRO kpi_customer_risk_scores(as_of, cur, dim, val) AS TABLE
WITH o AS (SELECT * FROM scoped_open(as_of, cur, dim, val)),
bal AS (
  SELECT customer_id, any_value(customer_name) AS customer_name, sum(open_amount)::DOUBLE AS outstanding,
         COALESCE(sum(open_amount) FILTER (WHERE days_overdue > 0), 0)::DOUBLE AS overdue,
         sum(open_amount::DOUBLE * days_overdue) FILTER (WHERE amount > 0 AND open_amount > 0 AND days_overdue > 0)
           / sum(open_amount::DOUBLE) FILTER (WHERE amount > 0 AND open_amount > 0 AND days_overdue > 0) AS weighted_days_late
  FROM o GROUP BY customer_id
), total AS (SELECT sum(outstanding) AS outstanding FROM bal WHERE outstanding > 0),
paid AS (
  SELECT customer_id,
         sum(amount::DOUBLE * (payment_date - due_date)) FILTER (WHERE payment_date > as_of::DATE - 182)
           / sum(amount::DOUBLE) FILTER (WHERE payment_date > as_of::DATE - 182) AS recent,
         sum(amount::DOUBLE * (payment_date - due_date)) FILTER (WHERE payment_date <= as_of::DATE - 182)
           / sum(amount::DOUBLE) FILTER (WHERE payment_date <= as_of::DATE - 182) AS before
  FROM scoped_allocations(cur, dim, val) a JOIN dimset_facts ds USING (dimset_key)
  WHERE payment_date > as_of::DATE - 364 AND payment_date <= as_of::DATE AND amount > 0 AND invoice_amount > 0 AND enc_is_cash(method)
  GROUP BY customer_id
), disp AS (
  SELECT customer_id, count(*) AS disputes FROM scoped_disputes(as_of, cur, dim, val)
  WHERE resolved_date IS NULL OR resolved_date > as_of::DATE GROUP BY customer_id
), prom AS (
  SELECT customer_id, count(*) FILTER (WHERE paid_in_window < promised_amount) AS broken_promises
  FROM promise_outcomes(as_of, 182, cur, dim, val) GROUP BY customer_id
), cred AS (SELECT customer_id, utilisation FROM kpi_credit_utilisation(as_of, cur, dim, val)),
f AS (
  SELECT b.customer_id, b.customer_name, b.outstanding, b.overdue,
         p.recent - p.before AS drift,
         CASE WHEN b.outstanding > 0 THEN b.overdue / b.outstanding * 100 END AS pct_overdue,
         b.weighted_days_late,
         COALESCE(d.disputes, 0) AS disputes,
         COALESCE(pr.broken_promises, 0) AS broken_promises,
         c.utilisation,
         CASE WHEN t.outstanding > 0 AND b.outstanding > 0 THEN b.outstanding / t.outstanding * 100 END AS concentration
  FROM bal b CROSS JOIN total t
  LEFT JOIN paid p USING (customer_id) LEFT JOIN disp d USING (customer_id)
  LEFT JOIN prom pr USING (customer_id) LEFT JOIN cred c USING (customer_id)
), th AS (
  SELECT map_from_entries(list({'k': factor, 'v': {'one': one_point, 'two': two_points}})) AS m FROM risk_thresholds
), pts AS (
  SELECT f.*,
         enc_risk_points(drift, th.m['drift']) AS p_drift,
         enc_risk_points(pct_overdue, th.m['pct_overdue']) AS p_pct_overdue,
         enc_risk_points(weighted_days_late, th.m['weighted_days_late']) AS p_weighted_days_late,
         enc_risk_points(disputes, th.m['disputes']) AS p_disputes,
         enc_risk_points(broken_promises, th.m['broken_promises']) AS p_broken_promises,
         enc_risk_points(utilisation, th.m['utilisation']) AS p_utilisation,
         enc_risk_points(concentration, th.m['concentration']) AS p_concentration
  FROM f CROSS JOIN th
)
SELECT *,
       p_drift + p_pct_overdue + p_weighted_days_late + p_disputes + p_broken_promises + p_utilisation + p_concentration AS points,
       CASE WHEN points = 0 THEN 'A' WHEN points <= 2 THEN 'B' WHEN points <= 4 THEN 'C' WHEN points <= 6 THEN 'D' ELSE 'E' END AS grade,
       greatest(overdue, 0) * (1 + points) AS priority
FROM pts;

CREATE OR REPLACE MACRO kpi_customer_risk(as_of, cur, dim, val) AS TABLE
SELECT customer_id, customer_name, outstanding, overdue, drift, pct_overdue, weighted_days_late, disputes, broken_promises,
       utilisation, concentration, points, grade,
       -- the factors that scored, most points first
       list_transform(list_filter(
         -- (o: the order of the list above, for ties)
         list_sort([{'p': p_drift, 'o': 7, 'k': 'drift'}, {'p': p_pct_overdue, 'o': 6, 'k': 'pct_overdue'},
                    {'p': p_weighted_days_late, 'o': 5, 'k': 'weighted_days_late'}, {'p': p_disputes, 'o': 4, 'k': 'disputes'},
                    {'p': p_broken_promises, 'o': 3, 'k': 'broken_promises'}, {'p': p_utilisation, 'o': 2, 'k': 'utilisation'},
                    {'p': p_concentration, 'o': 1, 'k': 'concentration'}], 'DESC'), x -> x.p > 0), x -> x.k)::VARCHAR AS reasons,
       priority
FROM kpi_customer_risk_scores(as_of, cur, dim, val)
ORDER BY priority DESC, points DESC, customer_id;

-- Exposure concentration: the share of the outstanding (customers owing a positive balance) held by
-- the 10 largest, × 100.
CREATE OR REPLACE MACRO kpi_concentration(as_of, cur, dim, val) AS TABLE
WITH b AS (
  SELECT customer_id, sum(open_amount)::DOUBLE AS outstanding FROM scoped_open(as_of, cur, dim, val)
  GROUP BY customer_id HAVING sum(open_amount) > 0
), r AS (SELECT outstanding, row_number() OVER (ORDER BY outstanding DESC, customer_id) AS rk FROM b)
SELECT CASE WHEN sum(outstanding) > 0 THEN sum(outstanding) FILTER (WHERE rk <= 10) / sum(outstanding) * 100 END AS top10_share,
       count(*) AS customers
FROM r;
