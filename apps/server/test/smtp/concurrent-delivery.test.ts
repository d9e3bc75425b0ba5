import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CATCH_ALL_ADDRESS } from '../../src/config.ts';
import { deliverToInbox } from '../../src/imap/deliver-to-inbox.ts';
import { dataPayload, RawSmtpClient } from './support/raw-smtp-client.ts';
import { startSecondNode, startTestLetterbox, type TestLetterbox } from './support/test-letterbox.ts';

const CONNECTIONS = 100;
const MESSAGES_PER_CONNECTION = 10;
const RECIPIENTS_PER_MESSAGE = 3;
/** Few shared addresses, so every mailbox gets many concurrent deliveries. */
const ADDRESS_POOL = 7;
const ADDRESSES = Array.from({ length: ADDRESS_POOL }, (_, i) => `user${i}@conc.test`);

/** Fills every INBOX, the catch-all's too, through the function IMAP uses. */
async function materialise(): Promise<void> {
  await Promise.all([...ADDRESSES, DEFAULT_CATCH_ALL_ADDRESS].map((a) => deliverToInbox(server.db, a, DEFAULT_CATCH_ALL_ADDRESS)));
}

/**
 * Every INBOX holds exactly the live messages naming it (the catch-all: every live message), in
 * delivery (= commit) order, numbered 1..n.
 */
async function expectInboxesFollowDeliveryOrder(): Promise<void> {
  const mismatches = await server.db.query<{ address: string }>(
    `SELECT a.address FROM accounts a JOIN mailboxes mb ON mb."accountId" = a.id AND mb.name = 'INBOX'
      WHERE (SELECT array_agg(e."messageId" ORDER BY e.uid) FROM mailbox_messages e WHERE e."mailboxId" = mb.id)
            IS DISTINCT FROM
            (SELECT array_agg(m.id ORDER BY m."deliverySeq") FROM messages m
              WHERE (a.address = $1 OR m.recipients @> ARRAY[a.address]) AND m."deletedAt" IS NULL)`,
    [DEFAULT_CATCH_ALL_ADDRESS],
  );
  expect(mismatches.rows).toEqual([]);
}

let server: TestLetterbox;
beforeAll(async () => {
  server = await startTestLetterbox();
});
afterAll(async () => {
  await server?.stop();
});

async function deliverFrom(connection: number, port = server.letterbox.smtpPort): Promise<void> {
  const { client } = await RawSmtpClient.connect(port);
  await client.command('EHLO load.test');
  for (let m = 0; m < MESSAGES_PER_CONNECTION; m++) {
    const recipients = Array.from({ length: RECIPIENTS_PER_MESSAGE }, (_, k) => `user${(connection + m + k) % ADDRESS_POOL}@conc.test`);
    // The whole transaction in one write (PIPELINING), then one reply per command.
    client.write(
      Buffer.concat([
        Buffer.from(`MAIL FROM:<c${connection}@sender.test>\r\n${recipients.map((r) => `RCPT TO:<${r}>\r\n`).join('')}DATA\r\n`),
        dataPayload(`Subject: c${connection}-m${m}\r\n\r\nbody ${connection}/${m}\r\n`),
      ]),
    );
    const codes: number[] = [];
    for (let i = 0; i < RECIPIENTS_PER_MESSAGE + 3; i++) codes.push((await client.read()).code);
    expect(codes).toEqual([250, ...recipients.map(() => 250), 354, 250]);
  }
  await client.quit();
}

describe(`${CONNECTIONS} concurrent connections x ${MESSAGES_PER_CONNECTION} messages x ${RECIPIENTS_PER_MESSAGE} recipients`, () => {
  it('stores every message once and gives every mailbox ascending, gap-free, unique UIDs and modseqs', async () => {
    await Promise.all(Array.from({ length: CONNECTIONS }, (_, c) => deliverFrom(c)));
    const total = CONNECTIONS * MESSAGES_PER_CONNECTION;

    const subjects = await server.db.query<{ subject: string; n: number }>(
      `SELECT substring(convert_from(raw, 'UTF8') from 'Subject: ([^\r]*)') AS subject, count(*)::int AS n FROM messages GROUP BY 1`,
    );
    expect(subjects.rows).toHaveLength(total);
    expect(subjects.rows.every((r) => r.n === 1)).toBe(true);

    // Ingest numbered every message once, consecutively; INBOXes fill on access (the catch-all's
    // also in the background).
    const order = await server.db.query<{ n: number; distinct: number; span: number }>(
      'SELECT count(*)::int AS n, count(DISTINCT "deliverySeq")::int AS distinct, (max("deliverySeq") - min("deliverySeq") + 1)::int AS span FROM messages',
    );
    expect(order.rows[0]).toEqual({ n: total, distinct: total, span: total });
    await materialise();

    const perMessage = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM mailbox_messages GROUP BY "messageId"');
    expect(perMessage.rows).toHaveLength(total);
    expect(perMessage.rows.every((r) => r.n === RECIPIENTS_PER_MESSAGE + 1)).toBe(true);

    const mailboxes = await server.db.query<{ address: string; uid_next: number; highest_modseq: string; uids: number[]; modseqs: string[] }>(
      `SELECT a.address, m."uidNext" AS uid_next, m."highestModseq" AS highest_modseq,
              array_agg(e.uid ORDER BY e.uid) AS uids, array_agg(e.modseq ORDER BY e.uid) AS modseqs
         FROM mailboxes m JOIN accounts a ON a.id = m."accountId" JOIN mailbox_messages e ON e."mailboxId" = m.id
        GROUP BY a.address, m."uidNext", m."highestModseq"`,
    );
    expect(mailboxes.rows).toHaveLength(ADDRESS_POOL + 1);
    for (const mailbox of mailboxes.rows) {
      const n = mailbox.uids.length;
      expect(mailbox.uids, mailbox.address).toEqual(Array.from({ length: n }, (_, i) => i + 1));
      expect(mailbox.uid_next, mailbox.address).toBe(n + 1);
      const modseqs = mailbox.modseqs.map(Number);
      for (let i = 1; i < n; i++) expect(modseqs[i]!, mailbox.address).toBeGreaterThan(modseqs[i - 1]!);
      expect(Number(mailbox.highest_modseq)).toBe(modseqs[n - 1]);
    }
    const catchAll = mailboxes.rows.find((m) => m.address === DEFAULT_CATCH_ALL_ADDRESS)!;
    expect(catchAll.uids).toHaveLength(total);
    await expectInboxesFollowDeliveryOrder();
  });
});

describe('two nodes on one database', () => {
  it('never lets a reader see a UID before a lower one is committed, and numbers every mailbox gap-free, with INBOXes filled concurrently', async () => {
    const second = await startSecondNode(server);
    try {
      const before = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM messages');
      // A reader polling while both nodes deliver: in any snapshot, a mailbox's visible UIDs must
      // be exactly 1..max (IMAP clients fetch UIDNEXT:* and would skip a UID that appears late).
      let delivering = true;
      const holes: string[] = [];
      let polls = 0;
      // Recipient INBOXes filled over and over while both nodes deliver, as IMAP sessions would.
      let materialisations = 0;
      const materialiser = (async () => {
        while (delivering) {
          await materialise();
          materialisations++;
        }
      })();
      const base = await server.db.query<{ last: string }>('SELECT last FROM delivery_counter');
      const reader = (async () => {
        while (delivering) {
          // Delivery order: the visible numbers above the start are always exactly base+1..max.
          const numbers = await server.db.query<{ n: number; max: string | null }>(
            'SELECT count(*)::int AS n, max("deliverySeq") AS max FROM messages WHERE "deliverySeq" > $1',
            [base.rows[0]!.last],
          );
          const seen = numbers.rows[0]!;
          if (seen.max !== null && Number(seen.max) - Number(base.rows[0]!.last) !== seen.n) holes.push(`deliverySeq: ${seen.n} rows, max ${seen.max}`);
          const snapshot = await server.db.query<{ mailbox: string; n: number; max: number }>(
            'SELECT "mailboxId" AS mailbox, count(*)::int AS n, max(uid) AS max FROM mailbox_messages GROUP BY 1',
          );
          for (const row of snapshot.rows) if (row.n !== row.max) holes.push(`${row.mailbox}: ${row.n} rows, max uid ${row.max}`);
          polls++;
        }
      })();
      await Promise.all(
        Array.from({ length: 40 }, (_, c) => deliverFrom(1000 + c, c % 2 === 0 ? server.letterbox.smtpPort : second.letterbox.smtpPort)),
      );
      delivering = false;
      await reader;
      await materialiser;
      expect(polls).toBeGreaterThan(0);
      expect(materialisations).toBeGreaterThan(1);
      expect(holes).toEqual([]);
      await materialise();
      await expectInboxesFollowDeliveryOrder();

      const after = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM messages');
      expect(after.rows[0]!.n - before.rows[0]!.n).toBe(40 * MESSAGES_PER_CONNECTION);
      const gaps = await server.db.query<{ mailbox: string }>(
        `SELECT "mailboxId" AS mailbox FROM mailbox_messages GROUP BY 1 HAVING count(*) <> max(uid) OR count(DISTINCT uid) <> count(*)`,
      );
      expect(gaps.rows).toEqual([]);
    } finally {
      await second.stop();
    }
  });
});
