import { tableFromIPC, tableToIPC, type Table } from 'apache-arrow';
import { arrowCell, type Row } from './sql-engine';

/** Converts an Arrow table from duckdb-wasm into plain rows (see SqlEngine.query). */
export function arrowToRows<T extends object = Row>(table: Table): T[] {
  const fields = table.schema.fields.map((f) => {
    const type = f.type as { scale?: number };
    return { name: f.name, typeName: String(f.type), scale: type.scale ?? 0 };
  });
  const columns = fields.map((f) => table.getChild(f.name));
  const rows: T[] = new Array(table.numRows);
  for (let r = 0; r < table.numRows; r++) {
    const row: Row = {};
    for (let c = 0; c < fields.length; c++) {
      const f = fields[c];
      row[f.name] = arrowCell(columns[c]?.get(r), f.typeName, f.scale);
    }
    rows[r] = row as T;
  }
  return rows;
}

/**
 * DuckDB's result bytes (Arrow IPC file format) as the IPC stream format that duckdb-wasm's Arrow
 * insert reads. (A result Table from duckdb-wasm cannot be re-serialised by apache-arrow: the bytes
 * come out unreadable; going through DuckDB's own bytes avoids that.)
 */
export function fileToStream(bytes: Uint8Array): Uint8Array {
  return tableToIPC(tableFromIPC(bytes), 'stream');
}
