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

export function urlFromRequest(req: KpiRequest, defaults: { as_of: string; currency: string }): string {
  const p = new URLSearchParams();
  if (req.as_of && req.as_of !== defaults.as_of) p.set('as_of', req.as_of);
  if (req.period_days && req.period_days !== DEFAULT_PERIOD_DAYS) p.set('period', String(req.period_days));
  if (req.currency && req.currency !== defaults.currency) p.set('currency', req.currency);
  if (req.convert) p.set('convert', '1');
  if (req.dim && req.val !== null && req.val !== undefined) {
    p.set('dim', req.dim);
    p.set('val', req.val);
  }
  const q = p.toString();
  return q ? `?${q}` : '?';
}
