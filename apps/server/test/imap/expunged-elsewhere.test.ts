// Messages removed outside IMAP (retention and the HTTP API: both tombstone the mailbox entries
// and NOTIFY) reach IMAP clients as EXPUNGE only at a point where IMAP allows it: at once
// for an idling client; for a client between commands, FETCH still answers for the messages it
// knows (frozen data) until a NOOP announces the expunges.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pruneRetention } from '../../src/domain/messages/prune-retention.ts';
import type { RunningLetterbox } from '../../src/letterbox.ts';
import { createImapTestEnv, imapFlow, sendMail, testMessage, type ImapTestEnv } from './support/imap-letterbox.ts';

const USER = 'expunged@example.test';

let env: ImapTestEnv;
let node: RunningLetterbox;

beforeAll(async () => {
  env = await createImapTestEnv();
  node = await env.startNode();
  for (const n of [1, 2, 3]) await sendMail(node, [USER], testMessage(n, USER));
});

afterAll(async () => {
  await env.close();
});

describe('messages removed outside IMAP', () => {
  it('become EXPUNGE at once for an idling client and at the next NOOP for a busy one', async () => {
    const watcher = imapFlow(node.imapPort, USER);
    const reader = imapFlow(node.imapPort, USER, { autoIdle: false });
    await watcher.connect();
    await reader.connect();
    await watcher.mailboxOpen('INBOX');
    await reader.mailboxOpen('INBOX');
    const watcherExpunges: number[] = [];
    const readerExpunges: number[] = [];
    watcher.on('expunge', (e: { seq: number }) => watcherExpunges.push(e.seq));
    reader.on('expunge', (e: { seq: number }) => readerExpunges.push(e.seq));
    void watcher.idle();

    // Keep only the newest message: the two older ones are expunged everywhere.
    const result = await pruneRetention(env.db, { maxMessages: 1, maxAgeMs: null });
    expect(result?.expunged).toBe(2);
    await vi.waitFor(() => expect(watcherExpunges).toEqual([1, 1]), { timeout: 10_000 });

    const frozen: number[] = [];
    for await (const m of reader.fetch('1:*', { uid: true, envelope: true })) frozen.push(m.uid);
    expect(frozen).toEqual([1, 2, 3]);
    expect(readerExpunges).toEqual([]);
    await reader.noop();
    expect(readerExpunges).toEqual([1, 1]);
    const left: number[] = [];
    for await (const m of reader.fetch('1:*', { uid: true })) left.push(m.uid);
    expect(left).toEqual([3]);
    await watcher.logout();
    await reader.logout();
  });

  it('a message deleted through the HTTP API is EXPUNGEd in an idling session', async () => {
    await sendMail(node, [USER], testMessage(4, USER));
    const watcher = imapFlow(node.imapPort, USER);
    await watcher.connect();
    const mailbox = await watcher.mailboxOpen('INBOX');
    expect(mailbox.exists).toBe(2); // UIDs 3 and 4
    const expunges: number[] = [];
    watcher.on('expunge', (e: { seq: number }) => expunges.push(e.seq));
    void watcher.idle();
    const id = await env.db.query<{ id: string }>(
      `SELECT mm."messageId" AS id FROM mailbox_messages mm JOIN mailboxes mb ON mb.id = mm."mailboxId" JOIN accounts a ON a.id = mb."accountId"
        WHERE a.address = $1 AND mb.name = 'INBOX' AND mm.uid = 4`,
      [USER],
    );
    const response = await fetch(`http://127.0.0.1:${node.httpPort}/api/v1/messages/${id.rows[0]!.id}`, { method: 'DELETE' });
    expect(response.status).toBe(200);
    await vi.waitFor(() => expect(expunges).toEqual([2]), { timeout: 10_000 });
    await watcher.logout();
  });

  it('a session that missed the tombstone (purged before its next command) still gets the EXPUNGE', async () => {
    const user = 'purged@example.test';
    for (const n of [11, 12]) await sendMail(node, [user], testMessage(n, user));
    const reader = imapFlow(node.imapPort, user, { autoIdle: false });
    await reader.connect();
    expect((await reader.mailboxOpen('INBOX')).exists).toBe(2);
    const expunges: number[] = [];
    reader.on('expunge', (e: { seq: number }) => expunges.push(e.seq));
    // Keep only the newest message (this user's second): the first is tombstoned, then purged.
    expect((await pruneRetention(env.db, { maxMessages: 1, maxAgeMs: null }))?.expunged).toBeGreaterThan(0);
    expect((await pruneRetention(env.db, { maxMessages: 1, maxAgeMs: null }))?.deleted).toBeGreaterThan(0);
    const entries = await env.db.query<{ uid: number }>(
      `SELECT mm.uid FROM mailbox_messages mm JOIN mailboxes mb ON mb.id = mm."mailboxId" JOIN accounts a ON a.id = mb."accountId"
        WHERE a.address = $1 AND mb.name = 'INBOX' ORDER BY mm.uid`,
      [user],
    );
    expect(entries.rows.map((r) => r.uid)).toEqual([2]); // no tombstone left for UID 1
    await reader.noop();
    expect(expunges).toEqual([1]);
    const left: number[] = [];
    for await (const m of reader.fetch('1:*', { uid: true })) left.push(m.uid);
    expect(left).toEqual([2]);
    await reader.logout();
  });
});
