// Rows written to PostgreSQL with `COPY … FROM STDIN (FORMAT binary)`. Against a multi-row INSERT
// this skips, per value, node-pg's text serialisation and PostgreSQL's parse of that text, and
// lets PostgreSQL insert the rows in page-sized groups (one WAL record per heap page).
//
// BinaryRowsWriter encodes the rows straight into a CopyData message; copyIn writes that message
// to the connection's socket as it is, right behind the statement (node-pg's own sendCopyFromChunk
// would copy the whole batch, several MB of raw messages, into a buffer of its own first).
import type pg from 'pg';

/** Element type OID of text[] (pg_type.oid of text): binary arrays name their element type. */
const TEXT_OID = 25;
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const TRAILER = -1;
/** CopyData: message type byte 'd', then the message length (itself included) as an int32. */
const COPY_DATA = 0x64;
const MESSAGE_HEADER_BYTES = 5;
/** Microseconds from 1970-01-01 (JavaScript's epoch) to 2000-01-01 (PostgreSQL's). */
const POSTGRES_EPOCH_US = 946_684_800_000_000n;

/**
 * Fields in PostgreSQL's binary receive formats. Sizes are measured first (measure*), so the
 * buffer is allocated once and written without growing.
 */
export class BinaryRowsWriter {
  private readonly buffer: Buffer;
  private at = 0;

  /** `bytes`: the exact size of the rows' fields as summed by the measure* helpers. */
  constructor(rows: number, bytes: number) {
    this.buffer = Buffer.allocUnsafe(MESSAGE_HEADER_BYTES + SIGNATURE.length + 8 + rows * 2 + bytes + 2);
    this.at = MESSAGE_HEADER_BYTES;
    this.at += SIGNATURE.copy(this.buffer, this.at);
    this.at = this.buffer.writeInt32BE(0, this.at); // flags
    this.at = this.buffer.writeInt32BE(0, this.at); // header extension length
  }

  row(fields: number): this {
    this.at = this.buffer.writeInt16BE(fields, this.at);
    return this;
  }

  null(): this {
    this.at = this.buffer.writeInt32BE(-1, this.at);
    return this;
  }

  int8(value: bigint): this {
    this.at = this.buffer.writeInt32BE(8, this.at);
    this.at = this.buffer.writeBigInt64BE(value, this.at);
    return this;
  }

  int4(value: number): this {
    this.at = this.buffer.writeInt32BE(4, this.at);
    this.at = this.buffer.writeInt32BE(value, this.at);
    return this;
  }

  bool(value: boolean): this {
    this.at = this.buffer.writeInt32BE(1, this.at);
    this.buffer[this.at++] = value ? 1 : 0;
    return this;
  }

  bytea(value: Buffer): this {
    this.at = this.buffer.writeInt32BE(value.length, this.at);
    this.at += value.copy(this.buffer, this.at);
    return this;
  }

  /** text (or char(n), varchar): UTF-8; the caller has removed NUL characters. */
  text(value: string | null): this {
    if (value === null) return this.null();
    const length = this.buffer.write(value, this.at + 4, 'utf8');
    this.at = this.buffer.writeInt32BE(length, this.at);
    this.at += length;
    return this;
  }

  /** timestamptz: microseconds since 2000-01-01 UTC. */
  timestamptz(value: Date): this {
    this.at = this.buffer.writeInt32BE(8, this.at);
    this.at = this.buffer.writeBigInt64BE(BigInt(value.getTime()) * 1000n - POSTGRES_EPOCH_US, this.at);
    return this;
  }

  /** A one-dimensional text[] without NULL elements. */
  textArray(values: readonly string[]): this {
    const start = this.at;
    this.at += 4; // size, written last
    if (values.length === 0) {
      this.at = this.buffer.writeInt32BE(0, this.at); // dimensions
      this.at = this.buffer.writeInt32BE(0, this.at); // has nulls
      this.at = this.buffer.writeInt32BE(TEXT_OID, this.at);
    } else {
      this.at = this.buffer.writeInt32BE(1, this.at);
      this.at = this.buffer.writeInt32BE(0, this.at);
      this.at = this.buffer.writeInt32BE(TEXT_OID, this.at);
      this.at = this.buffer.writeInt32BE(values.length, this.at);
      this.at = this.buffer.writeInt32BE(1, this.at); // lower bound
      for (const value of values) this.text(value);
    }
    this.buffer.writeInt32BE(this.at - start - 4, start);
    return this;
  }

  /** The rows with the trailer, as one CopyData protocol message; the writer must not be used afterwards. */
  finish(): CopyDataMessage {
    this.at = this.buffer.writeInt16BE(TRAILER, this.at);
    if (this.at !== this.buffer.length) throw new Error(`binary COPY rows measured ${this.buffer.length} bytes, wrote ${this.at}`);
    this.buffer[0] = COPY_DATA;
    this.buffer.writeInt32BE(this.buffer.length - 1, 1);
    return { frame: this.buffer };
  }
}

/** Bytes a field takes in BinaryRowsWriter (its 4-byte length included). */
export const measure = {
  null: 4,
  int8: 12,
  int4: 8,
  bool: 5,
  timestamptz: 12,
  bytea: (value: Buffer): number => 4 + value.length,
  text: (value: string | null): number => (value === null ? 4 : 4 + Buffer.byteLength(value, 'utf8')),
  textArray: (values: readonly string[]): number => {
    let bytes = 4 + 12;
    if (values.length > 0) bytes += 8;
    for (const value of values) bytes += 4 + Buffer.byteLength(value, 'utf8');
    return bytes;
  },
};

/** A complete CopyData message (from BinaryRowsWriter.finish). */
export interface CopyDataMessage {
  frame: Buffer;
}

/** Runs `copyStatement` (a `COPY … FROM STDIN (FORMAT binary)`) with `data` as its input. */
export function copyIn(client: pg.ClientBase, copyStatement: string, data: CopyDataMessage): Promise<number> {
  return new Promise((resolve, reject) => {
    (client as unknown as { query(submittable: BinaryCopyIn): void }).query(
      new BinaryCopyIn(copyStatement, data, (error, rows) => (error ? reject(error) : resolve(rows!))),
    );
  });
}

interface CopyConnection {
  query(text: string): void;
  endCopyFrom(): void;
  /** The socket node-pg writes its protocol messages to, in order. */
  stream: { write(chunk: Buffer): boolean };
}

/** A pg "submittable" (see binary-copy.ts) for one COPY FROM STDIN with its data. */
class BinaryCopyIn {
  private rows = 0;
  private done = false;

  constructor(
    readonly text: string,
    private readonly data: CopyDataMessage,
    private readonly callback: (error: Error | null, rows?: number) => void,
  ) {}

  /**
   * The data goes out right behind the statement instead of after PostgreSQL's CopyInResponse,
   * saving a round trip. The protocol allows it: if the COPY fails, before or during the data,
   * the server answers ErrorResponse and ReadyForQuery and drops every CopyData and CopyDone
   * that follows (protocol-flow.html, "COPY Operations").
   */
  submit(connection: CopyConnection): void {
    connection.query(this.text);
    connection.stream.write(this.data.frame);
    connection.endCopyFrom();
  }

  handleCopyInResponse(): void {}

  handleCommandComplete(message: { text?: string }): void {
    this.rows = Number(/(\d+)$/.exec(message.text ?? '')?.[1] ?? 0);
  }

  handleReadyForQuery(): void {
    this.finish(null, this.rows);
  }

  handleError(error: Error): void {
    this.finish(error);
  }

  private finish(error: Error | null, rows?: number): void {
    if (this.done) return;
    this.done = true;
    this.callback(error, rows);
  }
}
