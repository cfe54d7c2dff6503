-- Cash-collection forecast: when will each open item be paid, learned from the ledger's own
-- history as it was known at the as-of date D (so that a backtest at a past D uses only the past).
--
-- Model (survival analysis of the delay = payment date − due date, in days):
--   * what moves a delay is estimated within customers first (fc_shifts): the billing channel's
--     shift and a dispute's extra delay per reason. The curves below are of delays net of them, and
--     an item is forecast as a usual one that many days younger. (The channel was part of the
--     segment before: a customer billed on paper for a year and electronically since kept its paper
--     habit in its own curve; on IBM's sample, 2013 origins, MAE 5.0 → 4.3 days.)
--   * observations at D: every positive item invoiced on or before D, net of its channel's shift and,
--     when disputed by D, of its dispute's extra delay. Paid on or before D (fully
--     settled): an event at its delay. Not paid by D, or written off by D (given up, not paid):
--     censored at D − due (it is known to be unpaid at that delay, not when it will be paid):
--     Kaplan–Meier, amount-weighted. (A written-off item counted as paid at its write-off made
--     the curves expect cash that never comes.)
--   * three levels: the customer, its segment (its category, else country, else entity) and the
--     whole ledger. A customer with little history leans on its segment, a small segment on the
--     ledger: S = w_c S_customer + (1 − w_c) (w_s S_segment + (1 − w_s) S_ledger), with
--     w = n / (n + 3), n = the items observed at that level (3 = the weight of the prior, in items,
--     chosen on IBM's 2012 origins among 2, 3 and 5).
--     Beyond a level's last payment, Kaplan–Meier knows nothing (the items still at risk are all
--     censored): its survival goes on as its parent's, conditioned at that delay; beyond the
--     ledger's last payment it stays where it was: an item older than any the ledger ever saw paid
--     is not expected within the horizon (it was "paid the next day", which put every item older
--     than that, years-old debts included, in the first week's cash: 0.38M € of the demo's first
--     week, its > 120 days bucket).
--   * an open item at D that is a days late (a = D − due) is paid at delay x > a with
--     P(delay ≤ x | delay > a) = 1 − S(x) / S(a): an invoice already 40 days late is forecast from
--     the items that were still unpaid at 40 days, not from all items.
--   * an item under a dispute open at D is paid later than usual by its reason's extra delay: it is
--     forecast as an undisputed one that many days younger (its age a − extra, in the customer's
--     curves), so a customer who pays fast pays a disputed item fast too, only later. (An
--     earlier version held every disputed item until its opening + the reason's median resolution
--     time, the same for every customer: on IBM's sample its disputed items were forecast within 8.9
--     days, then 7.2.)
--   * a promise to pay not yet due puts mass p on its date, p = the customer's promise-kept rate
--     shrunk toward the ledger's (weight 5, in promises).
-- Delays are clamped to [−60, 366] days; what is not paid 400 days after D is "beyond the horizon".
-- Amounts of different currencies weigh the history as they are (delays have no currency).

-- an item's segment: its category, else country, else entity (the billing channel is a shift, below)
CREATE OR REPLACE MACRO fc_segment(category, country, entity) AS
  COALESCE(category, country, entity, '');
-- the Monday of the week holding D + 1: the first of the forecast's (and the backtest's) 13 weeks
CREATE OR REPLACE MACRO fc_first_monday(as_of) AS (as_of::DATE + 1) - ((isodow(as_of::DATE + 1) - 1)::INTEGER);
-- (CASE, fc_pos and fc_cap instead of least / greatest in what runs per item or per point: those are
-- generic functions, ~7× slower in duckdb-wasm: 0.22 s of the page's buckets at 98k open items)
CREATE OR REPLACE MACRO fc_clamp(d) AS CASE WHEN d < -60 THEN -60 WHEN d > 366 THEN 366 ELSE d END;
-- max(x, 0) of a number, exactly (x + |x| = 2x or 0)
CREATE OR REPLACE MACRO fc_pos(x) AS (x + abs(x)) / 2;
-- a delay at most 367 ("later" than any clamped delay), where the segments' curves are read
CREATE OR REPLACE MACRO fc_cap(x) AS CASE WHEN x > 367 THEN 367 ELSE x END;
-- weight of a level with n observations against its parent
CREATE OR REPLACE MACRO fc_weight(n) AS COALESCE(n, 0)::DOUBLE / (COALESCE(n, 0) + 3);
-- an item's survival at delay x from its three levels: the customer's (sc_x: 1, or NULL, before its
-- first observation; after its last payment c_last, continued by the segment's: sc_at_c × s_star /
-- ss_at_c), weighted wc, and m = the mix of the segment's continued curve s_star and the ledger's
-- (fc_segment_curves)
CREATE OR REPLACE MACRO fc_mix(wc, x, c_last, sc_x, sc_at_c, ss_at_c, s_star, m) AS
  wc * (CASE WHEN x <= c_last THEN COALESCE(sc_x, 1) WHEN ss_at_c > 0 THEN sc_at_c * s_star / ss_at_c ELSE 0 END)
  + (1 - wc) * m;
-- the customer's survival at delay x ≥ −60 read from its curve kept as a list (fc_customer_curves;
-- NULL after its last payment, where fc_mix does not read it)
CREATE OR REPLACE MACRO fc_sc(cl, x) AS cl[x + 61];
-- F(g) = P(paid by D + g | not paid at D) = 1 − S(a + g) / S(a) (base = S(a)); a promise puts the
-- mass promise_p on its date (promise_g)
CREATE OR REPLACE MACRO fc_f(g, base, s, promise_g, promise_p) AS
  COALESCE(promise_p * (g >= promise_g)::INTEGER, 0)
  + (1 - COALESCE(promise_p, 0)) * (CASE WHEN g <= 0 THEN 0
                                         WHEN base <= 1e-9 THEN 0   -- later than anything seen paid: not expected
                                         ELSE fc_pos(1 - s / base) END);

-- The customers and segments as numbers (ck, sk), per dimension set: the curves are grouped,
-- joined and sorted on them (on the text, building the curves took ~25 % longer natively), and
-- fc_survival names them back (fc_level_names).
CREATE OR REPLACE MACRO fc_dimset_keys() AS TABLE
SELECT dimset_key, customer_id, dense_rank() OVER (ORDER BY customer_id)::INTEGER AS ck,
       fc_segment(category, country, entity) AS seg, dense_rank() OVER (ORDER BY fc_segment(category, country, entity))::INTEGER AS sk,
       COALESCE(channel, '') AS channel
FROM dimset_facts;
-- the key of a curve's level as one number: a customer ck, a segment −sk, the ledger 0
CREATE OR REPLACE MACRO fc_level_names() AS TABLE
SELECT DISTINCT ck AS lk, 'c' AS level, customer_id AS key FROM fc_dimset_keys()
UNION ALL SELECT DISTINCT -sk, 's', seg FROM fc_dimset_keys()
UNION ALL SELECT 0, 'g', '';

-- Every positive item invoiced by D, with its delay (paid by D) or its censoring time (not paid by
-- D), its customer and segment (ck, sk), its billing channel ('' when the file has none) and, when
-- disputed by D, the reason of its first dispute ('' when none was given).
CREATE OR REPLACE MACRO fc_history(as_of) AS TABLE
WITH wo AS (
  -- written off by D: given up, never paid (settled, but not by the customer's cash): such an item
  -- stays unpaid at its age at D, like an open one, and never counts as a payment at its delay
  SELECT inv_key FROM write_off_facts WHERE written_off_on <= as_of::DATE
), h AS (
  SELECT f.*, f.settled_on <= as_of::DATE AND f.inv_key NOT IN (SELECT inv_key FROM wo) AS settled_paid
  FROM invoice_facts f
  WHERE f.amount > 0 AND f.invoice_date <= as_of::DATE AND f.due_date IS NOT NULL
)
SELECT ds.ck, ds.sk, ds.channel,
       dr.reason, dr.inv_key IS NOT NULL AS disputed,
       COALESCE(f.settled_paid, false) AS paid,
       fc_clamp(CASE WHEN f.settled_paid THEN f.settled_on - f.due_date ELSE as_of::DATE - f.due_date END) AS t,
       f.amount::DOUBLE AS w
FROM h f
JOIN fc_dimset_keys() ds ON ds.dimset_key = f.dimset_key
LEFT JOIN (SELECT inv_key, COALESCE(arg_min(reason, opened_date), '') AS reason FROM dispute_facts
           WHERE opened_date <= as_of::DATE GROUP BY inv_key) dr ON dr.inv_key = f.inv_key;

-- What moves a customer's delays, estimated within customers from the items paid by D (an additive
-- model: delay = the customer's level + the channel's shift + the dispute's extra delay + noise):
--   * the billing channel's shift: the median, over the undisputed items billed that way, of the
--     delay minus its customer's level (the median of its undisputed delays net of their channels'
--     shifts); two rounds from zero shifts, relative to the channel billing the most items. Between
--     customers the channels hide behind who uses them: on IBM's sample electronic billing looked
--     2.4 days faster than paper that way, 6 days within the same customers;
--   * a dispute's extra delay per reason: the median of a disputed item's delay minus its customer's
--     level and its channel's shift, shrunk toward all reasons (fc_weight), whole days, never negative.
-- kind = 'channel' (key: the channel) or 'reason' (key: the reason; NULL = any reason).
CREATE OR REPLACE MACRO fc_shifts(as_of) AS TABLE
WITH h AS MATERIALIZED (SELECT ck, channel, reason, disputed, t FROM fc_history(as_of) WHERE paid),
u AS (SELECT * FROM h WHERE NOT disputed),
l0 AS (SELECT ck, median(t) AS lvl FROM u GROUP BY ck),
c1 AS (SELECT channel, median(t - lvl) AS s FROM u JOIN l0 USING (ck) GROUP BY channel),
l1 AS (SELECT ck, median(t - c1.s) AS lvl FROM u JOIN c1 USING (channel) GROUP BY ck),
c2 AS (SELECT channel, median(t - lvl) AS s, count(*) AS n FROM u JOIN l1 USING (ck) GROUP BY channel),
ch AS (SELECT channel, s - (SELECT arg_max(s, n) FROM c2) AS s FROM c2),
l2 AS (SELECT ck, median(t - ch.s) AS lvl FROM u JOIN ch USING (channel) GROUP BY ck),
d AS (SELECT h.reason, h.t - l2.lvl - COALESCE(ch.s, 0) AS x
      FROM h JOIN l2 USING (ck) LEFT JOIN ch USING (channel) WHERE h.disputed),
d_all AS (SELECT median(x) AS days FROM d),
d_reason AS (SELECT reason, count(*) AS n, median(x) AS days FROM d GROUP BY reason)
SELECT 'channel' AS kind, channel AS key, round(s)::INTEGER AS days FROM ch
UNION ALL
SELECT 'reason', r.reason, greatest(0, round(fc_weight(r.n) * r.days + (1 - fc_weight(r.n)) * COALESCE(a.days, 0)))::INTEGER
FROM d_reason r, d_all a
UNION ALL SELECT 'reason', NULL, greatest(0, round(COALESCE(days, 0)))::INTEGER FROM d_all;

-- The shifts at a date are computed once per forecast (prepareForecast, forecast.ts: both the items
-- and the curves read them; computing them twice was a quarter of a forecast), kept for the date of
-- the last forecast prepared, and emptied when the ledger changes.
CREATE TABLE IF NOT EXISTS fc_shift_cache (shift_date DATE NOT NULL, kind VARCHAR NOT NULL, key VARCHAR, days INTEGER);
CREATE OR REPLACE MACRO fc_kept_shifts(as_of) AS TABLE
SELECT kind, key, days FROM fc_shift_cache
WHERE shift_date = as_of::DATE
  AND (SELECT CASE WHEN count(*) > 0 THEN true ELSE error('the forecast shifts were not prepared (prepareForecast)') END
       FROM fc_shift_cache WHERE shift_date = as_of::DATE);

-- The observations of the survival curves: every item of the history, its delay net of its
-- channel's shift and, when disputed, of its dispute's extra delay (counted as it was, a disputed
-- item made every item late by the disputes' share; left out, each customer lost part of its history).
CREATE OR REPLACE MACRO fc_observations(as_of) AS TABLE
WITH s AS MATERIALIZED (SELECT * FROM fc_kept_shifts(as_of))
SELECT h.ck, h.sk, h.paid, fc_clamp(h.t - COALESCE(c.days, 0) - COALESCE(r.days, r0.days, 0)) AS t, h.w
FROM fc_history(as_of) h
LEFT JOIN s c ON c.kind = 'channel' AND c.key = h.channel
LEFT JOIN s r ON h.disputed AND r.kind = 'reason' AND r.key = h.reason
LEFT JOIN s r0 ON h.disputed AND r0.kind = 'reason' AND r0.key IS NULL;

-- Kaplan–Meier survival S(t) = P(delay > t) per level and key, at the delays where it changes
-- (worked out per level number lk, fc_level_names, and named at the end).
CREATE OR REPLACE MACRO fc_survival(as_of) AS TABLE
WITH o AS (SELECT * FROM fc_observations(as_of)),
lv AS (
  SELECT ck AS lk, t, paid, w FROM o
  UNION ALL SELECT -sk, t, paid, w FROM o
  UNION ALL SELECT 0, t, paid, w FROM o
), by_t AS (
  SELECT lk, t, COALESCE(sum(w) FILTER (WHERE paid), 0) AS ev, sum(w) AS leaving, count(*) AS cnt
  FROM lv GROUP BY ALL
), risk AS (
  -- at risk at t: everything whose time (event or censoring) is t or later
  SELECT *, sum(leaving) OVER (PARTITION BY lk ORDER BY t DESC ROWS UNBOUNDED PRECEDING) AS at_risk,
         sum(cnt) OVER (PARTITION BY lk) AS n
  FROM by_t
), km AS (
  -- S(t) = Π over delays ≤ t of (1 − events / at risk), as a sum of logarithms; exactly 0 once every
  -- item at risk was paid (a factor of 0).
  SELECT lk, t, n, ev > 0 AS event, lead(t) OVER (PARTITION BY lk ORDER BY t) AS t_next,
         CASE WHEN max((ev >= at_risk)::INTEGER) OVER w = 1 THEN 0
              ELSE exp(sum(ln(CASE WHEN ev >= at_risk THEN 1 ELSE 1 - ev / at_risk END)) OVER w) END AS s
  FROM risk
  WINDOW w AS (PARTITION BY lk ORDER BY t ROWS UNBOUNDED PRECEDING)
)
SELECT l.level, l.key, k.t, k.n, k.event, k.t_next, k.s FROM km k JOIN fc_level_names() l USING (lk);

-- The curves at a date are computed once (prepareModel, forecast.ts) and kept, like the shifts, for
-- the date of the last forecast prepared: every forecast at that date reads them, whatever its
-- slice (each slice of the forecast page computed them again: a second in duckdb-wasm at 0.9M
-- invoices), and the worker learns them for the ledger's latest date while the user reads another page.
-- Emptied when the ledger changes.
-- (fc_curve_dates says which date they are of: a ledger with nothing to learn from has no curve)
CREATE TABLE IF NOT EXISTS fc_curve_cache (curve_date DATE NOT NULL, level VARCHAR NOT NULL, key VARCHAR, t BIGINT, n BIGINT, event BOOLEAN, t_next BIGINT, s DOUBLE);
CREATE TABLE IF NOT EXISTS fc_curve_dates (curve_date DATE NOT NULL);
CREATE OR REPLACE MACRO fc_curves_ready(as_of) AS
  (SELECT CASE WHEN count(*) > 0 THEN true ELSE error('the forecast curves were not prepared (prepareModel)') END
   FROM fc_curve_dates WHERE curve_date = as_of::DATE);

-- Each level's survival from its first observation to its last payment, as steps [t, t_next)
-- (customers: customer = true; segments and the ledger: false), with the level's last payment
-- t_last (NULL: nothing paid yet at that level, no step) and its observations n.
-- (read while prepareModel lays the curves out, before it marks them ready)
CREATE OR REPLACE MACRO fc_steps(as_of, customers) AS TABLE
WITH km AS (SELECT * FROM fc_curve_cache WHERE curve_date = as_of::DATE AND (level = 'c') = customers),
ends AS (SELECT level, key, any_value(n) AS n, max(t) FILTER (WHERE event) AS t_last FROM km GROUP BY level, key)
SELECT e.level, e.key, e.n, e.t_last, k.t, CASE WHEN k.t = e.t_last THEN e.t_last + 1 ELSE k.t_next END AS t_next, k.s
FROM ends e LEFT JOIN km k ON k.level = e.level AND k.key = e.key AND k.t <= e.t_last;

-- What the forecast's items read of the curves, kept with them (prepareModel) for the same date:
--   * each customer's survival on every day from −60 (1 before its first observation t_first) to
--     its last payment (c_last), as a list read by position (a join per point cost more), its
--     survival there (sc_at_c) and its observations n;
--   * each segment's survival continued by the ledger's after its last payment (s_star) and its mix
--     with the ledger's (m = ws s_star + (1 − ws) G, ws = fc_weight(the segment's n)), on every delay
--     from −60 to 367 (items' delays are clamped to ≤ 366: 367 = "later"); seg NULL: the ledger's
--     alone (s_star = m = G), for a segment with no history. G = the ledger's survival, 0 after its
--     last payment (what is left is paid the next day).
CREATE TABLE IF NOT EXISTS fc_customer_curves (curve_date DATE NOT NULL, customer_id VARCHAR, n BIGINT, t_first INTEGER, c_last INTEGER, sc_at_c DOUBLE, cl DOUBLE[]);
CREATE TABLE IF NOT EXISTS fc_segment_curves (curve_date DATE NOT NULL, seg VARCHAR, x INTEGER, s_star DOUBLE, m DOUBLE);
CREATE OR REPLACE MACRO fc_learn_customer_curves(as_of) AS TABLE
WITH c AS (
  SELECT key AS customer_id, any_value(n) AS n, min(t)::INTEGER AS t_first, any_value(t_last)::INTEGER AS c_last, arg_max(s, t) AS sc_at_c,
         -- (the steps sorted within each customer's list: ordering the aggregate itself cost twice as much)
         CASE WHEN count(t) > 0 THEN flatten(list_transform(list_sort(list({'t': t, 'len': (t_next - t)::INTEGER, 's': s}) FILTER (WHERE t IS NOT NULL)),
                                                             st -> list_resize([st.s], st.len, st.s))) END AS steps
  FROM fc_steps(as_of, true)
  -- (the customers with an item open at D only: the others have nothing to forecast at D)
  WHERE key IN (SELECT customer_id FROM dimset_facts
                WHERE dimset_key IN (SELECT dimset_key FROM invoice_facts
                                     WHERE amount > 0 AND invoice_date <= as_of::DATE AND (settled_on IS NULL OR settled_on > as_of::DATE)))
  GROUP BY key
)
-- (the list starts at delay −60, the lowest, 1 until the first observation: read at x + 61 with no test)
SELECT customer_id, n, t_first, c_last, sc_at_c, list_concat(list_resize([1.0::DOUBLE], t_first + 60, 1.0::DOUBLE), steps) AS cl FROM c;
CREATE OR REPLACE MACRO fc_learn_segment_curves(as_of) AS TABLE
WITH st AS MATERIALIZED (SELECT * FROM fc_steps(as_of, false)),
dense_s AS (SELECT key AS seg, unnest(range(t, t_next)) AS x, s FROM st WHERE level = 's' AND t IS NOT NULL),
grid_g AS (
  -- after the ledger's last payment its survival stays where it was (what was never seen paid is
  -- not expected: it feeds "not expected within 400 days"); nothing ever paid: 1
  SELECT r.x, CASE WHEN r.x > COALESCE(e.t_last, -100000) THEN COALESCE(e.s_last, 1) ELSE COALESCE(g.s, 1) END AS g_star
  FROM (SELECT range::INTEGER AS x FROM range(-60, 368)) r
  LEFT JOIN (SELECT t_last, s AS s_last FROM st WHERE level = 'g' AND t = t_last) e ON true
  LEFT JOIN st g ON g.level = 'g' AND r.x >= g.t AND r.x < g.t_next
), seg_ends AS (
  SELECT e.key AS seg, COALESCE(e.t_last, -100000) AS s_last, COALESCE(d.s, 1) AS ss_at_s, COALESCE(g.g_star, 1) AS sg_at_s, fc_weight(e.n) AS ws
  FROM (SELECT DISTINCT key, n, t_last FROM st WHERE level = 's') e
  LEFT JOIN dense_s d ON d.seg = e.key AND d.x = e.t_last
  LEFT JOIN grid_g g ON g.x = e.t_last
), s_star AS (
  SELECT e.seg, g.x, g.g_star, e.ws,
         CASE WHEN g.x <= e.s_last THEN COALESCE(d.s, 1) WHEN e.sg_at_s > 0 THEN e.ss_at_s * g.g_star / e.sg_at_s ELSE 0 END AS s_star
  FROM seg_ends e CROSS JOIN grid_g g
  LEFT JOIN dense_s d ON d.seg = e.seg AND d.x = g.x
)
SELECT seg, x, s_star, ws * s_star + (1 - ws) * g_star AS m FROM s_star
UNION ALL SELECT NULL, x, g_star, g_star FROM grid_g;
CREATE OR REPLACE MACRO fc_kept_customer_curves(as_of) AS TABLE
SELECT customer_id, n, t_first, c_last, sc_at_c, cl FROM fc_customer_curves WHERE curve_date = as_of::DATE AND fc_curves_ready(as_of);
CREATE OR REPLACE MACRO fc_kept_segment_curves(as_of) AS TABLE
SELECT seg, x, s_star, m FROM fc_segment_curves WHERE curve_date = as_of::DATE AND fc_curves_ready(as_of);
-- The offsets (days after D) the forecast's sums read, numbered k: 1–13 the Sundays ending the 13
-- Monday–Sunday weeks from the one holding D + 1, 14–19 the ends of the 6 calendar months from the
-- one holding D + 1, 20 the horizon (406 days: what is expected at all).
-- (name: the column of fc_f_cache, w1 … w13, m1 … m6, h)
CREATE OR REPLACE MACRO fc_sum_offsets(as_of) AS TABLE
SELECT k, g, CASE WHEN k <= 13 THEN 'w' || k WHEN k <= 19 THEN 'm' || (k - 13) ELSE 'h' END AS name
FROM (
  SELECT k::INTEGER AS k, fc_first_monday(as_of) - as_of::DATE - 1 + 7 * k::INTEGER AS g FROM range(1, 14) r(k)
  UNION ALL SELECT 14 + k::INTEGER, (last_day((as_of::DATE + 1) + INTERVAL (k) MONTH)::DATE - as_of::DATE)::INTEGER FROM range(0, 6) r(k)
  UNION ALL SELECT 20, 406
);
-- the same offsets as one row, a column each (o1 … o20, in the order of k): constants for every item
CREATE OR REPLACE MACRO fc_sum_offset_row(as_of) AS TABLE
SELECT g[1] AS o1, g[2] AS o2, g[3] AS o3, g[4] AS o4, g[5] AS o5, g[6] AS o6, g[7] AS o7,
       g[8] AS o8, g[9] AS o9, g[10] AS o10, g[11] AS o11, g[12] AS o12, g[13] AS o13, g[14] AS o14,
       g[15] AS o15, g[16] AS o16, g[17] AS o17, g[18] AS o18, g[19] AS o19, g[20] AS o20
FROM (SELECT list(g ORDER BY k) AS g FROM fc_sum_offsets(as_of));

-- Offsets (days after D) at which each item's distribution is known when its quantiles are asked
-- (fc_points): every day of the 13 weeks, then every week to 400 days, and the ends of the 6
-- calendar months from the one holding D + 1; the coarse ones are D itself and the sums' offsets
-- (the ends of the forecast's weeks and months, and the horizon), each closing a bracket of the
-- others before it: h = the coarse offset closing g's bracket, r = g's rank in it (h's: the last).
CREATE OR REPLACE MACRO fc_offsets(as_of) AS TABLE
WITH o AS (
  SELECT range AS g, range = 0 AS coarse FROM range(0, 99)
  UNION ALL SELECT range, range = 406 FROM range(105, 407, 7)
  UNION ALL SELECT g, true FROM fc_sum_offsets(as_of)
), u AS (SELECT g::INTEGER AS g, bool_or(coarse) AS coarse FROM o GROUP BY g),
b AS (SELECT g, coarse, min(g) FILTER (WHERE coarse) OVER (ORDER BY g ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS h FROM u)
SELECT g, coarse, h, (row_number() OVER (PARTITION BY h ORDER BY g))::INTEGER AS r FROM b;

-- The items to forecast at D, with what moves them: a dispute's extra delay, a promise (kept in
-- fc_item_cache by forecast.ts, with integer keys for the item, its customer and its segment).
CREATE OR REPLACE MACRO fc_items(as_of, cur, dim, val) AS TABLE
WITH shifts AS MATERIALIZED (SELECT * FROM fc_kept_shifts(as_of)),
open_dispute AS (
  -- the extra delay of an item under a dispute open at D (the largest of its disputes')
  SELECT d.inv_key, max(COALESCE(e1.days, e2.days))::INTEGER AS shift
  FROM dispute_facts d
  LEFT JOIN shifts e1 ON e1.kind = 'reason' AND e1.key = COALESCE(d.reason, '')
  LEFT JOIN shifts e2 ON e2.kind = 'reason' AND e2.key IS NULL
  WHERE enc_dispute_open_on(d.opened_date, d.resolved_date, as_of)
  GROUP BY d.inv_key
), kept AS (
  SELECT customer_id, count(*) AS n, count(*) FILTER (WHERE paid_in_window >= promised_amount) AS kept
  FROM promise_outcomes(as_of, 36600, cur, NULL, NULL) GROUP BY customer_id
), kept_all AS (SELECT sum(kept)::DOUBLE / nullif(sum(n), 0) AS rate FROM kept),
open_promise AS (
  SELECT invoice_id, min(promised_date) AS promised_date FROM promises
  WHERE invoice_id IS NOT NULL AND promised_on <= as_of::DATE AND promised_date > as_of::DATE
  GROUP BY invoice_id
)
-- integer keys for the item, its customer and its segment: the lookups of every point join on them
SELECT (row_number() OVER ())::INTEGER AS ik,
         (dense_rank() OVER (ORDER BY o.customer_id))::INTEGER AS ck,
         (dense_rank() OVER (ORDER BY fc_segment(o.category, o.country, o.entity)))::INTEGER AS sk,
         o.invoice_id, o.inv_key, o.dimset_key, o.customer_id, fc_segment(o.category, o.country, o.entity) AS seg,
         o.invoice_date, o.due_date, o.open_amount::DOUBLE AS open_amount,
         -- an item billed on a slower channel, or disputed, is as far from being paid as a usual one
         -- that many days younger (its age in the curves of delays net of the channels' shifts)
         fc_clamp(as_of::DATE - o.due_date - COALESCE(sc.days, 0) - COALESCE(od.shift, 0)) AS a,
         od.shift AS dispute_shift,
         (op.promised_date - as_of::DATE)::INTEGER AS promise_g,
         CASE WHEN op.promised_date IS NOT NULL
              THEN (COALESCE(k.kept, 0) + 5 * COALESCE(ka.rate, 0.5)) / (COALESCE(k.n, 0) + 5) END AS promise_p
  FROM scoped_open(as_of, cur, dim, val) o
  LEFT JOIN open_dispute od ON od.inv_key = o.inv_key
  LEFT JOIN shifts sc ON sc.kind = 'channel' AND sc.key = COALESCE(o.channel, '')
  LEFT JOIN open_promise op ON op.invoice_id = o.invoice_id
  LEFT JOIN kept k ON k.customer_id = o.customer_id
  CROSS JOIN kept_all ka
  WHERE o.open_amount > 0 AND o.amount > 0 AND o.due_date IS NOT NULL;

-- The forecast of a request is kept (forecast.ts prepareForecast): a row per item (fc_item_cache)
-- and each item's F at the sums' offsets (fc_f_cache: one row per item, the page's sums read it with
-- no join, its bucket masses as differences of two columns) with, for the backtest, which needs every
-- item's quantiles, its P10 / P50 / P90 offsets and the share expected within the horizon (NULL
-- for the page's requests: it shows the quantiles of its 100 largest items only, fc_item_quantiles).
-- (The backtest kept every item's points instead, ~1.5M rows an origin at 32k items, and read them
-- twice: that alone took the 12 origins from 30 to 24 s natively.) The request is a number (rid, fc_cdf_requests).
CREATE TABLE IF NOT EXISTS fc_item_cache AS
SELECT NULL::VARCHAR AS request, * FROM fc_items(DATE '1900-01-01', 'EUR', NULL, NULL) LIMIT 0;
CREATE TABLE IF NOT EXISTS fc_f_cache (
  rid INTEGER NOT NULL, ik INTEGER NOT NULL,
  w1 DOUBLE, w2 DOUBLE, w3 DOUBLE, w4 DOUBLE, w5 DOUBLE, w6 DOUBLE, w7 DOUBLE, w8 DOUBLE, w9 DOUBLE, w10 DOUBLE, w11 DOUBLE, w12 DOUBLE, w13 DOUBLE,
  m1 DOUBLE, m2 DOUBLE, m3 DOUBLE, m4 DOUBLE, m5 DOUBLE, m6 DOUBLE, h DOUBLE,
  g10 INTEGER, g50 INTEGER, g90 INTEGER, within_horizon DOUBLE);

-- The curves of a request's items' segments on every delay, keyed by the items' segment number sk
-- (a segment with no history: the ledger's)
CREATE OR REPLACE MACRO fc_item_segments(as_of, req) AS TABLE
SELECT m.sk, g.x, COALESCE(s.s_star, g.s_star) AS s_star, COALESCE(s.m, g.m) AS m
FROM (SELECT DISTINCT seg, sk FROM fc_item_cache WHERE request = req) m
CROSS JOIN (SELECT x, s_star, m FROM fc_kept_segment_curves(as_of) WHERE seg IS NULL) g
LEFT JOIN fc_kept_segment_curves(as_of) s ON s.seg = m.seg AND s.x = g.x;

-- The items kept for a request (the `top` largest: NULL, all) with what their F reads: the
-- customer's weight wc, curve cl (fc_sc), last payment c_last and survival there sc_at_c, the
-- segment's continued survival there ss_at_c, and the item's own survival today, base = S(a).
CREATE OR REPLACE MACRO fc_anchored(as_of, req, top) AS TABLE
WITH picked AS MATERIALIZED (
  SELECT * EXCLUDE (request) FROM fc_item_cache
  WHERE request = req
    AND (top IS NULL OR ik IN (SELECT ik FROM fc_item_cache WHERE request = req
                               ORDER BY open_amount DESC, invoice_id LIMIT COALESCE(top, 0)))
), sx AS MATERIALIZED (SELECT * FROM fc_item_segments(as_of, req)),
ic AS MATERIALIZED (
  SELECT i.*, fc_weight(c.n) AS wc, COALESCE(c.c_last, -100000) AS c_last, c.cl, COALESCE(c.sc_at_c, 1) AS sc_at_c
  FROM picked i LEFT JOIN fc_kept_customer_curves(as_of) c ON c.customer_id = i.customer_id
), at_c AS (
  -- the segment's survival at the customer's last payment (looked up once per pair)
  SELECT p.sk, p.c_last, sl.s_star FROM (SELECT DISTINCT sk, c_last FROM ic) p JOIN sx sl ON sl.sk = p.sk AND sl.x = p.c_last
), it AS (
  SELECT i.*, COALESCE(l.s_star, 1) AS ss_at_c FROM ic i LEFT JOIN at_c l USING (sk, c_last)
)
SELECT i.*, fc_mix(i.wc, i.a, i.c_last, fc_sc(i.cl, i.a), i.sc_at_c, i.ss_at_c, sa.s_star, sa.m) AS base
FROM it i JOIN sx sa ON sa.sk = i.sk AND sa.x = fc_cap(i.a);

-- An item's F at offset g from the segment's curves there (s_star, m) and the item's own figures
CREATE OR REPLACE MACRO fc_f_at(g, s_star, m, a, wc, c_last, cl, sc_at_c, ss_at_c, base, promise_g, promise_p) AS
  fc_f(g, base, fc_mix(wc, a + g, c_last, fc_sc(cl, a + g), sc_at_c, ss_at_c, s_star, m), promise_g, promise_p);
-- Each item's F(g) = P(paid by D + g) at the sums' offsets, one row per item (fc_f_cache): the
-- customer's survival read by position in its list, the segment's from one list per segment and age
-- (the items of a segment with the same age share them).
CREATE OR REPLACE MACRO fc_item_f(as_of, req) AS TABLE
WITH i AS MATERIALIZED (SELECT * FROM fc_anchored(as_of, req, NULL)),
o AS (SELECT k, g, name FROM fc_sum_offsets(as_of)),
sa AS MATERIALIZED (
  -- (the delays first: joined at once, the segments' curves were paired with every age before the filter)
  SELECT d.sk, d.a, o.name, fc_cap(d.a + o.g) AS x FROM (SELECT DISTINCT sk, a FROM i) d CROSS JOIN o
), seg_a AS (
  -- per segment and age, the segment's curves at each offset as columns (w1_s, w1_m, …)
  PIVOT (SELECT sa.sk, sa.a, sa.name, sx.s_star, sx.m FROM sa JOIN fc_item_segments(as_of, req) sx ON sx.sk = sa.sk AND sx.x = sa.x)
  ON name IN ('w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8', 'w9', 'w10', 'w11', 'w12', 'w13', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'h') USING first(s_star) AS s, first(m) AS m GROUP BY sk, a
)
SELECT ik,
       fc_f_at(o1, w1_s, w1_m, a, wc, c_last, cl, sc_at_c, ss_at_c, base, promise_g, promise_p) AS w1,
       fc_f_at(o2, w2_s, w2_m, a, wc, c_last, cl, sc_at_c, ss_at_c, base, promise_g, promise_p) AS w2,
       fc_f_at(o3, w3_s, w3_m, a, wc, c_last, cl, sc_at_c, ss_at_c, base, promise_g, promise_p) AS w3,
       fc_f_at(o4, w4_s, w4_m, a, wc, c_last, cl, sc_at_c, ss_at_c, base, promise_g, promise_p) AS w4,
       fc_f_at(o5, w5_s, w5_m, a, wc, c_last, cl, sc_at_c, ss_at_c, base, promise_g, promise_p) AS w5,
       fc_f_at(o6, w6_s, w6_m, a, wc, c_last, cl, sc_at_c, ss_at_c, base, promise_g, promise_p) AS w6,
       fc_f_at(o7, w7_s, w7_m, a, wc, c_last, cl, sc_at_c, ss_at_c, base, promise_g, promise_p) AS w7,
       fc_f_at(o8, w8_s, w8_m, a, wc, c_last, cl, sc_at_c, ss_at_c, base, promise_g, promise_p) AS w8,
       fc_f_at(o9, w9_s, w9_m, a, wc, c_last, cl, sc_at_c, ss_at_c, base, promise_g, promise_p) AS w9,
       fc_f_at(o10, w10_s, w10_m, a, wc, c_last, cl, sc_at_c, ss_at_c, base, promise_g, promise_p) AS w10,
       fc_f_at(o11, w11_s, w11_m, a, wc, c_last, cl, sc_at_c, ss_at_c, base, promise_g, promise_p) AS w11,
       fc_f_at(o12, w12_s, w12_m, a, wc, c_last, cl, sc_at_c, ss_at_c, base, promise_g, promise_p) AS w12,
       fc_f_at(o13, w13_s, w13_m, a, wc, c_last, cl, sc_at_c, ss_at_c, base, promise_g, promise_p) AS w13,
       fc_f_at(o14, m1_s, m1_m, a, wc, c_last, cl, sc_at_c, ss_at_c, base, promise_g, promise_p) AS m1,
       fc_f_at(o15, m2_s, m2_m, a, wc, c_last, cl, sc_at_c, ss_at_c, base, promise_g, promise_p) AS m2,
       fc_f_at(o16, m3_s, m3_m, a, wc, c_last, cl, sc_at_c, ss_at_c, base, promise_g, promise_p) AS m3,
       fc_f_at(o17, m4_s, m4_m, a, wc, c_last, cl, sc_at_c, ss_at_c, base, promise_g, promise_p) AS m4,
       fc_f_at(o18, m5_s, m5_m, a, wc, c_last, cl, sc_at_c, ss_at_c, base, promise_g, promise_p) AS m5,
       fc_f_at(o19, m6_s, m6_m, a, wc, c_last, cl, sc_at_c, ss_at_c, base, promise_g, promise_p) AS m6,
       fc_f_at(o20, h_s, h_m, a, wc, c_last, cl, sc_at_c, ss_at_c, base, promise_g, promise_p) AS h,
       NULL::INTEGER AS g10, NULL::INTEGER AS g50, NULL::INTEGER AS g90, NULL::DOUBLE AS within_horizon
FROM i JOIN seg_a USING (sk, a) CROSS JOIN fc_sum_offset_row(as_of);

-- Each item's F(g) at enough offsets (fc_offsets) to find its P10, P50 and P90 exactly, for the
-- items kept for the request: the `top` largest (the page's), or all (NULL: the backtest's,
-- fc_item_f_quantiles). F never decreases, so a quantile q is at the first offset where F ≥ q and
-- not every offset need be evaluated: first the coarse ones (fa); in each bracket where F reaches a
-- quantile, every third offset (fb); then the (at most two) offsets just before the first of those,
-- or of the bracket's end, where F reaches it (fc). The P10/P50/P90 offsets come out as if every
-- offset had been evaluated, at ~32 points an item (46 when the coarse ones were every fourth week
-- beyond the 13th as well and each bracket was evaluated whole; 146 for every offset).
CREATE OR REPLACE MACRO fc_points(as_of, req, top) AS TABLE
WITH consts AS MATERIALIZED (
  -- (numbers only: the points stay narrow)
  SELECT ik, ck, sk, a, wc, c_last, sc_at_c, ss_at_c, base, promise_g, promise_p FROM fc_anchored(as_of, req, top)
), sx AS MATERIALIZED (SELECT * FROM fc_item_segments(as_of, req)),
dense_c AS MATERIALIZED (
  -- the items' customers' curves on every day, so that the lookups below are equi-joins (an ASOF
  -- join sorts every point)
  SELECT m.ck, unnest(range(c.t_first, c.c_last + 1)) AS x, unnest(c.cl[c.t_first + 61:]) AS s
  FROM (SELECT DISTINCT i.ck, i.customer_id FROM fc_item_cache i WHERE i.request = req AND i.ck IN (SELECT ck FROM consts)) m
  JOIN fc_kept_customer_curves(as_of) c USING (customer_id)
  WHERE c.cl IS NOT NULL
), grid AS MATERIALIZED (SELECT * FROM fc_offsets(as_of)),
at_a AS (SELECT i.*, i.a + o.g AS x, o.g FROM consts i JOIN grid o ON o.coarse),
fa AS MATERIALIZED (
  SELECT p.ik, p.g, fc_f(p.g, p.base, fc_mix(p.wc, p.x, p.c_last, c.s, p.sc_at_c, p.ss_at_c, gs.s_star, gs.m), p.promise_g, p.promise_p) AS f
  FROM at_a p
  JOIN sx gs ON gs.sk = p.sk AND gs.x = fc_cap(p.x)
  LEFT JOIN dense_c c ON c.ck = p.ck AND c.x = p.x
), reached AS MATERIALIZED (
  -- per item and quantile, the coarse offset closing the bracket where F reaches it
  SELECT ik, unnest([0.1, 0.5, 0.9]) AS q,
         unnest([min(g) FILTER (WHERE f >= 0.1), min(g) FILTER (WHERE f >= 0.5), min(g) FILTER (WHERE f >= 0.9)]) AS h
  FROM fa GROUP BY ik
), at_b AS (
  SELECT i.*, i.a + o.g AS x, o.g
  FROM (SELECT DISTINCT ik, h FROM reached WHERE h IS NOT NULL) r JOIN grid o ON o.h = r.h AND NOT o.coarse AND o.r % 3 = 0
  JOIN consts i ON i.ik = r.ik
), fb AS MATERIALIZED (
  SELECT p.ik, p.g, fc_f(p.g, p.base, fc_mix(p.wc, p.x, p.c_last, c.s, p.sc_at_c, p.ss_at_c, gs.s_star, gs.m), p.promise_g, p.promise_p) AS f
  FROM at_b p
  JOIN sx gs ON gs.sk = p.sk AND gs.x = fc_cap(p.x)
  LEFT JOIN dense_c c ON c.ck = p.ck AND c.x = p.x
), first_b AS (
  -- per item and quantile, the rank of the first of the bracket's evaluated offsets where F reaches
  -- it (the bracket's end, when none of the third ones does)
  SELECT r.ik, r.h, min(o.r) AS re
  FROM reached r
  JOIN grid o ON o.h = r.h AND (o.coarse OR o.r % 3 = 0)
  LEFT JOIN fb ON fb.ik = r.ik AND fb.g = o.g
  WHERE o.g = r.h OR fb.f >= r.q
  GROUP BY r.ik, r.q, r.h
), at_c AS (
  SELECT i.*, i.a + o.g AS x, o.g
  FROM (SELECT DISTINCT ik, h, re FROM first_b) e
  JOIN grid o ON o.h = e.h AND o.r > 3 * ((e.re - 1) // 3) AND o.r < e.re
  JOIN consts i ON i.ik = e.ik
), fc AS (
  SELECT DISTINCT p.ik, p.g, fc_f(p.g, p.base, fc_mix(p.wc, p.x, p.c_last, c.s, p.sc_at_c, p.ss_at_c, gs.s_star, gs.m), p.promise_g, p.promise_p) AS f
  FROM at_c p
  JOIN sx gs ON gs.sk = p.sk AND gs.x = fc_cap(p.x)
  LEFT JOIN dense_c c ON c.ck = p.ck AND c.x = p.x
)
SELECT ik, g, f FROM fa UNION ALL SELECT ik, g, f FROM fb UNION ALL SELECT ik, g, f FROM fc;

-- Each item's F at the sums' offsets (as fc_item_f) and its quantiles (the backtest's), both from
-- its points: F at the sums' offsets is among them, evaluated the same way.
CREATE OR REPLACE MACRO fc_quantile(g, f, q) AS min(g) FILTER (WHERE f >= q);
CREATE OR REPLACE MACRO fc_item_f_quantiles(as_of, req) AS TABLE
SELECT p.ik,
       max(CASE WHEN p.g = o1 THEN p.f END) AS w1, max(CASE WHEN p.g = o2 THEN p.f END) AS w2,
       max(CASE WHEN p.g = o3 THEN p.f END) AS w3, max(CASE WHEN p.g = o4 THEN p.f END) AS w4,
       max(CASE WHEN p.g = o5 THEN p.f END) AS w5, max(CASE WHEN p.g = o6 THEN p.f END) AS w6,
       max(CASE WHEN p.g = o7 THEN p.f END) AS w7, max(CASE WHEN p.g = o8 THEN p.f END) AS w8,
       max(CASE WHEN p.g = o9 THEN p.f END) AS w9, max(CASE WHEN p.g = o10 THEN p.f END) AS w10,
       max(CASE WHEN p.g = o11 THEN p.f END) AS w11, max(CASE WHEN p.g = o12 THEN p.f END) AS w12,
       max(CASE WHEN p.g = o13 THEN p.f END) AS w13,
       max(CASE WHEN p.g = o14 THEN p.f END) AS m1, max(CASE WHEN p.g = o15 THEN p.f END) AS m2,
       max(CASE WHEN p.g = o16 THEN p.f END) AS m3, max(CASE WHEN p.g = o17 THEN p.f END) AS m4,
       max(CASE WHEN p.g = o18 THEN p.f END) AS m5, max(CASE WHEN p.g = o19 THEN p.f END) AS m6,
       max(CASE WHEN p.g = o20 THEN p.f END) AS h,
       fc_quantile(p.g, p.f, 0.1) AS g10, fc_quantile(p.g, p.f, 0.5) AS g50, fc_quantile(p.g, p.f, 0.9) AS g90, max(p.f) AS within_horizon
FROM fc_points(as_of, req, NULL) p CROSS JOIN fc_sum_offset_row(as_of)
GROUP BY p.ik;

-- The forecast of a request, kept once computed (forecast.ts prepareForecast): the page asks for its
-- summary, buckets, items and breakdown, the backtest for each origin twice; it is the costly part.
-- Emptied whenever the ledger changes.
-- (quantiles: every item's quantiles are kept too, as the backtest asks)
CREATE TABLE IF NOT EXISTS fc_cdf_requests (request VARCHAR NOT NULL, rid INTEGER NOT NULL, quantiles BOOLEAN NOT NULL);
CREATE OR REPLACE MACRO fc_request_key(as_of, cur, dim, val) AS
  strftime(as_of::DATE, '%Y-%m-%d') || '|' || cur || '|' || COALESCE(dim, '') || '|' || COALESCE(val, '');
-- the request's number in fc_f_cache; never an answer from a forecast that was not prepared
-- (forecast.ts): an error instead of nothing
CREATE OR REPLACE MACRO fc_rid(as_of, cur, dim, val) AS
  (SELECT CASE WHEN count(*) > 0 THEN max(rid) ELSE error('the forecast was not prepared (prepareForecast)') END
   FROM fc_cdf_requests WHERE request = fc_request_key(as_of, cur, dim, val));
CREATE OR REPLACE MACRO fc_ready(as_of, cur, dim, val) AS fc_rid(as_of, cur, dim, val) IS NOT NULL;
-- the request's items and their F at the sums' offsets (ik, w1 … h; and their quantiles, g10 …
-- within_horizon, a backtest's request only)
CREATE OR REPLACE MACRO fc_kept_items(as_of, cur, dim, val) AS TABLE
SELECT * EXCLUDE (request) FROM fc_item_cache
WHERE fc_ready(as_of, cur, dim, val) AND request = fc_request_key(as_of, cur, dim, val);
CREATE OR REPLACE MACRO fc_kept_f(as_of, cur, dim, val) AS TABLE
SELECT * EXCLUDE (rid) FROM fc_f_cache WHERE rid = fc_rid(as_of, cur, dim, val);

-- Per open item: its P10 / P50 / P90 payment dates (NULL: not within 400 days) and the share of it
-- expected within 400 days, from its points: for the `top` largest items of the request (NULL: all),
-- worked out when asked (the page shows the 100 largest: their points are not kept) ...
CREATE OR REPLACE MACRO fc_item_quantiles(as_of, cur, dim, val, top) AS TABLE
WITH q AS (
  SELECT ik, fc_quantile(g, f, 0.1) AS g10, fc_quantile(g, f, 0.5) AS g50, fc_quantile(g, f, 0.9) AS g90, max(f) AS within_horizon
  FROM fc_points(as_of, fc_request_key(as_of, cur, dim, val), top)
  WHERE fc_ready(as_of, cur, dim, val) GROUP BY ik
)
SELECT i.invoice_id, i.inv_key, i.customer_id, i.invoice_date, i.due_date, i.open_amount,
       as_of::DATE + q.g10 AS p10, as_of::DATE + q.g50 AS p50, as_of::DATE + q.g90 AS p90, q.within_horizon
FROM q JOIN fc_kept_items(as_of, cur, dim, val) i USING (ik);
-- ... or, for every item, kept with its F by a request that kept them (the backtest's)
CREATE OR REPLACE MACRO fc_kept_quantiles(as_of, cur) AS TABLE
SELECT i.invoice_id, i.inv_key, i.customer_id, i.invoice_date, i.due_date, i.open_amount,
       as_of::DATE + q.g10 AS p10, as_of::DATE + q.g50 AS p50, as_of::DATE + q.g90 AS p90, q.within_horizon
FROM fc_kept_f(as_of, cur, NULL, NULL) q JOIN fc_kept_items(as_of, cur, NULL, NULL) i USING (ik)
WHERE (SELECT CASE WHEN bool_and(quantiles) THEN true ELSE error('the forecast kept the sums only (prepareForecast quantiles)') END
       FROM fc_cdf_requests WHERE request = fc_request_key(as_of, cur, NULL, NULL));

-- the `top` largest open items (by open amount, then invoice number) with their forecast
CREATE OR REPLACE MACRO kpi_forecast_items(as_of, cur, dim, val, top) AS TABLE
SELECT invoice_id, customer_id, strftime(due_date, '%Y-%m-%d') AS due_date, open_amount,
       strftime(p10, '%Y-%m-%d') AS p10, strftime(p50, '%Y-%m-%d') AS p50, strftime(p90, '%Y-%m-%d') AS p90, within_horizon
FROM fc_item_quantiles(as_of, cur, dim, val, top);

-- Expected cash per week for the 13 Monday–Sunday weeks from the one holding D + 1 (bucket = 'w'),
-- and per calendar month for the 6 months from the one holding D + 1 (bucket = 'm'): each item's
-- probability of being paid in the bucket × its open amount. The band is the normal approximation
-- of a sum of independent items: sd = sqrt(Σ amount² p (1 − p)), P10/P90 = expected ∓ 1.2816 sd.
CREATE OR REPLACE MACRO kpi_forecast_buckets(as_of, cur, dim, val) AS TABLE
WITH monday AS (SELECT fc_first_monday(as_of) AS m),
buckets AS (
  SELECT 'w' AS kind, k AS n, (m + 7 * k::INTEGER) AS start_date, (m + 7 * k::INTEGER + 6) AS end_date FROM monday, range(0, 13) r(k)
  UNION ALL
  SELECT 'm', k, CASE WHEN k = 0 THEN as_of::DATE + 1 ELSE date_trunc('month', (as_of::DATE + 1) + INTERVAL (k) MONTH)::DATE END,
         last_day((as_of::DATE + 1) + INTERVAL (k) MONTH)::DATE
  FROM range(0, 6) r(k)
), edges AS (
  SELECT (row_number() OVER (ORDER BY b.kind DESC, b.n))::INTEGER AS b, b.kind, b.n, b.start_date, b.end_date FROM buckets b
), mass AS (
  -- each item's probability of being paid in each bucket (b1–b13 the weeks, b14–b19 the months):
  -- its F at the bucket's end − its F at the end of the bucket before (0 before the first)
  SELECT i.open_amount AS a,
         f.w1 AS b1, f.w2 - f.w1 AS b2, f.w3 - f.w2 AS b3, f.w4 - f.w3 AS b4, f.w5 - f.w4 AS b5, f.w6 - f.w5 AS b6,
         f.w7 - f.w6 AS b7, f.w8 - f.w7 AS b8, f.w9 - f.w8 AS b9, f.w10 - f.w9 AS b10, f.w11 - f.w10 AS b11,
         f.w12 - f.w11 AS b12, f.w13 - f.w12 AS b13,
         f.m1 AS b14, f.m2 - f.m1 AS b15, f.m3 - f.m2 AS b16, f.m4 - f.m3 AS b17, f.m5 - f.m4 AS b18, f.m6 - f.m5 AS b19
  FROM fc_kept_f(as_of, cur, dim, val) f JOIN fc_kept_items(as_of, cur, dim, val) i USING (ik)
), sums AS (
  SELECT count(*) AS items,
         {'expected': sum(a * fc_pos(COLUMNS('^b[0-9]+$'))),
          'variance': sum(a * a * fc_pos(COLUMNS('^b[0-9]+$')) * (1 - fc_pos(COLUMNS('^b[0-9]+$'))))}
  FROM mass
), per_bucket AS (
  SELECT substr(b, 2)::INTEGER AS b, s.expected, s.variance
  FROM (UNPIVOT (SELECT * FROM sums WHERE items > 0) ON COLUMNS('^b[0-9]+$') INTO NAME b VALUE s)
)
SELECT e.kind, e.n, strftime(e.start_date, '%Y-%m-%d') AS start_date, strftime(e.end_date, '%Y-%m-%d') AS end_date,
       COALESCE(s.expected, 0) AS expected,
       greatest(0, COALESCE(s.expected, 0) - 1.2816 * sqrt(COALESCE(s.variance, 0))) AS p10,
       COALESCE(s.expected, 0) AS p50,
       COALESCE(s.expected, 0) + 1.2816 * sqrt(COALESCE(s.variance, 0)) AS p90
FROM edges e JOIN per_bucket s USING (b)
ORDER BY e.kind DESC, e.n;

-- Backtest at one origin D (backtest.ts runs it at each month-end and adds up): the items open at D
-- (invoiced on or before D, not fully paid by D) forecast with what was known at D, against what
-- happened after. Definitions (so that figures compare with other tools):
--   predicted date = max(D + 1, P50 date) (D + 400 when beyond the horizon); error = predicted −
--   actual full-payment date (positive = late), over the items fully paid later; within_7d = |error|
--   ≤ 7; coverage = actual between the P10 and P90 dates; weekly WAPE = Σ |predicted − actual cash|
--   / Σ actual cash over the 13 Monday–Sunday weeks from the one holding D + 1, actual cash = the
--   cash allocated in the week to the items open at D.
-- Baselines: due_date = the due date (D + 1 when already due); customer_mean = invoice date + the
-- plain mean, rounded, of days from invoice date to full payment of the customer's invoices fully
-- paid by D (the ledger's when it has none), D + 1 at the earliest. A baseline puts the whole open
-- amount on its date. An item written off is not paid: no actual date, no payment in the means.
CREATE OR REPLACE MACRO fc_backtest_origin(as_of, cur) AS TABLE
WITH q AS MATERIALIZED (SELECT * FROM fc_kept_quantiles(as_of, cur)),
written_off AS MATERIALIZED (SELECT inv_key FROM write_off_facts),
paid_hist AS (
  -- (fully paid: settled, and not by a write-off)
  SELECT ds.customer_id, (f.settled_on - f.invoice_date) AS days
  FROM invoice_facts f JOIN dimset_facts ds ON ds.dimset_key = f.dimset_key
  WHERE f.amount > 0 AND f.settled_on <= as_of::DATE AND f.inv_key NOT IN (SELECT inv_key FROM written_off)
), cmean AS (SELECT customer_id, round(avg(days))::INTEGER AS days FROM paid_hist GROUP BY customer_id),
gmean AS (SELECT round(avg(days))::INTEGER AS days FROM paid_hist),
pred AS MATERIALIZED (
  -- (an item written off was never paid: no actual date, it counts in the weekly cash only)
  SELECT q.invoice_id, f.inv_key, q.open_amount,
         CASE WHEN f.inv_key NOT IN (SELECT inv_key FROM written_off) THEN f.settled_on END AS actual,
         -- beyond the horizon: P10 at D + 400, P90 never
         COALESCE(q.p10, as_of::DATE + 400) AS p10, COALESCE(q.p90, DATE '9999-12-31') AS p90,
         greatest(as_of::DATE + 1, COALESCE(q.p50, as_of::DATE + 400)) AS forecast,
         greatest(as_of::DATE + 1, q.due_date) AS due_date,
         greatest(as_of::DATE + 1, q.invoice_date + COALESCE(c.days, g.days, 0)::INTEGER) AS customer_mean
  FROM q JOIN invoice_facts f ON f.inv_key = q.inv_key LEFT JOIN cmean c ON c.customer_id = q.customer_id CROSS JOIN gmean g
), long AS (
  SELECT invoice_id, open_amount, actual, p10, p90, 'forecast' AS method, forecast AS predicted FROM pred
  UNION ALL SELECT invoice_id, open_amount, actual, p10, p90, 'due_date', due_date FROM pred
  UNION ALL SELECT invoice_id, open_amount, actual, p10, p90, 'customer_mean', customer_mean FROM pred
), weeks AS (
  SELECT k::INTEGER AS k, m + 7 * k::INTEGER AS start_date, m + 7 * k::INTEGER + 6 AS end_date
  FROM (SELECT fc_first_monday(as_of) AS m), range(0, 13) r(k)
), actual_w AS (
  SELECT w.k, sum(a.amount)::DOUBLE AS cash
  FROM weeks w JOIN allocation_facts a ON a.payment_date BETWEEN w.start_date AND w.end_date
  WHERE a.amount > 0 AND enc_is_cash(a.method) AND a.inv_key IN (SELECT inv_key FROM pred)
  GROUP BY w.k
), pred_w AS (
  SELECT l.method, w.k, sum(l.open_amount) AS cash
  FROM long l JOIN weeks w ON l.predicted BETWEEN w.start_date AND w.end_date
  WHERE l.method <> 'forecast' GROUP BY ALL
  UNION ALL
  SELECT 'forecast', n::INTEGER, expected FROM kpi_forecast_buckets(as_of, cur, NULL, NULL) WHERE kind = 'w'
), methods AS (SELECT * FROM (VALUES ('forecast'), ('due_date'), ('customer_mean')) m(method)),
wape AS (
  SELECT m.method, sum(abs(COALESCE(p.cash, 0) - COALESCE(a.cash, 0))) AS abs_cash_error, sum(COALESCE(a.cash, 0)) AS actual_cash
  FROM methods m CROSS JOIN weeks w
  LEFT JOIN pred_w p ON p.method = m.method AND p.k = w.k
  LEFT JOIN actual_w a ON a.k = w.k
  GROUP BY m.method
), dates AS (
  SELECT method, count(*) AS items,
         sum(abs(predicted - actual))::DOUBLE AS abs_error_days,
         sum(predicted - actual)::DOUBLE AS error_days,
         count(*) FILTER (WHERE abs(predicted - actual) <= 7) AS within_7d,
         count(*) FILTER (WHERE actual BETWEEN p10 AND p90) AS covered
  FROM long WHERE actual IS NOT NULL
  GROUP BY method
)
SELECT strftime(as_of::DATE, '%Y-%m-%d') AS origin, m.method,
       COALESCE(d.items, 0) AS items, COALESCE(d.abs_error_days, 0) AS abs_error_days, COALESCE(d.error_days, 0) AS error_days,
       COALESCE(d.within_7d, 0) AS within_7d, COALESCE(d.covered, 0) AS covered,
       w.abs_cash_error::DOUBLE AS abs_cash_error, w.actual_cash::DOUBLE AS actual_cash
FROM methods m LEFT JOIN dates d USING (method) LEFT JOIN wape w USING (method)
ORDER BY m.method;

-- The forecast in one line per value of a dimension (by_dim NULL: one line for the scope): what is
-- open, what is expected in the 13 weeks and the 6 months, and what is not expected within 400 days
-- (the tail that feeds the provision view).
CREATE OR REPLACE MACRO fc_summary_by(as_of, cur, dim, val, by_dim) AS TABLE
WITH per_item AS (
  -- F at the end of the 13th week, of the 6th month and of the horizon
  SELECT i.dimset_key, i.open_amount, f.w13 AS f13, f.m6 AS f6m, f.h AS f_all
  FROM fc_kept_f(as_of, cur, dim, val) f JOIN fc_kept_items(as_of, cur, dim, val) i USING (ik)
), keyed AS (
  SELECT p.*, CASE WHEN by_dim IS NULL THEN ''
                   ELSE COALESCE(enc_dim_value(by_dim, ds.customer_id, ds.entity, ds.division, ds.salesperson, ds.collector, ds.category, ds.country), '') END AS key,
         CASE WHEN by_dim = 'customer' THEN ds.customer_name END AS name
  FROM per_item p JOIN dimset_facts ds ON ds.dimset_key = p.dimset_key
)
SELECT key, COALESCE(any_value(name), key) AS label, count(*) AS items, COALESCE(sum(open_amount), 0)::DOUBLE AS open_amount,
       COALESCE(sum(open_amount * f13), 0)::DOUBLE AS expected_13_weeks,
       COALESCE(sum(open_amount * f6m), 0)::DOUBLE AS expected_6_months,
       COALESCE(sum(open_amount * (1 - f_all)), 0)::DOUBLE AS beyond_horizon
FROM keyed GROUP BY key
ORDER BY expected_13_weeks DESC, key;

CREATE OR REPLACE MACRO kpi_forecast_summary(as_of, cur, dim, val) AS TABLE
SELECT * EXCLUDE (key, label) FROM fc_summary_by(as_of, cur, dim, val, NULL);

-- Forecast DSO at the next three month-ends M (from the one holding D + 1), the standard DSO
-- (outstanding / sales of the P days to M × P) with what is not known yet forecast:
--   outstanding(M) = today's positive open items × P(not paid by M) (this forecast)
--                  + today's credits (credit notes, over-payments: kept as they are)
--                  + the sales of (D, M] still open at M: sales continue at the pace of the last
--                    period (sales of (D − P, D] / P per day), and an invoice k days old is still
--                    unpaid with the share u(k) of the amounts invoiced in the year before D that
--                    were still unpaid k days after their invoice date (those at least k days old)
--   sales(M)       = the sales of (M − P, D] + pace × (M − D).
CREATE OR REPLACE MACRO kpi_forecast_dso(as_of, period_days, cur, dim, val) AS TABLE
WITH months AS (
  SELECT k::INTEGER AS k, last_day((as_of::DATE + 1) + INTERVAL (k) MONTH)::DATE AS m FROM range(0, 3) r(k)
), unpaid AS (
  -- today's positive open items still unpaid at the next three month-ends
  SELECT COALESCE(sum(i.open_amount * (1 - f.m1)), 0) AS m1, COALESCE(sum(i.open_amount * (1 - f.m2)), 0) AS m2,
         COALESCE(sum(i.open_amount * (1 - f.m3)), 0) AS m3
  FROM fc_kept_f(as_of, cur, dim, val) f JOIN fc_kept_items(as_of, cur, dim, val) i USING (ik)
), still_open AS (
  SELECT m.k, [u.m1, u.m2, u.m3][m.k + 1] AS amount FROM months m, unpaid u
), credits AS (
  SELECT COALESCE(sum(open_amount), 0)::DOUBLE AS amount FROM scoped_open(as_of, cur, dim, val) WHERE open_amount < 0 OR amount <= 0
), sales AS (
  -- (those of (D − P, D] only: every month-end's P days start after D − P)
  SELECT invoice_date, amount::DOUBLE AS amount FROM scoped_invoices(cur, dim, val)
  WHERE in_sales AND invoice_date <= as_of::DATE AND invoice_date > as_of::DATE - period_days::INTEGER
), pace AS (
  SELECT COALESCE(sum(amount), 0) / period_days AS per_day FROM sales
), aged AS (
  -- positive invoices of the year before D by age at D and days to full payment (NULL: unpaid at D,
  -- or paid after 92 days), ages from 93 on as one: u(k) is read for k ≤ 92 only, where they count
  -- alike (as age × payment delay, 3.5M rows were joined to the 93 values of k at 98k open items)
  SELECT enc_min2(as_of::DATE - invoice_date, 93) AS age,
         CASE WHEN settled_on <= as_of::DATE AND settled_on - invoice_date <= 92 THEN settled_on - invoice_date END AS paid_after,
         sum(amount)::DOUBLE AS amount
  FROM scoped_invoices(cur, dim, val)
  WHERE amount > 0 AND invoice_date <= as_of::DATE AND invoice_date > as_of::DATE - 365
  GROUP BY ALL
), u AS (
  SELECT r.k, sum(a.amount) FILTER (WHERE a.paid_after IS NULL OR a.paid_after > r.k) / nullif(sum(a.amount), 0) AS u
  FROM range(0, 93) r(k) JOIN aged a ON a.age >= r.k
  GROUP BY r.k
), new_open AS (
  -- Σ over the days t of (D, M] of pace × u(M − t), i.e. pace × Σ_{k < M − D} u(k)
  SELECT m.k, (SELECT per_day FROM pace) * COALESCE(sum(u.u), 0) AS amount
  FROM months m LEFT JOIN u ON u.k < (m.m - as_of::DATE)
  GROUP BY m.k
), known_sales AS (
  SELECT m.k, COALESCE(sum(s.amount) FILTER (WHERE s.invoice_date > m.m - period_days::INTEGER), 0) AS amount
  FROM months m LEFT JOIN sales s ON true GROUP BY m.k
)
SELECT strftime(m.m, '%Y-%m-%d') AS month_end,
       so.amount + c.amount + n.amount AS expected_outstanding,
       ks.amount + p.per_day * (m.m - as_of::DATE) AS expected_sales,
       CASE WHEN ks.amount + p.per_day * (m.m - as_of::DATE) > 0
            THEN (so.amount + c.amount + n.amount) / (ks.amount + p.per_day * (m.m - as_of::DATE)) * period_days END AS dso
FROM months m
JOIN still_open so USING (k) JOIN new_open n USING (k) JOIN known_sales ks USING (k)
CROSS JOIN credits c CROSS JOIN pace p
ORDER BY m.m;
