/**
 * Dunning letters and e-mails: the standard scenario's templates in French and English, and their
 * merge fields. A template is plain text with {fields}; an unknown field is left as typed, so that
 * a typo shows in the draft instead of vanishing.
 */
import type { Lang } from '../i18n/translate';

export const MERGE_FIELDS = ['customer', 'customer_id', 'total', 'invoices', 'days', 'date', 'company', 'step'] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];

export interface Template {
  subject: string;
  body: string;
}

export type Templates = Record<Lang, Template>;

export function mergeTemplate(text: string, fields: Partial<Record<MergeField, string>>): string {
  return text.replace(/\{([a-z_]+)\}/g, (whole, name: string) => fields[name as MergeField] ?? whole);
}

/** Fields a template names that do not exist (said in the editor). */
export function unknownFields(text: string): string[] {
  return [...text.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]).filter((n) => !(MERGE_FIELDS as readonly string[]).includes(n));
}

const FR_SIGN = '\n\nCordialement,\n{company}';
const EN_SIGN = '\n\nKind regards,\n{company}';
const FR_LIST = 'Sauf erreur de notre part, les factures suivantes restent impayées à ce jour ({date}) :\n{invoices}\n\nTotal dû : {total}.';
const EN_LIST = 'Unless we are mistaken, the following invoices remain unpaid as of {date}:\n{invoices}\n\nTotal due: {total}.';
/** Art. L441-10 and D441-5 of the French Code de commerce: late-payment penalties and the 40 € indemnity. */
const FR_LEGAL =
  'Conformément à l’article L441-10 du Code de commerce, toute somme non payée à son échéance porte intérêts de retard au taux prévu par nos conditions générales (au moins trois fois le taux d’intérêt légal) et donne lieu à une indemnité forfaitaire pour frais de recouvrement de 40 € par facture (art. D441-5).';
const EN_LEGAL =
  'Under article L441-10 of the French Commercial Code, any sum unpaid at its due date bears late-payment interest at the rate of our terms (at least three times the legal interest rate) and a fixed recovery indemnity of 40 € per invoice (art. D441-5).';

/** The standard scenario's steps and their templates (the keys are those of worklist.sql). */
export const STANDARD_TEMPLATES: Record<string, Templates> = {
  courtesy_reminder: {
    fr: { subject: 'Échéance prochaine — {customer}', body: 'Madame, Monsieur,\n\nPour mémoire, les factures suivantes arrivent à échéance :\n{invoices}\n\nTotal : {total}. Merci de nous signaler toute difficulté.' + FR_SIGN },
    en: { subject: 'Upcoming due date — {customer}', body: 'Dear {customer},\n\nA friendly reminder that the following invoices fall due soon:\n{invoices}\n\nTotal: {total}. Please let us know of anything that would prevent their payment.' + EN_SIGN },
  },
  reminder_1: {
    fr: { subject: 'Relance — factures échues — {customer}', body: 'Madame, Monsieur,\n\n' + FR_LIST + '\n\nNous vous remercions de bien vouloir procéder à leur règlement dans les meilleurs délais, ou de nous dire ce qui l’empêcherait.' + FR_SIGN },
    en: { subject: 'Reminder — overdue invoices — {customer}', body: 'Dear {customer},\n\n' + EN_LIST + '\n\nThank you for settling them at your earliest convenience, or telling us if something prevents it.' + EN_SIGN },
  },
  reminder_2: {
    fr: { subject: 'Deuxième relance — {customer}', body: 'Madame, Monsieur,\n\nMalgré notre précédente relance, et sauf erreur de notre part, les factures suivantes restent impayées ({days} jours de retard pour la plus ancienne) :\n{invoices}\n\nTotal dû : {total}. Nous vous demandons de les régler sous huit jours.\n\n' + FR_LEGAL + FR_SIGN },
    en: { subject: 'Second reminder — {customer}', body: 'Dear {customer},\n\nDespite our previous reminder, the following invoices remain unpaid ({days} days late for the oldest):\n{invoices}\n\nTotal due: {total}. Please settle them within eight days.\n\n' + EN_LEGAL + EN_SIGN },
  },
  formal_notice: {
    fr: { subject: 'Mise en demeure de payer — {customer}', body: 'Lettre recommandée avec accusé de réception\n\nMadame, Monsieur,\n\nMalgré nos relances, les factures suivantes restent impayées à ce jour ({date}) :\n{invoices}\n\nTotal dû : {total}.\n\nPar la présente, nous vous mettons en demeure de nous régler cette somme sous huit jours à compter de la réception de ce courrier. À défaut, nous transmettrons le dossier à notre service contentieux.\n\n' + FR_LEGAL + FR_SIGN },
    en: { subject: 'Formal notice to pay — {customer}', body: 'Registered letter with acknowledgement of receipt\n\nDear {customer},\n\nDespite our reminders, the following invoices remain unpaid as of {date}:\n{invoices}\n\nTotal due: {total}.\n\nWe hereby give you formal notice to pay this sum within eight days of receiving this letter, failing which the matter will be handed over to our litigation department.\n\n' + EN_LEGAL + EN_SIGN },
  },
  litigation: {
    fr: { subject: 'Transmission au contentieux — {customer}', body: 'Madame, Monsieur,\n\nNotre mise en demeure étant restée sans effet, nous vous informons que le recouvrement des factures suivantes est transmis à notre service contentieux :\n{invoices}\n\nTotal dû : {total}, auquel s’ajoutent les pénalités de retard et l’indemnité forfaitaire de 40 € par facture (art. L441-10 et D441-5 du Code de commerce).' + FR_SIGN },
    en: { subject: 'Hand-over to litigation — {customer}', body: 'Dear {customer},\n\nAs our formal notice remained without effect, the collection of the following invoices is handed over to our litigation department:\n{invoices}\n\nTotal due: {total}, plus late-payment interest and the fixed indemnity of 40 € per invoice (art. L441-10 and D441-5 of the French Commercial Code).' + EN_SIGN },
  },
};

/** A step added by the user starts from this. */
export const BLANK_TEMPLATES: Templates = {
  fr: { subject: '{step} — {customer}', body: 'Madame, Monsieur,\n\n' + FR_LIST + FR_SIGN },
  en: { subject: '{step} — {customer}', body: 'Dear {customer},\n\n' + EN_LIST + EN_SIGN },
};
