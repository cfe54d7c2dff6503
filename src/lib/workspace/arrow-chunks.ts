/**
 * An Arrow IPC stream cut into smaller streams of whole record batches, without decoding them: a
 * reopened workspace appends its late tables a chunk at a time, so that a request of the user's
 * waits for one chunk (tens of milliseconds), not for a whole table (up to a second at 0.9M rows).
 *
 * The stream format (arrow.apache.org/docs/format/Columnar.html, "IPC Streaming Format"): messages,
 * each a 0xFFFFFFFF continuation marker, an int32 metadata length, the flatbuffer `Message` (its
 * `bodyLength` says how many body bytes follow), the body; the schema first, an end marker last.
 */

const CONTINUATION = 0xffffffff;
/** Fields of the flatbuffer `Message` table (Message.fbs: version, header_type, header, bodyLength). */
const HEADER_TYPE_FIELD = 1;
const BODY_LENGTH_FIELD = 3;
/** `MessageHeader` values (Message.fbs). */
const SCHEMA = 1;
const RECORD_BATCH = 3;
const END_OF_STREAM = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);

export interface IpcMessage {
  /** MessageHeader: 1 schema, 2 dictionary batch, 3 record batch… */
  type: number;
  start: number;
  end: number;
}

/** The messages of a stream, by byte range; throws on bytes that are not an Arrow stream. */
export function ipcMessages(bytes: Uint8Array): IpcMessage[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: IpcMessage[] = [];
  let at = 0;
  while (at + 8 <= bytes.length) {
    if (view.getUint32(at, true) !== CONTINUATION) throw new Error(`not an Arrow IPC stream (byte ${at})`);
    const metaLength = view.getInt32(at + 4, true);
    if (metaLength === 0) break; // end of stream
    const meta = at + 8;
    if (metaLength < 0 || meta + metaLength > bytes.length) throw new Error(`truncated Arrow IPC stream (byte ${at})`);
    // the flatbuffer: the root table's offset, then its vtable's (signed, backwards) and the field's slot
    const table = meta + view.getUint32(meta, true);
    const vtable = table - view.getInt32(table, true);
    const vtableLength = view.getUint16(vtable, true);
    // (a field left at its default has no slot, or a zero one)
    const field = (i: number) => (4 + 2 * i < vtableLength ? view.getUint16(vtable + 4 + 2 * i, true) : 0);
    const type = field(HEADER_TYPE_FIELD) ? view.getUint8(table + field(HEADER_TYPE_FIELD)) : 0;
    const bodyLength = field(BODY_LENGTH_FIELD) ? Number(view.getBigInt64(table + field(BODY_LENGTH_FIELD), true)) : 0;
    const end = meta + metaLength + bodyLength;
    if (end > bytes.length) throw new Error(`truncated Arrow IPC stream (byte ${at})`);
    out.push({ type, start: at, end });
    at = end;
  }
  return out;
}

/**
 * The stream as streams of at most `batchesPerChunk` record batches each, every one with the
 * schema in front (an empty stream gives none), made when asked: only one chunk's bytes are copied
 * at a time. Dictionary batches, which DuckDB does not write here, would have to go with every
 * chunk: refused.
 */
export function ipcChunker(bytes: Uint8Array, batchesPerChunk: number): { count: number; chunk: (k: number) => Uint8Array } {
  const parts = schemaAndBatches(bytes, 'cut into chunks');
  if (!parts) return { count: 0, chunk: () => new Uint8Array(0) };
  const { head, batches } = parts;
  return {
    count: Math.ceil(batches.length / batchesPerChunk),
    chunk: (k) => stream(head, [span(bytes, batches.slice(k * batchesPerChunk, (k + 1) * batchesPerChunk))]),
  };
}

/**
 * Streams of the same schema as one stream: the first's schema, every record batch in order, one end
 * marker (a table's image is taken a slice of rows at a time). Refuses streams whose schemas differ.
 */
export function ipcConcat(streams: readonly Uint8Array[]): Uint8Array {
  const parsed = streams.flatMap((bytes) => {
    const parts = schemaAndBatches(bytes, 'joined');
    return parts ? [{ bytes, ...parts }] : [];
  });
  if (!parsed.length) return new Uint8Array(0);
  const schema = parsed[0].head;
  if (parsed.some((s) => !sameBytes(s.head, schema))) throw new Error('Arrow IPC streams of different schemas cannot be joined');
  return stream(schema, parsed.filter((s) => s.batches.length).map((s) => span(s.bytes, s.batches)));
}

/** A stream's schema (its bytes) and record batches; null for no bytes; throws on any other message. */
function schemaAndBatches(bytes: Uint8Array, what: string): { head: Uint8Array; batches: IpcMessage[] } | null {
  const [schema, ...batches] = ipcMessages(bytes);
  if (!schema) return null;
  if (schema.type !== SCHEMA) throw new Error('an Arrow IPC stream starts with its schema');
  if (batches.some((b) => b.type !== RECORD_BATCH)) throw new Error(`only record batches can be ${what}`);
  return { head: bytes.subarray(schema.start, schema.end), batches };
}

/** The bytes of consecutive messages, from the first's start to the last's end. */
function span(bytes: Uint8Array, messages: IpcMessage[]): Uint8Array {
  return bytes.subarray(messages[0].start, messages[messages.length - 1].end);
}

/** A schema, bodies of record batches, the end marker: one stream. */
function stream(head: Uint8Array, bodies: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(head.length + bodies.reduce((a, b) => a + b.length, 0) + END_OF_STREAM.length);
  out.set(head, 0);
  let at = head.length;
  for (const b of bodies) {
    out.set(b, at);
    at += b.length;
  }
  out.set(END_OF_STREAM, at);
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
