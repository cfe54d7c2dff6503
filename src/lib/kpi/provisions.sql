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
-- typed by the user (r_not_due … r_over_120, in %) replaces the historical one for its bucket.
CREATE OR REPLACE MACRO kpi_provision_matrix(as_of, cur, dim, val,
                                             r_not_due := NULL, r_1_30 := NULL, r_31_60 := NULL,
                                             r_61_90 := NULL, r_91_120 := NULL, r_over_120 := NULL) AS TABLE
WITH judged AS (
  SELECT invoice_id, invoice_date, due_date, amount FROM scoped_invoices(cur, dim, val)
  WHERE amount > 0 AND due_date <= as_of::DATE - 365 AND due_date > as_of::DATE - 4 * 365
), alloc AS (
  SELECT p.invoice_id, p.payment_date, p.amount, lower(COALESCE(p.method, '')) = 'write_off' AS write_off
  FROM payments p JOIN judged j ON j.invoice_id = p.invoice_id
  WHERE p.payment_date <= as_of::DATE
), fate AS (
  SELECT j.*, j.amount - COALESCE((SELECT sum(a.amount) FROM alloc a WHERE a.invoice_id = j.invoice_id AND NOT a.write_off), 0) AS lost
  FROM judged j
), entries AS (
  SELECT f.invoice_id, f.amount, f.lost, b.bucket, b.sort_key,
         CASE WHEN b.min_days IS NULL THEN f.invoice_date ELSE f.due_date + b.min_days::INTEGER END AS entered_on
  FROM fate f CROSS JOIN aging_buckets b
), exposure AS (
  SELECT e.bucket, e.sort_key, e.lost,
         e.amount - COALESCE(sum(a.amount) FILTER (WHERE a.payment_date < e.entered_on), 0) AS exposure
  FROM entries e LEFT JOIN alloc a ON a.invoice_id = e.invoice_id
  GROUP BY e.invoice_id, e.bucket, e.sort_key, e.amount, e.lost
), history AS (
  SELECT bucket, sum(exposure) AS exposure, sum(least(greatest(lost, 0), exposure)) AS lost
  FROM exposure WHERE exposure > 0 GROUP BY bucket
), today AS (
  SELECT bucket, sum(open_amount) AS open_amount FROM aged_items(as_of, cur, dim, val) GROUP BY bucket
), typed AS (
  SELECT * FROM (VALUES ('not_due', r_not_due), ('1-30', r_1_30), ('31-60', r_31_60),
                        ('61-90', r_61_90), ('91-120', r_91_120), ('>120', r_over_120)) t(bucket, rate)
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
LEFT JOIN typed t USING (bucket)
ORDER BY b.sort_key;

-- The scalars: expected loss on today's balance and the provision rate = expected loss / outstanding × 100.
CREATE OR REPLACE MACRO kpi_provisions(as_of, period_days, cur, dim, val) AS TABLE
WITH m AS (SELECT sum(expected_loss) AS expected_loss, sum(open_amount) AS outstanding FROM kpi_provision_matrix(as_of, cur, dim, val))
SELECT m.expected_loss AS expected_loss,
       CASE WHEN m.outstanding <> 0 THEN m.expected_loss / m.outstanding * 100 END AS provision_rate
FROM m;
