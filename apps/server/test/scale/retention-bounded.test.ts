// Retention keeps the store bounded for unlimited never-seen addresses: once an address's mail is
// gone, its account (and INBOX, if something filled one) go too (unless someone logged in to it
// over IMAP), and a delivery racing that removal keeps its account and reaches its INBOX.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { pruneRetention, startRetention, type RetentionRunner } from '../../src/domain/messages/prune-retention.ts';
import { createLogger } from '../../src/logger.ts';
import { imapFlow } from '../imap/support/imap-letterbox.ts';
import { dataPayload, RawSmtpClient } from '../smtp/support/raw-smtp-client.ts';
import { inboxMessageIds, startTestLetterbox, type TestLetterbox } from '../smtp/support/test-letterbox.ts';

let server: TestLetterbox;
beforeAll(async () => {
  server = await startTestLetterbox();
});
afterAll(async () => {
  await server?.stop();
});

/** One message per address, in order; returns the stored ids. */
async function deliver(addresses: string[]): Promise<string[]> {
  const { client } = await RawSmtpClient.connect(server.letterbox.smtpPort);
  await client.command('EHLO bounded.test');
  const ids: string[] = [];
  for (const to of addresses) {
    await client.command('MAIL FROM:<s@bounded.test>');
    await client.command(`RCPT TO:<${to}>`);
    await client.command('DATA');
    client.write(dataPayload(`Subject: to ${to}\r\n\r\nx\r\n`));
    ids.push(/stored as (\d+)/.exec((await client.read()).text)![1]!);
  }
  await client.quit();
  return ids;
}

async function parserDone(): Promise<void> {
  while ((await server.db.query(`SELECT 1 FROM messages WHERE "parseState" = 'pending' LIMIT 1`)).rowCount !== 0) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const accounts = async () =>
  (await server.db.query<{ address: string }>('SELECT address FROM accounts ORDER BY address')).rows.map((r) => r.address);
const prune = (maxMessages: number) => pruneRetention(server.letterbox.database.pool, { maxMessages, maxAgeMs: null });

describe('retention with unlimited addresses', () => {
  it('removes the accounts and INBOXes it emptied, keeps IMAP users, and a later delivery re-creates them', async () => {
    await deliver(['imap-user@bounded.test']);
    const imap = imapFlow(server.letterbox.imapPort, 'imap-user@bounded.test');
    await imap.connect();
    await imap.logout();
    const addresses = Array.from({ length: 12 }, (_, i) => `u${i}@bounded.test`);
    await deliver(addresses);
    await server.letterbox.catchAllDelivery.whenIdle(); // it creates the recipients' accounts
    await inboxMessageIds(server.db, 'u0@bounded.test'); // u0's INBOX is filled; the others never are
    const oldValidity = (await server.db.query<{ v: number }>(
      `SELECT m."uidValidity" AS v FROM mailboxes m JOIN accounts a ON a.id = m."accountId" WHERE a.address = 'u0@bounded.test'`)).rows[0]!.v;

    expect(await prune(4)).toMatchObject({ expunged: 9 });
    expect(await prune(4)).toMatchObject({ deleted: 9 });
    expect(await accounts()).toEqual(['catchall', 'imap-user@bounded.test', ...addresses.slice(8)].sort());
    expect((await server.db.query('SELECT 1 FROM mailboxes m LEFT JOIN accounts a ON a.id = m."accountId" WHERE a.id IS NULL')).rowCount).toBe(0);

    const [again] = await deliver(['u0@bounded.test']);
    expect(await inboxMessageIds(server.db, 'u0@bounded.test')).toEqual([again]);
    const newValidity = (await server.db.query<{ v: number }>(
      `SELECT m."uidValidity" AS v FROM mailboxes m JOIN accounts a ON a.id = m."accountId" WHERE a.address = 'u0@bounded.test'`)).rows[0]!.v;
    expect(newValidity).toBeGreaterThan(oldValidity);
  });

  it('expunges and purges more than one batch (500) per sweep, then removes those accounts', async () => {
    const addresses = Array.from({ length: 1_300 }, (_, i) => `bulk${i}@bounded.test`);
    await deliver(addresses);
    await server.letterbox.catchAllDelivery.whenIdle();
    // The background parser holds the messages it is parsing FOR UPDATE, which the purge skips
    // (SKIP LOCKED) and which ends its sweep early: let it finish first, this is about batching.
    await parserDone();
    const live = async () => (await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM messages WHERE "deletedAt" IS NULL')).rows[0]!.n;
    expect((await prune(100))!.expunged).toBeGreaterThanOrEqual(1_200);
    expect(await live()).toBe(100);
    expect((await prune(100))!.deleted).toBeGreaterThanOrEqual(1_200);
    const bulkLeft = (await accounts()).filter((a) => a.startsWith('bulk'));
    expect(bulkLeft).toEqual(addresses.slice(1_200).sort());
  });

  it('a delivery racing the removal of its account is stored in its INBOX', async () => {
    const addresses = Array.from({ length: 60 }, (_, i) => `race${i}@bounded.test`);
    await deliver(addresses);
    await prune(1); // expunge all but the newest
    const [, racing] = await Promise.all([prune(1), deliver(addresses)]);
    await server.letterbox.catchAllDelivery.whenIdle();
    expect((await accounts()).filter((a) => a.startsWith('race'))).toEqual([...addresses].sort());
    for (const [i, address] of addresses.entries()) {
      const inbox = await inboxMessageIds(server.db, address);
      expect(inbox).toContain(racing[i]);
    }
  });

  describe('the background runner', () => {
    let runner: RetentionRunner | null = null;
    afterEach(async () => {
      await runner?.stop();
      runner = null;
    });

    it('sweeps again at once while it finds work: expunge, purge and account removal without waiting the interval', async () => {
      const addresses = Array.from({ length: 30 }, (_, i) => `loop${i}@bounded.test`);
      await deliver(addresses);
      await server.letterbox.catchAllDelivery.whenIdle(); // it creates the recipients' accounts
      await parserDone(); // its row locks would make the purge skip rows and the runner rest
      const logged: string[] = [];
      runner = startRetention({
        pool: server.letterbox.database.pool,
        policy: { maxMessages: 10, maxAgeMs: null },
        log: createLogger('info', (line) => logged.push(line)),
        // Only a sweep that follows a busy one can purge what the first one expunged.
        intervalMs: 3_600_000,
      });
      const left = async () => (await accounts()).filter((a) => a.startsWith('loop'));
      await vi.waitFor(async () => expect(await left()).toEqual(addresses.slice(20).sort()), { timeout: 20_000, interval: 100 });
      expect((await server.db.query('SELECT count(*)::int AS n FROM messages')).rows[0]!.n).toBe(10);
      expect(logged.some((line) => /expunged \d+, deleted 0/.test(line))).toBe(true);
      expect(logged.some((line) => /expunged 0, deleted \d+/.test(line))).toBe(true);
    });

    it('stop() returns while the runner rests, without waiting for the interval', async () => {
      runner = startRetention({
        pool: server.letterbox.database.pool,
        policy: { maxMessages: 1_000_000, maxAgeMs: null },
        log: createLogger('silent'),
        intervalMs: 3_600_000,
      });
      // The test's own timeout (vitest default 5 s, far below the interval) is the assertion.
      await runner.stop();
      runner = null;
    });
  });
});
