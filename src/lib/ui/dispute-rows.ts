/** The disputes' tables (disputes page, weekly report) in words: reasons, owners and states. */
import type { ExportValue } from '../export/table';
import { codeLabel } from '../i18n/codes';
import type { Lang } from '../i18n/translate';

/** Each row's reason, owner and state (when it has one) in words, numbered for the table's keys. */
export function disputeRows<R extends { reason: string; owner: string; status?: string }>(lang: Lang, rows: readonly R[]): Record<string, ExportValue>[] {
  return rows.map(
    (r, i) =>
      ({
        ...r,
        key: i,
        reason: codeLabel(lang, 'dispute_reason', r.reason),
        owner: codeLabel(lang, 'owner', r.owner),
        ...(r.status === undefined ? {} : { state: codeLabel(lang, 'status', r.status) }),
      }) as unknown as Record<string, ExportValue>,
  );
}
