import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { BinaryRowsWriter, copyIn, measure, type CopyDataMessage } from '../../src/db/binary-copy-in.ts';
import { useTestDatabasePool } from '../helpers/database.ts';

const db = useTestDatabasePool(1);

async function withClient(use: (client: pg.PoolClient) => Promise<void>): Promise<void> {
  const client = await db.pool.connect();
  try {
    await use(client);
  } finally {
    client.release();
  }
}

const TABLE = `CREATE TEMP TABLE copied (n int4, big int8, flag bool, data bytea, note text, at timestamptz, tags text[])`;
const COPY = 'COPY copied (n, big, flag, data, note, at, tags) FROM STDIN (FORMAT binary)';

interface Row { n: number; big: bigint; flag: boolean; data: Buffer; note: string | null; at: Date; tags: string[] }

function encode(rows: readonly Row[]): CopyDataMessage {
  let bytes = 0;
  for (const r of rows) {
    bytes += measure.int4 + measure.int8 + measure.bool + measure.bytea(r.data) + measure.text(r.note) + measure.timestamptz + measure.textArray(r.tags);
  }
  const writer = new BinaryRowsWriter(rows.length, bytes);
  for (const r of rows) writer.row(7).int4(r.n).int8(r.big).bool(r.flag).bytea(r.data).text(r.note).timestamptz(r.at).textArray(r.tags);
  return writer.finish();
}

describe('copyIn with BinaryRowsWriter', () => {
  it('stores every field type as given: NULL, multi-byte text, every byte value, empty arrays', () => withClient(async (client) => {
    await client.query(`DROP TABLE IF EXISTS copied; ${TABLE}`);
    const rows: Row[] = [
      { n: -7, big: 9007199254740993n, flag: true, data: Buffer.from(Array.from({ length: 256 }, (_, i) => i)), note: 'caf\u00e9 \u7528\u6237 \u{1F600}', at: new Date(Date.UTC(1999, 11, 31, 23, 59, 59, 123)), tags: ['\\Seen', 'a"b', '\u00e9'] },
      { n: 2147483647, big: -1n, flag: false, data: Buffer.alloc(0), note: null, at: new Date(Date.UTC(2038, 0, 19, 3, 14, 8, 1)), tags: [] },
    ];
    expect(await copyIn(client, COPY, encode(rows))).toBe(2);
    const stored = await client.query<{ n: number; big: string; flag: boolean; data: Buffer; note: string | null; at: Date; tags: string[] }>(
      'SELECT n, big::text AS big, flag, data, note, at, tags FROM copied ORDER BY n',
    );
    expect(stored.rows.map((r) => ({ ...r, big: BigInt(r.big), data: [...r.data] }))).toEqual(rows.map((r) => ({ ...r, data: [...r.data] })));
    // Arrays are 1-based, as SQL's own ARRAY[...] makes them.
    expect((await client.query('SELECT array_lower(tags, 1) AS lower FROM copied WHERE n = -7')).rows).toEqual([{ lower: 1 }]);
  }));

  it('rejects with the server error when the statement fails before any data, and the data sent behind it is dropped', () => withClient(async (client) => {
    const data = encode([{ n: 1, big: 1n, flag: true, data: Buffer.from('x'), note: 'x', at: new Date(), tags: [] }]);
    await expect(copyIn(client, 'COPY no_such_table FROM STDIN (FORMAT binary)', data)).rejects.toMatchObject({ code: '42P01' });
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  }));

  it('rejects a row the table refuses, stores none of the rows, and leaves the connection usable', () => withClient(async (client) => {
    await client.query(`DROP TABLE IF EXISTS copied; ${TABLE.replace('note text', 'note varchar(3)')}`);
    const rows: Row[] = [
      { n: 1, big: 1n, flag: true, data: Buffer.from('a'), note: 'ok', at: new Date(), tags: [] },
      { n: 2, big: 2n, flag: true, data: Buffer.from('b'), note: 'too long', at: new Date(), tags: [] },
    ];
    await expect(copyIn(client, COPY, encode(rows))).rejects.toMatchObject({ code: '22001' });
    expect((await client.query('SELECT count(*)::int AS n FROM copied')).rows).toEqual([{ n: 0 }]);
  }));

  it('refuses to hand over rows whose measured size does not match what was written', () => {
    const writer = new BinaryRowsWriter(1, measure.int4 + 1);
    writer.row(1).int4(5);
    expect(() => writer.finish()).toThrow(/measured/);
  });
});
