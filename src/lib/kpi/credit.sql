-- Credit risk views, as of a date, in scope.
--
--   bad_debt_rate = write-offs dated in the period / sales × 100. A write-off is an allocation whose
--                   method is 'write_off' (an ERP's "passage en perte" exported as a settlement).
--   credit_limit_overruns: customers whose outstanding exceeds their credit limit valid at as_of,
--                   with utilisation = outstanding / limit × 100.
--   top_late: the customers with the largest positive overdue amount, ties by customer id: overdue,
--             weighted days late, days overdue of their oldest overdue item.
CREATE OR REPLACE MACRO kpi_losses(as_of, period_days, cur, dim, val) AS TABLE
WITH w AS (
  SELECT COALESCE(sum(amount), 0) AS written_off FROM scoped_allocations(cur, dim, val)
  WHERE enc_is_write_off(method) AND payment_date > as_of::DATE - period_days::INTEGER AND payment_date <= as_of::DATE
), s AS (
  SELECT COALESCE(sum(amount), 0) AS sales FROM scoped_invoices(cur, dim, val)
  WHERE in_sales AND invoice_date > as_of::DATE - period_days::INTEGER AND invoice_date <= as_of::DATE
)
SELECT CASE WHEN s.sales > 0 THEN w.written_off::DOUBLE / s.sales * 100 END AS bad_debt_rate,
       w.written_off::DOUBLE AS written_off
FROM w, s;

-- Credit limit utilisation of every customer that has a limit valid at as_of (outstanding 0 when
-- nothing is open): outstanding / limit × 100. The overruns are the ones above their limit.
CREATE OR REPLACE MACRO kpi_credit_utilisation(as_of, cur, dim, val) AS TABLE
WITH bal AS (
  SELECT customer_id, any_value(customer_name) AS customer_name, sum(open_amount) AS outstanding
  FROM scoped_open(as_of, cur, dim, val) GROUP BY customer_id
), lim AS (
  SELECT customer_id, arg_max(enc_fx(credit_limit, COALESCE(currency, ltrim(cur, '*')), cur), COALESCE(valid_from, DATE '1900-01-01')) AS credit_limit
  FROM credit_limits
  WHERE enc_cur_ok(COALESCE(currency, ltrim(cur, '*')), cur)
    AND (valid_from IS NULL OR valid_from <= as_of::DATE) AND (valid_to IS NULL OR valid_to >= as_of::DATE)
  GROUP BY customer_id
)
SELECT lim.customer_id, COALESCE(bal.customer_name, c.customer_name, lim.customer_id) AS customer_name,
       COALESCE(bal.outstanding, 0)::DOUBLE AS outstanding, lim.credit_limit::DOUBLE AS credit_limit,
       (COALESCE(bal.outstanding, 0) - lim.credit_limit)::DOUBLE AS overrun,
       CASE WHEN lim.credit_limit > 0 THEN COALESCE(bal.outstanding, 0)::DOUBLE / lim.credit_limit * 100 END AS utilisation
FROM lim LEFT JOIN bal USING (customer_id) LEFT JOIN customers c USING (customer_id)
-- in a slice, only the customers of the slice
WHERE dim IS NULL OR bal.customer_id IS NOT NULL OR (dim = 'customer' AND lim.customer_id = val);

CREATE OR REPLACE MACRO kpi_credit_limit_overruns(as_of, cur, dim, val) AS TABLE
SELECT * FROM kpi_credit_utilisation(as_of, cur, dim, val)
WHERE overrun > 0
ORDER BY overrun DESC, customer_id;

-- Top late payers: overdue amount, weighted days late, oldest overdue item; with what was last done
-- (the latest action on or before D) and what is expected next (the earliest promise, made by D,
-- whose date is after D). row_count = how many late payers there are beyond the limit.
CREATE OR REPLACE MACRO kpi_top_late(as_of, cur, dim, val, lim) AS TABLE
WITH by_set AS (
  -- added up by dimension set first, then by customer: the text columns are looked up for a few
  -- thousand sets instead of every overdue item
  SELECT dimset_key,
         sum(open_amount) AS overdue,
         sum(open_amount::DOUBLE * days_overdue) FILTER (WHERE amount > 0 AND open_amount > 0) AS weighted_days,
         sum(open_amount::DOUBLE) FILTER (WHERE amount > 0 AND open_amount > 0) AS weighed_amount,
         max(days_overdue) FILTER (WHERE open_amount > 0) AS oldest_days_overdue
  FROM scoped_open_amounts(as_of, cur, dim, val)
  WHERE days_overdue > 0
  GROUP BY dimset_key
), late AS (
  SELECT ds.customer_id, any_value(ds.customer_name) AS customer_name,
         sum(s.overdue) AS overdue,
         sum(s.weighted_days) / sum(s.weighed_amount) AS weighted_days_late,
         max(s.oldest_days_overdue) AS oldest_days_overdue
  FROM by_set s JOIN dimset_facts ds ON ds.dimset_key = s.dimset_key
  GROUP BY ds.customer_id
), shown AS MATERIALIZED (
  -- the page's rows first (row_count: all the late customers), then their last action and next
  -- promise: looking those up for every customer cost most of the query
  SELECT *, count(*) OVER () AS row_count FROM late WHERE overdue > 0
  ORDER BY overdue DESC, customer_id LIMIT lim
)
SELECT l.customer_id, l.customer_name, l.overdue::DOUBLE AS overdue, l.weighted_days_late, l.oldest_days_overdue,
       strftime(a.action_date, '%Y-%m-%d') AS last_action_date, a.action_type AS last_action_type,
       strftime(p.promised_date, '%Y-%m-%d') AS next_promise_date,
       l.row_count
FROM shown l
LEFT JOIN (SELECT customer_id, arg_max(action_date, (action_date, action_id)) AS action_date, arg_max(action_type, (action_date, action_id)) AS action_type
           FROM action_facts WHERE action_date <= as_of::DATE AND customer_id IN (SELECT customer_id FROM shown) GROUP BY customer_id) a USING (customer_id)
LEFT JOIN (SELECT customer_id, min(promised_date) AS promised_date
           FROM promises WHERE promised_on <= as_of::DATE AND promised_date > as_of::DATE AND customer_id IN (SELECT customer_id FROM shown) GROUP BY customer_id) p USING (customer_id)
ORDER BY l.overdue DESC, l.customer_id;
