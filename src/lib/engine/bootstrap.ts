/** Creates the canonical tables and every SQL macro, in dependency order, on any host. */
import schema from '../model/schema.sql?raw';
import parse from '../importers/parse.sql?raw';
import ledger from '../kpi/ledger.sql?raw';
import scope from '../kpi/scope.sql?raw';
import balances from '../kpi/balances.sql?raw';
import dso from '../kpi/dso.sql?raw';
import cei from '../kpi/cei.sql?raw';
import paymentBehaviour from '../kpi/payment_behaviour.sql?raw';
import disputes from '../kpi/disputes.sql?raw';
import promises from '../kpi/promises.sql?raw';
import dunning from '../kpi/dunning.sql?raw';
import credit from '../kpi/credit.sql?raw';
import aging from '../kpi/aging.sql?raw';
import series from '../kpi/series.sql?raw';
import provisions from '../kpi/provisions.sql?raw';
import customer from '../kpi/customer.sql?raw';
import forecast from '../kpi/forecast.sql?raw';
import risk from '../kpi/risk.sql?raw';
import worklist from '../kpi/worklist.sql?raw';
import type { SqlEngine } from './sql-engine';
import { SNAPSHOT_TABLES } from '../kpi/snapshots';
import { FX_TABLES } from '../kpi/fx';
import { FORECAST_TABLES } from '../kpi/forecast';
import { SERIES_DAYS_TABLES } from '../kpi/series-days';
import { CANONICAL_TABLES, IMPORT_LOG_TABLES } from '../model/tables';
import { IMAGE_FACT_TABLES } from '../workspace/image-format';

/** In dependency order: each module's macros may call those of the modules before it. */
export const SQL_MODULES = { schema, parse, ledger, scope, balances, dso, cei, paymentBehaviour, disputes, promises, dunning, credit, aging, provisions, series, customer, forecast, risk, worklist } as const;

export async function bootstrap(engine: SqlEngine): Promise<void> {
  await engine.exec('SET autoinstall_known_extensions = false; SET autoload_known_extensions = false;');
  await engine.exec(`SET checkpoint_threshold = '${NO_AUTOMATIC_CHECKPOINT}';`);
  for (const sql of Object.values(SQL_MODULES)) await engine.exec(sql);
  await engine.exec(SET_OPEN_WINDOW);
}

/**
 * DuckDB checkpoints a database by itself once the changes since the last checkpoint pass
 * checkpoint_threshold (16 MB by default), in the statement that passes it. Measured in duckdb-wasm
 * at 0.9M invoices: 0.2–0.3 s added to every fourth change of date (the open items of each date
 * are written), and a ledger committed that way stays uncompressed in memory (678 MiB), while one
 * checkpointed on purpose is compressed (107 MiB; 5 s). So the engine checkpoints only when asked:
 * compactLedger() after an import and, in the worker, while the user rests.
 */
const NO_AUTOMATIC_CHECKPOINT = '1TB';

/** Compresses what was written since the last checkpoint and reclaims the rows deleted. The tables
 *  of an import: 5 s at 0.9M invoices in duckdb-wasm, 678 → 107 MiB; the open items and other
 *  derived tables written since: a few hundred milliseconds. */
export async function compactLedger(engine: SqlEngine): Promise<void> {
  await engine.exec('CHECKPOINT');
}

/**
 * Runs `load` with DuckDB's own checkpoints (see NO_AUTOMATIC_CHECKPOINT): each big table committed
 * is then kept as it was loaded, uncompressed, and the ledger it replaced is reclaimed at once.
 * For a workspace reopened: compressing its ledger would add 5 s at 0.9M invoices to the reopening.
 */
export async function withAutomaticCheckpoints<T>(engine: SqlEngine, load: () => Promise<T>): Promise<T> {
  await engine.exec(`RESET checkpoint_threshold;`);
  try {
    return await load();
  } finally {
    await engine.exec(`SET checkpoint_threshold = '${NO_AUTOMATIC_CHECKPOINT}';`);
  }
}

/** The queries read the open-item window (ledger.sql, open_candidates) from a variable, a constant
 *  when they are planned; it must follow open_window_facts wherever that table changes. */
const SET_OPEN_WINDOW = `SET VARIABLE enc_open_window = (SELECT window_days FROM open_window_facts);`;

/** What is derived from the ledger for requests (open-item snapshots, exchange rates). */
const DERIVED_TABLES = [...SNAPSHOT_TABLES, ...SERIES_DAYS_TABLES, ...FX_TABLES, ...FORECAST_TABLES];

/** The ledger's facts (ledger.sql), rebuilt from the canonical tables in this order (dependency
 *  order: the summary and the currencies last); a workspace keeps them all (image-format.ts). */
export const FACT_TABLES = IMAGE_FACT_TABLES;
/** The facts of side tables, by the table they come from: rebuilt also when only that table changed. */
const SIDE_FACTS: Readonly<Record<string, string>> = { promises: 'promise_facts', disputes: 'dispute_facts', actions: 'action_facts' };

/** A fact table emptied and filled again from its source view. */
const rebuild = (t: string) => `DELETE FROM ${t}; INSERT INTO ${t} SELECT * FROM ${t}_source;`;

/** Drops what was prepared for requests (snapshots at given dates, rates): as after a change of date. */
export async function forgetRequests(engine: SqlEngine): Promise<void> {
  await engine.exec(DERIVED_TABLES.map((t) => `DELETE FROM ${t};`).join('\n'));
}

/** Ledger tables no fact and no open item is built from (the open items come from invoices,
 *  customers and payments only). */
const SIDE_TABLES: ReadonlySet<string> = new Set(['promises', 'disputes', 'actions', 'contacts', 'credit_limits']);

/**
 * Rebuilds the facts and drops what was derived for requests: after any change of the ledger.
 * `written`, when known, names the tables the change wrote to: when they are all side tables (a
 * promise, dispute, action, contact or credit limit recorded), only the summary and the facts of the
 * promises, disputes or actions written are rebuilt and only the forecasts (which read disputes and
 * promises) are dropped —
 * the invoice and allocation facts and the open items already built stay (rebuilding them took 2 s
 * at a million invoices for one recorded promise).
 */
export async function ledgerChanged(engine: SqlEngine, written?: Iterable<string>): Promise<void> {
  const canonical = written && [...written].filter((t) => (CANONICAL_TABLES as readonly string[]).includes(t));
  if (canonical && canonical.every((t) => SIDE_TABLES.has(t))) {
    await engine.exec(
      [
        ...FORECAST_TABLES.map((t) => `DELETE FROM ${t};`),
        ...canonical.filter((t) => SIDE_FACTS[t]).map((t) => rebuild(SIDE_FACTS[t])),
        rebuild('ledger_summary_facts'),
      ].join('\n'),
    );
    return;
  }
  await forgetRequests(engine);
  await engine.exec([...FACT_TABLES.map(rebuild), SET_OPEN_WINDOW].join('\n'));
}

/**
 * After a saved ledger was loaded back with its facts (ledger-image.ts): the facts it held are used
 * as they were saved (built from the same tables); the others are rebuilt, and nothing prepared for
 * requests before is kept.
 */
export async function ledgerRestored(engine: SqlEngine, restored: readonly string[]): Promise<void> {
  const unknown = restored.filter((t) => !(FACT_TABLES as readonly string[]).includes(t));
  if (unknown.length) throw new RangeError(`not facts of the ledger: ${unknown.join(', ')}`);
  await forgetRequests(engine);
  await engine.exec([...FACT_TABLES.filter((t) => !restored.includes(t)).map(rebuild), SET_OPEN_WINDOW].join('\n'));
}

/** Empties the ledger (tables stay, macros stay); the summary then says it is empty. */
export async function clearLedger(engine: SqlEngine): Promise<void> {
  await engine.exec(
    [...CANONICAL_TABLES, ...IMPORT_LOG_TABLES, ...FACT_TABLES, ...DERIVED_TABLES]
      .map((t) => `DELETE FROM ${t};`)
      .join('\n') + `\nINSERT INTO ledger_summary_facts SELECT * FROM ledger_summary_facts_source;\n${SET_OPEN_WINDOW}`,
  );
}
