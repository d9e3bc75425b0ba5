// 50 parallel SMTP deliveries split over two Letterbox nodes on one database, while two IMAP
// clients IDLE on node A and one on node B, all on the same mailbox: each is told about every
// message (IDLE wakes across nodes through LISTEN/NOTIFY), and all end with the same UID list,
// strictly ascending without gaps.
import type { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningLetterbox } from '../../src/letterbox.ts';
import { createImapTestEnv, imapFlow, sendMail, testMessage, type ImapTestEnv } from './support/imap-letterbox.ts';

const DELIVERIES = 50;
const USER = 'race@example.test';

let env: ImapTestEnv;
let nodeA: RunningLetterbox;
let nodeB: RunningLetterbox;
const clients: ImapFlow[] = [];

beforeAll(async () => {
  env = await createImapTestEnv();
  nodeA = await env.startNode();
  nodeB = await env.startNode();
});

afterAll(async () => {
  for (const c of clients) await c.logout().catch(() => {});
  await env.close();
});

interface Watcher {
  client: ImapFlow;
  /** Every EXISTS count the client was told, in order. */
  told: number[];
}

async function watch(node: RunningLetterbox): Promise<Watcher> {
  const client = imapFlow(node.imapPort, USER);
  await client.connect();
  clients.push(client);
  await client.mailboxOpen('INBOX');
  const told: number[] = [];
  client.on('exists', (e: { count: number }) => told.push(e.count));
  void client.idle();
  return { client, told };
}

describe('concurrent delivery across nodes', () => {
  it('tells every idling client about every message, in UID order, on both nodes', async () => {
    const watchers = [await watch(nodeA), await watch(nodeA), await watch(nodeB)];
    await Promise.all(
      Array.from({ length: DELIVERIES }, (_, i) => sendMail(i % 2 === 0 ? nodeA : nodeB, [USER], testMessage(i + 1, USER))),
    );
    for (const w of watchers) {
      await vi.waitFor(() => expect(w.told.at(-1)).toBe(DELIVERIES), { timeout: 30_000, interval: 50 });
      for (let i = 1; i < w.told.length; i++) expect(w.told[i]!).toBeGreaterThan(w.told[i - 1]!);
    }
    const lists: number[][] = [];
    for (const w of watchers) {
      const uids: number[] = [];
      for await (const m of w.client.fetch('1:*', { uid: true })) uids.push(m.uid);
      lists.push(uids);
    }
    const expected = Array.from({ length: DELIVERIES }, (_, i) => i + 1);
    for (const uids of lists) expect(uids).toEqual(expected);
  });
});
