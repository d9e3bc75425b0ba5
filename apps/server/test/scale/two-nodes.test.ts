// Two Letterbox nodes on one database behave as one (DESIGN invariant 7, issue 7): migrations run
// once, SMTP to either, API and IMAP on either see everything, IMAP IDLE and API waits on A are
// woken by deliveries on B, fault rules made on A act on B, retention runs on one node at a time.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultConfig } from '../../src/config.ts';
import { pruneRetention, RETENTION_LOCK_KEY } from '../../src/domain/messages/prune-retention.ts';
import { startLetterbox, type RunningLetterbox } from '../../src/letterbox.ts';
import { createEmptyDatabase, type TestDatabase } from '../helpers/database.ts';
import { imapFlow } from '../imap/support/imap-letterbox.ts';

let database: TestDatabase;
let db: pg.Pool;
let a: RunningLetterbox;
let b: RunningLetterbox;
const dataDirs: string[] = [];

async function startNode(): Promise<RunningLetterbox> {
  const dataDir = await mkdtemp(join(tmpdir(), 'letterbox-two-nodes-'));
  dataDirs.push(dataDir);
  return startLetterbox({
    ...defaultConfig(), host: '127.0.0.1', smtpPort: 0, imapPort: 0, imapsPort: 0, httpPort: 0,
    databaseUrl: database.url, dataDir, logLevel: 'silent',
  });
}

beforeAll(async () => {
  database = await createEmptyDatabase();
  // Both start at once on a database without any table: one applies the migrations, the other waits.
  [a, b] = await Promise.all([startNode(), startNode()]);
  db = new pg.Pool({ connectionString: database.url, max: 4 });
  db.on('error', () => {});
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await db?.end();
  await database?.drop();
  for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
});

async function send(node: RunningLetterbox, to: string, subject: string): Promise<void> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: node.smtpPort, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail({ from: 'app@two.test', to, subject, text: 'hi' });
  } finally {
    transport.close();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies under test
async function api(node: RunningLetterbox, path: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(`http://127.0.0.1:${node.httpPort}/api/v1${path}`, init);
  return { status: response.status, body: await response.json() };
}

describe('two nodes on one database', () => {
  it('applied each migration exactly once', async () => {
    const rows = await db.query<{ migration_name: string; n: number; finished: number }>(
      `SELECT migration_name, count(*)::int AS n, count(finished_at)::int AS finished FROM _prisma_migrations GROUP BY 1 ORDER BY 1`,
    );
    expect(rows.rows.length).toBeGreaterThan(0);
    for (const row of rows.rows) expect(row).toMatchObject({ n: 1, finished: 1 });
  });

  it('SMTP to either node; the API on either node sees both messages', async () => {
    await send(a, 'x@two.test', 'via A');
    await send(b, 'y@two.test', 'via B');
    for (const node of [a, b]) {
      const list = await api(node, '/messages?limit=50');
      expect(list.status).toBe(200);
      expect(list.body.messages.map((m: { subject: string }) => m.subject).sort()).toEqual(['via A', 'via B']);
    }
  });

  it('IMAP on either node sees mail delivered through the other', async () => {
    for (const [node, user, subject] of [[a, 'y@two.test', 'via B'], [b, 'x@two.test', 'via A']] as const) {
      const client = imapFlow(node.imapPort, user);
      await client.connect();
      try {
        await client.mailboxOpen('INBOX');
        const messages = [];
        for await (const m of client.fetch('1:*', { envelope: true })) messages.push(m.envelope?.subject);
        expect(messages).toEqual([subject]);
      } finally {
        await client.logout();
      }
    }
  });

  it('IMAP IDLE on A is woken by a delivery on B', async () => {
    const client = imapFlow(a.imapPort, 'x@two.test');
    await client.connect();
    try {
      await client.mailboxOpen('INBOX');
      const told: number[] = [];
      client.on('exists', (e: { count: number }) => told.push(e.count));
      void client.idle();
      await send(b, 'x@two.test', 'idle wake-up');
      await vi.waitFor(() => expect(told).toContain(2), { timeout: 20_000, interval: 20 });
    } finally {
      await client.logout();
    }
  });

  it('a wait on A is answered by a delivery on B', async () => {
    const waiting = api(a, '/messages/wait?to=w@two.test&timeout=20000');
    await vi.waitFor(() => expect(a.http.waiterCount()).toBe(1), { timeout: 10_000, interval: 10 });
    await send(b, 'w@two.test', 'wait wake-up');
    const result = await waiting;
    expect(result.status).toBe(200);
    expect(result.body.messages.map((m: { subject: string }) => m.subject)).toEqual(['wait wake-up']);
  });

  it('a fault rule created on A acts on B, and deleting it on B lifts it on A', async () => {
    const created = await api(a, '/fault-rules', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ stage: 'rcpt_to', reply: { code: 450 } }),
    });
    expect(created.status).toBe(201);
    // B learns about it through NOTIFY, not by querying per message: wait for that to arrive.
    await vi.waitFor(async () => expect(send(b, 'f@two.test', 'faulted')).rejects.toMatchObject({ responseCode: 450 }), { timeout: 10_000, interval: 50 });
    expect((await api(b, `/fault-rules/${created.body.id}`, { method: 'DELETE' })).status).toBe(200);
    await vi.waitFor(() => send(a, 'f@two.test', 'after the rule'), { timeout: 10_000, interval: 50 });
    const stored = await db.query(`SELECT 1 FROM messages WHERE 'f@two.test' = ANY("rcptTo")`);
    expect(stored.rowCount).toBe(1);
  });

  it('retention runs on one node at a time (advisory lock) and expunges each message once', async () => {
    const policy = { maxMessages: 2, maxAgeMs: null };
    const holder = await db.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [RETENTION_LOCK_KEY]);
      // Another node "is running retention": neither node sweeps.
      expect(await Promise.all([pruneRetention(a.database.pool, policy), pruneRetention(b.database.pool, policy)])).toEqual([null, null]);
    } finally {
      await holder.query('SELECT pg_advisory_unlock($1)', [RETENTION_LOCK_KEY]);
      holder.release();
    }
    const live = async () => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE "deletedAt" IS NULL`)).rows[0]!.n;
    const before = await live();
    expect(before).toBeGreaterThan(2);
    const results = await Promise.all([pruneRetention(a.database.pool, policy), pruneRetention(b.database.pool, policy)]);
    const expunged = results.reduce((n, r) => n + (r?.expunged ?? 0), 0);
    expect(expunged).toBe(before - 2);
    expect(await live()).toBe(2);
    const liveEntries = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM mailbox_messages e JOIN messages m ON m.id = e."messageId" WHERE e."expungedModseq" IS NULL AND m."deletedAt" IS NOT NULL`,
    );
    expect(liveEntries.rows[0]!.n).toBe(0);
  });
});
