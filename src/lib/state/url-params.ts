/**
 * The overview's controls live in the URL (shareable, back button works); only values that differ
 * from the defaults are written.
 */
import { DIMENSIONS, type Dimension } from '../kpi/queries';
import { DEFAULT_PERIOD_DAYS, type KpiRequest } from '../kpi/report';

export function requestFromUrl(params: URLSearchParams): KpiRequest {
  const asOf = params.get('as_of');
  const period = Number(params.get('period'));
  const currency = params.get('currency');
  const dim = params.get('dim');
  const val = params.get('val');
  const sliced = dim !== null && (DIMENSIONS as readonly string[]).includes(dim) && val !== null;
  return {
    as_of: asOf && /^\d{4}-\d{2}-\d{2}$/.test(asOf) ? asOf : undefined,
    period_days: Number.isInteger(period) && period > 0 && period <= 3660 ? period : undefined,
    currency: currency && /^[A-Za-z]{3}$/.test(currency) ? currency.toUpperCase() : undefined,
    dim: sliced ? (dim as Dimension) : null,
    val: sliced ? val : null,
    convert: params.get('convert') === '1',
  };
}

/** The request's non-default values as a query string, then the page's own (`extra`, null = left out). */
export function urlFromRequest(req: KpiRequest, defaults: { as_of: string; currency: string }, extra: Record<string, string | null | undefined> = {}): string {
  const p = new URLSearchParams();
  if (req.as_of && req.as_of !== defaults.as_of) p.set('as_of', req.as_of);
  if (req.period_days && req.period_days !== DEFAULT_PERIOD_DAYS) p.set('period', String(req.period_days));
  if (req.currency && req.currency !== defaults.currency) p.set('currency', req.currency);
  if (req.convert) p.set('convert', '1');
  if (req.dim && req.val !== null && req.val !== undefined) {
    p.set('dim', req.dim);
    p.set('val', req.val);
  }
  for (const [k, v] of Object.entries(extra)) if (v !== null && v !== undefined && v !== '') p.set(k, v);
  const q = p.toString();
  return q ? `?${q}` : '?';
}

/** The global parameters of the page's URL (as-of, period, currency), then `extra`: for links to
 *  another page that must show the same date and currency (the slice is the target's business). */
export function withGlobals(path: string, params: URLSearchParams, extra: Record<string, string | null | undefined> = {}): string {
  const p = new URLSearchParams();
  for (const k of ['as_of', 'period', 'currency', 'convert']) {
    const v = params.get(k);
    if (v !== null) p.set(k, v);
  }
  for (const [k, v] of Object.entries(extra)) if (v !== null && v !== undefined && v !== '') p.set(k, v);
  const q = p.toString();
  return q ? `${path}?${q}` : path;
}
