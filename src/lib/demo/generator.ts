/**
 * The demo ledger: a seeded, deterministic receivables history in the canonical layout.
 * Customers have distinct payment behaviours (early, on time, slow, very late, erratic, drifting,
 * defaulting), terms of 0/30/45/60 days, two entities and two currencies; the ledger carries partial
 * payments, credit notes matched against their invoices, unapplied cash, disputes, promises to pay
 * and the dunning actions a collector would have logged. The same generator feeds the app's demo,
 * the tests and the benchmarks (1k to 10M invoices), row by row, without holding the ledger.
 */
import { Random, subSeed } from './random';

export const DEMO_TABLES = {
  customers: ['customer_id', 'customer_name', 'entity', 'division', 'salesperson', 'collector', 'category', 'country', 'currency', 'payment_terms_days', 'status'],
  invoices: ['invoice_id', 'customer_id', 'invoice_date', 'due_date', 'amount', 'currency', 'document_type', 'reference'],
  payments: ['payment_id', 'customer_id', 'invoice_id', 'payment_date', 'amount', 'currency', 'method'],
  disputes: ['dispute_id', 'invoice_id', 'customer_id', 'opened_date', 'resolved_date', 'reason', 'status', 'owner', 'amount'],
  promises: ['promise_id', 'customer_id', 'invoice_id', 'promised_on', 'promised_date', 'amount', 'status'],
  actions: ['action_id', 'customer_id', 'invoice_id', 'action_date', 'action_type', 'channel', 'collector', 'automated', 'outcome'],
  credit_limits: ['customer_id', 'credit_limit', 'currency', 'valid_from'],
  contacts: ['customer_id', 'contact_name', 'role', 'email', 'phone'],
  fx_rates: ['rate_date', 'from_currency', 'to_currency', 'rate'],
} as const;
export type DemoTable = keyof typeof DEMO_TABLES;

/** A fictitious accounts-payable contact (the reserved .example domain, RFC 2606: nothing real is written to). */
function contactOf(customerId: string, name: string, french: boolean): Cell[] {
  const slug = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return french
    ? [customerId, 'Service comptabilité fournisseurs', 'comptabilité', `compta@${slug}.example`, null]
    : [customerId, 'Accounts Payable', 'accounts payable', `ap@${slug}.example`, null];
}
export type Cell = string | number | null;
export type Sink = (table: DemoTable, row: Cell[]) => void;

export interface DemoOptions {
  seed: number;
  /** Roughly how many invoices to produce; sets the number of customers. */
  invoices: number;
  /** Last day of the ledger (the demo's as-of date), ISO. */
  end: string;
  /** Months of history before `end`. */
  months: number;
}

export const DEFAULT_DEMO: DemoOptions = { seed: 42, invoices: 20_000, end: '2026-10-31', months: 36 };

type Behaviour = 'early' | 'on_time' | 'slow' | 'very_late' | 'erratic' | 'drifting' | 'defaulting';
const BEHAVIOURS: readonly (readonly [Behaviour, number])[] = [
  ['early', 12], ['on_time', 30], ['slow', 25], ['very_late', 10], ['erratic', 12], ['drifting', 8], ['defaulting', 3],
];
/** Days paid after the due date: mean and spread. */
const DELAY: Record<Behaviour, [number, number]> = {
  early: [-6, 3], on_time: [1, 4], slow: [14, 8], very_late: [48, 20], erratic: [12, 30], drifting: [0, 6], defaulting: [20, 15],
};

const FR_PREFIX = ['Boulangerie', 'Garage', 'Atelier', 'Transports', 'Pharmacie', 'Cabinet', 'Société', 'Groupe', 'Laboratoires', 'Imprimerie', 'Menuiserie', 'Fromagerie', 'Hôtel', 'Clinique', 'Éditions', 'Maison'];
const FR_NAME = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefèvre', 'Michel', 'Garcia', 'Roux', 'Fournier', 'Girard', 'Bonnet', 'Mercier'];
const FR_SUFFIX = ['SARL', 'SAS', 'SA', '& Fils', 'et Cie'];
const US_PREFIX = ['Acme', 'Summit', 'Pioneer', 'Harbor', 'Cedar', 'Atlas', 'Liberty', 'Granite', 'Beacon', 'Prairie', 'Redwood', 'Keystone'];
const US_NOUN = ['Supply', 'Logistics', 'Foods', 'Medical', 'Tools', 'Systems', 'Outfitters', 'Labs'];
const US_SUFFIX = ['Inc.', 'LLC', 'Corp.'];
const ENTITIES = {
  FR01: { country: ['FR', 'FR', 'FR', 'BE', 'CH', 'LU'], salespeople: ['Camille Roy', 'Hugo Blanc', 'Léa Morel'], collectors: ['Alice Perrin', 'Bruno Caron'] },
  US01: { country: ['US', 'US', 'US', 'CA'], salespeople: ['Jordan Lee', 'Morgan Diaz'], collectors: ['Sam Carter', 'Alex Kim'] },
} as const;
const CATEGORIES = ['Retail', 'Wholesale', 'Industry', 'Public sector', 'Healthcare'];
const DIVISIONS = ['Products', 'Services'];
const DISPUTE_REASONS: readonly (readonly [string, number])[] = [['price', 30], ['quantity', 20], ['quality', 15], ['delivery', 15], ['duplicate', 8], ['not_ordered', 7], ['missing_po', 5]];
const DISPUTE_OWNERS: Record<string, string> = { price: 'sales', quantity: 'logistics', quality: 'quality', delivery: 'logistics', duplicate: 'billing', not_ordered: 'sales', missing_po: 'billing' };

const DAY_MS = 86_400_000;
const toDay = (iso: string) => Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
const isoCache = new Map<number, string>();
function iso(day: number): string {
  let s = isoCache.get(day);
  if (!s) isoCache.set(day, (s = new Date(day * DAY_MS).toISOString().slice(0, 10)));
  return s;
}
const money = (x: number) => Math.round(x * 100) / 100;

export function generateDemoLedger(options: DemoOptions, sink: Sink): { customers: number; invoices: number } {
  const end = toDay(options.end);
  const startDate = new Date(end * DAY_MS);
  startDate.setUTCMonth(startDate.getUTCMonth() - options.months);
  const start = Math.round(startDate.getTime() / DAY_MS) + 1;
  // About 1.9 invoices a customer a month on average (the rates below are log-normal around 1.2).
  const customerCount = Math.max(3, Math.round(options.invoices / (options.months * 1.9)));
  let invoiceCount = 0;
  const seq = { inv: 0, cn: 0, pay: 0, dsp: 0, ptp: 0, act: 0 };

  // Month-start USD → EUR rates: a seeded random walk around 0.92.
  const fx = new Random(subSeed(options.seed, -1));
  let rate = 0.92;
  for (let d = new Date(start * DAY_MS); d.getTime() <= end * DAY_MS; d.setUTCMonth(d.getUTCMonth() + 1)) {
    rate = Math.min(1.05, Math.max(0.8, rate + fx.normal(0, 0.012)));
    sink('fx_rates', [new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)).toISOString().slice(0, 10), 'USD', 'EUR', rate.toFixed(4)]);
  }

  for (let c = 0; c < customerCount; c++) {
    const rnd = new Random(subSeed(options.seed, c));
    const customerId = `C${String(c + 1).padStart(5, '0')}`;
    const entityKey = rnd.chance(0.7) ? 'FR01' : 'US01';
    const entity = ENTITIES[entityKey];
    const currency = entityKey === 'FR01' ? (rnd.chance(0.1) ? 'USD' : 'EUR') : 'USD';
    const name =
      entityKey === 'FR01'
        ? `${rnd.pick(FR_PREFIX)} ${rnd.pick(FR_NAME)} ${rnd.pick(FR_SUFFIX)}`
        : `${rnd.pick(US_PREFIX)} ${rnd.pick(US_NOUN)} ${rnd.pick(US_SUFFIX)}`;
    const terms = rnd.weighted([[0, 8], [30, 45], [45, 27], [60, 20]] as const);
    const behaviour = rnd.weighted(BEHAVIOURS);
    const collector = rnd.pick(entity.collectors);
    const ratePerMonth = rnd.logNormal(1.2, 0.9);
    const size = rnd.logNormal(entityKey === 'FR01' ? 1800 : 2500, 1.0);
    const firstDay = start + (rnd.chance(0.75) ? 0 : rnd.int(0, Math.floor((end - start) * 0.6)));
    const defaultFrom = behaviour === 'defaulting' ? end - rnd.int(60, 400) : Infinity;
    const disputeRate = rnd.weighted([[0.01, 5], [0.04, 3], [0.12, 1]] as const);
    const partialRate = rnd.chance(0.2) ? 0.25 : 0.03;
    const unappliedRate = rnd.chance(0.1) ? 0.05 : 0.003;
    const [delayMean, delaySd] = DELAY[behaviour];
    const status = behaviour === 'defaulting' ? 'litigation' : 'active';
    sink('customers', [customerId, name, entityKey, rnd.pick(DIVISIONS), rnd.pick(entity.salespeople), collector, rnd.pick(CATEGORIES), rnd.pick(entity.country), currency, terms, status]);
    sink('credit_limits', [customerId, Math.max(1000, Math.round((size * ratePerMonth * (terms / 30 + 1.5)) / 1000) * 1000), currency, iso(start)]);
    // the accounts-payable contact, made from the name alone (no draw: the ledger's figures stay those of the seed)
    sink('contacts', contactOf(customerId, name, entityKey === 'FR01'));

    const action = (day: number, invoiceId: string, type: string, channel: string, automated: boolean, outcome: string | null) => {
      if (day > end) return;
      sink('actions', [`A${++seq.act}`, customerId, invoiceId, iso(day), type, channel, collector, automated ? 'true' : 'false', outcome]);
    };
    const pay = (day: number, invoiceId: string | null, amount: number, ref?: string) => {
      if (day > end || amount === 0) return;
      sink('payments', [ref ?? `P${++seq.pay}`, customerId, invoiceId, iso(day), money(amount), currency, rnd.weighted([['transfer', 80], ['direct_debit', 12], ['cheque', 8]] as const)]);
    };

    let day = firstDay + Math.floor(rnd.exponential(30 / ratePerMonth));
    while (day <= end) {
      const invoiceId = `${entityKey}-${String(++seq.inv).padStart(7, '0')}`;
      invoiceCount++;
      const amount = money(Math.max(15, rnd.logNormal(size, 0.7)));
      const due = day + terms;
      sink('invoices', [invoiceId, customerId, iso(day), iso(due), amount, currency, 'invoice', `PO-${rnd.int(10000, 99999)}`]);
      let open = amount;

      // A credit note for part of the invoice, matched against it (a clearing with no cash).
      if (rnd.chance(0.03)) {
        const cnDay = day + rnd.int(3, 25);
        if (cnDay <= end) {
          const cn = money(amount * rnd.weighted([[0.1, 3], [0.25, 3], [0.5, 2], [1, 2]] as const));
          const cnId = `CN-${String(++seq.cn).padStart(6, '0')}`;
          sink('invoices', [cnId, customerId, iso(cnDay), iso(cnDay), -cn, currency, 'credit_note', invoiceId]);
          invoiceCount++;
          const matchDay = cnDay + rnd.int(0, 10);
          const matchRef = `M${++seq.pay}`;
          pay(matchDay, invoiceId, cn, matchRef);
          pay(matchDay, cnId, -cn, matchRef);
          if (matchDay <= end) open = money(open - cn);
        }
      }

      // When it gets paid: the customer's habit, drifting customers getting later over time.
      const drift = behaviour === 'drifting' ? ((day - start) / Math.max(1, end - start)) * 55 : 0;
      let payDay = Math.max(day, Math.round(due + rnd.normal(delayMean + drift, delaySd)));
      let neverPaid = day >= defaultFrom || rnd.chance(0.002);

      // Disputes hold the payment until they are resolved.
      if (rnd.chance(disputeRate)) {
        const reason = rnd.weighted(DISPUTE_REASONS);
        const opened = day + rnd.int(3, 40);
        const resolved = opened + Math.round(rnd.logNormal(25, 0.6));
        if (opened <= end) {
          const isResolved = resolved <= end;
          sink('disputes', [`D${++seq.dsp}`, invoiceId, customerId, iso(opened), isResolved ? iso(resolved) : null, reason, isResolved ? 'resolved' : 'open', DISPUTE_OWNERS[reason], money(amount * rnd.weighted([[1, 3], [0.5, 1], [0.2, 1]] as const))]);
        }
        payDay = Math.max(payDay, resolved + rnd.int(2, 15));
      }

      // Dunning: the steps a collector takes while the invoice stays unpaid.
      const paidBy = neverPaid ? Infinity : payDay;
      if (terms > 0 && rnd.chance(0.3) && due - 5 < paidBy) action(due - 5, invoiceId, 'courtesy_reminder', 'email', true, null);
      if (due + 5 < paidBy) action(due + 5, invoiceId, 'reminder_1', 'email', true, null);
      if (due + 15 < paidBy) action(due + 15, invoiceId, 'reminder_2', 'email', true, null);
      if (due + 30 < paidBy) action(due + 30, invoiceId, 'call', 'phone', false, rnd.pick(['promise', 'no_answer', 'dispute_raised', 'left_message']));
      if (due + 45 < paidBy) action(due + 45, invoiceId, 'formal_notice', 'letter', false, null);
      if (due + 75 < paidBy) action(due + 75, invoiceId, 'litigation', 'letter', false, null);

      // Promises to pay, made on the collector's call; some are broken.
      if (due + 30 < paidBy && rnd.chance(0.45)) {
        const promisedOn = due + 30;
        const promisedDate = promisedOn + rnd.int(3, 15);
        const willKeep = !neverPaid && rnd.chance(behaviour === 'erratic' || behaviour === 'very_late' ? 0.5 : 0.75);
        if (willKeep) payDay = Math.min(payDay, promisedDate - rnd.int(0, 2));
        if (promisedOn <= end) {
          const status = promisedDate > end ? 'open' : willKeep && payDay <= promisedDate ? 'kept' : 'broken';
          sink('promises', [`PTP${++seq.ptp}`, customerId, invoiceId, iso(promisedOn), iso(promisedDate), open, status]);
        }
      }

      if (!neverPaid) {
        if (rnd.chance(unappliedRate)) {
          // Cash that arrives without a remittance advice: on account, not allocated.
          pay(payDay, null, open);
        } else if (rnd.chance(partialRate) && open > 50) {
          const first = money(open * rnd.weighted([[0.3, 1], [0.5, 2], [0.7, 1]] as const));
          pay(payDay, invoiceId, first);
          pay(payDay + rnd.int(10, 45), invoiceId, money(open - first));
        } else {
          pay(payDay, invoiceId, open);
        }
      }
      day += Math.max(1, Math.round(rnd.exponential(30 / ratePerMonth)));
    }
  }
  return { customers: customerCount, invoices: invoiceCount };
}

/** One CSV line, RFC 4180 quoting. */
export function csvLine(cells: readonly Cell[]): string {
  return cells
    .map((v) => {
      if (v === null) return '';
      const s = String(v);
      return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    })
    .join(',');
}
