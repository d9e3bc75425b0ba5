import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pruneRetention, RETENTION_LOCK_KEY } from '../../src/domain/messages/prune-retention.ts';
import { dataPayload, RawSmtpClient } from './support/raw-smtp-client.ts';
import { startTestLetterbox, type TestLetterbox } from './support/test-letterbox.ts';

let server: TestLetterbox;
beforeAll(async () => {
  server = await startTestLetterbox();
});
afterAll(async () => {
  await server?.stop();
});
beforeEach(async () => {
  await server.db.query('DELETE FROM messages');
});

async function deliver(count: number, to = 'keep@rcpt.test'): Promise<string[]> {
  const { client } = await RawSmtpClient.connect(server.letterbox.smtpPort);
  await client.command('EHLO client.test');
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    await client.command('MAIL FROM:<r@sender.test>');
    await client.command(`RCPT TO:<${to}>`);
    await client.command('DATA');
    client.write(dataPayload(`Subject: retention ${i}\r\n\r\nx\r\n`));
    ids.push(/stored as (\d+)/.exec((await client.read()).text)![1]!);
  }
  await client.quit();
  return ids;
}

async function remainingIds(): Promise<string[]> {
  return (await server.db.query<{ id: string }>('SELECT id FROM messages ORDER BY id')).rows.map((r) => r.id);
}

describe('retention', () => {
  it('by count: expunges the oldest beyond the limit (tombstones, modseq bump), then deletes them', async () => {
    const ids = await deliver(5);
    await server.letterbox.catchAllDelivery.whenIdle(); // the catch-all INBOX holds all five
    const before = await server.db.query<{ m: string }>(`SELECT max("highestModseq") AS m FROM mailboxes`);

    const first = await pruneRetention(server.letterbox.database.pool, { maxMessages: 2, maxAgeMs: null });
    expect(first).toEqual({ expunged: 3, deleted: 0 });
    const tombstones = await server.db.query<{ messageId: string; expungedModseq: string | null }>(
      'SELECT "messageId", "expungedModseq" FROM mailbox_messages ORDER BY "messageId"',
    );
    const expungedIds = [...new Set(tombstones.rows.filter((r) => r.expungedModseq !== null).map((r) => r.messageId))];
    expect(expungedIds).toEqual(ids.slice(0, 3));
    const after = await server.db.query<{ m: string }>(`SELECT max("highestModseq") AS m FROM mailboxes`);
    expect(BigInt(after.rows[0]!.m)).toBeGreaterThan(BigInt(before.rows[0]!.m));

    const second = await pruneRetention(server.letterbox.database.pool, { maxMessages: 2, maxAgeMs: null });
    expect(second).toEqual({ expunged: 0, deleted: 3 });
    expect(await remainingIds()).toEqual(ids.slice(3));
  });

  it('by age: removes only messages older than the limit', async () => {
    const ids = await deliver(4);
    await server.db.query(`UPDATE messages SET "receivedAt" = now() - interval '3 days' WHERE id = ANY($1::bigint[])`, [ids.slice(0, 2)]);
    const policy = { maxMessages: null, maxAgeMs: 2 * 86_400_000 };
    expect(await pruneRetention(server.letterbox.database.pool, policy)).toEqual({ expunged: 2, deleted: 0 });
    expect(await pruneRetention(server.letterbox.database.pool, policy)).toEqual({ expunged: 0, deleted: 2 });
    expect(await remainingIds()).toEqual(ids.slice(2));
  });

  it('runs on one node at a time: a sweep skips while another holds the lock', async () => {
    await deliver(3);
    const other = new pg.Client({ connectionString: server.url });
    await other.connect();
    await other.query('SELECT pg_advisory_lock($1)', [RETENTION_LOCK_KEY]);
    expect(await pruneRetention(server.letterbox.database.pool, { maxMessages: 1, maxAgeMs: null })).toBeNull();
    await other.end();
    expect(await pruneRetention(server.letterbox.database.pool, { maxMessages: 1, maxAgeMs: null })).toEqual({ expunged: 2, deleted: 0 });
  });

  it('keeps accepting mail while it prunes', async () => {
    await deliver(20);
    const [pruned, delivered] = await Promise.all([
      pruneRetention(server.letterbox.database.pool, { maxMessages: 5, maxAgeMs: null }),
      deliver(5, 'new@rcpt.test'),
    ]);
    expect(pruned!.expunged).toBeGreaterThanOrEqual(15);
    expect(delivered).toHaveLength(5);
  });
});
