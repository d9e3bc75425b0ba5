// The inbox listing and the recipient/bcc filters work from messages.recipients, not from
// recipient INBOXes (which are only filled when IMAP reads them): checked at a few thousand
// addresses, none of which has an INBOX.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeMessageBatch, type ReceivedMessage } from '../../../src/domain/messages/store-message-batch.ts';
import { api, startApiServer, type ApiServer } from '../support/api-server.ts';

const ADDRESSES = 3000;
/** Messages per transaction, as ingest's group commit does at most. */
const BATCH = 256;

let server: ApiServer;
const address = (i: number) => `user${String(i).padStart(5, '0')}@Many.TEST`;
const accountOf = (i: number) => `user${String(i).padStart(5, '0')}@many.test`;

function received(rcptTo: string[], n: number): ReceivedMessage {
  const raw = Buffer.from(`Subject: many ${n}\r\nTo: ${rcptTo[0]}\r\n\r\nbody ${n}\r\n`);
  return {
    raw, receivedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, n)),
    mailFrom: 'sender@example.test', rcptTo, authUser: null, clientAddress: '127.0.0.1', heloName: 'test', tls: false, run: null,
  };
}

beforeAll(async () => {
  server = await startApiServer();
  // Message i goes to address i; every tenth also to address i+1 (as a Bcc: not in the headers).
  const messages = Array.from({ length: ADDRESSES }, (_, i) => received(i % 10 === 0 ? [address(i), address(i + 1)] : [address(i)], i));
  const client = await server.db.connect();
  try {
    for (let i = 0; i < messages.length; i += BATCH) await storeMessageBatch(client, messages.slice(i, i + BATCH), 'catchall');
  } finally {
    client.release();
  }
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

type Inbox = { address: string; messageCount: number };

describe(`${ADDRESSES} recipient addresses without INBOXes`, () => {
  it('stores no recipient INBOX at ingest', async () => {
    const inboxes = await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM mailboxes`);
    expect(inboxes.rows[0]!.n).toBe(1); // the catch-all's
  });

  it('lists every address with its count, paged in address order', async () => {
    const seen: Inbox[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `/api/v1/inboxes?limit=200${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
      const response = await api<{ inboxes: Inbox[]; nextCursor: string | null }>(server.baseUrl, query);
      expect(response.status).toBe(200);
      seen.push(...response.body.inboxes);
      cursor = response.body.nextCursor;
      pages++;
    } while (cursor !== null);
    expect(pages).toBe(Math.ceil(ADDRESSES / 200));
    const expected = Array.from({ length: ADDRESSES }, (_, i) => ({
      address: accountOf(i),
      messageCount: 1 + (i > 0 && (i - 1) % 10 === 0 ? 1 : 0),
    }));
    expect(seen.map((i) => ({ address: i.address, messageCount: i.messageCount }))).toEqual(expected);
  });

  it('finds a recipient’s messages, in any domain case, and Bcc recipients', async () => {
    const byRecipient = await api<{ messages: { subject: string | null; id: string }[] }>(
      server.baseUrl,
      `/api/v1/messages?recipient=${encodeURIComponent('user00021@MANY.test')}`,
    );
    expect(byRecipient.status).toBe(200);
    const ids = byRecipient.body.messages.map((m) => m.id).sort();
    const expected = await server.db.query<{ id: string }>(
      `SELECT id FROM messages WHERE convert_from(raw, 'UTF8') LIKE ANY (ARRAY['Subject: many 20\r%', 'Subject: many 21\r%']) ORDER BY id`,
    );
    expect(ids).toEqual(expected.rows.map((r) => r.id));

    const bcc = await api<{ messages: { id: string }[] }>(server.baseUrl, `/api/v1/messages?bcc=${encodeURIComponent('user00021@many.test')}`);
    expect(bcc.status).toBe(200);
    expect(bcc.body.messages.map((m) => m.id)).toEqual([expected.rows[0]!.id]);
  });
});
