// INBOXes are filled in delivery order when read (deliver-to-inbox.ts): a
// never-seen recipient logging in sees exactly its messages in delivery order; a message deleted
// (or expunged by retention) before the INBOX is filled never appears; one expunged from the
// catch-all by an IMAP user still reaches its recipient; filling racing ingest never skips or
// duplicates a message.
import type { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteMessagesByIds } from '../../src/domain/messages/delete-messages.ts';
import { deliverToInbox } from '../../src/imap/deliver-to-inbox.ts';
import type { RunningLetterbox } from '../../src/letterbox.ts';
import { deliver, TEST_CATCH_ALL } from './support/deliver.ts';
import { createImapTestEnv, imapFlow, testMessage, type ImapTestEnv } from './support/imap-letterbox.ts';

let env: ImapTestEnv;
let node: RunningLetterbox;
const clients: ImapFlow[] = [];

beforeAll(async () => {
  env = await createImapTestEnv();
  node = await env.startNode({ catchAllAddress: TEST_CATCH_ALL });
});

afterAll(async () => {
  for (const c of clients) await c.logout().catch(() => {});
  await env.close();
});

async function connect(user: string): Promise<ImapFlow> {
  const client = imapFlow(node.imapPort, user);
  await client.connect();
  clients.push(client);
  return client;
}

async function subjectsIn(client: ImapFlow, mailbox: string): Promise<{ uid: number; subject: string }[]> {
  const lock = await client.getMailboxLock(mailbox);
  try {
    const out: { uid: number; subject: string }[] = [];
    for await (const m of client.fetch('1:*', { uid: true, envelope: true })) out.push({ uid: m.uid, subject: m.envelope?.subject ?? '' });
    return out;
  } finally {
    lock.release();
  }
}

/** Entries of the INBOX of `address`: [uid, messageId] in UID order, tombstones left out. */
async function inboxEntries(address: string): Promise<{ uid: number; message_id: string }[]> {
  const result = await env.db.query<{ uid: number; message_id: string }>(
    `SELECT e.uid, e."messageId" AS message_id FROM mailbox_messages e
       JOIN mailboxes mb ON mb.id = e."mailboxId" AND mb.name = 'INBOX' JOIN accounts a ON a.id = mb."accountId"
      WHERE a.address = $1 AND e."expungedModseq" IS NULL ORDER BY e.uid`,
    [address],
  );
  return result.rows;
}

/** UID of the message's entry in the catch-all INBOX (the IMAP login that precedes this filled it). */
async function catchAllUid(messageId: string): Promise<number> {
  const result = await env.db.query<{ uid: number }>(
    'SELECT e.uid FROM mailbox_messages e JOIN mailboxes mb ON mb.id = e."mailboxId" WHERE mb."isCatchAll" AND e."messageId" = $1',
    [messageId],
  );
  expect(result.rows).toHaveLength(1);
  return result.rows[0]!.uid;
}

describe('lazy recipient INBOXes', () => {
  it('creates no INBOX and no mailbox entry at ingest', async () => {
    await node.catchAllDelivery.stop(); // this node's background filling would race the check
    const stored = await deliver(env.db, ['never@lazy.test', 'Other@Lazy.TEST'], Buffer.from(testMessage(100, 'never@lazy.test')));
    expect(Number(stored.deliverySeq)).toBeGreaterThan(0);
    const entries = await env.db.query('SELECT 1 FROM mailbox_messages WHERE "messageId" = $1', [stored.id]);
    expect(entries.rowCount).toBe(0);
    const inboxes = await env.db.query(
      `SELECT 1 FROM mailboxes mb JOIN accounts a ON a.id = mb."accountId" WHERE a.address IN ('never@lazy.test', 'Other@lazy.test')`,
    );
    expect(inboxes.rowCount).toBe(0);
    const recipients = await env.db.query<{ recipients: string[] }>('SELECT recipients FROM messages WHERE id = $1', [stored.id]);
    expect(recipients.rows[0]!.recipients).toEqual(['never@lazy.test', 'Other@lazy.test']);
  });

  it('shows a never-seen recipient exactly its messages, in delivery order, when it logs in', async () => {
    const address = 'first-login@lazy.test';
    for (let i = 0; i < 6; i++) {
      const to = i % 2 === 0 ? [address] : ['someone-else@lazy.test'];
      await deliver(env.db, to, Buffer.from(testMessage(200 + i, to[0])));
    }
    // Mixed case domain at login: the same account (DESIGN invariant 2).
    const client = await connect('first-login@LAZY.test');
    expect(await subjectsIn(client, 'INBOX')).toEqual([
      { uid: 1, subject: 'Interop 200' },
      { uid: 2, subject: 'Interop 202' },
      { uid: 3, subject: 'Interop 204' },
    ]);
  });

  it('delivers new mail to an IDLE session with the INBOX selected', { timeout: 15_000 }, async () => {
    const address = 'idler@lazy.test';
    const client = await connect(address);
    const lock = await client.getMailboxLock('INBOX');
    try {
      const exists = new Promise<number>((resolve) => client.on('exists', (data: { count: number }) => resolve(data.count)));
      void client.idle();
      await deliver(env.db, [address], Buffer.from(testMessage(300, address)));
      expect(await exists).toBe(1);
    } finally {
      lock.release();
    }
  });

  it('never shows a message deleted before the INBOX was filled, and still shows one an IMAP user expunged from the catch-all', async () => {
    const address = 'late@lazy.test';
    const kept = await deliver(env.db, [address], Buffer.from(testMessage(400, address)));
    const deleted = await deliver(env.db, [address], Buffer.from(testMessage(401, address)));
    const expungedFromCatchAll = await deliver(env.db, [address], Buffer.from(testMessage(402, address)));
    await deleteMessagesByIds({ pool: env.db } as Parameters<typeof deleteMessagesByIds>[0], [deleted.id]);

    const catchAll = await connect(TEST_CATCH_ALL);
    const lock = await catchAll.getMailboxLock('INBOX');
    try {
      await catchAll.messageDelete(String(await catchAllUid(expungedFromCatchAll.id)), { uid: true });
    } finally {
      lock.release();
    }

    const entries = await inboxEntries(address);
    expect(entries).toEqual([]); // nothing materialised yet
    await deliverToInbox(env.db, address, TEST_CATCH_ALL);
    expect((await inboxEntries(address)).map((e) => e.message_id)).toEqual([kept.id, expungedFromCatchAll.id]);
  });

  it('does not deliver a message twice when an IMAP user copies it within the catch-all INBOX', async () => {
    const address = 'recopied@lazy.test';
    const message = await deliver(env.db, [address], Buffer.from(testMessage(450, address)));
    await deliverToInbox(env.db, address, TEST_CATCH_ALL);
    const catchAll = await connect(TEST_CATCH_ALL);
    const lock = await catchAll.getMailboxLock('INBOX');
    try {
      // The copy is a second catch-all entry of the same message, above the recipient's watermark.
      const copied = await catchAll.messageCopy(String(await catchAllUid(message.id)), 'INBOX', { uid: true });
      expect(copied).toBeTruthy();
    } finally {
      lock.release();
    }
    const copies = await env.db.query('SELECT 1 FROM mailbox_messages e WHERE e."messageId" = $1 AND e."expungedModseq" IS NULL', [message.id]);
    expect(copies.rowCount).toBe(3); // two in the catch-all INBOX, one in the recipient's
    await deliverToInbox(env.db, address, TEST_CATCH_ALL);
    expect((await inboxEntries(address)).map((e) => e.message_id)).toEqual([message.id]);
  });

  it('tombstones a delivered message that is deleted afterwards', async () => {
    const address = 'deleted-after@lazy.test';
    const message = await deliver(env.db, [address], Buffer.from(testMessage(500, address)));
    await deliverToInbox(env.db, address, TEST_CATCH_ALL);
    expect((await inboxEntries(address)).map((e) => e.message_id)).toEqual([message.id]);
    await deleteMessagesByIds({ pool: env.db } as Parameters<typeof deleteMessagesByIds>[0], [message.id]);
    expect(await inboxEntries(address)).toEqual([]);
  });

  it('racing deletions never leave a deleted message live in an INBOX', async () => {
    const address = 'race-delete@lazy.test';
    for (let round = 0; round < 20; round++) {
      const messages = await Promise.all(Array.from({ length: 5 }, (_, i) => deliver(env.db, [address], Buffer.from(testMessage(600 + round * 10 + i, address)))));
      await Promise.all([
        deliverToInbox(env.db, address, TEST_CATCH_ALL),
        deleteMessagesByIds({ pool: env.db } as Parameters<typeof deleteMessagesByIds>[0], messages.slice(0, 3).map((m) => m.id)),
        deliverToInbox(env.db, address, TEST_CATCH_ALL),
      ]);
    }
    await deliverToInbox(env.db, address, TEST_CATCH_ALL);
    const leaked = await env.db.query(
      `SELECT e.uid FROM mailbox_messages e JOIN messages m ON m.id = e."messageId"
         JOIN mailboxes mb ON mb.id = e."mailboxId" JOIN accounts a ON a.id = mb."accountId"
        WHERE a.address = $1 AND e."expungedModseq" IS NULL AND m."deletedAt" IS NOT NULL`,
      [address],
    );
    expect(leaked.rows).toEqual([]);
    expect(await inboxEntries(address)).toHaveLength(20 * 2);
  });

  it('filling racing continuous ingest never skips or duplicates a message and keeps UIDs ascending', async () => {
    const addresses = ['race-a@lazy.test', 'race-b@lazy.test'];
    let ingesting = true;
    const sent: string[][] = [[], []];
    const ingest = (async () => {
      for (let i = 0; i < 150; i++) {
        const to = i % 3 === 0 ? addresses : [addresses[i % 2]!];
        const stored = await deliver(env.db, to, Buffer.from(testMessage(1000 + i)));
        for (const [k, a] of addresses.entries()) if (to.includes(a)) sent[k]!.push(stored.id);
      }
      ingesting = false;
    })();
    // Two fillers per address at once, many times, while ingest goes on.
    let fills = 0;
    const fillers = addresses.flatMap((a) =>
      [0, 1].map(async () => {
        while (ingesting) {
          await deliverToInbox(env.db, a, TEST_CATCH_ALL);
          fills++;
        }
      }),
    );
    await Promise.all([ingest, ...fillers]);
    expect(fills).toBeGreaterThan(4);
    for (const [k, address] of addresses.entries()) {
      await deliverToInbox(env.db, address, TEST_CATCH_ALL);
      const entries = await inboxEntries(address);
      expect(entries.map((e) => e.uid)).toEqual(entries.map((_, i) => i + 1));
      // Each `deliver` commits before the next starts: catch-all order is send order.
      expect(entries.map((e) => e.message_id)).toEqual(sent[k]);
    }
  });
});
