// Backpressure, never loss (issue 7): while the database cannot commit, SMTP holds its replies;
// when a commit fails it answers 451 and stores nothing; every 250 it sent is in the database.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dataPayload, RawSmtpClient } from '../smtp/support/raw-smtp-client.ts';
import { startTestLetterbox, type TestLetterbox } from '../smtp/support/test-letterbox.ts';

const CONNECTIONS = 5;
const MESSAGES_PER_CONNECTION = 4;

let server: TestLetterbox;
let locker: pg.Client;
beforeAll(async () => {
  server = await startTestLetterbox();
  locker = new pg.Client({ connectionString: server.url });
  await locker.connect();
  // The catch-all INBOX exists after the first delivery; every later transaction locks its row.
  const { client } = await RawSmtpClient.connect(server.letterbox.smtpPort);
  await client.command('EHLO bp.test');
  expect(await sendOne(client, 'warmup')).toBe(250);
  await client.quit();
});
afterAll(async () => {
  await locker?.end();
  await server?.stop();
});

async function sendOne(client: RawSmtpClient, subject: string): Promise<number> {
  client.write(Buffer.concat([
    Buffer.from(`MAIL FROM:<s@bp.test>\r\nRCPT TO:<r@bp.test>\r\nDATA\r\n`),
    dataPayload(`Subject: ${subject}\r\n\r\nbody\r\n`),
  ]));
  const codes = [(await client.read()).code, (await client.read()).code, (await client.read()).code];
  expect(codes.slice(0, 3)).toEqual([250, 250, 354]);
  return (await client.read()).code;
}

/** Sends from several connections; records each message's final reply as it arrives. */
function sendMany(prefix: string, replies: Map<string, number>): Promise<void[]> {
  return Promise.all(Array.from({ length: CONNECTIONS }, async (_, c) => {
    const { client } = await RawSmtpClient.connect(server.letterbox.smtpPort);
    await client.command('EHLO bp.test');
    for (let m = 0; m < MESSAGES_PER_CONNECTION; m++) {
      const subject = `${prefix}-${c}-${m}`;
      replies.set(subject, await sendOne(client, subject));
    }
    await client.quit();
  }));
}

async function storedSubjects(prefix: string): Promise<string[]> {
  const result = await server.db.query<{ subject: string }>(
    `SELECT substring(convert_from(raw, 'UTF8') from 'Subject: ([^\r]*)') AS subject FROM messages
      WHERE convert_from(raw, 'UTF8') LIKE $1 ORDER BY 1`,
    [`%Subject: ${prefix}-%`],
  );
  return result.rows.map((r) => r.subject);
}

/** Holds the delivery counter's row lock, which every ingest transaction takes (store-message-batch.ts). */
async function lockDeliveryCounter(): Promise<void> {
  await locker.query('INSERT INTO delivery_counter (id, last) VALUES (1, 0) ON CONFLICT (id) DO NOTHING');
  await locker.query('BEGIN');
  await locker.query('SELECT last FROM delivery_counter WHERE id = 1 FOR UPDATE');
}

/** Server backends of the test database waiting for a lock (ours blocks them). */
async function blockedBackends(): Promise<number[]> {
  const result = await server.db.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> $1`,
    [(locker as unknown as { processID: number }).processID],
  );
  return result.rows.map((r) => r.pid);
}

describe('when the database falls behind', () => {
  it('holds every 250 until the commit, then acknowledges and stores every message', async () => {
    await lockDeliveryCounter();
    const replies = new Map<string, number>();
    const sending = sendMany('held', replies);
    await vi.waitFor(async () => expect((await blockedBackends()).length).toBeGreaterThan(0), { timeout: 20_000, interval: 20 });
    // Give the other connections time to finish DATA too: they queue behind the blocked commit.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(replies.size).toBe(0);
    expect(await storedSubjects('held')).toEqual([]);

    await locker.query('COMMIT');
    await sending;
    expect([...replies.values()].every((code) => code === 250)).toBe(true);
    expect(replies.size).toBe(CONNECTIONS * MESSAGES_PER_CONNECTION);
    expect(await storedSubjects('held')).toEqual([...replies.keys()].sort());
  });

  it('answers 451 when the commit fails and stores none of those; every 250 is stored', async () => {
    await lockDeliveryCounter();
    const replies = new Map<string, number>();
    let done = false;
    const sending = sendMany('failed', replies).finally(() => (done = true));
    // Kill the blocked transactions (and their retries) until every sender has its answer.
    while (!done) {
      for (const pid of await blockedBackends()) await server.db.query('SELECT pg_terminate_backend($1)', [pid]);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await sending;
    await locker.query('ROLLBACK');
    expect(replies.size).toBe(CONNECTIONS * MESSAGES_PER_CONNECTION);
    expect(new Set(replies.values())).toEqual(new Set([451]));
    expect(await storedSubjects('failed')).toEqual([]);

    // The database is back: the same senders retry and get through.
    const retried = new Map<string, number>();
    await sendMany('failed', retried);
    expect(new Set(retried.values())).toEqual(new Set([250]));
    expect(await storedSubjects('failed')).toEqual([...retried.keys()].sort());
  });
});
