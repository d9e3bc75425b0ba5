import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

describe('createTestDatabase', () => {
  let first: TestDatabase;
  let second: TestDatabase;
  beforeAll(async () => {
    const started = Date.now();
    first = await createTestDatabase();
    second = await createTestDatabase();
    // Two clones; the brief for the harness is "well under a second" per file.
    expect(Date.now() - started).toBeLessThan(2_000);
  });
  afterAll(async () => {
    await first?.drop();
    await second?.drop();
  });

  it('gives each caller its own migrated database', async () => {
    expect(first.url).not.toBe(second.url);
    await withClient(first.url, (c) => c.query(`INSERT INTO accounts (address) VALUES ('a@example.test')`));
    const counts = await Promise.all(
      [first.url, second.url].map((url) => withClient(url, async (c) => (await c.query('SELECT count(*)::int AS n FROM accounts')).rows[0].n)),
    );
    expect(counts).toEqual([1, 0]);
  });

  it('drop() removes the database even with a connection still open', async () => {
    const extra = await createTestDatabase();
    const client = new pg.Client({ connectionString: extra.url });
    client.on('error', () => {});
    await client.connect();
    await extra.drop();
    await expect(withClient(extra.url, (c) => c.query('SELECT 1'))).rejects.toThrow(/does not exist/);
  });
});

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}
