/**
 * A reopened workspace's saved overview stands for the engine's answer only when nothing it
 * depends on changed: the same KPI definitions, the same ledger, the same default request. It is
 * stored as JSON in the workspace's manifest: the round trip must not make it look different.
 */
import { describe, expect, it } from 'vitest';
import { ledgerChanged } from '../../src/lib/engine/bootstrap';
import { seriesKey, whyNotReusable } from '../../src/lib/engine/dashboard-reuse';
import type { Dashboard } from '../../src/lib/engine/protocol';
import { importFiles } from '../../src/lib/importers/import';
import { runQuery } from '../../src/lib/kpi/queries';
import { customerAging, kpiReport, resolveRequest } from '../../src/lib/kpi/report';
import { fixture, freshEngine } from './support/engine';

const HAND = ['customers', 'credit_limits', 'invoices', 'payments', 'disputes', 'promises', 'actions'].map((f) => fixture('hand', `${f}.csv`));

async function engineAndOverview() {
  const e = await freshEngine();
  await importFiles(e, HAND);
  const request = (await resolveRequest(e, {}))!;
  const [summary] = await runQuery(e, 'ledger_summary', {});
  const dashboard: Dashboard = {
    request,
    report: await kpiReport(e, request),
    customers: await customerAging(e, request, 50),
    summary,
    dimensions: {},
    kpi_version: 'v1',
  };
  return { e, now: { kpi_version: 'v1', request, summary }, dashboard };
}

describe('a saved overview reused as the engine’s answer', () => {
  it('is reused after the JSON round trip of the manifest, when nothing changed', async () => {
    const { now, dashboard } = await engineAndOverview();
    const stored = JSON.parse(JSON.stringify(dashboard)) as Dashboard;
    expect(whyNotReusable(stored, now)).toBeNull();
  });

  it('is not reused from another version of the KPI definitions, another ledger or another default request', async () => {
    const { e, now, dashboard } = await engineAndOverview();
    expect(whyNotReusable({ ...dashboard, kpi_version: 'v0' }, now)).toBe('kpi_version');
    // saved before this version stamped its dashboards
    const { kpi_version: _, ...unstamped } = dashboard;
    expect(whyNotReusable(unstamped, now)).toBe('kpi_version');
    expect(whyNotReusable({ ...dashboard, summary: { ...dashboard.summary, payments: dashboard.summary.payments + 1 } }, now)).toBe('summary');
    expect(whyNotReusable({ ...dashboard, request: { ...dashboard.request, period_days: 30 } }, now)).toBe('request');
    expect(whyNotReusable({ ...dashboard, report: undefined }, now)).toBe('incomplete');
    expect(whyNotReusable(null, now)).toBe('incomplete');
    // the ledger changed after the overview was saved: a promise recorded, the summary says so
    await e.exec(`INSERT INTO promises (promise_id, customer_id, promised_on, promised_date, amount)
                  SELECT 'P-extra', customer_id, DATE '2024-03-01', DATE '2024-04-15', 100 FROM customers LIMIT 1`);
    await ledgerChanged(e, ['promises']);
    const [summary] = await runQuery(e, 'ledger_summary', {});
    expect(whyNotReusable(dashboard, { ...now, summary })).toBe('summary');
  });

  it('its series answers the overview’s request for the same scope only', async () => {
    const { e, dashboard } = await engineAndOverview();
    const stored = JSON.parse(JSON.stringify({ ...dashboard, series: await runQuery(e, 'series', dashboard.request) })) as Dashboard;
    // the page asks with the dashboard's request as it got it (currencies and all)
    expect(seriesKey(stored.request)).toBe(seriesKey({ ...dashboard.request }));
    expect(seriesKey(stored.request)).toBe(seriesKey({ as_of: dashboard.request.as_of, period_days: dashboard.request.period_days, currency: dashboard.request.currency, points: 24 }));
    for (const other of [{ as_of: '2024-02-29' }, { period_days: 30 }, { dim: 'division' as const, val: 'X' }, { points: 12 }, { convert: true }]) {
      expect(seriesKey({ ...dashboard.request, ...other }), JSON.stringify(other)).not.toBe(seriesKey(stored.request));
    }
    expect(stored.series).toEqual(await runQuery(e, 'series', dashboard.request));
  });
});
