/**
 * The draft of one dunning action: the template of the customer's scenario step, in the chosen
 * language, with its merge fields filled from the worklist (figures formatted by the caller, in the
 * draft's language). Used for the e-mail (mailto: and .eml), the letter and the call script alike.
 */
import { formatDate, formatMoney } from '../i18n/format';
import { codeLabel } from '../i18n/codes';
import { translate, type Lang } from '../i18n/translate';
import type { WorkspaceSettings } from '../settings/workspace-settings';
import { BLANK_TEMPLATES, mergeTemplate, type MergeField, type Template } from './templates';

export interface DraftItem {
  invoice_id: string;
  due_date: string;
  open_amount: number;
}

export interface DraftInput {
  scenario_id: string;
  step_key: string;
  customer_id: string;
  customer_name: string;
  amount: number;
  oldest_days: number;
  as_of: string;
  items: DraftItem[];
}

export interface DraftFormat {
  money(x: number): string;
  date(iso: string): string;
  step(key: string): string;
  /** "Due", for the invoice lines */
  due: string;
}

/** A step in words ('reminder_1' → 'Première relance'), or its key when it has none (a user's step). */
export function stepName(lang: Lang, key: string): string {
  return codeLabel(lang, 'step', key);
}

/** The figures of a draft formatted in the draft's language (which may not be the screen's). */
export function draftFormat(lang: Lang, currency: string): DraftFormat {
  return { money: (x) => formatMoney(lang, x, currency), date: (d) => formatDate(lang, d), step: (k) => stepName(lang, k), due: translate(lang, 'invoice.due') };
}

/** The step's template (a step removed from the settings since: the blank one). */
export function templateOf(settings: WorkspaceSettings, scenarioId: string, stepKey: string, lang: Lang): Template {
  const step = settings.scenarios.find((s) => s.id === scenarioId)?.steps.find((s) => s.key === stepKey);
  return (step?.templates ?? BLANK_TEMPLATES)[lang];
}

export function draft(settings: WorkspaceSettings, d: DraftInput, lang: Lang, f: DraftFormat): Template {
  const fields: Record<MergeField, string> = {
    customer: d.customer_name,
    customer_id: d.customer_id,
    total: f.money(d.amount),
    invoices: d.items.map((i) => `- ${i.invoice_id} · ${f.due} ${f.date(i.due_date)} · ${f.money(i.open_amount)}`).join('\n'),
    days: String(d.oldest_days),
    date: f.date(d.as_of),
    company: settings.company,
    step: f.step(d.step_key),
  };
  const t = templateOf(settings, d.scenario_id, d.step_key, lang);
  return { subject: mergeTemplate(t.subject, fields), body: mergeTemplate(t.body, fields).trimEnd() };
}
