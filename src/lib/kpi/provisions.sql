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
-- typed by the user (r0 … r5 by bucket slot, in %) replaces the historical one for its bucket.
CREATE OR REPLACE MACRO kpi_provision_matrix(as_of, cur, dim, val,
                                             r0 := NULL, r1 := NULL, r2 := NULL, r3 := NULL, r4 := NULL, r5 := NULL) AS TABLE
WITH bounds AS (
  SELECT list(min_days ORDER BY sort_key) FILTER (WHERE sort_key > 0) AS mins FROM aging_buckets
), judged AS (
  SELECT invoice_id, invoice_date, due_date, amount, currency FROM scoped_invoices(cur, dim, val)
  WHERE amount > 0 AND due_date <= as_of::DATE - 365 AND due_date > as_of::DATE - 4 * 365
), per_invoice AS (
  -- One pass over the allocations: what was allocated before the invoice entered each bucket
  -- (slot 0 on its invoice date, slot k on its due date + the bucket's lower bound), and the cash
  -- received by as_of.
  SELECT j.invoice_id, j.amount,
         j.amount - COALESCE(sum(p.amount) FILTER (WHERE lower(COALESCE(p.method, '')) <> 'write_off'), 0) AS lost,
         [COALESCE(sum(p.amount) FILTER (WHERE p.payment_date < j.invoice_date), 0),
          COALESCE(sum(p.amount) FILTER (WHERE p.payment_date < j.due_date + bounds.mins[1]), 0),
          COALESCE(sum(p.amount) FILTER (WHERE p.payment_date < j.due_date + bounds.mins[2]), 0),
          COALESCE(sum(p.amount) FILTER (WHERE p.payment_date < j.due_date + bounds.mins[3]), 0),
          COALESCE(sum(p.amount) FILTER (WHERE p.payment_date < j.due_date + bounds.mins[4]), 0),
          COALESCE(sum(p.amount) FILTER (WHERE p.payment_date < j.due_date + bounds.mins[5]), 0)] AS before_entry
  FROM judged j CROSS JOIN bounds
  LEFT JOIN (SELECT p0.invoice_id, p0.payment_date, p0.method, enc_fx(p0.amount, i0.currency, cur) AS amount
             FROM payments p0 JOIN invoices i0 ON i0.invoice_id = p0.invoice_id) p
    ON p.invoice_id = j.invoice_id AND p.payment_date <= as_of::DATE
  GROUP BY j.invoice_id, j.amount, j.invoice_date, j.due_date, bounds.mins
), exposure AS (
  SELECT slot - 1 AS sort_key, lost, amount - before_entry[slot] AS exposure
  FROM per_invoice, range(1, 7) r(slot)
), history AS (
  SELECT b.bucket, sum(e.exposure) AS exposure, sum(least(greatest(e.lost, 0), e.exposure)) AS lost
  FROM exposure e JOIN aging_buckets b ON b.sort_key = e.sort_key
  WHERE e.exposure > 0 GROUP BY b.bucket
), today AS (
  SELECT bucket, sum(open_amount) AS open_amount FROM aged_items(as_of, cur, dim, val) GROUP BY bucket
), typed AS (
  SELECT * FROM (VALUES (0, r0), (1, r1), (2, r2), (3, r3), (4, r4), (5, r5)) t(sort_key, rate)
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
