/** The tables of schema.sql, by role: the ledger itself, and the log of what each import did. */
export const CANONICAL_TABLES = ['customers', 'credit_limits', 'contacts', 'fx_rates', 'invoices', 'payments', 'disputes', 'promises', 'actions'] as const;
export type CanonicalTable = (typeof CANONICAL_TABLES)[number];

/** Keyed by `file_name` (the ledger tables by `source_file`). */
export const IMPORT_LOG_TABLES = ['import_files', 'import_rejects', 'import_warnings'] as const;
