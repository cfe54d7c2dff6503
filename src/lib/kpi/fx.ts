/**
 * Reporting currency: the closing rates at the request's date into one currency, for scope.sql's
 * conversion. Rates come from fx_rates: the latest dated on or before the as-of date, taken
 * directly (from → to) or inverted (to → from). Currencies of the ledger without a rate are left
 * out of the KPIs and listed, never dropped silently.
 */
import type { SqlEngine } from '../engine/sql-engine';

export interface FxInfo {
  reporting_currency: string;
  rate_date_rule: 'closing rate: latest on or before the as-of date';
  rates: { currency: string; rate: number }[];
  missing: string[];
}

export async function prepareFx(engine: SqlEngine, reporting: string, asOf: string): Promise<FxInfo> {
  await engine.exec('DELETE FROM fx_request');
  await engine.query(
    `INSERT INTO fx_request
     WITH ledger AS (SELECT DISTINCT currency FROM invoices UNION SELECT DISTINCT currency FROM payments WHERE currency IS NOT NULL),
     direct AS (SELECT from_currency AS currency, arg_max(rate, rate_date) AS rate FROM fx_rates
                WHERE to_currency = ? AND rate_date <= ?::DATE GROUP BY ALL),
     inverse AS (SELECT to_currency AS currency, arg_max(rate, rate_date) AS rate FROM fx_rates
                 WHERE from_currency = ? AND rate_date <= ?::DATE GROUP BY ALL)
     SELECT l.currency,
            CASE WHEN l.currency = ? THEN 1 ELSE COALESCE(d.rate::DOUBLE, 1 / i.rate::DOUBLE) END
     FROM ledger l LEFT JOIN direct d USING (currency) LEFT JOIN inverse i USING (currency)
     WHERE l.currency = ? OR d.rate IS NOT NULL OR i.rate IS NOT NULL`,
    [reporting, asOf, reporting, asOf, reporting, reporting],
  );
  const rates = await engine.query<{ currency: string; rate: number }>(`SELECT currency, rate FROM fx_request ORDER BY currency`);
  const missing = await engine.query<{ currency: string }>(
    `SELECT DISTINCT currency FROM invoices WHERE currency NOT IN (SELECT currency FROM fx_request) ORDER BY currency`,
  );
  return { reporting_currency: reporting, rate_date_rule: 'closing rate: latest on or before the as-of date', rates, missing: missing.map((m) => m.currency) };
}
