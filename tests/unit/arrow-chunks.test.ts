/** An Arrow stream cut into chunks of whole record batches, each a stream DuckDB appends. */
import { describe, expect, it } from 'vitest';
import { ipcChunker, ipcConcat, ipcMessages } from '../../src/lib/workspace/arrow-chunks';
import { freshEngine } from './support/engine';

describe('Arrow stream chunks', () => {
  it('cuts a stream into streams of whole batches that append to the same rows, in order', async () => {
    const engine = await freshEngine();
    if (!engine.exportArrow || !engine.appendArrow) throw new Error('the wasm host exports Arrow');
    await engine.exec(`CREATE TABLE t AS SELECT range::INTEGER AS i, 'x' || range AS s, (range % 7)::DECIMAL(18,2) AS m FROM range(10000)`);
    await engine.exec('CREATE TABLE u AS SELECT * FROM t LIMIT 0');
    const bytes = await engine.exportArrow('SELECT * FROM t');
    const messages = ipcMessages(bytes);
    // a schema, then DuckDB's batches of 2,048 rows: 5 for 10,000 rows
    expect(messages.map((m) => m.type)).toEqual([1, 3, 3, 3, 3, 3]);
    const chunker = ipcChunker(bytes, 2);
    expect(chunker.count).toBe(3);
    for (let k = 0; k < chunker.count; k++) await engine.appendArrow('u', chunker.chunk(k));
    const q = (t: string) => `SELECT count(*)::INTEGER AS n, sum(i)::BIGINT AS si, max(s) AS ms, sum(m)::DOUBLE AS sm, bool_and(i = rn - 1) AS in_order FROM (SELECT *, row_number() OVER () AS rn FROM ${t})`;
    expect(await engine.query(q('u'))).toEqual(await engine.query(q('t')));
    expect((await engine.query<{ in_order: boolean }>(q('u')))[0].in_order).toBe(true);
  });

  it('gives no chunk for no bytes and refuses what is not a whole stream', () => {
    expect(ipcChunker(new Uint8Array(0), 64).count).toBe(0);
    expect(() => ipcChunker(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), 64)).toThrow(/not an Arrow IPC stream/);
    expect(() => ipcMessages(new Uint8Array([0xff, 0xff, 0xff, 0xff, 200, 0, 0, 0, 1, 2]))).toThrow(/truncated/);
  });

  it('joins streams of one schema into one, batches in order, and refuses other schemas', async () => {
    const engine = await freshEngine();
    const { exportArrow, appendArrow } = engine;
    if (!exportArrow || !appendArrow) throw new Error('the wasm host exports Arrow');
    await engine.exec(`CREATE TABLE t AS SELECT range::INTEGER AS i, 'x' || range AS s FROM range(10000)`);
    const whole = await exportArrow('SELECT * FROM t');
    // the chunks of a stream joined again are the stream, to the byte
    const chunker = ipcChunker(whole, 2);
    expect(ipcConcat(Array.from({ length: chunker.count }, (_, k) => chunker.chunk(k)))).toEqual(whole);
    // slices of rows exported one by one, then joined (an empty one adds nothing), read as the table
    const slices: Uint8Array[] = [];
    for (const at of [0, 3000, 6000, 9000, 12000]) slices.push(await exportArrow(`SELECT * FROM t LIMIT 3000 OFFSET ${at}`));
    const joined = ipcConcat(slices);
    expect(ipcMessages(joined).filter((m) => m.type === 3).length).toBeGreaterThan(4);
    await engine.exec('CREATE TABLE u AS SELECT * FROM t LIMIT 0');
    await appendArrow('u', joined);
    expect(await engine.query('SELECT * FROM u')).toEqual(await engine.query('SELECT * FROM t'));
    expect(ipcConcat([])).toEqual(new Uint8Array(0));
    const other = await exportArrow('SELECT i FROM t');
    expect(() => ipcConcat([whole, other])).toThrow(/different schemas/);
  });
});
