/**
 * What the browser host needs to run SQL as DuckDB's pending queries, the only statements
 * duckdb-wasm can stop in the middle (wasm-browser.ts): one statement at a time, and parameters
 * written as typed literals (a prepared statement run with bound values cannot be stopped).
 */
import type { SqlValue } from './sql-engine';

/**
 * The statements of a script, split at the semicolons outside strings, quoted names and comments;
 * statements holding nothing but blanks and comments are left out.
 */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let start = 0;
  let code = false; // whether the statement so far holds more than blanks and comments
  let i = 0;
  const end = (at: number) => {
    if (code) out.push(sql.slice(start, at).trim());
    start = at + 1;
    code = false;
  };
  while (i < sql.length) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      // a string or a quoted name; a doubled quote inside is the quote itself
      let j = i + 1;
      while (j < sql.length && !(sql[j] === c && sql[j + 1] !== c)) j += sql[j] === c ? 2 : 1;
      i = j + 1;
      code = true;
    } else if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? sql.length : close + 2;
    } else if (c === ';') {
      end(i);
      i++;
    } else {
      if (!/\s/.test(c)) code = true;
      i++;
    }
  }
  end(sql.length);
  return out;
}

/**
 * A parameter as a literal of the type duckdb-wasm gives a bound value: text as VARCHAR, every
 * number as DOUBLE (it passes them through JSON), so that `EXECUTE` binds exactly as a prepared
 * statement's run would.
 */
export function sqlLiteral(value: SqlValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`a parameter cannot be ${value}`);
    return `CAST(${String(value)} AS DOUBLE)`;
  }
  return `'${value.replace(/'/g, "''")}'::VARCHAR`;
}

/** The statement that keeps `sql` (with `?` parameters) under `name`, to be run by executeStatement. */
export function prepareStatement(name: string, sql: string): string {
  return `PREPARE ${name} AS ${sql}`;
}

/** The statement that runs the one prepared as `name` with these parameters. */
export function executeStatement(name: string, params: readonly SqlValue[]): string {
  return `EXECUTE ${name}(${params.map(sqlLiteral).join(', ')})`;
}
