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
  WHERE lower(method) = 'write_off' AND payment_date > as_of::DATE - period_days::INTEGER AND payment_date <= as_of::DATE
), s AS (
  SELECT COALESCE(sum(amount), 0) AS sales FROM scoped_invoices(cur, dim, val)
  WHERE in_sales AND invoice_date > as_of::DATE - period_days::INTEGER AND invoice_date <= as_of::DATE
)
SELECT CASE WHEN s.sales > 0 THEN w.written_off::DOUBLE / s.sales * 100 END AS bad_debt_rate,
       w.written_off::DOUBLE AS written_off
FROM w, s;

CREATE OR REPLACE MACRO kpi_credit_limit_overruns(as_of, cur, dim, val) AS TABLE
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
SELECT bal.customer_id, bal.customer_name, bal.outstanding::DOUBLE AS outstanding, lim.credit_limit::DOUBLE AS credit_limit,
       (bal.outstanding - lim.credit_limit)::DOUBLE AS overrun,
       CASE WHEN lim.credit_limit > 0 THEN bal.outstanding::DOUBLE / lim.credit_limit * 100 END AS utilisation
FROM bal JOIN lim USING (customer_id)
WHERE bal.outstanding > lim.credit_limit
ORDER BY overrun DESC, customer_id;

CREATE OR REPLACE MACRO kpi_top_late(as_of, cur, dim, val, lim) AS TABLE
WITH late AS (
  SELECT customer_id, any_value(customer_name) AS customer_name,
         sum(open_amount) AS overdue,
         sum(open_amount::DOUBLE * days_overdue) FILTER (WHERE amount > 0 AND open_amount > 0)
           / sum(open_amount::DOUBLE) FILTER (WHERE amount > 0 AND open_amount > 0) AS weighted_days_late,
         max(days_overdue) FILTER (WHERE open_amount > 0) AS oldest_days_overdue
  FROM scoped_open(as_of, cur, dim, val)
  WHERE days_overdue > 0
  GROUP BY customer_id
)
SELECT customer_id, customer_name, overdue::DOUBLE AS overdue, weighted_days_late, oldest_days_overdue
FROM late WHERE overdue > 0
ORDER BY overdue DESC, customer_id
LIMIT lim;
