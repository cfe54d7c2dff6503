/**
 * Canonical fields an input column can map to, with the header spellings we recognise
 * (English and French, as ERPs and accountants export them). Headers are compared after
 * normaliseHeader: lower case, accents and every non-alphanumeric character removed.
 */
export type FieldKind = 'text' | 'date' | 'amount' | 'int' | 'flag' | 'rate';

export interface FieldDef {
  kind: FieldKind;
  synonyms: readonly string[];
}

export function normaliseHeader(h: string): string {
  return h
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

const text = (...synonyms: string[]): FieldDef => ({ kind: 'text', synonyms });
const date = (...synonyms: string[]): FieldDef => ({ kind: 'date', synonyms });
const amount = (...synonyms: string[]): FieldDef => ({ kind: 'amount', synonyms });

export const FIELDS = {
  invoice_id: text('invoiceid', 'invoicenumber', 'invoiceno', 'invoicenum', 'invoice', 'invoiceref', 'documentnumber', 'docnumber', 'documentno', 'docno', 'numfacture', 'numerofacture', 'nfacture', 'nofacture', 'facture', 'numerodefacture', 'ndefacture', 'nodefacture', 'numdefacture', 'referencefacture', 'reffacture', 'piece', 'numpiece', 'npiece', 'nopiece', 'numeropiece', 'numerodepiece', 'ndepiece', 'pieceref', 'refpiece', 'referencepiece', 'ndocument', 'numerodocument', 'belnr', 'num', 'voucherno', 'vouchernumber', 'journalentry', 'moveid', 'move', 'ref'),
  customer_id: text('customerid', 'customer', 'customerno', 'customernumber', 'customercode', 'customeraccount', 'clientid', 'codeclient', 'numclient', 'numeroclient', 'noclient', 'compteclient', 'ncompteclient', 'comptetiers', 'ncomptetiers', 'nocomptetiers', 'numerocomptetiers', 'numcomptetiers', 'compteauxiliaire', 'compteaux', 'client', 'accountnumber', 'account', 'debtor', 'debtorid', 'tiers', 'codetiers', 'soldto', 'kunnr', 'contact', 'party', 'partner', 'partnerid', 'ac', 'accountcode'),
  customer_name: text('customername', 'name', 'clientname', 'nomclient', 'nom', 'raisonsociale', 'libelleclient', 'intitule', 'intituletiers', 'intituleclient', 'intitulecompte', 'libelle', 'accountname', 'debtorname', 'partyname', 'partnername', 'contactname', 'client'),
  invoice_date: date('invoicedate', 'documentdate', 'docdate', 'billingdate', 'datefacture', 'datedefacture', 'datefacturation', 'datepiece', 'datedepiece', 'dateemission', 'date', 'bldat', 'postingdate', 'budat', 'invoicedate'),
  due_date: date('duedate', 'netduedate', 'paymentduedate', 'dueon', 'echeance', 'dateecheance', 'datedecheance', 'datelimitedepaiement', 'datelimite', 'faedt', 'datematurity', 'netduedate'),
  amount: amount('invoiceamount', 'amount', 'totalamount', 'grossamount', 'amountgross', 'amountincltax', 'total', 'totalttc', 'montant', 'montantttc', 'montantfacture', 'ttc', 'montanttotal', 'wrbtr', 'dmbtr', 'amountindoccurr', 'amountindocumentcurrency', 'amountinlocalcurrency', 'invoicedamount', 'originalamount', 'balance', 'openbalance', 'outstandingamount', 'amountresidual', 'residual', 'amountdue', 'due', 'netapayer', 'montantnetapayer', 'totalapayer', 'montantregle', 'montantpaye', 'montantencaisse', 'montantreglement', 'montantdureglement', 'montantrecu', 'amountpaid', 'paidamount', 'paymentamount', 'amountreceived'),
  currency: text('currency', 'currencycode', 'curr', 'ccy', 'devise', 'codedevise', 'monnaie', 'fromcurrency', 'from', 'devisesource', 'waers', 'localcurrency', 'documentcurrency'),
  document_type: text('documenttype', 'doctype', 'type', 'typedocument', 'typedepiece', 'typepiece', 'nature', 'blart', 'transactiontype', 'vouchertype'),
  entity: text('entity', 'company', 'companycode', 'legalentity', 'bukrs', 'societe', 'entite', 'codesociete'),
  division: text('division', 'businessunit', 'bu', 'segment', 'departement', 'activite'),
  salesperson: text('salesperson', 'salesrep', 'salesman', 'accountmanager', 'commercial', 'vendeur', 'representant'),
  collector: text('collector', 'creditcontroller', 'recouvreur', 'chargederecouvrement', 'gestionnaire', 'gestionnairerecouvrement'),
  category: text('category', 'customercategory', 'customertype', 'customergroup', 'categorie', 'categorieclient', 'typeclient', 'groupeclient', 'customergroup'),
  country: text('country', 'countrycode', 'pays', 'codepays'),
  reference: text('reference', 'ponumber', 'purchaseorder', 'ordernumber', 'bondecommande', 'commande', 'ref'),
  // how the invoice was sent (IBM's sample: PaperlessBill = Paper / Electronic); not "channel",
  // which is an action's
  billing_channel: text('billingchannel', 'invoicechannel', 'deliverychannel', 'invoicedelivery', 'deliverymethod', 'paperlessbill', 'paperless', 'canalenvoi', 'canaldenvoi', 'modeenvoi', 'modedenvoi', 'canalfacturation', 'modefacturation'),
  payment_terms_days: { kind: 'int', synonyms: ['paymentterms', 'paymenttermsdays', 'terms', 'termsdays', 'delaipaiement', 'delaidepaiement', 'conditionsdepaiement', 'conditionsreglement', 'delaireglement'] },
  settled_date: date('settleddate', 'settlementdate', 'paiddate', 'datepaid', 'paymentdate', 'clearingdate', 'cleareddate', 'datereglement', 'datedereglement', 'datepaiement', 'datedepaiement', 'dateencaissement', 'datesolde', 'augdt'),
  paid_amount: amount('paidamount', 'amountpaid', 'paymentamount', 'settledamount', 'montantregle', 'montantpaye', 'montantencaisse', 'regle', 'reglement'),
  // open balance of the item at the export date: the file is a list of open items, not a history
  open_amount: amount('openbalance', 'outstandingamount', 'amountresidual', 'residual', 'amountdue', 'balance', 'due', 'openamount', 'remainingamount', 'amountopen', 'amountremaining', 'remainingbalance', 'balancedue', 'outstandingbalance', 'soldeouvert', 'resteapayer', 'montantrestant', 'montantrestantdu', 'restedu', 'restantdu', 'solderestant', 'solderestantdu', 'soldedu', 'soldettc', 'montantouvert', 'montantdu', 'montantnonregle', 'solde'),
  // SAP: debit/credit indicator (S/H), baseline date and the three terms (net due = baseline + the last set)
  debit_credit: text('shkzg', 'debitcredit', 'debitcreditindicator', 'dc', 'sens'),
  baseline_date: date('zfbdt', 'baselinedate', 'baselinepaymentdate'),
  terms1_days: { kind: 'int', synonyms: ['zbd1t', 'cashdiscountdays1', 'days1'] },
  terms2_days: { kind: 'int', synonyms: ['zbd2t', 'cashdiscountdays2', 'days2'] },
  terms3_days: { kind: 'int', synonyms: ['zbd3t', 'netpaymentterms', 'netdays'] },
  disputed: { kind: 'flag', synonyms: ['disputed', 'dispute', 'indispute', 'disputeflag', 'litige', 'enlitige', 'litigieux', 'contestation', 'conteste'] },
  dispute_reason: text('disputereason', 'reason', 'motif', 'motiflitige', 'raison', 'reasoncode'),
  status: text('status', 'statut', 'etat', 'customerstatus'),
  credit_limit: amount('creditlimit', 'creditline', 'limit', 'limitedecredit', 'encoursautorise', 'plafond', 'encoursmax', 'plafondencours'),
  valid_from: date('validfrom', 'startdate', 'effectivedate', 'datedebut', 'valablea', 'depuis'),
  valid_to: date('validto', 'enddate', 'expirydate', 'datefin', 'valablejusqua', 'jusqua'),
  payment_id: text('paymentid', 'nreglement', 'noreglement', 'numeroreglement', 'paymentnumber', 'paymentno', 'paymentref', 'receiptid', 'receiptnumber', 'receipt', 'numreglement', 'referencereglement', 'numeroreglement', 'encaissement'),
  payment_date: date('paymentdate', 'receiptdate', 'valuedate', 'datereglement', 'datedereglement', 'datepaiement', 'dateencaissement', 'datevaleur', 'date'),
  method: text('method', 'paymentmethod', 'mode', 'modedereglement', 'modereglement', 'moyendepaiement'),
  dispute_id: text('disputeid', 'disputenumber', 'caseid', 'litigeid', 'numlitige', 'numerolitige'),
  opened_date: date('openeddate', 'opendate', 'dateopened', 'disputedate', 'dateouverture', 'datelitige', 'creationdate'),
  resolved_date: date('resolveddate', 'closeddate', 'dateresolved', 'resolutiondate', 'dateresolution', 'datecloture'),
  owner: text('owner', 'assignee', 'assignedto', 'responsable', 'proprietaire'),
  promise_id: text('promiseid', 'promisenumber', 'ptpid', 'promesseid', 'numpromesse'),
  promised_on: date('promisedon', 'promisemadeon', 'promisedate', 'datepromesse', 'datedelapromesse'),
  promised_date: date('promiseddate', 'promisedpaymentdate', 'paymentpromiseddate', 'ptpdate', 'datepromise', 'datedepaiementpromise', 'datereglementpromise'),
  action_id: text('actionid', 'activityid', 'actionnumber', 'numaction'),
  action_date: date('actiondate', 'activitydate', 'dateaction', 'dateactivite', 'date'),
  action_type: text('actiontype', 'activitytype', 'action', 'typeaction', 'typeactivite', 'niveaurelance', 'relance'),
  channel: text('channel', 'canal', 'medium'),
  automated: { kind: 'flag', synonyms: ['automated', 'automatic', 'auto', 'automatique'] },
  rate_date: date('ratedate', 'date', 'datecours', 'datedecours', 'effectivedate', 'valuedate'),
  to_currency: text('tocurrency', 'to', 'targetcurrency', 'reportingcurrency', 'devisecible', 'versdevise', 'devisedereporting'),
  rate: { kind: 'rate', synonyms: ['rate', 'exchangerate', 'fxrate', 'cours', 'taux', 'tauxdechange', 'coursdechange'] },
  // French FEC (article A47 A-1 du LPF): fixed column names, matched exactly.
  fec_journal: text('journalcode'),
  fec_entry: text('ecriturenum'),
  fec_date: date('ecrituredate'),
  fec_account: text('comptenum'),
  fec_account_label: text('comptelib'),
  fec_aux: text('compauxnum'),
  fec_aux_label: text('compauxlib'),
  fec_piece: text('pieceref'),
  fec_piece_date: date('piecedate'),
  fec_debit: amount('debit'),
  fec_credit: amount('credit'),
  fec_let: text('ecriturelet'),
  fec_let_date: date('datelet'),
  fec_amount: amount('montant'),
  fec_sens: text('sens'),
  // A customer ledger (grand livre clients / grand-livre auxiliaire, a customer account statement):
  // dated lines with debit and credit, lettrage and due dates when the software gives them.
  gl_customer: text('compteauxiliaire', 'compteaux', 'comptetiers', 'tiers', 'codetiers', 'codeclient', 'compteclient', 'numeroclient', 'numclient', 'client', 'compte', 'numcompte', 'numerodecompte', 'account', 'customer', 'customerid', 'customeraccount'),
  gl_customer_name: text('intitule', 'intituletiers', 'intitulecompte', 'intituleducompte', 'nomclient', 'raisonsociale', 'nom', 'libellecompte', 'libelletiers', 'customername', 'accountname', 'name'),
  gl_date: date('date', 'dateecriture', 'datecomptable', 'dateoperation', 'datepiece', 'datemouvement', 'postingdate', 'entrydate', 'transactiondate'),
  gl_journal: text('journal', 'codejournal', 'jnl', 'jal', 'jl', 'journalcode'),
  gl_piece: text('piece', 'numpiece', 'npiece', 'nopiece', 'numerodepiece', 'numeropiece', 'pieceref', 'refpiece', 'reference', 'ref', 'document', 'facture', 'nfacture', 'numfacture'),
  gl_label: text('libelle', 'libelleecriture', 'libelleoperation', 'intituleecriture', 'description', 'label'),
  gl_debit: amount('debit', 'montantdebit', 'mouvementdebit', 'debits', 'debitamount'),
  gl_credit: amount('credit', 'montantcredit', 'mouvementcredit', 'credits', 'creditamount'),
  gl_let: text('lettrage', 'let', 'codelettrage', 'lettre', 'matching', 'matchingnumber'),
  gl_let_date: date('datelettrage', 'datedelettrage', 'datelet'),
  gl_due: date('echeance', 'dateecheance', 'datedecheance', 'duedate'),
  contact_name: text('contactname', 'contactperson', 'nomcontact', 'nomducontact', 'interlocuteur', 'personnecontact'),
  role: text('role', 'jobtitle', 'title', 'fonction', 'poste'),
  email: text('email', 'emailaddress', 'mail', 'courriel', 'adressemail', 'adresseemail', 'adressecourriel', 'contactemail', 'emailcontact'),
  phone: text('phone', 'phonenumber', 'telephone', 'tel', 'mobile', 'portable', 'numerodetelephone', 'contactphone'),
  outcome: text('outcome', 'result', 'resultat', 'issue', 'commentaire', 'comment'),
} as const satisfies Record<string, FieldDef>;

export type FieldKey = keyof typeof FIELDS;
