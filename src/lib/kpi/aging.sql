-- Aged balance: open amount at as_of by bucket of days overdue (bounds in aging_buckets), one currency.

-- Each open item with its bucket.
CREATE OR REPLACE MACRO aged_items(as_of, cur) AS TABLE
SELECT o.*, b.bucket, b.sort_key AS bucket_order
FROM open_items(as_of) o
JOIN aging_buckets b
  ON (b.min_days IS NULL OR o.days_overdue >= b.min_days)
 AND (b.max_days IS NULL OR o.days_overdue <= b.max_days)
WHERE o.currency = cur;

-- Every bucket, empty ones with 0, in bucket order.
CREATE OR REPLACE MACRO kpi_aging(as_of, cur) AS TABLE
SELECT b.bucket,
       COALESCE(sum(a.open_amount), 0)::DOUBLE AS amount,
       count(a.open_amount)                    AS items
FROM aging_buckets b
LEFT JOIN aged_items(as_of, cur) a ON a.bucket = b.bucket
GROUP BY b.bucket, b.sort_key
ORDER BY b.sort_key;

-- Per customer, largest balance first: one column per bucket plus the total.
-- `lim` bounds the rows returned (a ledger can hold 100k customers); customer_count says how many exist.
CREATE OR REPLACE MACRO kpi_aging_by_customer(as_of, cur, lim) AS TABLE
WITH per_customer AS (
  SELECT customer_id,
         any_value(customer_name) AS customer_name,
         COALESCE(sum(open_amount) FILTER (WHERE bucket = 'not_due'), 0) AS "not_due",
         COALESCE(sum(open_amount) FILTER (WHERE bucket = '1-30'), 0)    AS "1-30",
         COALESCE(sum(open_amount) FILTER (WHERE bucket = '31-60'), 0)   AS "31-60",
         COALESCE(sum(open_amount) FILTER (WHERE bucket = '61-90'), 0)   AS "61-90",
         COALESCE(sum(open_amount) FILTER (WHERE bucket = '91-120'), 0)  AS "91-120",
         COALESCE(sum(open_amount) FILTER (WHERE bucket = '>120'), 0)    AS ">120",
         sum(open_amount)                                                AS total
  FROM aged_items(as_of, cur)
  GROUP BY customer_id
)
SELECT customer_id, customer_name,
       "not_due"::DOUBLE AS "not_due", "1-30"::DOUBLE AS "1-30", "31-60"::DOUBLE AS "31-60",
       "61-90"::DOUBLE AS "61-90", "91-120"::DOUBLE AS "91-120", ">120"::DOUBLE AS ">120",
       total::DOUBLE AS total,
       count(*) OVER () AS customer_count
FROM per_customer
ORDER BY total DESC, customer_id
LIMIT lim;
