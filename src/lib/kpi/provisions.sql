-- Provision matrix (IFRS 9 simplified approach, "matrice de provisionnement"), as of a date, in scope.
--
-- Historical loss rate per ageing bucket, from invoices (amount > 0) whose fate is known: due at
-- least 365 days before as_of, and at most four years before it.
--   An invoice enters a bucket on the day it reaches the bucket's lower bound of days overdue (the
--   not-due bucket: on its invoice date); its exposure there = its amount − all allocations dated
--   before that day. It "passed through" the bucket when that exposure is > 0.
--   Its loss = amount − cash allocated on or before as_of (so write-offs — allocations with method
--   'write_off' — and whatever is still unpaid after a year past due count as lost), capped at the
--   exposure.
--   loss_rate(bucket) = Σ loss / Σ exposure over the invoices that passed through it.
-- Expected loss today = Σ over buckets of the open amount in the bucket at as_of × its rate; a rate
-- typed by the user replaces the historical one for its bucket: given to the query (r0 … r5 by
-- bucket slot, in %), else kept in the workspace's settings (provision_rates).
CREATE TABLE IF NOT EXISTS provision_rates (slot INTEGER PRIMARY KEY, rate DOUBLE NOT NULL);
CREATE OR REPLACE MACRO kpi_provision_matrix(as_of, cur, dim, val,
                                             r0 := NULL, r1 := NULL, r2 := NULL, r3 := NULL, r4 := NULL, r5 := NULL) AS TABLE
WITH bounds AS (
  SELECT min(min_days) FILTER (WHERE sort_key = 1) AS m1, min(min_days) FILTER (WHERE sort_key = 2) AS m2, min(min_days) FILTER (WHERE sort_key = 3) AS m3, min(min_days) FILTER (WHERE sort_key = 4) AS m4, min(min_days) FILTER (WHERE sort_key = 5) AS m5
  FROM aging_buckets
), judged AS (
  SELECT inv_key, amount FROM scoped_invoices(cur, dim, val)
  WHERE amount > 0 AND due_date <= as_of::DATE - 365 AND due_date > as_of::DATE - 4 * 365
), paid AS (
  -- One pass over the allocations of the judged invoices: what was allocated before the invoice
  -- entered each bucket (e0 before its invoice date, ek before its due date + bucket k's lower
  -- bound), and the cash received by as_of.
  SELECT a.inv_key,
         COALESCE(sum(a.amount) FILTER (WHERE NOT enc_is_write_off(a.method)), 0) AS cash,
         COALESCE(sum(a.amount) FILTER (WHERE a.payment_date < a.invoice_date), 0)::DECIMAL(18,2) AS e0,
         COALESCE(sum(a.amount) FILTER (WHERE a.payment_date < a.due_date + bounds.m1), 0)::DECIMAL(18,2) AS e1,
         COALESCE(sum(a.amount) FILTER (WHERE a.payment_date < a.due_date + bounds.m2), 0)::DECIMAL(18,2) AS e2,
         COALESCE(sum(a.amount) FILTER (WHERE a.payment_date < a.due_date + bounds.m3), 0)::DECIMAL(18,2) AS e3,
         COALESCE(sum(a.amount) FILTER (WHERE a.payment_date < a.due_date + bounds.m4), 0)::DECIMAL(18,2) AS e4,
         COALESCE(sum(a.amount) FILTER (WHERE a.payment_date < a.due_date + bounds.m5), 0)::DECIMAL(18,2) AS e5
  FROM scoped_allocations(cur, dim, val) a CROSS JOIN bounds
  WHERE a.invoice_amount > 0 AND a.due_date <= as_of::DATE - 365 AND a.due_date > as_of::DATE - 4 * 365
    AND a.payment_date <= as_of::DATE
  GROUP BY a.inv_key
), per_invoice AS (
  SELECT j.amount, enc_max2(j.amount - COALESCE(p.cash, 0), 0) AS lost_pos,
         COALESCE(p.e0, 0) AS e0, COALESCE(p.e1, 0) AS e1, COALESCE(p.e2, 0) AS e2, COALESCE(p.e3, 0) AS e3, COALESCE(p.e4, 0) AS e4, COALESCE(p.e5, 0) AS e5
  FROM judged j LEFT JOIN paid p ON p.inv_key = j.inv_key
), slots AS (
  -- exposure in slot k = amount − ek, counted where positive; all six slots in one pass
  SELECT
         sum(amount - e0) FILTER (WHERE amount - e0 > 0) AS x0,
         sum(amount - e1) FILTER (WHERE amount - e1 > 0) AS x1,
         sum(amount - e2) FILTER (WHERE amount - e2 > 0) AS x2,
         sum(amount - e3) FILTER (WHERE amount - e3 > 0) AS x3,
         sum(amount - e4) FILTER (WHERE amount - e4 > 0) AS x4,
         sum(amount - e5) FILTER (WHERE amount - e5 > 0) AS x5,
         sum(enc_min2(lost_pos, amount - e0)) FILTER (WHERE amount - e0 > 0) AS l0,
         sum(enc_min2(lost_pos, amount - e1)) FILTER (WHERE amount - e1 > 0) AS l1,
         sum(enc_min2(lost_pos, amount - e2)) FILTER (WHERE amount - e2 > 0) AS l2,
         sum(enc_min2(lost_pos, amount - e3)) FILTER (WHERE amount - e3 > 0) AS l3,
         sum(enc_min2(lost_pos, amount - e4)) FILTER (WHERE amount - e4 > 0) AS l4,
         sum(enc_min2(lost_pos, amount - e5)) FILTER (WHERE amount - e5 > 0) AS l5
  FROM per_invoice
), history AS (
  SELECT b.bucket,
         [x0, x1, x2, x3, x4, x5][b.sort_key + 1] AS exposure,
         [l0, l1, l2, l3, l4, l5][b.sort_key + 1] AS lost
  FROM slots s, aging_buckets b
), today AS (
  SELECT bucket, sum(open_amount) AS open_amount FROM bucketed_open_amounts(as_of, cur, dim, val) GROUP BY bucket
), typed AS (
  SELECT t.sort_key, COALESCE(t.rate, s.rate) AS rate
  FROM (VALUES (0, r0), (1, r1), (2, r2), (3, r3), (4, r4), (5, r5)) t(sort_key, rate)
  LEFT JOIN provision_rates s ON s.slot = t.sort_key
)
SELECT b.bucket,
       COALESCE(h.exposure, 0)::DOUBLE AS exposure,
       COALESCE(h.lost, 0)::DOUBLE AS lost,
       CASE WHEN h.exposure > 0 THEN h.lost::DOUBLE / h.exposure::DOUBLE * 100 END AS historical_rate,
       COALESCE(t.rate::DOUBLE, CASE WHEN h.exposure > 0 THEN h.lost::DOUBLE / h.exposure::DOUBLE * 100 END) AS rate,
       t.rate IS NOT NULL AS rate_typed,
       COALESCE(d.open_amount, 0)::DOUBLE AS open_amount,
       COALESCE(d.open_amount, 0)::DOUBLE
         * COALESCE(t.rate::DOUBLE, CASE WHEN h.exposure > 0 THEN h.lost::DOUBLE / h.exposure::DOUBLE * 100 END, 0) / 100 AS expected_loss
FROM aging_buckets b
LEFT JOIN history h USING (bucket)
LEFT JOIN today d USING (bucket)
LEFT JOIN typed t ON t.sort_key = b.sort_key
ORDER BY b.sort_key;

-- The scalars: expected loss on today's balance and the provision rate = expected loss / outstanding × 100.
CREATE OR REPLACE MACRO kpi_provisions(as_of, period_days, cur, dim, val) AS TABLE
WITH m AS (SELECT sum(expected_loss) AS expected_loss, sum(open_amount) AS outstanding FROM kpi_provision_matrix(as_of, cur, dim, val))
SELECT m.expected_loss AS expected_loss,
       CASE WHEN m.outstanding <> 0 THEN m.expected_loss / m.outstanding * 100 END AS provision_rate
FROM m;
