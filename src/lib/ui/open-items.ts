/** The open items table (aged balance drill-down, customer page): its columns and its rows in words. */
import type { ExportValue } from '../export/table';
import { bucketLabel } from '../i18n/buckets';
import type { MessageKey } from '../i18n/en';
import { codeLabel } from '../i18n/codes';
import { translate, type Lang } from '../i18n/translate';
import type { AgedInvoiceRow } from '../kpi/queries';
import type { TableColumn } from './DataTable.svelte';

export function openItemColumns(lang: Lang): TableColumn[] {
  const t = (k: MessageKey) => translate(lang, k);
  return [
    { key: 'invoice_id', label: t('invoice.id'), kind: 'text' },
    { key: 'document_type', label: t('invoice.type'), kind: 'text' },
    { key: 'invoice_date', label: t('invoice.date'), kind: 'date' },
    { key: 'due_date', label: t('invoice.due'), kind: 'date' },
    { key: 'amount', label: t('invoice.amount'), kind: 'money' },
    { key: 'open_amount', label: t('invoice.open'), kind: 'money', kpi: 'open_amount' },
    { key: 'days_overdue', label: t('invoice.days_overdue'), kind: 'number', badWhenPositive: true },
    { key: 'bucket_label', label: t('invoice.bucket'), kind: 'text' },
    { key: 'dispute_reason', label: t('aging.dispute_reason'), kind: 'text' },
  ];
}

/** A document type in words ('credit_note' → 'Avoir'), or as it is when it has none. */
export function documentType(lang: Lang, type: string): string {
  return codeLabel(lang, 'doc', type);
}

export function openItemRows(lang: Lang, rows: readonly AgedInvoiceRow[]): Record<string, ExportValue>[] {
  return rows.map(
    (r) =>
      ({
        ...r,
        document_type: documentType(lang, r.document_type),
        bucket_label: bucketLabel(lang, r.bucket),
        dispute_reason: codeLabel(lang, 'dispute_reason', r.dispute_reason),
      }) as unknown as Record<string, ExportValue>,
  );
}
