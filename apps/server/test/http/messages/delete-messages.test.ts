import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS_CHANNEL, parseEvent, type LetterboxEvent } from '../../../src/domain/events/letterbox-events.ts';
import { DELETE_BATCH } from '../../../src/domain/messages/delete-messages.ts';
import { purgeDeletedMessages } from '../../../src/domain/messages/purge-deleted-messages.ts';
import { api, startApiServer, type ApiServer } from '../support/api-server.ts';
import { deliverToInbox } from '../../../src/imap/deliver-to-inbox.ts';

let server: ApiServer;
beforeAll(async () => {
  server = await startApiServer();
});
afterAll(async () => {
  await server?.stop();
});

const del = (path: string) => api(server.baseUrl, path, { method: 'DELETE' });
const listIds = async (query = '') => (await api(server.baseUrl, `/api/v1/messages${query}`)).body.messages.map((m: { id: string }) => m.id);

async function entries(messageId: string) {
  const result = await server.db.query<{ mailbox_id: string; expunged: string | null; highest: string }>(
    `SELECT e."mailboxId" AS mailbox_id, e."expungedModseq" AS expunged, mb."highestModseq" AS highest
       FROM mailbox_messages e JOIN mailboxes mb ON mb.id = e."mailboxId" WHERE e."messageId" = $1 ORDER BY 1`,
    [messageId],
  );
  return result.rows;
}

describe('DELETE /api/v1/messages/{id}', () => {
  it('hides the message and expunges it from every IMAP mailbox with a messages.expunged NOTIFY', async () => {
    const id = await server.send({ to: ['bob@example.test', 'carol@example.test'], subject: 'Doomed' });
    // Bob's INBOX and the catch-all's are filled (as IMAP logins would); carol's is not yet.
    await deliverToInbox(server.db, 'bob@example.test', 'catchall');
    await deliverToInbox(server.db, 'catchall', 'catchall');
    const before = await entries(id);
    expect(before).toHaveLength(2); // bob, catch-all
    expect(before.every((e) => e.expunged === null)).toBe(true);

    const listener = new pg.Client({ connectionString: server.database.url });
    await listener.connect();
    await listener.query(`LISTEN ${EVENTS_CHANNEL}`);
    const expunged = new Promise<LetterboxEvent>((resolve) => {
      listener.on('notification', (n) => {
        const event = parseEvent(n.payload ?? '');
        if (event?.type === 'messages.expunged') resolve(event);
      });
    });

    const response = await del(`/api/v1/messages/${id}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ deleted: 1 });
    const event = await expunged;
    await listener.end();

    const after = await entries(id);
    for (const [i, entry] of after.entries()) {
      expect(entry.expunged).not.toBeNull();
      expect(BigInt(entry.highest)).toBe(BigInt(before[i]!.highest) + 1n);
      expect(entry.expunged).toBe(entry.highest);
    }
    expect(event).toMatchObject({ type: 'messages.expunged', messageIds: [id] });
    expect((event as { mailboxes: { id: string; highestModseq: string }[] }).mailboxes.map((m) => m.id).sort()).toEqual(after.map((e) => e.mailbox_id).sort());

    expect((await api(server.baseUrl, `/api/v1/messages/${id}`)).status).toBe(404);
    // Carol's INBOX, filled after the deletion, never gets it.
    expect(await deliverToInbox(server.db, 'carol@example.test', 'catchall')).toMatchObject({ delivered: 0 });
    expect(await entries(id)).toHaveLength(2);
    expect(await listIds()).not.toContain(id);
    expect((await del(`/api/v1/messages/${id}`)).status).toBe(404);
  });

  it('purges deleted messages for good after the grace period', async () => {
    const id = await server.send({ to: 'bob@example.test', subject: 'Purge me' });
    await del(`/api/v1/messages/${id}`);
    expect(await purgeDeletedMessages(server.letterbox.database.pool, 0)).toBeGreaterThanOrEqual(1);
    expect((await server.db.query('SELECT 1 FROM messages WHERE id = $1', [id])).rowCount).toBe(0);
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    expect((await del('/api/v1/messages/123456789')).body.error.code).toBe('message_not_found');
    expect((await del('/api/v1/messages/x1')).status).toBe(400);
  });
});

describe('DELETE /api/v1/messages', () => {
  it('deletes by filter, leaving the rest', async () => {
    const keep = await server.send({ to: 'keep@example.test', subject: 'Keep' });
    const drop1 = await server.send({ to: 'drop@example.test', subject: 'Drop 1' });
    const drop2 = await server.send({ to: 'drop@example.test', subject: 'Drop 2' });
    const response = await del('/api/v1/messages?to=drop@example.test');
    expect(response.body).toEqual({ deleted: 2 });
    const left = await listIds();
    expect(left).toContain(keep);
    expect(left).not.toContain(drop1);
    expect(left).not.toContain(drop2);
  });

  it('rejects an invalid filter without deleting anything', async () => {
    await server.send({ to: 'safe@example.test', subject: 'Safe' });
    const response = await del('/api/v1/messages?subjectRegex=(');
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_regex');
    expect((await listIds('?to=safe@example.test')).length).toBe(1);
  });

  it('deletes more than one batch', async () => {
    const count = DELETE_BATCH * 2 + 7;
    await server.db.query(
      `INSERT INTO messages (raw, size, sha256, "mailFrom", "rcptTo", run, "references")
       SELECT convert_to('Subject: bulk ' || g, 'UTF8'), 10, repeat('0', 64), 'a@example.test', ARRAY['b@example.test'], 'bulk-delete', '{}'
         FROM generate_series(1, $1::int) g`,
      [count],
    );
    expect((await del('/api/v1/messages?run=bulk-delete')).body).toEqual({ deleted: count });
    expect(await listIds('?run=bulk-delete')).toEqual([]);
  });

  it('deletes everything without a filter', async () => {
    await server.send({ to: 'x@example.test', subject: 'X' });
    const response = await del('/api/v1/messages');
    expect(response.body.deleted).toBeGreaterThanOrEqual(2);
    expect(await listIds()).toEqual([]);
  });
});
