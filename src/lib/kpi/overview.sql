-- Headline balance KPIs as of a date, for one currency, over a period of P days ending at as_of,
-- i.e. invoice dates in (as_of − P, as_of].
--
--   outstanding  = Σ open amount of items at as_of (credit notes included, unapplied cash not)
--   overdue      = Σ open amount where as_of − due_date > 0
--   not_due      = outstanding − overdue
--   pct_overdue  = overdue / outstanding × 100                       (NULL when outstanding = 0)
--   sales        = Σ invoice amounts (net of credit notes) dated in the period
--   dso          = outstanding / sales × P   — the standard ("count-back free") DSO of the
--                  Credit Research Foundation and most ERP dashboards  (NULL when sales ≤ 0)
CREATE OR REPLACE MACRO kpi_overview(as_of, period_days, cur) AS TABLE
WITH open AS (
  SELECT open_amount, days_overdue FROM open_items(as_of) WHERE currency = cur
), balance AS (
  SELECT COALESCE(sum(open_amount), 0)                                   AS outstanding,
         COALESCE(sum(open_amount) FILTER (WHERE days_overdue > 0), 0)   AS overdue,
         COALESCE(sum(open_amount) FILTER (WHERE days_overdue <= 0), 0)  AS not_due
  FROM open
), period AS (
  SELECT COALESCE(sum(amount), 0) AS sales
  FROM invoice_facts
  WHERE currency = cur
    AND invoice_date >  as_of::DATE - period_days::INTEGER
    AND invoice_date <= as_of::DATE
)
SELECT outstanding::DOUBLE AS outstanding,
       overdue::DOUBLE     AS overdue,
       not_due::DOUBLE     AS not_due,
       CASE WHEN outstanding <> 0 THEN overdue::DOUBLE / outstanding::DOUBLE * 100 END AS pct_overdue,
       sales::DOUBLE       AS sales,
       CASE WHEN sales > 0 THEN outstanding::DOUBLE / sales::DOUBLE * period_days::INTEGER END AS dso
FROM balance, period;
