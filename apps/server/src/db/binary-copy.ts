// Query results in PostgreSQL's binary format, for reads of raw message octets. In text format a
// bytea travels hex-encoded (PostgreSQL writes 2 bytes per byte, node-pg decodes them again);
// node-pg's own `binary: true` is unusable: pg-protocol 1.16 decodes every DataRow field as UTF-8
// before handing it over, so any byte sequence that is not UTF-8 comes back altered
// (brianc/node-postgres#3495). COPY data, though, reaches the client as untouched bytes: these
// reads run as `COPY (<select>) TO STDOUT (FORMAT binary)` and decode the fields here.
//
// COPY takes no bind parameters: values go into the SQL through the literal helpers below, which
// accept only integers and booleans.
import type pg from 'pg';

/** A row's fields in select-list order: the column's binary send format, null for SQL NULL. */
export type BinaryRow = (Buffer | null)[];

/** Runs `select` through binary COPY on this client or pool and returns its rows. */
export function selectBinary(db: pg.ClientBase | pg.Pool, select: string): Promise<BinaryRow[]> {
  return new Promise((resolve, reject) => {
    // Given a callback, pg (client) and pg-pool (pool, which releases its client in it) set it as
    // the submittable's `callback`.
    const callback: Callback = (error, rows) => (error ? reject(error) : resolve(rows!));
    (db as unknown as { query(submittable: BinaryCopyOut, callback: Callback): void }).query(
      new BinaryCopyOut(`COPY (${select}) TO STDOUT (FORMAT binary)`),
      callback,
    );
  });
}

/** `'{1,2,3}'::bigint[]` for ids as node-pg returns bigint columns (decimal strings). */
export function bigintArrayLiteral(ids: readonly string[]): string {
  for (const id of ids) if (!/^-?\d{1,19}$/.test(id)) throw new TypeError(`not a bigint: ${JSON.stringify(id)}`);
  return `'{${ids.join(',')}}'::bigint[]`;
}

export function bigintLiteral(value: string | number | bigint): string {
  const text = String(value);
  if (!/^-?\d{1,19}$/.test(text)) throw new TypeError(`not a bigint: ${JSON.stringify(text)}`);
  return `${text}::bigint`;
}

export function intLiteral(value: number): string {
  if (!Number.isSafeInteger(value)) throw new TypeError(`not an integer: ${value}`);
  return String(value);
}

export function boolLiteral(value: boolean): string {
  return value ? 'true' : 'false';
}

// Field decoders, one per binary send format (PostgreSQL's *send functions).
export const decode = {
  int4: (field: Buffer): number => field.readInt32BE(0),
  /** As node-pg returns bigint: a decimal string. */
  int8: (field: Buffer): string => field.readBigInt64BE(0).toString(),
  float8: (field: Buffer): number => field.readDoubleBE(0),
  bool: (field: Buffer): boolean => field[0] === 1,
  text: (field: Buffer): string => field.toString('utf8'),
  /** jsonb: a version byte (1), then the JSON text. */
  jsonb: (field: Buffer): unknown => {
    if (field[0] !== 1) throw new Error(`unsupported jsonb binary version ${field[0]}`);
    return JSON.parse(field.toString('utf8', 1));
  },
  /** A one-dimensional text[] (NULL elements are returned as null). */
  textArray: (field: Buffer): (string | null)[] => {
    const dimensions = field.readInt32BE(0);
    if (dimensions === 0) return [];
    if (dimensions !== 1) throw new Error(`unsupported array of ${dimensions} dimensions`);
    const length = field.readInt32BE(12);
    const items: (string | null)[] = new Array(length);
    let at = 20; // dimensions, has-nulls flag, element type, then length and lower bound
    for (let i = 0; i < length; i++) {
      const size = field.readInt32BE(at);
      at += 4;
      if (size === -1) items[i] = null;
      else {
        items[i] = field.toString('utf8', at, at + size);
        at += size;
      }
    }
    return items;
  },
};

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** Signature, flags field, header extension length. */
const HEADER_BYTES = SIGNATURE.length + 4 + 4;

type Callback = (error: Error | null, rows?: BinaryRow[]) => void;

/**
 * A pg "submittable": the client calls submit() when the connection is free and then hands it
 * the protocol messages of this statement. Only a COPY ... TO STDOUT statement is ever sent.
 */
class BinaryCopyOut {
  private readonly rows: BinaryRow[] = [];
  /** Bytes of an incomplete header or row, kept until the next CopyData message completes it. */
  private rest: Buffer | null = null;
  private headerRead = false;
  private trailerRead = false;
  private failure: Error | null = null;
  private done = false;
  /** Set by pg's client.query. */
  callback?: Callback;

  /** `text` is also what pg's query wrappers (the bench's statement timing) show. */
  constructor(readonly text: string) {}

  submit(connection: { query(text: string): void }): void {
    connection.query(this.text);
  }

  handleCopyData(message: { chunk: Buffer }): void {
    if (this.failure) return;
    try {
      this.consume(message.chunk);
    } catch (error) {
      this.failure = error as Error;
    }
  }

  handleCommandComplete(): void {}

  handleReadyForQuery(): void {
    if (!this.failure && (!this.trailerRead || this.rest)) this.failure = new Error('binary COPY ended without its trailer');
    this.finish(this.failure, this.rows);
  }

  /** A server error (the client does not call handleReadyForQuery after it) or a lost connection. */
  handleError(error: Error): void {
    this.finish(error);
  }

  private finish(error: Error | null, rows?: BinaryRow[]): void {
    if (this.done) return;
    this.done = true;
    if (error) this.callback?.(error);
    else this.callback?.(null, rows);
  }

  /**
   * PostgreSQL sends one CopyData message per row (the file header rides with the first), but
   * nothing here relies on it. `chunk` is a view of pg's receive buffer, which is reused once
   * this returns: every field kept is copied out.
   */
  private consume(chunk: Buffer): void {
    const data = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    this.rest = null;
    let at = 0;
    if (!this.headerRead) {
      if (data.length < HEADER_BYTES) {
        this.rest = Buffer.from(data);
        return;
      }
      if (!data.subarray(0, SIGNATURE.length).equals(SIGNATURE)) throw new Error('not a binary COPY stream');
      const extension = data.readInt32BE(SIGNATURE.length + 4);
      if (data.length < HEADER_BYTES + extension) {
        this.rest = Buffer.from(data);
        return;
      }
      at = HEADER_BYTES + extension;
      this.headerRead = true;
    }
    while (at < data.length) {
      if (this.trailerRead) throw new Error('data after the binary COPY trailer');
      if (data.length - at < 2) break;
      const fields = data.readInt16BE(at);
      if (fields === -1) {
        this.trailerRead = true;
        at += 2;
        continue;
      }
      const row: BinaryRow = new Array(fields);
      let p = at + 2;
      let complete = true;
      for (let i = 0; i < fields; i++) {
        if (data.length - p < 4) {
          complete = false;
          break;
        }
        const size = data.readInt32BE(p);
        p += 4;
        if (size === -1) row[i] = null;
        else if (data.length - p < size) {
          complete = false;
          break;
        } else {
          row[i] = Buffer.from(data.subarray(p, p + size));
          p += size;
        }
      }
      if (!complete) break;
      this.rows.push(row);
      at = p;
    }
    if (at < data.length) this.rest = Buffer.from(data.subarray(at));
  }
}
