// `headerAddresses` (the index behind the to / cc / from filters) is written by the parser; the
// migration that introduced it backfills earlier messages with the same keys.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filterConditions, SqlParams } from '../../../src/domain/messages/message-filter-sql.ts';
import { api, startApiServer, type ApiServer } from '../support/api-server.ts';

const MIGRATION = new URL('../../../../../prisma/migrations/20261122031821_api_header_addresses/migration.sql', import.meta.url);

let server: ApiServer;
let id: string;
beforeAll(async () => {
  server = await startApiServer();
  id = await server.send({ from: 'Ann <Ann@Example.TEST>', to: ['Bob@example.test', 'carl@example.test'], cc: 'Dee@Example.test', subject: 'keys' });
  await api(server.baseUrl, `/api/v1/messages/${id}`); // parsed by now (on demand if needed)
});
afterAll(async () => {
  await server?.stop();
});

const keysOf = async () => (await server.db.query<{ k: string[] }>('SELECT "headerAddresses" AS k FROM messages WHERE id = $1', [id])).rows[0]!.k;

describe('headerAddresses', () => {
  it('holds the lower-cased From, To and Cc addresses with their header', async () => {
    expect(await keysOf()).toEqual(['cc:dee@example.test', 'from:ann@example.test', 'to:bob@example.test', 'to:carl@example.test']);
  });

  it('is what the migration backfills for messages parsed before it', async () => {
    const parsed = await keysOf();
    await server.db.query(`UPDATE messages SET "headerAddresses" = '{}' WHERE id = $1`, [id]);
    const sql = await readFile(MIGRATION, 'utf8');
    await server.db.query(sql.slice(sql.indexOf('-- Hand-written')));
    expect(await keysOf()).toEqual(parsed);
  });

  it('is indexed only where it holds an address, and the filters can still use that index', async () => {
    const index = await server.db.query<{ def: string }>(`SELECT pg_get_indexdef('"messages_headerAddresses_idx"'::regclass) AS def`);
    expect(index.rows[0]!.def).toMatch(/USING gin .*WHERE \(cardinality\("headerAddresses"\) > 0\)/);
    // (The from filter also matches the envelope sender, a condition this index cannot serve.)
    for (const filter of [{ to: 'bob@example.test' }, { cc: 'dee@example.test' }]) {
      const params = new SqlParams();
      // The address condition alone: the live-messages condition could use an index of its own.
      const where = filterConditions(filter, params).filter((c) => c.includes('headerAddresses')).join(' AND ');
      expect(where).not.toBe('');
      const client = await server.db.connect();
      try {
        await client.query('BEGIN');
        await client.query('SET LOCAL enable_seqscan = off');
        const plan = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN SELECT m.id FROM messages m WHERE ${where}`, params.values);
        expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('messages_headerAddresses_idx');
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
    }
  });

  it('backs the to, cc and from filters', async () => {
    for (const query of ['to=BOB@example.test', 'cc=dee@example.test', 'from=ann@EXAMPLE.test']) {
      expect((await api(server.baseUrl, `/api/v1/messages?${query}`)).body.messages.map((m: { id: string }) => m.id)).toEqual([id]);
    }
  });
});
