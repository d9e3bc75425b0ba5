// The ingest INSERT on a real database: batches of every size are padded to a power of two for a
// prepared statement, and only the real rows may be stored, in VALUES order, with every column as
// given.
import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { storeMessageBatch, type ReceivedMessage, type StoredMessage } from '../../src/domain/messages/store-message-batch.ts';
import { useTestDatabasePool } from '../helpers/database.ts';

const db = useTestDatabasePool(1);

let sent = 0;
function received(raw: Buffer, extra: Partial<ReceivedMessage> = {}): ReceivedMessage {
  sent += 1;
  return {
    raw, sha256: createHash('sha256').update(raw).digest('hex'), receivedAt: new Date(Date.UTC(2026, 11, 6, 9, 0, 0, sent)),
    mailFrom: `sender${sent}@example.test`, rcptTo: [`rcpt${sent}@Example.TEST`, `bcc${sent}@example.test`],
    authUser: null, clientAddress: '127.0.0.1', heloName: 'client.test', tls: false, run: null, ...extra,
  };
}
const message = (n: number) => received(Buffer.from(`Subject: batch ${n}\r\n\r\nbody ${n}\r\n`));

it('stores exactly the messages of batches of 1 to 9 and 200 rows, numbered in order, one prepared statement per padded size', async () => {
  const client = await db.pool.connect();
  try {
    const sizes = [1, 2, 3, 4, 5, 7, 8, 9, 200, 3];
    const batches = sizes.map((size) => Array.from({ length: size }, (_, i) => message(i)));
    const stored: StoredMessage[] = [];
    for (const batch of batches) stored.push(...(await storeMessageBatch(client, batch, 'catchall')));
    const all = batches.flat();
    expect(stored).toHaveLength(all.length);
    // Consecutive delivery numbers in submission order, each answer naming its own message.
    expect(stored.map((s) => Number(s.deliverySeq))).toEqual(all.map((_, i) => i + 1));
    const rows = await client.query<{ id: string; raw: Buffer; mailFrom: string; rcptTo: string[]; recipients: string[]; receivedAt: Date }>(
      'SELECT id, raw, "mailFrom", "rcptTo", recipients, "receivedAt" FROM messages ORDER BY "deliverySeq"',
    );
    expect(rows.rows).toHaveLength(all.length);
    rows.rows.forEach((row, i) => {
      expect(row.id).toBe(stored[i]!.id);
      expect(row.raw.equals(all[i]!.raw)).toBe(true);
      expect(row.mailFrom).toBe(all[i]!.mailFrom);
      expect(row.rcptTo).toEqual(all[i]!.rcptTo);
      expect(row.recipients).toEqual([all[i]!.rcptTo[0]!.toLowerCase(), all[i]!.rcptTo[1]]);
      expect(row.receivedAt.getTime()).toBe(all[i]!.receivedAt.getTime());
    });
    // Padded sizes 1, 2, 4, 8, 16 and 256, each prepared once on this connection.
    const prepared = await client.query<{ name: string }>(`SELECT name FROM pg_prepared_statements WHERE name LIKE 'store-messages-%' ORDER BY name`);
    expect(prepared.rows.map((r) => r.name).sort()).toEqual(['store-messages-1', 'store-messages-16', 'store-messages-2', 'store-messages-256', 'store-messages-4', 'store-messages-8']);
  } finally {
    client.release();
  }
});

it('fails a whole padded batch when one message is refused, storing none of it', async () => {
  const client = await db.pool.connect();
  try {
    const before = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM messages');
    // An invalid sha256 (char(64) refuses 65 characters) in the middle of a batch of 5 (padded to 8).
    const batch = [message(1), message(2), received(Buffer.from('x\r\n'), { sha256: 'f'.repeat(65) }), message(4), message(5)];
    await expect(storeMessageBatch(client, batch, 'catchall')).rejects.toThrow(/too long/);
    const after = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM messages');
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
    // The connection is usable again for the same prepared statement.
    const stored = await storeMessageBatch(client, [message(6), message(7), message(8), message(9), message(10)], 'catchall');
    expect(stored).toHaveLength(5);
  } finally {
    client.release();
  }
});
