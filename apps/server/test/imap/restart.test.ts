// Stop and start the server on the same database and ports: clients reconnect and see the same
// UIDVALIDITY and UIDs, and new mail continues the UID sequence.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImapFlow } from 'imapflow';
import { createImapTestEnv, imapFlow, sendMail, testMessage, type ImapTestEnv } from './support/imap-letterbox.ts';

const USER = 'restart@example.test';

let env: ImapTestEnv;

beforeAll(async () => {
  env = await createImapTestEnv();
});

afterAll(async () => {
  await env.close();
});

async function inboxState(client: ImapFlow): Promise<{ uidValidity: bigint; uids: number[] }> {
  const mailbox = await client.mailboxOpen('INBOX');
  const uids: number[] = [];
  for await (const m of client.fetch('1:*', { uid: true })) uids.push(m.uid);
  return { uidValidity: mailbox.uidValidity, uids };
}

describe('restart', () => {
  it('keeps UIDVALIDITY and UIDs across a restart; a reconnecting client carries on', async () => {
    const first = await env.startNode();
    for (const n of [1, 2, 3]) await sendMail(first, [USER], testMessage(n, USER));
    const client = imapFlow(first.imapPort, USER);
    await client.connect();
    const before = await inboxState(client);
    expect(before.uids).toEqual([1, 2, 3]);
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    await first.stop();
    await closed; // the server said BYE and closed the connection

    const second = await env.startNode({ smtpPort: first.smtpPort, imapPort: first.imapPort, imapsPort: first.imapsPort });
    expect(second.imapPort).toBe(first.imapPort);
    const again = imapFlow(second.imapPort, USER);
    await again.connect();
    expect(await inboxState(again)).toEqual(before);
    await sendMail(second, [USER], testMessage(4, USER));
    const after = await inboxState(again);
    expect(after).toEqual({ uidValidity: before.uidValidity, uids: [1, 2, 3, 4] });
    await again.logout();
  });
});
