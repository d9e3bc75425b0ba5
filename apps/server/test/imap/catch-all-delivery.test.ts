// The catch-all INBOX is filled lazily like every INBOX (deliver-to-inbox.ts) and in the
// background (catch-all-delivery.ts): it ends up holding every live message in delivery order,
// the recipients' accounts appear as it goes, the inbox listing shows recipients it has not
// reached yet, and deletions racing its filling never leave a deleted message live in it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteMessagesByIds } from '../../src/domain/messages/delete-messages.ts';
import { listInboxes } from '../../src/domain/inboxes/list-inboxes.ts';
import { deliverToInbox } from '../../src/imap/deliver-to-inbox.ts';
import type { RunningLetterbox } from '../../src/letterbox.ts';
import { deliver, TEST_CATCH_ALL } from './support/deliver.ts';
import { createImapTestEnv, testMessage, type ImapTestEnv } from './support/imap-letterbox.ts';

let env: ImapTestEnv;
let node: RunningLetterbox;

beforeAll(async () => {
  env = await createImapTestEnv();
  node = await env.startNode({ catchAllAddress: TEST_CATCH_ALL });
});

afterAll(async () => {
  await env.close();
});

const deleteIds = (ids: string[]) => deleteMessagesByIds({ pool: env.db } as Parameters<typeof deleteMessagesByIds>[0], ids);

/** Live catch-all entries' message ids in UID order. */
async function catchAllMessages(): Promise<string[]> {
  const result = await env.db.query<{ id: string }>(
    `SELECT e."messageId" AS id FROM mailbox_messages e JOIN mailboxes mb ON mb.id = e."mailboxId"
      WHERE mb."isCatchAll" AND e."expungedModseq" IS NULL ORDER BY e.uid`,
  );
  return result.rows.map((r) => r.id);
}

async function liveMessagesInDeliveryOrder(): Promise<string[]> {
  const result = await env.db.query<{ id: string }>('SELECT id FROM messages WHERE "deletedAt" IS NULL ORDER BY "deliverySeq"');
  return result.rows.map((r) => r.id);
}

describe('catch-all delivery', () => {
  it('fills the catch-all INBOX in the background, in delivery order, and creates the recipients\' accounts', async () => {
    const stored = [];
    for (let i = 0; i < 12; i++) stored.push(await deliver(env.db, [`bg${i % 4}@catchall.test`], Buffer.from(testMessage(i))));
    await node.catchAllDelivery.whenIdle();
    expect(await catchAllMessages()).toEqual(await liveMessagesInDeliveryOrder());
    const accounts = await env.db.query<{ address: string }>(`SELECT address FROM accounts WHERE address LIKE 'bg%' ORDER BY address`);
    expect(accounts.rows.map((r) => r.address)).toEqual(['bg0@catchall.test', 'bg1@catchall.test', 'bg2@catchall.test', 'bg3@catchall.test']);
    const uids = await env.db.query<{ uid: number }>(
      'SELECT e.uid FROM mailbox_messages e JOIN mailboxes mb ON mb.id = e."mailboxId" WHERE mb."isCatchAll" ORDER BY e.uid',
    );
    expect(uids.rows.map((r) => r.uid)).toEqual(Array.from({ length: uids.rows.length }, (_, i) => i + 1));
  });

  it('lists recipients the catch-all has not reached yet, once each', async () => {
    await node.catchAllDelivery.stop();
    await deliver(env.db, ['unreached@catchall.test', 'bg0@catchall.test'], Buffer.from(testMessage(100)));
    const page = await listInboxes(env.db, { limit: 100, address: 'catchall.test', catchAllAddress: TEST_CATCH_ALL });
    expect(page.inboxes.map((i) => [i.address, i.messageCount])).toEqual([
      ['bg0@catchall.test', 4],
      ['bg1@catchall.test', 3],
      ['bg2@catchall.test', 3],
      ['bg3@catchall.test', 3],
      ['unreached@catchall.test', 1],
    ]);
    const account = await env.db.query(`SELECT 1 FROM accounts WHERE address = 'unreached@catchall.test'`);
    expect(account.rowCount).toBe(0);
    await deliverToInbox(env.db, TEST_CATCH_ALL, TEST_CATCH_ALL);
    const after = await listInboxes(env.db, { limit: 100, address: 'catchall.test', catchAllAddress: TEST_CATCH_ALL });
    expect(after).toEqual(page);
  });

  it('never leaves a deleted message live in the catch-all INBOX when deletions race its filling', async () => {
    // The background job is stopped (test above): only these calls fill.
    for (let round = 0; round < 20; round++) {
      const messages = await Promise.all(
        Array.from({ length: 5 }, (_, i) => deliver(env.db, [`race${round}@catchall.test`], Buffer.from(testMessage(200 + round * 10 + i)))),
      );
      await Promise.all([
        deliverToInbox(env.db, TEST_CATCH_ALL, TEST_CATCH_ALL),
        deleteIds(messages.slice(0, 3).map((m) => m.id)),
        // A never-seen recipient's INBOX created while its messages are deleted.
        deliverToInbox(env.db, `race${round}@catchall.test`, TEST_CATCH_ALL),
        deliverToInbox(env.db, TEST_CATCH_ALL, TEST_CATCH_ALL),
      ]);
    }
    await deliverToInbox(env.db, TEST_CATCH_ALL, TEST_CATCH_ALL);
    const leaked = await env.db.query(
      `SELECT e.uid FROM mailbox_messages e JOIN messages m ON m.id = e."messageId"
        WHERE e."expungedModseq" IS NULL AND m."deletedAt" IS NOT NULL`,
    );
    expect(leaked.rows).toEqual([]);
    expect(await catchAllMessages()).toEqual(await liveMessagesInDeliveryOrder());
  });

  it('delivers a backlog in bounded chunks without skipping or repeating', async () => {
    const before = (await catchAllMessages()).length;
    for (let i = 0; i < 7; i++) await deliver(env.db, ['chunked@catchall.test'], Buffer.from(testMessage(400 + i)));
    const chunks: number[] = [];
    for (;;) {
      const { delivered } = await deliverToInbox(env.db, TEST_CATCH_ALL, TEST_CATCH_ALL, { maxMessages: 3 });
      chunks.push(delivered);
      if (delivered < 3) break;
    }
    expect(chunks).toEqual([3, 3, 1]);
    expect((await catchAllMessages()).length).toBe(before + 7);
    expect(await catchAllMessages()).toEqual(await liveMessagesInDeliveryOrder());
  });
});
