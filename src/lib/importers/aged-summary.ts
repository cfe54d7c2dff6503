/**
 * An aged balance by customer ("balance âgée" in its summary form: one row per customer, one
 * column per bucket: Non échu, 1 à 30 j, 31 à 60 j, …, Plus de 90 j, Total). It holds no invoice:
 * each customer's amount in a bucket becomes one open item of that customer, due at the middle of
 * the bucket before the report's date (1–30 days late: due 16 days before; over 90: 105 days
 * before; not due: invoiced that day, due in 15 days; the others invoiced 30 days before their due
 * date), and
 * goes through the invoice list like any open-items export. So the aged balance, the overdue and
 * not-due amounts, the customers' balances and every open-item figure at the report's date are the
 * report's own (the same buckets; other bucket bounds re-split the items at their middles); its
 * sales, DSO, CEI and payment history are blank, as for any open-items export. The report's date is
 * read from its title lines ("Balance âgée au 31/10/2026"), else its file name, else the day of the
 * import, and the import report says which.
 */
import { FIELDS, normaliseHeader } from './fields';

export interface AgedBucketColumn {
  header: string;
  /** days late the bucket's items are put at (negative: not yet due) */
  days: number;
}

export interface AgedSummaryColumns {
  customer: string;
  name: string | null;
  buckets: AgedBucketColumn[];
}

const NOT_DUE = /^(non\s*echus?|a\s*echoir|not\s*(yet\s*)?due|current|non\s*exigibles?|pas\s*encore\s*echus?)$/;
const RANGE = /^(?:de\s*)?(\d+)\s*(?:-|a|to|–|—)\s*(\d+)\s*(?:j|jours?|d|days?)?$/;
const OVER = /^(?:plus\s*de|\+\s*de|>\s*=?|over|au[\s-]*dela\s*de|superieur\s*a|sup\.?\s*a|\+)\s*(\d+)\s*(?:j|jours?|d|days?)?$|^(\d+)\s*(?:j|jours?|d|days?)?\s*(?:\+|et\s*plus|and\s*over|or\s*more)$/;

/** The days late a bucket header stands for, or null when it is not a bucket. */
export function bucketDays(header: string): number | null {
  const h = header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[()[\]]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (NOT_DUE.test(h)) return -15;
  const r = RANGE.exec(h);
  if (r) {
    const [a, b] = [Number(r[1]), Number(r[2])];
    return b >= a ? Math.max(1, Math.round((Math.max(a, 1) + b) / 2)) : null;
  }
  const o = OVER.exec(h);
  if (o) return Number(o[1] ?? o[2]) + 15;
  return null;
}

/** The customer column and two or more bucket columns, or null: not an aged summary. */
export function agedSummaryColumns(headers: readonly string[]): AgedSummaryColumns | null {
  const rank = (field: 'customer_id' | 'customer_name', h: string) => (FIELDS[field].synonyms as readonly string[]).indexOf(normaliseHeader(h));
  const best = (field: 'customer_id' | 'customer_name', except?: string) =>
    headers
      .filter((h) => h !== except && rank(field, h) >= 0)
      .sort((a, b) => rank(field, a) - rank(field, b))[0] ?? null;
  const customer = best('customer_id');
  if (!customer) return null;
  const buckets = headers.filter((h) => h !== customer).flatMap((header) => {
    const days = bucketDays(header);
    return days === null ? [] : [{ header, days }];
  });
  if (buckets.length < 2 || new Set(buckets.map((b) => b.days)).size !== buckets.length) return null;
  return { customer, name: best('customer_name', customer), buckets };
}

export type AsOfSource = 'title' | 'file_name' | 'today';

/** the words before a report's own date */
const AS_OF_WORD = /(\bau|\bas\s+(of|at)|\barr[eê]t[ée]e?\s+au|\ben\s+date\s+du|\bat)\s*:?\s*$/i;

const MONTHS: Record<string, number> = {
  january: 1, february: 2, march: 3, april: 4, may: 5, june: 6, july: 7, august: 8, september: 9, october: 10, november: 11, december: 12,
  janvier: 1, fevrier: 2, mars: 3, avril: 4, mai: 5, juin: 6, juillet: 7, aout: 8, septembre: 9, octobre: 10, novembre: 11, decembre: 12,
};

/** The last date written in words in a text: "October 31, 2026", "31 October 2026", "31 octobre 2026". */
function fromWords(text: string): string | null {
  const t = text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const names = Object.keys(MONTHS).join('|');
  const found: string[] = [];
  for (const m of t.matchAll(new RegExp(`\\b(?:(\\d{1,2})(?:er)?\\s+(${names})|(${names})\\s+(\\d{1,2}),?)\\s+(\\d{4})\\b`, 'g'))) {
    const day = Number(m[1] ?? m[4]);
    const month = MONTHS[m[2] ?? m[3]];
    const d = new Date(Date.UTC(Number(m[5]), month - 1, day));
    if (d.getUTCDate() === day && d.getUTCMonth() === month - 1) found.push(d.toISOString().slice(0, 10));
  }
  return found.at(-1) ?? null;
}

/** The report's date: a date in its title lines (day first), else in its file name, else today. */
export function reportDate(title: string, fileName: string, today: string): { date: string; source: AsOfSource } {
  const valid = (y: number, m: number, d: number) => {
    const t = new Date(Date.UTC(y, m - 1, d));
    return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d ? t.toISOString().slice(0, 10) : null;
  };
  const dayFirst = /\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b/g;
  const iso = /\b(\d{4})-(\d{2})-(\d{2})\b/g;
  const fromText = (text: string) => {
    for (const m of text.matchAll(iso)) {
      const d = valid(+m[1], +m[2], +m[3]);
      if (d) return d;
    }
    // the date the report is "au" / "as of" ("Balance au 31/10/2026, éditée le 24/11/2026"), else
    // the last one ("du 01/01/2026 au 31/10/2026")
    const found = [...text.matchAll(dayFirst)]
      .map((m) => ({ date: valid(+m[3], +m[2], +m[1]), at: AS_OF_WORD.test(text.slice(Math.max(0, (m.index ?? 0) - 16), m.index)) }))
      .filter((d): d is { date: string; at: boolean } => d.date !== null);
    return (found.filter((d) => d.at).at(-1) ?? found.at(-1))?.date ?? null;
  };
  const t = fromText(title) ?? fromWords(title);
  if (t) return { date: t, source: 'title' };
  const compact = /(?:^|\D)(20\d{2})[-_]?(\d{2})[-_]?(\d{2})(?:\D|$)/.exec(fileName);
  const f = compact ? valid(+compact[1], +compact[2], +compact[3]) : fromText(fileName);
  if (f) return { date: f, source: 'file_name' };
  return { date: today, source: 'today' };
}

/**
 * The staged summary (`__rn`, its line in `lineOf`, a column per header) as an invoice list: one row
 * per customer and non-empty bucket, columns invoice_id, customer_id, customer_name, invoice_date,
 * due_date, balance (the bucket's cell as written), the row's line and its bucket's header.
 */
export function agedSummarySql(staged: string, lineOf: string, target: string, cols: AgedSummaryColumns, asOf: string, termsDays: number): string {
  const q = (h: string) => `"${h.replace(/"/g, '""')}"`;
  const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const values = cols.buckets.map((b, i) => `(${i}, ${lit(b.header)}, ${b.days})`).join(', ');
  return `CREATE TEMP TABLE ${target} AS
SELECT row_number() OVER (ORDER BY s.__rn, b.i) AS __rn, l.line AS __line,
       trim(s.${q(cols.customer)}) || ' · ' || b.header AS invoice_id,
       s.${q(cols.customer)} AS customer_id, ${cols.name ? `s.${q(cols.name)}` : 'NULL::VARCHAR'} AS customer_name,
       -- (the not-due items invoiced on the report's date: the ledger's latest date, the one shown first)
       strftime(CASE WHEN b.days < 0 THEN DATE '${asOf}' ELSE DATE '${asOf}' - b.days - ${termsDays} END, '%Y-%m-%d') AS invoice_date,
       strftime(DATE '${asOf}' - b.days, '%Y-%m-%d') AS due_date,
       CASE b.i ${cols.buckets.map((bk, i) => `WHEN ${i} THEN s.${q(bk.header)}`).join(' ')} END AS balance,
       b.header AS __bucket
FROM ${staged} s JOIN ${lineOf} l ON l.rn = s.__rn, (VALUES ${values}) b(i, header, days)
-- (an empty or zero cell is no item)
WHERE NOT regexp_full_match(COALESCE(trim(CASE b.i ${cols.buckets.map((bk, i) => `WHEN ${i} THEN s.${q(bk.header)}`).join(' ')} END), ''), '[-+]?[0\\s.,]*\\s*(€|eur)?', 'i')`;
}
