/**
 * The ledger's codes in words, in the screen's language: a document's type ('credit_note' → 'Avoir'),
 * an action's type ('reminder_2' → 'Deuxième relance', 'call' → 'Appel'), a payment's method
 * ('direct_debit' → 'Prélèvement'), an action's outcome ('no_answer' → 'pas de réponse'), a dispute's reason ('not_ordered' → 'Non commandé')
 * and owner ('billing' → 'Facturation')…
 * A code the app does not know (a user's own, from their file) is shown as it is.
 */
import type { MessageKey } from './en';
import { isMessageKey, translate, type Lang } from './translate';

export type CodeKind = 'doc' | 'step' | 'action' | 'method' | 'outcome' | 'event' | 'status' | 'dispute_reason' | 'owner';

/** Where each kind of code finds its words, in order: an action may be a dunning step, an outcome
 *  a status the engine gives ('automated'). */
const PREFIXES: Record<CodeKind, readonly string[]> = {
  doc: ['doc'],
  step: ['step'],
  action: ['step', 'action'],
  method: ['method'],
  outcome: ['outcome', 'status'],
  event: ['event'],
  status: ['status'],
  dispute_reason: ['dispute_reason'],
  owner: ['owner'],
};

export function codeLabel(lang: Lang, kind: CodeKind, code: string | null | undefined): string {
  if (!code) return '';
  // files write codes in any case ('CALL', 'Direct_Debit'); the app's keys are lower case
  const key = code.trim().toLowerCase();
  for (const prefix of PREFIXES[kind]) {
    const k = `${prefix}.${key}`;
    if (isMessageKey(k)) return translate(lang, k as MessageKey);
  }
  return code;
}
