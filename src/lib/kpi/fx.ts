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

/** Fills fx_request for (reporting, asOf) unless it already holds those rates: every KPI query of a
 *  converted request calls this, and the rates only change with the ledger (ledgerChanged clears them). */
export async function prepareFx(engine: SqlEngine, reporting: string, asOf: string): Promise<void> {
  const [held] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM fx_request_for WHERE reporting = ? AND as_of = ?::DATE`, [reporting, asOf]);
  if (held.n > 0) return;
  await engine.exec('DELETE FROM fx_request; DELETE FROM fx_request_for;');
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
  await engine.query(`INSERT INTO fx_request_for VALUES (?, ?::DATE)`, [reporting, asOf]);
}

/** The rates used for (reporting, asOf) and the ledger's currencies left out for want of one. */
export async function fxInfo(engine: SqlEngine, reporting: string, asOf: string): Promise<FxInfo> {
  await prepareFx(engine, reporting, asOf);
  const rates = await engine.query<{ currency: string; rate: number }>(`SELECT currency, rate FROM fx_request ORDER BY currency`);
  const missing = await engine.query<{ currency: string }>(
    `SELECT DISTINCT currency FROM invoices WHERE currency NOT IN (SELECT currency FROM fx_request) ORDER BY currency`,
  );
  return { reporting_currency: reporting, rate_date_rule: 'closing rate: latest on or before the as-of date', rates, missing: missing.map((m) => m.currency) };
}

/** Tables derived from the ledger for one request: cleared whenever the ledger changes. */
export const FX_TABLES = ['fx_request', 'fx_request_for'] as const;
