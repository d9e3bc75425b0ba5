import { describe, expect, it } from 'vitest';
import { bigintArrayLiteral, bigintLiteral, decode, intLiteral, selectBinary } from '../../src/db/binary-copy.ts';
import { useTestDatabasePool } from '../helpers/database.ts';

const db = useTestDatabasePool(2);

describe('selectBinary', () => {
  it('decodes each supported type, NULLs included', async () => {
    const rows = await selectBinary(
      db.pool,
      `SELECT * FROM (VALUES
         (1::int4, 9007199254740993::int8, 1.5::float8, true, 'caf\u00e9'::text, ARRAY['\\Seen', 'a"b', NULL, '\u00e9']::text[],
          '{"w": "x", "n": [1]}'::jsonb, '\\x00ff0d0a'::bytea),
         (-7, -1, NULL, false, '', '{}'::text[], NULL, ''::bytea)
       ) v ORDER BY 1 DESC`,
    );
    expect(rows).toHaveLength(2);
    const [a, b] = rows as Buffer[][];
    expect([decode.int4(a![0]!), decode.int8(a![1]!), decode.float8(a![2]!), decode.bool(a![3]!), decode.text(a![4]!)]).toEqual([
      1, '9007199254740993', 1.5, true, 'caf\u00e9',
    ]);
    expect(decode.textArray(a![5]!)).toEqual(['\\Seen', 'a"b', null, '\u00e9']);
    expect(decode.jsonb(a![6]!)).toEqual({ w: 'x', n: [1] });
    expect([...a![7]!]).toEqual([0x00, 0xff, 0x0d, 0x0a]);
    expect([decode.int4(b![0]!), decode.int8(b![1]!), b![2], decode.bool(b![3]!), decode.text(b![4]!)]).toEqual([-7, '-1', null, false, '']);
    expect(decode.textArray(b![5]!)).toEqual([]);
    expect(b![6]).toBeNull();
    expect(b![7]!.length).toBe(0);
  });

  it('returns no rows for an empty result', async () => {
    expect(await selectBinary(db.pool, 'SELECT 1 WHERE false')).toEqual([]);
  });

  it('rejects with the server error and leaves the connection usable; the pool gets its client back', async () => {
    const client = await db.pool.connect();
    try {
      await expect(selectBinary(client, 'SELECT 1 / 0')).rejects.toThrow(/division by zero/);
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      // Inside a transaction, as the parser uses it: the rows it locked are read.
      await client.query('BEGIN');
      const rows = await selectBinary(client, 'SELECT 42::int8');
      await client.query('COMMIT');
      expect(decode.int8(rows[0]![0]!)).toBe('42');
    } finally {
      client.release();
    }
    for (let i = 0; i < 5; i++) await expect(selectBinary(db.pool, 'SELECT 1 / 0')).rejects.toThrow(/division by zero/);
    await selectBinary(db.pool, 'SELECT 1');
    expect(db.pool.totalCount).toBeLessThanOrEqual(2);
    expect(db.pool.idleCount).toBe(db.pool.totalCount);
  });
});

describe('literals', () => {
  it('accept integers only', () => {
    expect(bigintArrayLiteral(['1', '-2', '9223372036854775807'])).toBe("'{1,-2,9223372036854775807}'::bigint[]");
    expect(bigintArrayLiteral([])).toBe("'{}'::bigint[]");
    expect(bigintLiteral('12')).toBe('12::bigint');
    expect(intLiteral(3)).toBe('3');
    expect(() => bigintArrayLiteral(['1', "1}'; DROP TABLE messages; --"])).toThrow(TypeError);
    expect(() => bigintLiteral('1.5')).toThrow(TypeError);
    expect(() => intLiteral(1.5)).toThrow(TypeError);
    expect(() => intLiteral(Number.NaN)).toThrow(TypeError);
  });
});
