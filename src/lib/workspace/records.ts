/**
 * What the user records in the app (a promise to pay, a dispute, a call or an email, a contact) becomes a
 * small canonical CSV file, imported like any other: the same tables, the same checks, the KPIs
 * updated at once, and kept in the workspace with the other files.
 */
import { csvLine } from '../demo/generator';

export type RecordKind = 'promise' | 'dispute' | 'action' | 'contact';

export interface RecordInput {
  kind: RecordKind;
  customer_id: string;
  invoice_id: string | null;
  /** the day it happened (promise made, dispute opened, action done) */
  date: string;
  promised_date?: string;
  amount?: number | null;
  reason?: string;
  owner?: string;
  action_type?: string;
  channel?: string;
  collector?: string;
  note?: string;
  contact_name?: string;
  role?: string;
  email?: string;
  phone?: string;
}

export function recordFile(r: RecordInput, now = new Date()): File {
  const stamp = now.toISOString().replace(/[-:.TZ]/g, '').slice(0, 17);
  const id = `REC-${stamp}`;
  let header: string[];
  let row: (string | number | null)[];
  switch (r.kind) {
    case 'promise':
      header = ['promise_id', 'customer_id', 'invoice_id', 'promised_on', 'promised_date', 'amount'];
      row = [id, r.customer_id, r.invoice_id, r.date, r.promised_date ?? null, r.amount ?? null];
      break;
    case 'dispute':
      header = ['dispute_id', 'customer_id', 'invoice_id', 'opened_date', 'reason', 'owner', 'amount'];
      row = [id, r.customer_id, r.invoice_id, r.date, r.reason ?? null, r.owner ?? null, r.amount ?? null];
      break;
    case 'contact':
      header = ['customer_id', 'contact_name', 'role', 'email', 'phone'];
      row = [r.customer_id, r.contact_name ?? null, r.role ?? null, r.email ?? null, r.phone ?? null];
      break;
    default:
      header = ['action_id', 'customer_id', 'invoice_id', 'action_date', 'action_type', 'channel', 'collector', 'automated', 'outcome'];
      row = [id, r.customer_id, r.invoice_id, r.date, r.action_type ?? 'note', r.channel ?? null, r.collector ?? null, 'false', r.note ?? null];
  }
  const text = `${csvLine(header)}\n${csvLine(row)}\n`;
  return new File([text], `saisie-${r.kind}-${stamp}.csv`, { type: 'text/csv' });
}
