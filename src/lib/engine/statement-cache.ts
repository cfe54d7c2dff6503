/**
 * The prepared statements of the wasm hosts, kept by their SQL text and reused. A KPI statement
 * prepared afresh each time was bound twice (when prepared, then again when run with its
 * parameters): keeping it saves 2–6 ms a query in duckdb-wasm, a few dozen per overview. DuckDB binds
 * a kept statement again by itself when what it reads has changed (a macro or table replaced).
 * At most `size` are kept; the least recently used is closed first.
 */
export interface Closable {
  close(): unknown;
}

export function statementCache<S extends Closable>(prepare: (sql: string) => Promise<S> | S, size = 64) {
  const kept = new Map<string, S>();
  return {
    /** Runs `run` on the statement of `sql`; a statement that failed is not kept. */
    async use<T>(sql: string, run: (statement: S) => Promise<T> | T): Promise<T> {
      let statement = kept.get(sql);
      if (statement) kept.delete(sql);
      else statement = await prepare(sql);
      try {
        const result = await run(statement);
        kept.set(sql, statement);
        while (kept.size > size) {
          const [oldest, old] = kept.entries().next().value as [string, S];
          kept.delete(oldest);
          await old.close();
        }
        return result;
      } catch (e) {
        await statement.close();
        throw e;
      }
    },
  };
}
