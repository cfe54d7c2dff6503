-- Encours canonical receivables model.
-- Every importer maps its input onto these tables; nothing downstream knows the file format.
-- Money is DECIMAL(18,2): exact inside DuckDB, converted to DOUBLE only when leaving it.
-- Uniqueness (invoice_id, customer_id, ...) is enforced by the importer, which rejects and lists
-- duplicates, rather than by PRIMARY KEY constraints: an ART index per table would cost memory at
-- 10M rows and turn a duplicate into an all-or-nothing insert failure.

CREATE TABLE IF NOT EXISTS customers (
  customer_id        VARCHAR NOT NULL,
  customer_name      VARCHAR,
  entity             VARCHAR,
  division           VARCHAR,
  salesperson        VARCHAR,
  collector          VARCHAR,
  category           VARCHAR,
  country            VARCHAR,
  currency           VARCHAR,
  payment_terms_days INTEGER,
  status             VARCHAR,          -- active | collection | litigation | closed
  source_file        VARCHAR,
  source_row         BIGINT
);

CREATE TABLE IF NOT EXISTS invoices (
  invoice_id         VARCHAR NOT NULL,
  customer_id        VARCHAR NOT NULL,
  invoice_date       DATE NOT NULL,
  due_date           DATE NOT NULL,
  amount             DECIMAL(18,2) NOT NULL,  -- gross amount; negative = credit note
  currency           VARCHAR NOT NULL,
  document_type      VARCHAR NOT NULL,        -- invoice | credit_note
  entity             VARCHAR,
  division           VARCHAR,
  salesperson        VARCHAR,
  collector          VARCHAR,
  category           VARCHAR,
  country            VARCHAR,
  reference          VARCHAR,
  channel            VARCHAR,                 -- how the invoice was sent (paper, e-mail, EDI, portal…), when the file says
  source_file        VARCHAR,
  source_row         BIGINT
);

-- One row per allocation: a receipt split over three invoices is three rows with one payment_id.
CREATE TABLE IF NOT EXISTS payments (
  payment_id         VARCHAR NOT NULL,
  customer_id        VARCHAR,
  invoice_id         VARCHAR,                 -- NULL = unapplied cash
  payment_date       DATE NOT NULL,
  amount             DECIMAL(18,2) NOT NULL,
  currency           VARCHAR,
  method             VARCHAR,
  source_file        VARCHAR,
  source_row         BIGINT
);

CREATE TABLE IF NOT EXISTS disputes (
  dispute_id         VARCHAR NOT NULL,
  invoice_id         VARCHAR,
  customer_id        VARCHAR,
  opened_date        DATE NOT NULL,
  resolved_date      DATE,                    -- NULL = still open
  reason             VARCHAR,
  status             VARCHAR,
  owner              VARCHAR,
  amount             DECIMAL(18,2),           -- disputed amount; NULL = the whole invoice
  source_file        VARCHAR,
  source_row         BIGINT
);

CREATE TABLE IF NOT EXISTS promises (
  promise_id         VARCHAR NOT NULL,
  customer_id        VARCHAR NOT NULL,
  invoice_id         VARCHAR,
  promised_on        DATE NOT NULL,           -- when the customer made the promise
  promised_date      DATE NOT NULL,           -- when the customer said the cash would arrive
  amount             DECIMAL(18,2),
  status             VARCHAR,                 -- open | kept | broken (as recorded; KPIs recompute it)
  source_file        VARCHAR,
  source_row         BIGINT
);

CREATE TABLE IF NOT EXISTS actions (
  action_id          VARCHAR NOT NULL,
  customer_id        VARCHAR NOT NULL,
  invoice_id         VARCHAR,
  action_date        DATE NOT NULL,
  action_type        VARCHAR NOT NULL,        -- reminder | call | email | letter | formal_notice | litigation | ...
  channel            VARCHAR,
  collector          VARCHAR,
  automated          BOOLEAN,
  outcome            VARCHAR,
  source_file        VARCHAR,
  source_row         BIGINT
);

CREATE TABLE IF NOT EXISTS credit_limits (
  customer_id        VARCHAR NOT NULL,
  credit_limit       DECIMAL(18,2) NOT NULL,
  currency           VARCHAR,
  valid_from         DATE,
  valid_to           DATE,
  source_file        VARCHAR,
  source_row         BIGINT
);

-- Who to write to or call at a customer: from a contacts file, a customers file's e-mail/phone
-- columns, or recorded in the app. Several per customer.
CREATE TABLE IF NOT EXISTS contacts (
  customer_id        VARCHAR NOT NULL,
  contact_name       VARCHAR,
  role               VARCHAR,
  email              VARCHAR,
  phone              VARCHAR,
  source_file        VARCHAR,
  source_row         BIGINT
);

-- Exchange rates: 1 unit of from_currency = rate units of to_currency, from rate_date on.
CREATE TABLE IF NOT EXISTS fx_rates (
  rate_date          DATE NOT NULL,
  from_currency      VARCHAR NOT NULL,
  to_currency        VARCHAR NOT NULL,
  rate               DECIMAL(18,8) NOT NULL,
  source_file        VARCHAR,
  source_row         BIGINT
);

-- What each import read, kept, rejected: the reconciliation the user sees.
CREATE TABLE IF NOT EXISTS import_files (
  file_name          VARCHAR NOT NULL,
  layout             VARCHAR NOT NULL,
  target_table       VARCHAR NOT NULL,
  rows_read          BIGINT NOT NULL,
  rows_imported      BIGINT NOT NULL,
  rows_rejected      BIGINT NOT NULL,
  amount_read        DECIMAL(18,2),
  amount_imported    DECIMAL(18,2),
  amount_rejected    DECIMAL(18,2),
  detected           VARCHAR,                 -- JSON: delimiter, date format, mapping, notes
  imported_at        TIMESTAMP DEFAULT current_timestamp
);

CREATE TABLE IF NOT EXISTS import_rejects (
  file_name          VARCHAR NOT NULL,
  row_number         BIGINT,                  -- 1 = first data row
  line               BIGINT,                  -- line in the file (header = 1)
  column_name        VARCHAR,                 -- the file's own header, not ours
  value              VARCHAR,
  reason             VARCHAR NOT NULL,        -- a code; the UI words it in French or English
  detail             VARCHAR                  -- e.g. the date format expected, the first row of a duplicate
);

-- Rows imported, but worth a look: a due date before the invoice date, a date in the future, a
-- payment larger than its invoice (the excess stays as a credit on it), a payment naming an invoice
-- the ledger does not have (kept as unapplied cash). Same columns as import_rejects.
CREATE TABLE IF NOT EXISTS import_warnings AS SELECT * FROM import_rejects LIMIT 0;
