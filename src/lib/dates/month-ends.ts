/**
 * Month-ends, the dates finance reads a ledger at: the as-of control steps from one to the next,
 * and the engine computes the ones before the current date in the background (workers/).
 * Dates are 'YYYY-MM-DD' strings in UTC: a calendar date, never a point in time.
 */

const iso = (d: Date) => d.toISOString().slice(0, 10);
const parse = (date: string) => new Date(`${date}T00:00:00Z`);

/** The last day of the month `months` after the one holding `date` (0 = its own month). */
function monthEndOf(date: string, months: number): string {
  const d = parse(date);
  // day 0 of the month after = the last day of the month wanted
  return iso(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months + 1, 0)));
}

/** The latest month-end strictly before `date`. */
export function previousMonthEnd(date: string): string {
  const own = monthEndOf(date, 0);
  return own < date ? own : monthEndOf(date, -1);
}

/** The earliest month-end strictly after `date`. */
export function nextMonthEnd(date: string): string {
  const own = monthEndOf(date, 0);
  return own > date ? own : monthEndOf(date, 1);
}

/** The `count` month-ends before `date`, latest first, none before `earliest`. */
export function monthEndsBefore(date: string, count: number, earliest = '0000-01-01'): string[] {
  const out: string[] = [];
  for (let d = previousMonthEnd(date); out.length < count && d >= earliest; d = previousMonthEnd(d)) out.push(d);
  return out;
}
