import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../../src/db/database.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

describe('listen', () => {
  let testDb: TestDatabase;
  let sender: pg.Client;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    sender = new pg.Client({ connectionString: testDb.url });
    await sender.connect();
  });
  afterAll(async () => {
    await sender?.end();
    await testDb?.drop();
  });

  it('delivers NOTIFY payloads of its channel only, and again after its connection was killed', async () => {
    const payloads: string[] = [];
    let reconnects = 0;
    const listener = await listen(testDb.url, 'new_mail', (payload) => payloads.push(payload), {
      onReconnect: () => reconnects++,
    });
    try {
      await sender.query(`NOTIFY new_mail, 'one'`);
      await sender.query(`NOTIFY other_channel, 'not for us'`);
      await waitFor(() => payloads.length >= 1);

      // What a server restart or a failover looks like from here.
      await sender.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN "new_mail"'`);
      await waitFor(() => reconnects === 1);
      await sender.query(`NOTIFY new_mail, 'two'`);
      await waitFor(() => payloads.length >= 2);
      expect(payloads).toEqual(['one', 'two']);
    } finally {
      await listener.close();
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
